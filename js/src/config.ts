/**
 * The JSON configuration the Django template emits (via `json_script`) for one
 * `{% component %}` tag, and its validation.
 */

export interface ReconnectConfig {
  /** Delay before the first retry, in milliseconds. */
  interval: number;
  /** Upper bound for any retry delay, in milliseconds. */
  maxInterval: number;
  /** How many consecutive retries to attempt before giving up (0 = never retry). */
  maxRetries: number;
  /** Growth factor of the delay per consecutive failed attempt. */
  backoffMultiplier: number;
}

export interface MountConfig {
  /** id of the `<div>` the component is rendered into. */
  mountId: string;
  /** WebSocket path; always starts and ends with "/". */
  wsPath: string;
  /** "host[:port]" of the ReactPy server; null means the page's own host. */
  host: string | null;
  /** URL path under which web modules are served, e.g. "/reactpy/web_module/". */
  webModulesPath: string;
  /** id of a `<div>` holding server-prerendered HTML, or null. */
  prerenderId: string | null;
  /** id of a hidden `<div>` shown while disconnected, or null. */
  offlineId: string | null;
  reconnect: ReconnectConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(obj: Record<string, unknown>, key: string): string {
  const value = obj[key];
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(`"${key}" must be a non-empty string`);
  }
  return value;
}

function optionalString(obj: Record<string, unknown>, key: string): string | null {
  const value = obj[key];
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(`"${key}" must be a non-empty string or null`);
  }
  return value;
}

function requireNumber(
  obj: Record<string, unknown>,
  key: string,
  min: number,
): number {
  const value = obj[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ConfigError(`"reconnect.${key}" must be a finite number >= ${min}`);
  }
  return value;
}

/** Validate an already JSON-parsed value and return a typed config. */
export function parseConfig(raw: unknown): MountConfig {
  if (!isRecord(raw)) {
    throw new ConfigError("config must be a JSON object");
  }
  const wsPath = requireString(raw, "wsPath");
  if (!wsPath.startsWith("/")) {
    throw new ConfigError('"wsPath" must start with "/"');
  }
  const webModulesPath = requireString(raw, "webModulesPath");
  if (!webModulesPath.startsWith("/")) {
    throw new ConfigError('"webModulesPath" must start with "/"');
  }
  const reconnect = raw["reconnect"];
  if (!isRecord(reconnect)) {
    throw new ConfigError('"reconnect" must be an object');
  }
  return {
    mountId: requireString(raw, "mountId"),
    wsPath,
    host: optionalString(raw, "host"),
    webModulesPath,
    prerenderId: optionalString(raw, "prerenderId"),
    offlineId: optionalString(raw, "offlineId"),
    reconnect: {
      interval: requireNumber(reconnect, "interval", 0),
      maxInterval: requireNumber(reconnect, "maxInterval", 0),
      maxRetries: requireNumber(reconnect, "maxRetries", 0),
      backoffMultiplier: requireNumber(reconnect, "backoffMultiplier", 1),
    },
  };
}

/** Read and validate the config from the text of a `json_script` element. */
export function readConfig(configElementId: string): MountConfig {
  const element = document.getElementById(configElementId);
  if (element === null) {
    throw new ConfigError(`no element with id "${configElementId}"`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(element.textContent ?? "");
  } catch (error) {
    throw new ConfigError(`invalid JSON in #${configElementId}: ${String(error)}`);
  }
  return parseConfig(raw);
}
