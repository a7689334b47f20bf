import { SENT_NOTHING_CODES, TransportError, type TransportRequest } from '../ports';

/** The socket error code, wherever a transport buried it (undici: TypeError('fetch failed', { cause: { code } })). */
export function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return Boolean(signal?.aborted) || name === 'AbortError' || name === 'TimeoutError';
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

export function toTransportError(err: unknown, req: Pick<TransportRequest, 'url' | 'signal'>): TransportError {
  if (err instanceof TransportError) return err;
  const timedOut = isAbort(err, req.signal);
  const code = codeOf(err) ?? (timedOut ? 'ETIMEDOUT' : 'UNKNOWN');
  const sentNothing = !timedOut && SENT_NOTHING_CODES.has(code);
  const what = timedOut ? 'timed out or was aborted' : `failed (${code})`;
  return new TransportError(`Request to ${hostOf(req.url)} ${what}`, { code, sentNothing, timedOut, cause: err });
}
