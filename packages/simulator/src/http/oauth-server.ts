/**
 * The OAuth host (zoom.us): `POST /oauth/token` for the four grants Zoom supports and
 * `GET /oauth/authorize`, which approves at once and redirects back with `code` and `state`.
 * Errors use Zoom's OAuth shape: `{"reason": "...", "error": "invalid_client"}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig, TokenStore } from '../auth/tokens';
import { pkceMatches } from '../auth/tokens';
import { sleep, type Faults } from '../faults';
import type { Store } from '../state/store';
import { parseQuery, readBody, splitUrl } from './body';
import { sendJson } from './respond';

export interface OAuthContext {
  apps: AppConfig[];
  tokens: TokenStore;
  store: () => Store;
  /** `api_url` in token responses: the API origin (without `/v2`). */
  apiOrigin: () => string;
  /** Faults aimed at `oauth.token` apply to the token endpoint (untargeted ones do not). */
  faults?: Faults;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const MARKETPLACE_SCOPES = [
  'marketplace:write:event_subscription',
  'marketplace:read:list_event_subscriptions',
  'marketplace:update:event_subscription',
  'marketplace:delete:event_subscription',
];

export function createOAuthHandler(ctx: OAuthContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitUrl(req.url ?? '/');
    try {
      if (path === '/oauth/token' && req.method === 'POST') {
        const fault = ctx.faults?.take('oauth.token', true);
        if (fault?.delayMs) await sleep(fault.delayMs);
        if (fault?.reset === 'before-body') {
          req.socket.destroy();
          return;
        }
        if (fault?.status !== undefined) {
          req.resume();
          sendJson(
            res,
            fault.status,
            fault.body ?? { reason: `Injected fault: HTTP ${fault.status}`, error: 'server_error' },
            fault.headers,
          );
          return;
        }
        const result = await token(ctx, req, query);
        if (fault?.reset === 'after-body') {
          // Token minted, answer lost.
          req.socket.destroy();
          return;
        }
        sendJson(res, 200, result, { 'cache-control': 'no-store' });
        return;
      }
      if (path === '/oauth/authorize' && req.method === 'GET') return authorize(ctx, res, parseQuery(query));
      sendJson(res, 404, { reason: `Not found: ${req.method} ${path}`, error: 'not_found' });
    } catch (err) {
      if (err instanceof OAuthError) {
        if (req.readable && !req.readableEnded) req.resume();
        sendJson(res, err.status, { reason: err.reason, error: err.error });
        return;
      }
      sendJson(res, 500, { reason: 'Internal error', error: 'server_error' });
    }
  };
}

function clientFrom(ctx: OAuthContext, req: IncomingMessage, params: Record<string, string>): AppConfig {
  let id = params['client_id'];
  let secret = params['client_secret'];
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      id = decoded.slice(0, i);
      secret = decoded.slice(i + 1);
    }
  }
  const app = ctx.apps.find((a) => a.clientId === id);
  if (!app || !secret || app.clientSecret !== secret)
    throw new OAuthError(401, 'invalid_client', 'Invalid client_id or client_secret');
  return app;
}

