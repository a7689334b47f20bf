import { createHash, randomBytes } from 'node:crypto';
import { silentLogger } from '../defaults';
import { ZoomConfigError } from '../errors';
import type { Clock, StoredToken, Transport } from '../ports';
import { checkOauthBaseUrl, DEFAULT_OAUTH_BASE_URL, normalizeBaseUrl, requestToken } from './token-endpoint';

/** The URL to send the user's browser to; Zoom redirects back to `redirectUri` with `code` and `state`. */
export function buildAuthorizeUrl(opts: {
  oauthBaseUrl?: string;
  clientId: string;
  redirectUri: string;
  state?: string;
  codeChallenge?: string;
}): string {
  const base = baseUrl(opts?.oauthBaseUrl);
  const clientId = requireString(opts?.clientId, 'clientId');
  const redirectUri = requireRedirectUri(opts.redirectUri);
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri });
  if (opts.state !== undefined) q.set('state', requireString(opts.state, 'state'));
  if (opts.codeChallenge !== undefined) {
    q.set('code_challenge', requireString(opts.codeChallenge, 'codeChallenge'));
    q.set('code_challenge_method', 'S256');
  }
  return `${base}/oauth/authorize?${q.toString()}`;
}

/** A PKCE (RFC 7636, S256) pair: keep `verifier` for the code exchange, put `challenge` in the authorize URL. */
export function createPkcePair(): { verifier: string; challenge: string } {
  // 32 random bytes → 43 base64url characters, the RFC's recommended length.
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** BASE64URL(SHA256(verifier)), the S256 code challenge. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Trades the `code` Zoom sent to the redirect URI for tokens. Configure a `kind: 'user'` auth with the
 * result (refreshToken, accessToken, expiresAt). Codes are single-use, so a request that may have
 * reached Zoom is never repeated.
 */
export async function exchangeAuthorizationCode(opts: {
  /** Default: the runtime's fetch. */
  transport?: Transport;
  /** Paces the retry of a request that never left; default: retry at once (no timers here). */
  clock?: Clock;
  timeoutMs?: number;
  oauthBaseUrl?: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier?: string;
}): Promise<StoredToken> {
  const base = baseUrl(opts?.oauthBaseUrl);
  const clientId = requireString(opts.clientId, 'clientId');
  const clientSecret = requireString(opts.clientSecret, 'clientSecret');
  const code = requireString(opts.code, 'code');
  const redirectUri = requireRedirectUri(opts.redirectUri);
  const form: { grant_type: 'authorization_code' } & Record<string, string> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
  };
  if (opts.codeVerifier !== undefined) form.code_verifier = requireString(opts.codeVerifier, 'codeVerifier');
  return requestToken({
    transport: opts.transport ?? fetchTransport(),
    clock: opts.clock ?? NO_WAIT_CLOCK,
    timeoutMs: opts.timeoutMs,
    logger: silentLogger,
    oauthBaseUrl: base,
    clientId,
    clientSecret,
    form,
    authKind: 'user',
  });
}

const NO_WAIT_CLOCK: Clock = { now: () => Date.now(), sleep: async () => {} };

/**
 * Enough transport for one form POST. The full fetch transport lives in the Node entry, which
 * this module (also part of the sandbox-safe entry) must not import.
 */
function fetchTransport(): Transport {
  if (typeof fetch !== 'function') {
    throw new ZoomConfigError('exchangeAuthorizationCode: this runtime has no fetch; pass `transport`');
  }
  return async (req) => {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: typeof req.body === 'string' ? req.body : undefined,
      redirect: 'manual',
      signal: req.signal,
    });
    const body = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: res.status, headers, body };
  };
}

function baseUrl(value: string | undefined): string {
  if (value === undefined) return DEFAULT_OAUTH_BASE_URL;
  checkOauthBaseUrl(value, 'oauthBaseUrl');
  return normalizeBaseUrl(value);
}

function requireString(v: unknown, field: string): string {
  if (typeof v !== 'string')
    throw new ZoomConfigError(`${field} is required (a string, got ${v === null ? 'null' : typeof v})`);
  const t = v.trim();
  if (!t) throw new ZoomConfigError(`${field} is required (it is blank)`);
  return t;
}

function requireRedirectUri(v: unknown): string {
  const uri = requireString(v, 'redirectUri');
  try {
    new URL(uri);
  } catch {
    throw new ZoomConfigError(
      "redirectUri must be an absolute URL, exactly as listed in the app's OAuth redirect URL allow list",
    );
  }
  // Only trimmed, never re-serialised: Zoom compares it character for character with the app's allow list.
  return uri;
}
