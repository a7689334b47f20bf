/**
 * Settles like `work`, or rejects with the signal's reason as soon as `signal` aborts. The work
 * itself is not cancelled: a shared token flight must run on for its other callers, and a host's
 * sleep that ignores its signal (a plain `sleep(ms)`) must not hold up `stop()` for a 60 s backoff.
 *
 * `work` may be a function: it is then called here, so one that throws counts as a rejection
 * instead of escaping the caller.
 */
export function withSignal<T>(work: PromiseLike<T> | (() => PromiseLike<T> | T), signal: AbortSignal | undefined): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(typeof work === 'function' ? work() : work);
  } catch (err) {
    promise = Promise.reject(err);
  }
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        // A sleep that resolves on abort (instead of rejecting) is not a full sleep.
        if (signal.aborted) reject(abortReason(signal));
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** `signal.reason`, or an AbortError where an older AbortSignal has none. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}