async function token(ctx: OAuthContext, req: IncomingMessage, qs: string): Promise<Record<string, unknown>> {
  // Zoom reads the grant from the query string (S2S docs) or a form body (OAuth clients).
  const params = parseQuery(qs);
  const raw = (await readBody(req, 64 * 1024)).toString('utf8');
  if (raw) {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json')) {
      try {
        Object.assign(params, JSON.parse(raw) as Record<string, string>);
      } catch {
        throw new OAuthError(400, 'invalid_request', 'Request body is not valid JSON');
      }
    } else Object.assign(params, parseQuery(raw));
  }
  const app = clientFrom(ctx, req, params);
  const grant = params['grant_type'];
  const store = ctx.store();
  const accountId = store.account.id;
  const issue = (
    userId: string | undefined,
    scopes: string[],
    g: 'account_credentials' | 'client_credentials' | 'authorization_code' | 'refresh_token',
    withRefresh: boolean,
  ) => {
    const { token: access } = ctx.tokens.mint({
      app: app.kind,
      clientId: app.clientId,
      grant: g,
      userId,
      scopes,
      accountId,
    });
    return {
      access_token: access,
      token_type: 'bearer',
      ...(withRefresh && userId
        ? { refresh_token: ctx.tokens.mintRefresh(app.kind, app.clientId, userId, scopes) }
        : {}),
      expires_in: ctx.tokens.ttlSeconds,
      scope: scopes.join(' '),
      api_url: ctx.apiOrigin(),
    };
  };

  switch (grant) {
    case 'account_credentials': {
      if (app.kind !== 's2s') throw new OAuthError(400, 'unsupported_grant_type', 'unsupported grant type');
      if (!params['account_id']) throw new OAuthError(400, 'invalid_request', 'Missing account_id');
      if (params['account_id'] !== accountId) throw new OAuthError(400, 'invalid_request', 'Invalid account_id');
      return issue(store.account.ownerId, app.scopes, 'account_credentials', false);
    }
    case 'client_credentials': {
      if (app.kind === 's2s') throw new OAuthError(400, 'unsupported_grant_type', 'unsupported grant type');
      const scopes =
        app.kind === 'chatbot'
          ? app.scopes
          : app.scopes.filter((s) => s === 'imchat:bot' || s.startsWith('marketplace:'));
      return issue(undefined, [...new Set([...scopes, ...MARKETPLACE_SCOPES])], 'client_credentials', false);
    }
    case 'authorization_code': {
      if (app.kind !== 'userOAuth') throw new OAuthError(400, 'unsupported_grant_type', 'unsupported grant type');
      const code = params['code'];
      if (!code) throw new OAuthError(400, 'invalid_request', 'Missing code');
      const rec = ctx.tokens.consumeCode(code);
      if (!rec || rec.clientId !== app.clientId)
        throw new OAuthError(400, 'invalid_grant', 'Invalid authorization code');
      if ((params['redirect_uri'] ?? '') !== rec.redirectUri)
        throw new OAuthError(400, 'invalid_request', 'Redirect URI mismatch.');
      if (rec.challenge) {
        const verifier = params['code_verifier'];
        if (!verifier || !pkceMatches(verifier, rec.challenge, rec.challengeMethod ?? 'plain')) {
          throw new OAuthError(400, 'invalid_request', 'Invalid code_verifier');
        }
      }
      return issue(rec.userId, app.scopes, 'authorization_code', true);
    }
    case 'refresh_token': {
      const refresh = params['refresh_token'];
      if (!refresh) throw new OAuthError(400, 'invalid_request', 'Missing refresh_token');
      const rec = ctx.tokens.consumeRefresh(refresh, app.clientId);
      if (!rec) throw new OAuthError(400, 'invalid_request', 'Invalid Token!');
      return issue(rec.userId, rec.scopes, 'refresh_token', true);
    }
    default:
      throw new OAuthError(400, 'unsupported_grant_type', grant ? 'unsupported grant type' : 'Missing grant_type');
  }
}

function authorize(ctx: OAuthContext, res: ServerResponse, q: Record<string, string>): void {
  const app = ctx.apps.find((a) => a.clientId === q['client_id'] && a.kind === 'userOAuth');
  if (!app) throw new OAuthError(400, 'invalid_client', 'Invalid client_id');
  if (q['response_type'] !== 'code')
    throw new OAuthError(400, 'unsupported_response_type', 'response_type must be code');
  const redirect = q['redirect_uri'] ?? '';
  let target: URL;
  try {
    target = new URL(redirect);
  } catch {
    throw new OAuthError(400, 'invalid_request', 'Invalid redirect_uri');
  }
  if (!/^https?:$/.test(target.protocol) || (app.redirectUris.length > 0 && !app.redirectUris.includes(redirect))) {
    throw new OAuthError(400, 'invalid_request', 'Redirect URI mismatch.');
  }
  const method = q['code_challenge_method'];
  if (method && method !== 'S256' && method !== 'plain')
    throw new OAuthError(400, 'invalid_request', 'Unsupported code_challenge_method');
  const store = ctx.store();
  // `user` (simulator extension) picks which account member approves; default: the owner.
  const user = q['user'] ? store.findUser(q['user']) : store.users.get(store.account.ownerId);
  if (!user || user.external) throw new OAuthError(400, 'invalid_request', 'Unknown user');
  const code = ctx.tokens.issueCode({
    clientId: app.clientId,
    redirectUri: redirect,
    userId: user.id,
    ...(q['code_challenge']
      ? { challenge: q['code_challenge'], challengeMethod: (method as 'S256' | 'plain' | undefined) ?? 'plain' }
      : {}),
  });
  target.searchParams.set('code', code);
  if (q['state'] !== undefined) target.searchParams.set('state', q['state']);
  const location = target.toString();
  const html = `<!doctype html><meta charset="utf-8"><title>Authorized</title><p>${escapeHtml(user.display_name)} approved the app. Redirecting to <a href="${escapeHtml(location)}">${escapeHtml(target.origin + target.pathname)}</a>…</p>`;
  res.writeHead(302, {
    location,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
