// Small statistics helpers: medians over rounds, percentiles of latencies, and the bounds and
// counts the hosts' burst runs share (so n8n and Node-RED are held to the same ones).

/** @param {number[]} values */
export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2
    ? /** @type {number} */ (s[mid])
    : /** @type {number} */ (s[mid - 1] + /** @type {number} */ (s[mid])) / 2;
}

/** Nearest-rank percentile of an unsorted array (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return /** @type {number} */ (s[rank]);
}

/** @param {number} n @param {number} [digits] */
export function round(n, digits = 2) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const MB = 1024 * 1024;

/**
 * 429s a burst of `n` sends may meet and still pass: issue 15's 1 %, at least one (so 70 or 100
 * allow one). Every 429 is waited out and the message sent once either way; this bounds how often
 * the account-wide pacing may be wrong.
 */
export const MAX_429_SHARE = 0.01;
export function allowed429(n) {
  return Math.max(1, Math.floor(n * MAX_429_SHARE));
}

/**
 * The least time Zoom's per-channel windows allow for `n` messages into one channel, in ms:
 * 30 per 10 s within the first 60, then 60 per 100 s. A run adds its own margin on top.
 */
export function channelWindowMs(n) {
  return (Math.ceil(Math.max(0, n - 60) / 60) * 100 + 30) * 1000;
}

/** The texts of `messages` (as the simulator lists them) that start with `prefix`: one burst's arrivals. */
export function textsStartingWith(messages, prefix) {
  return messages.filter((m) => m.text.startsWith(prefix)).map((m) => m.text);
}
