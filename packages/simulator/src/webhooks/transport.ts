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

/** Receivers answer a few bytes; more is read no further (the socket is then not reused). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * One POST with Zoom's rules: no redirects followed, and the whole exchange (connect, headers,
 * body) must finish within `timeoutMs` or it counts as a read timeout. Uses the given `fetch`
 * (Node's global one keeps connections alive), so bursts reuse sockets.
 */
export async function postOnce(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<PostOutcome> {
  if (cancel?.aborted === true) return { kind: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = (): void => controller.abort();
  cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    const res = await fetchFn(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await readCapped(res);
    return { kind: 'response', status: res.status, body: text };
  } catch (err) {
    if (timedOut) return { kind: 'error', code: ZOOM_DELIVERY_CODES.ReadTimeOut, error: `no complete answer within ${timeoutMs} ms` };
    // Re-read: the signal may have been aborted while the request was in flight.
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

async function readCapped(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function classify(err: unknown): PostOutcome {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : String((err as Error)?.message ?? err);
  if (code === 'ECONNREFUSED') return { kind: 'error', code: ZOOM_DELIVERY_CODES.ConnectionRefused, error: `connection refused (${detail})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'error', code: ZOOM_DELIVERY_CODES.DNSResolveTimeout, error: `DNS lookup failed (${detail})` };
  }
  return { kind: 'error', code: ZOOM_DELIVERY_CODES.RemoteError, error: code === undefined ? detail : `${code}: ${detail}` };
}
