import type { TransportRequest, TransportResponse } from '../ports';
import { startTimer, timeoutError } from './request-timeout';
import { toTransportError } from './transport-errors';
import { PushedBody, responseBody } from './response-stream';

/** undici's dispatcher: `dispatch(options, handler)` with the handler API undici 5, 6 and 7 all accept. */
export interface DispatcherLike {
  // `any`: undici's own option and handler types are narrower unions this interface need not repeat.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  dispatch(options: any, handler: any): boolean;
}

type RawHeaders = ReadonlyArray<Buffer | string>;
/** undici's `util.headerNameToString` (a lookup of the common names), or our own lower-casing. */
export type HeaderName = (raw: Buffer | string) => string;

export const lowerCaseName: HeaderName = (raw) =>
  (typeof raw === 'string' ? raw : raw.toString('latin1')).toLowerCase();

/**
 * One exchange through undici's dispatcher, collecting the body into a string as it arrives.
 * `undici.request` wraps the same dispatch in a Readable for the body, a handler class with an
 * AbortSignal listener and a promise per stage; for a Zoom answer (a few KB of JSON, read whole)
 * none of that is needed, and skipping it saves about a fifth of the client's CPU per request.
 * The dispatcher is undici's global one, as for `undici.request` (so `setGlobalDispatcher` applies).
 */
export function dispatchRequest(
  dispatcher: DispatcherLike,
  headerName: HeaderName,
  req: TransportRequest,
  body: unknown,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    let abort: ((reason: unknown) => void) | undefined;
    let pending: unknown;
    let finished = false;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    const caller = req.signal;

    const cancel = (reason: unknown) => {
      if (finished) return;
      if (abort) abort(reason);
      else pending ??= reason; // not connected yet: aborted as soon as undici hands us `abort`
    };
    const onCallerAbort = () =>
      cancel(caller?.reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
    const stopTimer = startTimer(req, () => cancel(timeoutError()));
    if (caller) caller.addEventListener('abort', onCallerAbort, { once: true });
    const settle = () => {
      finished = true;
      stopTimer();
      if (caller) caller.removeEventListener('abort', onCallerAbort);
    };

    const handler = {
      onConnect(abortFn: (reason: unknown) => void) {
        abort = abortFn;
        if (pending !== undefined) abortFn(pending);
      },
      onHeaders(statusCode: number, rawHeaders: RawHeaders) {
        if (statusCode < 200) return true; // 1xx: the real answer follows
        status = statusCode;
        headers = parseHeaders(rawHeaders, headerName);
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        settle();
        const text =
          chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve({ status, headers, body: text });
      },
      onError(err: unknown) {
        if (finished) return;
        settle();
        reject(toTransportError(err, req));
      },
    };

    if (caller?.aborted) {
      settle();
      reject(toTransportError(caller.reason, req));
      return;
    }
    try {
      const { origin, path } = splitUrl(req.url);
      dispatcher.dispatch({ origin, path, method: req.method, headers: req.headers, body }, handler);
    } catch (err) {
      settle();
      reject(toTransportError(err, req));
    }
  });
}

/**
 * One exchange through undici's dispatcher whose body is handed over as a stream (`responseType:
 * 'stream'`): resolved at the headers, the body pushed into a PushedBody that pauses the socket
 * while the reader lags. The timer and the caller's signal cover the exchange until the body ends
 * or the reader cancels it. Kept apart from `dispatchRequest`, whose handler is the hot path.
 */
export function dispatchStreaming(
  dispatcher: DispatcherLike,
  headerName: HeaderName,
  req: TransportRequest,
  body: unknown,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    let abort: ((reason: unknown) => void) | undefined;
    let pending: unknown;
    let finished = false;
    let answered = false;
    let timedOut: Error | undefined;
    let resume: () => void = () => undefined;
    const caller = req.signal;

    const cancel = (reason: unknown) => {
      if (finished) return;
      if (abort) abort(reason);
      else pending ??= reason;
    };
    const onCallerAbort = () =>
      cancel(caller?.reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
    const stopTimer = startTimer(req, () => cancel((timedOut = timeoutError())));
    if (caller) caller.addEventListener('abort', onCallerAbort, { once: true });
    const settle = () => {
      if (finished) return;
      finished = true;
      stopTimer();
      if (caller) caller.removeEventListener('abort', onCallerAbort);
    };
    const pushed = new PushedBody(
      () => resume(),
      () => {
        const reason = Object.assign(new Error('The response body was cancelled by its reader'), {
          name: 'AbortError',
        });
        // Before settle(): cancel() does nothing once the exchange is settled.
        cancel(reason);
        settle();
      },
    );

    const handler = {
      onConnect(abortFn: (reason: unknown) => void) {
        abort = abortFn;
        if (pending !== undefined) abortFn(pending);
      },
      onHeaders(statusCode: number, rawHeaders: RawHeaders, resumeFn: () => void) {
        if (statusCode < 200) return true;
        resume = resumeFn;
        answered = true;
        const stream = responseBody(pushed, req, settle, () => timedOut);
        resolve({ status: statusCode, headers: parseHeaders(rawHeaders, headerName), body: '', stream });
        return true;
      },
      onData(chunk: Buffer) {
        return pushed.push(chunk);
      },
      onComplete() {
        // Every byte is held by now: nothing left for the timer or the signal to cut short.
        settle();
        pushed.end();
      },
      onError(err: unknown) {
        if (!answered) {
          settle();
          reject(toTransportError(err, req));
          return;
        }
        settle();
        pushed.fail(timedOut ?? err);
      },
    };

    if (caller?.aborted) {
      settle();
      reject(toTransportError(caller.reason, req));
      return;
    }
    try {
      const { origin, path } = splitUrl(req.url);
      dispatcher.dispatch({ origin, path, method: req.method, headers: req.headers, body }, handler);
    } catch (err) {
      settle();
      reject(toTransportError(err, req));
    }
  });
}

/** Lower-case names; a repeated header's values joined with ", " (as the other transports do). */
function parseHeaders(raw: RawHeaders, headerName: HeaderName): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = headerName(raw[i] as Buffer | string);
    const item = raw[i + 1] as Buffer | string;
    const value = typeof item === 'string' ? item : item.toString('latin1');
    out[key] = Object.prototype.hasOwnProperty.call(out, key) ? `${out[key]}, ${value}` : value;
  }
  return out;
}

/**
 * Origin and path+query of an http(s) URL. The core's own URLs (a validated base + an encoded path +
 * a URLSearchParams query) are split by hand; anything unusual (a fragment, credentials, no path)
 * goes through the URL parser.
 */
function splitUrl(url: string): { origin: string; path: string } {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  const slash = start < 0 ? -1 : url.indexOf('/', start);
  if (
    slash > start &&
    !url.includes('#') &&
    !url.slice(start, slash).includes('@') &&
    !url.slice(start, slash).includes('?')
  ) {
    return { origin: url.slice(0, slash), path: url.slice(slash) };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}
