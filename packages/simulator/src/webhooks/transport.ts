import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * Zoom's codes for deliveries that got no HTTP answer (docs/webhooks.md, "Enum Descriptions").
 * All of them are retried, like a status ≥ 500.
 */
export const ZOOM_DELIVERY_CODES = {
  ReadTimeOut: -1,
  ConnectionRefused: -2,
  RemoteError: -7,
  DNSResolveTimeout: -13,
} as const;
export type ZoomDeliveryCode = (typeof ZOOM_DELIVERY_CODES)[keyof typeof ZOOM_DELIVERY_CODES];

export type PostOutcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'error'; code: ZoomDeliveryCode; error: string }
  /** Cancelled by the caller (hub closed, subscription removed): neither success nor failure. */
  | { kind: 'aborted' };

/** Receivers answer a few bytes; more is read but not kept (reading on frees the socket for reuse). */
const MAX_BODY_BYTES = 64 * 1024;

export interface RawResponse {
  status: number;
  body: string;
}

/** Sends one POST and resolves with the whole answer; rejects when none came (or `signal` aborted it). */
export type Sender = (
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  signal: AbortSignal,
) => Promise<RawResponse>;

/**
 * The default sender: node:http(s) with keep-alive agents capped at `maxSockets`, so a burst
 * reuses at most that many connections (the global fetch opens a new one whenever none is idle
 * at that instant). `destroy()` closes them.
 */
export class NodeSender {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(maxSockets: number) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  readonly send: Sender = (url, headers, body, signal) =>
    new Promise<RawResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(body.length) },
          agent: secure ? this.https : this.http,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let ended = false;
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_BODY_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            ended = true;
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
          res.on('close', () => {
            if (!ended)
              reject(
                Object.assign(new Error('the connection closed before the answer was complete'), {
                  code: 'ECONNRESET',
                }),
              );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** A sender over an injected `fetch` (tests, other runtimes); redirects are not followed. */
export function fetchSender(fetchFn: typeof fetch): Sender {
  return async (url, headers, body, signal) => {
    const res = await fetchFn(url, { method: 'POST', headers, body, redirect: 'manual', signal });
    return { status: res.status, body: (await res.text()).slice(0, MAX_BODY_BYTES) };
  };
}

/**
 * One POST with Zoom's rules: the whole exchange (connect, headers, body) must finish within
 * `timeoutMs` or it counts as a read timeout; no redirect is followed.
 */
export async function postOnce(
  send: Sender,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<PostOutcome> {
  if (isAborted(cancel)) return { kind: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = (): void => controller.abort();
  cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    const res = await send(url, headers, body, controller.signal);
    return { kind: 'response', status: res.status, body: res.body };
  } catch (err) {
    if (timedOut)
      return {
        kind: 'error',
        code: ZOOM_DELIVERY_CODES.ReadTimeOut,
        error: `no complete answer within ${timeoutMs} ms`,
      };
    if (isAborted(cancel)) return { kind: 'aborted' };
    return classify(err);
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function classify(err: unknown): PostOutcome {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  // node:http puts the code on the error, fetch (undici) on its cause.
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const message =
    typeof e?.cause?.message === 'string' && e.cause.message !== '' ? e.cause.message : String(e?.message ?? err);
  if (code === 'ECONNREFUSED')
    return { kind: 'error', code: ZOOM_DELIVERY_CODES.ConnectionRefused, error: `connection refused (${message})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'error', code: ZOOM_DELIVERY_CODES.DNSResolveTimeout, error: `DNS lookup failed (${message})` };
  }
  return {
    kind: 'error',
    code: ZOOM_DELIVERY_CODES.RemoteError,
    error: code === undefined ? message : `${code}: ${message}`,
  };
}
