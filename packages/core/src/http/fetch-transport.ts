import { Readable } from 'node:stream';
import { TransportError, type Transport } from '../ports';
import { codeOf, hostOf, isAbort, toTransportError } from './transport-errors';

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
        timedOut: isAbort(err, req.signal),
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
