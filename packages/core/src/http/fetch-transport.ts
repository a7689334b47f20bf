import { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TransportError, type Transport, type TransportRequest, type TransportResponse } from '../ports';
import { HANDLES_TIMEOUT } from './own-timeout';
import { combinedSignal } from './request-timeout';
import { codeOf, hostOf, isAbort, toTransportError } from './transport-errors';
import { responseBody, webStreamSource } from './response-stream';

/**
 * The default transport, on the runtime's `fetch`. Redirects are returned, not followed:
 * fetch would drop Authorization cross-origin and turn a 302 POST into a GET.
 */
export function createFetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('No fetch available: pass a `transport` (Node 18+ has fetch built in)');
  }
  const transport = async (req: TransportRequest) => {
    // The caller's signal plus this transport's own, clearable timeout timer (see own-timeout.ts).
    const { signal, clear } = combinedSignal(req);
    let streaming = false;
    try {
      const res = await send(fetchImpl, req, signal, clear);
      // A streamed body keeps the timer until it ends (it clears it then).
      streaming = res.stream !== undefined;
      return res;
    } finally {
      if (!streaming) clear();
    }
  };
  return Object.assign(transport, { [HANDLES_TIMEOUT]: true as const });
}

async function send(
  fetchImpl: typeof fetch,
  req: TransportRequest,
  signal: AbortSignal | undefined,
  clear: () => void,
): Promise<TransportResponse> {
  const init: RequestInit & { duplex?: 'half' } = {
    method: req.method,
    headers: req.headers,
    redirect: 'manual',
    signal,
  };
  if (req.body !== undefined) {
    if (typeof req.body === 'string' || req.body instanceof Uint8Array) {
      init.body = req.body;
    } else {
      // `duplex: 'half'` is required by undici for streamed bodies.
      init.body = pullStream(req.body.stream()) as unknown as ReadableStream;
      init.duplex = 'half';
    }
  }
  let res: Response;
  try {
    res = await fetchImpl(req.url, init);
  } catch (err) {
    throw toTransportError(err, { url: req.url, signal });
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (req.responseType === 'stream') {
    const stream = responseBody(webStreamSource(res.body), { url: req.url, signal }, clear);
    return { status: res.status, headers, body: '', stream };
  }
  let body: string;
  try {
    body = await res.text();
  } catch (err) {
    // The server answered: whatever happened to the body, the request reached it.
    throw new TransportError(`Response body from ${hostOf(req.url)} was cut off`, {
      code: codeOf(err) ?? 'ECONNRESET',
      sentNothing: false,
      timedOut: isAbort(err, signal),
      cause: err,
    });
  }
  return { status: res.status, headers, body };
}

/**
 * A web stream that reads the source only when fetch asks for the next chunk (Node 20's
 * `Readable.toWeb` takes the byte high-water mark as a chunk count and reads far ahead).
 *
 * With `redirect: 'manual'`, fetch clones the request (Fetch spec, HTTP-network-or-cache fetch)
 * and so tees its body: the original's branch is never read — fetch does not re-send it, we follow
 * redirects ourselves with a fresh stream — yet a tee buffers every chunk for it, i.e. the whole
 * upload (1 GB in memory for a 1 GB file). This stream's `tee` hands fetch an empty branch for
 * the copy it never reads, and the stream itself for the request.
 */
function pullStream(source: AsyncIterable<Uint8Array>): WebReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const stream = new WebReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const unread = () =>
    new WebReadableStream<Uint8Array>({
      start(controller) {
        controller.close();
      },
    });
  Object.defineProperty(stream, 'tee', { value: () => [unread(), stream], configurable: true });
  return stream;
}
