/**
 * Settles like `work`, or rejects with the signal's reason as soon as `signal` aborts. The work
 * itself is not cancelled: a shared token flight must run on for its other callers, and a host's
 * sleep that ignores its signal (a plain `sleep(ms)`) must not hold up `stop()` for a 60 s backoff.
 *
 * `work` may be a function: it is then called here, so one that throws counts as a rejection
 * instead of escaping the caller.
 */
export function withSignal<T>(
  work: PromiseLike<T> | (() => PromiseLike<T> | T),
  signal: AbortSignal | undefined,
): Promise<T> {
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

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/** The caller's signal plus a timeout, for a transport without a timer of its own. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return signal;
  const timeout = AbortSignal.timeout(timeoutMs);
  if (!signal) return timeout;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([signal, timeout]);
  // Node < 20.3 has no AbortSignal.any.
  const both = new AbortController();
  for (const s of [signal, timeout]) {
    if (s.aborted) both.abort(s.reason);
    else s.addEventListener('abort', () => both.abort(s.reason), { once: true });
  }
  return both.signal;
}
