import { ZoomAuthError, ZoomConfigError } from '../errors';
import {
  SENT_NOTHING_CODES,
  TransportError,
  type Clock,
  type Logger,
  type StoredToken,
  type Transport,
  type TransportResponse,
} from '../ports';
import { REDACTED, scrubSecrets } from '../scrub';
import { authErrorFromResponse, type Grant, type MintContext } from './oauth-errors';
import type { AuthKind } from './types';
import { codeOf, hostOf } from '../http/transport-errors';
import { parseRetryAfter } from '../http/retry-after';

export const DEFAULT_OAUTH_BASE_URL = 'https://zoom.us';
export const DEFAULT_TOKEN_TIMEOUT_MS = 15_000;
const MAX_ATTEMPTS = 3;
const BACKOFF_MS = [200, 600];
const MAX_RETRY_AFTER_MS = 10_000;

export interface TokenRequest {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Form fields besides the client credentials; `grant_type` first. */
  form: { grant_type: Grant } & Record<string, string>;
  authKind?: AuthKind;
  timeoutMs?: number;
}

/**
 * POSTs to {oauthBaseUrl}/oauth/token and returns the token. Retries network failures and 5xx/429
 * with short backoff, but only where a repeat cannot burn a one-shot credential: a refresh token or
 * an authorization code that reached Zoom is used up, so those grants retry only when the request
 * provably never left (TransportError.sentNothing).
 */
export async function requestToken(req: TokenRequest): Promise<StoredToken> {
  const url = `${normalizeBaseUrl(req.oauthBaseUrl)}/oauth/token`;
  const basic = base64(`${req.clientId}:${req.clientSecret}`);
  const secrets = [req.clientSecret, basic, req.form.refresh_token, req.form.code, req.form.code_verifier].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const ctx: MintContext = { grant: req.form.grant_type, authKind: req.authKind, secrets };
  const idempotent = req.form.grant_type === 'account_credentials' || req.form.grant_type === 'client_credentials';
  const body = new URLSearchParams(req.form).toString();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;

  for (let attempt = 1; ; attempt++) {
    const startedAt = req.clock.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let res: TransportResponse;
    try {
      res = await req.transport({
        method: 'POST',
        url,
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal,
        timeoutMs,
      });
    } catch (err) {
      const safe = sanitize(err, url, signal, secrets);
      if (attempt < MAX_ATTEMPTS && (idempotent || safe.sentNothing)) {
        req.logger.warn('Zoom token request failed; retrying', { grant: ctx.grant, attempt, code: safe.code });
        await req.clock.sleep(BACKOFF_MS[attempt - 1] ?? 1000);
        continue;
      }
      const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new ZoomAuthError(
        `Could not get a Zoom token from ${hostOf(url)}${tries}: ${safe.message}` +
          (safe.timedOut ? ` (no answer within ${timeoutMs} ms)` : ''),
        0,
        safe.code,
        safe,
      );
    }

    if (res.status >= 200 && res.status < 300) return parseToken(res, startedAt);

    const retryable = res.status === 429 || res.status >= 500;
    const wait = Math.max(
      BACKOFF_MS[attempt - 1] ?? 1000,
      parseRetryAfter(res.headers['retry-after'], req.clock.now()) ?? 0,
    );
    if (idempotent && retryable && attempt < MAX_ATTEMPTS && wait <= MAX_RETRY_AFTER_MS) {
      req.logger.warn('Zoom token endpoint answered an error; retrying', {
        grant: ctx.grant,
        attempt,
        status: res.status,
      });
      await req.clock.sleep(wait);
      continue;
    }
    const err = authErrorFromResponse(res.status, res.body, ctx);
    req.logger.warn('Zoom token request refused', { grant: ctx.grant, status: err.status, code: err.code });
    throw err;
  }
}

/** Zoom's OAuth host, or a simulator / regional host in its place. */
export function checkOauthBaseUrl(url: unknown, field: string): void {
  let ok = false;
  if (typeof url === 'string') {
    try {
      const u = new URL(url);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && !u.username && !u.password;
    } catch {
      ok = false;
    }
  }
  if (!ok)
    throw new ZoomConfigError(
      `${field} must be an absolute http(s) URL without query or credentials, like https://zoom.us`,
    );
}

export function normalizeBaseUrl(base: string): string {
  return base.replace(/\/+$/, '');
}

function parseToken(res: TransportResponse, startedAt: number): StoredToken {
  let v: unknown;
  try {
    v = JSON.parse(res.body);
  } catch {
    // Never quote the body: a half-valid token response still holds a token.
    throw new ZoomAuthError(
      `Zoom's token endpoint answered HTTP ${res.status} with a body that is not JSON`,
      res.status,
    );
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || !o.access_token) {
    throw new ZoomAuthError(`Zoom's token endpoint answered HTTP ${res.status} without an access_token`, res.status);
  }
  const expiresIn = typeof o.expires_in === 'string' ? Number(o.expires_in) : o.expires_in;
  // Zoom always sends 3600; if it ever does not, assume that rather than caching forever.
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
  const token: StoredToken = { accessToken: o.access_token, expiresAt: startedAt + seconds * 1000 };
  if (typeof o.refresh_token === 'string' && o.refresh_token) token.refreshToken = o.refresh_token;
  if (typeof o.scope === 'string') token.scope = o.scope;
  return token;
}

/**
 * A copy of the transport error that holds nothing from the request: a host transport may have put
 * the request (with its Basic header) on the error or its cause chain, so the chain is cut.
 */
function sanitize(err: unknown, url: string, signal: AbortSignal, secrets: readonly string[]): TransportError {
  const name = (err as { name?: unknown } | null)?.name;
  const timedOut =
    (err instanceof TransportError && err.timedOut) ||
    signal.aborted ||
    name === 'AbortError' ||
    name === 'TimeoutError';
  const code = err instanceof TransportError ? err.code : (codeOf(err) ?? (timedOut ? 'ETIMEDOUT' : 'UNKNOWN'));
  const sentNothing = err instanceof TransportError ? err.sentNothing : !timedOut && SENT_NOTHING_CODES.has(code);
  const message =
    err instanceof TransportError
      ? scrubSecrets(err.message, secrets, REDACTED)
      : `Request to ${hostOf(url)} ${timedOut ? 'timed out or was aborted' : `failed (${scrubSecrets(code, secrets, REDACTED)})`}`;
  return new TransportError(message, { code: scrubSecrets(code, secrets, REDACTED), sentNothing, timedOut });
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 then base64, without Buffer (not available to sandboxed hosts). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}
