import type { EventStreamClock } from './types';

/**
 * `clock.sleep` that settles as soon as `signal` aborts, even when the host's sleep ignores its
 * signal (a plain `sleep(ms)` helper): `stop()` must never wait out a 60 s backoff.
 */
export function sleepFor(clock: EventStreamClock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    let slept: Promise<void>;
    try {
      slept = Promise.resolve(clock.sleep(ms, signal));
    } catch (err) {
      slept = Promise.reject(err);
    }
    slept.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new Error('aborted'));
        else resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
