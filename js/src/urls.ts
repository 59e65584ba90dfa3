/** URL construction. Pure functions of a location-like object, for testability. */

export interface LocationLike {
  protocol: string;
  host: string;
  pathname: string;
  search: string;
}

/**
 * `ws(s)://<host><wsPath>?http_pathname=...[&http_search=...]`.
 *
 * Call it on every (re)connect so the server sees the page's *current* URL.
 */
export function webSocketUrl(
  loc: LocationLike,
  host: string | null,
  wsPath: string,
): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  let url =
    `${scheme}//${host ?? loc.host}${wsPath}` +
    `?http_pathname=${encodeURIComponent(loc.pathname)}`;
  if (loc.search !== "") {
    url += `&http_search=${encodeURIComponent(loc.search)}`;
  }
  return url;
}

/** `http(s)://<host><webModulesPath>` with exactly one trailing "/". */
export function webModulesBase(
  loc: LocationLike,
  host: string | null,
  webModulesPath: string,
): string {
  const path = webModulesPath.endsWith("/") ? webModulesPath : `${webModulesPath}/`;
  return `${loc.protocol}//${host ?? loc.host}${path}`;
}

/** Join the modules base with a module name (which may contain "/" sub-paths). */
export function moduleUrl(base: string, name: string): string {
  return base + name.replace(/^\/+/, "");
}
