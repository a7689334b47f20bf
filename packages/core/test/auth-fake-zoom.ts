/**
 * A small stand-in for Zoom's OAuth host (POST /oauth/token) over real HTTP on 127.0.0.1:0.
 * It enforces what Zoom enforces (Basic client auth, form encoding, one-shot codes, refresh-token
 * rotation) so a client that gets those wrong fails here too.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Logger } from '../src/ports';

export interface Hit {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  form: Record<string, string>;
}

export interface App {
  clientId: string;
  clientSecret: string;
  type: 's2s' | 'general';
  accountId?: string;
}

/** What an override answers: a response, or 'destroy' to drop the socket, or 'hang' to never answer. */
export type Override = { status: number; body: unknown; headers?: Record<string, string> } | 'destroy' | 'hang';

export interface FakeZoom {
  baseUrl: string;
  hits: Hit[];
  /** Answers for the next requests, in order, before the normal logic. */
  overrides: Override[];
  /** Delay before answering normally (to make concurrent callers overlap). */
  delayMs: number;
  addApp(app: App): void;
  /** Makes `token` a valid refresh token (as if a user had authorized). */
  grantRefreshToken(token: string): void;
  isRefreshTokenValid(token: string): boolean;
  /** Registers an authorization code, as Zoom's consent page would. */
  issueCode(code: string, redirectUri: string, codeChallenge?: string): void;
  close(): Promise<void>;
}

export async function startFakeZoom(): Promise<FakeZoom> {
  const apps = new Map<string, App>();
  const refreshTokens = new Set<string>();
  const codes = new Map<string, { redirectUri: string; challenge?: string }>();
  let counter = 0;
  const hits: Hit[] = [];
  const hanging = new Set<ServerResponse>();

  const state = {
    overrides: [] as Override[],
    delayMs: 0,
  };

  const issue = (withRefresh: boolean) => {
    counter++;
    const out: Record<string, unknown> = {
      access_token: `at-${counter}-${Math.random().toString(36).slice(2)}`,
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'team_chat:read:list_user_channels team_chat:write:user_message',
      api_url: 'https://api.zoom.us',
    };
    if (withRefresh) {
      const rt = `rt-${counter}-${Math.random().toString(36).slice(2)}`;
      refreshTokens.add(rt);
      out.refresh_token = rt;
    }
    return out;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const form = Object.fromEntries(new URLSearchParams(raw));
    const authz = req.headers.authorization;
    let clientId: string | undefined;
    let clientSecret: string | undefined;
    if (authz?.startsWith('Basic ')) {
      const decoded = Buffer.from(authz.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      clientId = decoded.slice(0, i);
      clientSecret = decoded.slice(i + 1);
    }
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push({
      method: req.method ?? '',
      path: url.pathname,
      contentType: req.headers['content-type'],
      authorization: authz,
      clientId,
      clientSecret,
      form,
    });

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };

    const override = state.overrides.shift();
    if (override === 'destroy') return req.socket.destroy();
    if (override === 'hang') {
      hanging.add(res);
      return;
    }
    if (override) return send(override.status, override.body, override.headers);
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));

    if (req.method !== 'POST' || url.pathname !== '/oauth/token' || url.search) {
      return send(404, { code: 404, message: 'Not found' });
    }
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return send(400, { reason: 'Unsupported content type', error: 'invalid_request' });
    }
    const app = clientId ? apps.get(clientId) : undefined;
    if (!app || app.clientSecret !== clientSecret) {
      return send(401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    switch (form.grant_type) {
      case 'account_credentials':
        if (app.type !== 's2s') return send(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
        if (form.account_id !== app.accountId)
          return send(400, { reason: 'Invalid account_id', error: 'invalid_request' });
        return send(200, issue(false));
      case 'client_credentials':
        if (app.type !== 'general')
          return send(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
        return send(200, issue(false));
      case 'refresh_token': {
        const rt = form.refresh_token ?? '';
        if (app.type !== 'general')
          return send(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
        if (!refreshTokens.delete(rt)) return send(400, { reason: 'Invalid Token!', error: 'invalid_grant' });
        return send(200, issue(true));
      }
      case 'authorization_code': {
        const entry = codes.get(form.code ?? '');
        if (!entry) return send(400, { reason: 'Invalid authorization code', error: 'invalid_grant' });
        if (entry.redirectUri !== form.redirect_uri)
          return send(400, { code: 4709, message: 'Redirect URI mismatch.' });
        if (entry.challenge !== undefined) {
          const computed = createHash('sha256')
            .update(form.code_verifier ?? '')
            .digest('base64url');
          if (computed !== entry.challenge)
            return send(400, { reason: 'Invalid code_verifier', error: 'invalid_request' });
        }
        codes.delete(form.code ?? '');
        return send(200, issue(true));
      }
      default:
        return send(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits,
    get overrides() {
      return state.overrides;
    },
    set overrides(v) {
      state.overrides = v;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v) {
      state.delayMs = v;
    },
    addApp: (app) => apps.set(app.clientId, app),
    grantRefreshToken: (t) => refreshTokens.add(t),
    isRefreshTokenValid: (t) => refreshTokens.has(t),
    issueCode: (code, redirectUri, challenge) =>
      codes.set(code, challenge === undefined ? { redirectUri } : { redirectUri, challenge }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock the test moves by hand; sleeps return at once but are recorded. */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    advance: (ms) => {
      t += ms;
    },
    sleeps,
  };
}

/** A logger that keeps every line, to check that no secret is ever logged. */
export function recordingLogger(): Logger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    lines.push({ level, message, meta });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), lines };
}

/** Everything reachable from an error, as text: message, stack, JSON, own properties, causes. */
export function everythingIn(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (e === null || e === undefined || depth > 8 || seen.has(e)) return;
    seen.add(e);
    parts.push(String(e));
    if (typeof e === 'object') {
      parts.push(String((e as { stack?: unknown }).stack));
      try {
        parts.push(JSON.stringify(e));
      } catch {
        // circular: own properties below cover it
      }
      for (const key of Object.getOwnPropertyNames(e)) {
        const v = (e as Record<string, unknown>)[key];
        if (typeof v === 'string' || typeof v === 'number') parts.push(`${key}=${v}`);
        else visit(v, depth + 1);
      }
    }
  };
  visit(err, 0);
  return parts.join('\n');
}
