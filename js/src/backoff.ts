import type { ReconnectConfig } from "./config";

/**
 * Delay before retry number `attempt` (0-based), using "equal jitter":
 *
 *   base  = min(maxInterval, interval * backoffMultiplier ** attempt)
 *   delay = base / 2 + random() * base / 2        (so base/2 <= delay < base)
 *
 * Equal jitter keeps at least half of the backoff (no near-zero delays that
 * would stampede a restarting server) while still spreading clients apart.
 */
export function retryDelay(
  attempt: number,
  options: ReconnectConfig,
  random: () => number = Math.random,
): number {
  const grown = options.interval * Math.pow(options.backoffMultiplier, attempt);
  const base = Math.min(options.maxInterval, Number.isFinite(grown) ? grown : Infinity);
  const half = base / 2;
  return half + random() * half;
}
