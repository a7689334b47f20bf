import type { Clock } from '../../src/ports';

/**
 * Virtual time with real concurrency: each sleep is a timer, and `run` fires the earliest timer
 * only once every promise chain has settled, so several sleepers (a channel's line and a label's
 * line, many callers) see one consistent clock and hours of pacing take milliseconds.
 */
export function scheduledClock(start = 1_000_000): Clock & { run<T>(work: Promise<T>): Promise<T> } {
  let t = start;
  let seq = 0;
  const timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  const settle = async () => {
    for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        timers.push({ at: t + Math.max(0, ms), seq: seq++, fire: resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      work.then(
        () => (done = true),
        () => (done = true),
      );
      for (;;) {
        await settle();
        if (done) return work;
        if (timers.length === 0) throw new Error('nothing left to wait for, but the work is not done');
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift() as (typeof timers)[number];
        t = Math.max(t, next.at);
        next.fire();
      }
    },
  };
}

/** Most requests seen within any sliding window of `windowMs` (times in ms, any order). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[from] as number) >= windowMs) from++;
    most = Math.max(most, i - from + 1);
  }
  return most;
}
