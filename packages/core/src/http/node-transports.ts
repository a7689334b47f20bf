import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Transport, TransportRequest, TransportResponse } from '../ports';
import { HANDLES_TIMEOUT } from './own-timeout';
import { startTimer, timeoutError } from './request-timeout';
import {
  dispatchRequest,
  dispatchStreaming,
  lowerCaseName,
  type DispatcherLike,
  type HeaderName,
} from './undici-dispatch';
import { toTransportError } from './transport-errors';
import { readableSource, responseBody } from './response-stream';

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * `http.request` options for a URL. Passing the URL object itself makes Node convert it with
 * `urlToHttpOptions` and merge the result into a copy of the options: about 3% of the client's CPU
 * per request, for fields a request to Zoom never has.
 */
function requestTarget(url: URL): { protocol: string; hostname: string; port: string; path: string; auth?: string } {
  const host = url.hostname;
  const target: { protocol: string; hostname: string; port: string; path: string; auth?: string } = {
    protocol: url.protocol,
    // An IPv6 literal comes bracketed from URL; http.request wants it bare.
    hostname: host.startsWith('[') ? host.slice(1, -1) : host,
    port: url.port,
    path: url.pathname + url.search,
  };
  if (url.username || url.password)
    target.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return target;
}

function bodySource(body: TransportRequest['body']): Readable | string | Uint8Array | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  return Readable.from(body.stream(), { objectMode: false });
}

export interface NodeHttpTransportOptions {
  /** Sockets kept per host (default 64). */
  maxSockets?: number;
}

/**
 * A transport on `node:http`/`node:https` with keep-alive agents: no dependency, and faster than
 * `fetch` on Node 20 for many small requests.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport & { close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  const transport = (req: TransportRequest) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const secure = url.protocol === 'https:';
      const headers = { ...req.headers };
      if (typeof req.body === 'string') headers['content-length'] = String(Buffer.byteLength(req.body));
      else if (req.body instanceof Uint8Array) headers['content-length'] = String(req.body.byteLength);
      // The timeout is this transport's own timer (cleared at the end), not a signal: see own-timeout.ts.
      let timedOut: Error | undefined;
      const fail = (err: unknown) => {
        clear();
        reject(toTransportError(timedOut ?? err, req));
      };
      const outgoing = (secure ? httpsRequest : httpRequest)(
        { ...requestTarget(url), method: req.method, headers, agent: secure ? https : http, signal: req.signal },
        (res) => {
          if (req.responseType === 'stream') {
            // The reader sees a failure through the stream; this listener only keeps an early one
            // (before anyone reads) from becoming an uncaught 'error' event.
            res.on('error', () => undefined);
            const stream = responseBody(readableSource(res), req, clear, () => timedOut);
            resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: '', stream });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clear();
            resolve({
              status: res.statusCode ?? 0,
              headers: flatten(res.headers),
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', (err) =>
            fail(Object.assign(err, { code: (err as NodeJS.ErrnoException).code ?? 'ECONNRESET' })),
          );
        },
      );
      const clear = startTimer(req, () => {
        timedOut = timeoutError();
        outgoing.destroy(timedOut);
      });
      outgoing.on('error', fail);
      const source = bodySource(req.body);
      if (source === undefined) outgoing.end();
      else if (typeof source === 'string' || source instanceof Uint8Array) outgoing.end(source);
      // A server may answer (a redirect, a 401) before reading the body; that is not an error here.
      else pipeline(source, outgoing).catch((err) => outgoing.destroy(err as Error));
    });
  return Object.assign(transport, {
    [HANDLES_TIMEOUT]: true as const,
    close() {
      http.destroy();
      https.destroy();
    },
  });
}

/** The parts of the undici module this transport uses; pass `require('undici')` (5.x–7.x). */
export interface UndiciLike {
  getGlobalDispatcher(): DispatcherLike;
  util?: { headerNameToString?: HeaderName };
}

/**
 * The fastest transport: undici's dispatcher (3–4× `fetch` on Node 20), driven directly rather
 * than through `undici.request` (see undici-dispatch.ts). undici is not a dependency of the core;
 * pass the module you installed: `createUndiciTransport(require('undici'))`. Requests go through
 * undici's global dispatcher, so `setGlobalDispatcher` (a proxy, a mock) applies to them.
 */
export function createUndiciTransport(undici: UndiciLike): Transport {
  if (!undici || typeof undici.getGlobalDispatcher !== 'function') {
    throw new TypeError("createUndiciTransport needs the undici module: createUndiciTransport(require('undici'))");
  }
  const headerName =
    typeof undici.util?.headerNameToString === 'function' ? undici.util.headerNameToString : lowerCaseName;
  // The timeout is the exchange's own timer, cleared at the end (see own-timeout.ts).
  // A streamed body goes to undici as the async iterable it is (undici writes iterables with
  // backpressure itself): no Readable in between.
  const transport = (req: TransportRequest) =>
    (req.responseType === 'stream' ? dispatchStreaming : dispatchRequest)(
      undici.getGlobalDispatcher(),
      headerName,
      req,
      typeof req.body === 'object' && !(req.body instanceof Uint8Array) ? req.body.stream() : req.body,
    );
  return Object.assign(transport, { [HANDLES_TIMEOUT]: true as const });
}
