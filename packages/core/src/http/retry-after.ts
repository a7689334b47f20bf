/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); Zoom has sent both.
 * Returns milliseconds to wait (never negative), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface BackoffShape {
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * The share of the step that is always waited, the rest being random. Default 0.5 ("equal
   * jitter": retries of one request stay apart). A reconnecting socket uses 0.1: close to full
   * jitter spreads many clients reconnecting after one outage, and the floor keeps an unlucky draw
   * from turning a failure loop tight.
   */
  floor?: number;
}

/**
 * Capped exponential backoff with jitter: the wait before retry `attempt` (0 for the first retry)
 * is between `floor` and all of min(capMs, baseMs × factor^attempt). A `random` that returns
 * something outside [0, 1] (or no number) is clamped (or read as 0.5) rather than trusted.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
  shape: BackoffShape = {},
): number {
  const { factor = 2, floor = 0.5 } = shape;
  // Past 64 doublings every step is the cap; the bound keeps factor ** exponent finite.
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.min(attempt, 64)) : 0;
  const ceiling = Math.min(capMs, baseMs * factor ** exponent);
  const r = random();
  const x = typeof r === 'number' && Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5;
  return Math.round(ceiling * floor + x * ceiling * (1 - floor));
}
