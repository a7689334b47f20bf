// Closed-loop load: `concurrency` workers each run `op` back to back until the deadline.

/**
 * @param {() => Promise<unknown>} op
 * @param {{ concurrency: number, durationMs: number, maxOps?: number }} o
 * @returns {Promise<{ ops: number, errors: number, seconds: number, rate: number, firstError?: string }>}
 */
export async function closedLoop(op, { concurrency, durationMs, maxOps = Infinity }) {
  let ops = 0;
  let errors = 0;
  let started = 0;
  /** @type {string | undefined} */
  let firstError;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && started < maxOps) {
      started++;
      try {
        await op();
        ops++;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { ops, errors, seconds, rate: ops / seconds, ...(firstError ? { firstError } : {}) };
}
