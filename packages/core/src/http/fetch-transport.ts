import { Readable } from 'node:stream';
import { SENT_NOTHING_CODES, TransportError, type Transport, type TransportRequest } from '../ports';

/**
 * The default transport, on the runtime's `fetch`. Redirects are returned, not followed:
 * fetch would drop Authorization cross-origin and turn a 302 POST into a GET.
 */
export function createFetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('No fetch available: pass a `transport` (Node 18+ has fetch built in)');
  }
  return async (req) => {
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      signal: req.signal,
    };
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || req.body instanceof Uint8Array) {
        init.body = req.body;
      } else {
        // A Node stream converted to a web stream; `duplex: 'half'` is required by undici for streamed bodies.
        init.body = Readable.toWeb(Readable.from(req.body.stream())) as unknown as ReadableStream;
        init.duplex = 'half';
      }
    }
    let res: Response;
    try {
      res = await fetchImpl(req.url, init);
    } catch (err) {
      throw toTransportError(err, req);
    }
    let body: string;
    try {
      body = await res.text();
    } catch (err) {
      // The server answered: whatever happened to the body, the request reached it.
      throw new TransportError(`Response body from ${hostOf(req.url)} was cut off`, {
        code: codeOf(err) ?? 'ECONNRESET',
        sentNothing: false,
        timedOut: isAbort(err, req),
        cause: err,
      });
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: res.status, headers, body };
  };
}

export function toTransportError(err: unknown, req: Pick<TransportRequest, 'url' | 'signal'>): TransportError {
  if (err instanceof TransportError) return err;
  const code = codeOf(err) ?? 'UNKNOWN';
  const timedOut = isAbort(err, req);
  const sentNothing = !timedOut && SENT_NOTHING_CODES.has(code);
  const what = timedOut ? 'timed out or was aborted' : `failed (${code})`;
  return new TransportError(`Request to ${hostOf(req.url)} ${what}`, { code, sentNothing, timedOut, cause: err });
}

function codeOf(err: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code } }).
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(err: unknown, req: Pick<TransportRequest, 'signal'>): boolean {
  return Boolean(req.signal?.aborted) || (err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'TimeoutError';
}

/** Only scheme and host: a URL's path and query may carry IDs, never put them in errors. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the server';
  }
}
