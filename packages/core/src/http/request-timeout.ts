import type { TransportRequest } from '../ports';

/** What a timed-out request is rejected with (`name` 'TimeoutError', as with `AbortSignal.timeout`). */
export function timeoutError(): Error {
  return Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
}

/** A finite, positive `timeoutMs`, or undefined when the request has none. */
export function timeoutOf(req: TransportRequest): number | undefined {
  const ms = req.timeoutMs;
  return typeof ms === 'number' && ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/**
 * Runs `onTimeout` after the request's `timeoutMs` unless `clear()` is called first. The timer does
 * not keep the process alive (like `AbortSignal.timeout`).
 */
export function startTimer(req: TransportRequest, onTimeout: () => void): () => void {
  const ms = timeoutOf(req);
  if (ms === undefined) return () => undefined;
  const timer = setTimeout(onTimeout, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
}

/**
 * The request's own signal (caller cancellation) combined with its timeout, as an AbortSignal
 * (for APIs that need one: fetch). `clear()` once the response is read.
 */
export function combinedSignal(req: TransportRequest): { signal: AbortSignal | undefined; clear: () => void } {
  if (timeoutOf(req) === undefined) return { signal: req.signal, clear: () => undefined };
  const controller = new AbortController();
  const caller = req.signal;
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onAbort, { once: true });
  const stop = startTimer(req, () => controller.abort(timeoutError()));
  return {
    signal: controller.signal,
    clear() {
      stop();
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
