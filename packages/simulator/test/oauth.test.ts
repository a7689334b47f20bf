/** OAuth grants, token expiry, Zoom's error bodies, and scope checks. */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenRequest(
  s: Simulator,
  params: Record<string, string>,
  auth?: string,
  where: 'query' | 'form' = 'form',
) {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${s.urls.oauth}/oauth/token${where === 'query' ? `?${qs}` : ''}`, {
    method: 'POST',
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(where === 'form' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(where === 'form' ? { body: qs } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function authorize(s: Simulator, params: Record<string, string>) {
  const res = await fetch(
    `${s.urls.oauth}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: s.credentials.userOAuth.clientId, ...params })}`,
    { redirect: 'manual' },
  );
  return res;
}

describe('server-to-server (account_credentials)', () => {
  it('grants a bearer token with scopes and api_url', async () => {
    sim = await startTestSim();
    const c = sim.credentials;
    const r = await tokenRequest(
      sim,
      { grant_type: 'account_credentials', account_id: c.accountId },
      basic(c.clientId, c.clientSecret),
      'query',
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      api_url: sim.urls.api.replace(/\/v2$/, ''),
    });
    expect(r.body['scope']).toContain('chat_message:write');
    expect(r.body['refresh_token']).toBeUndefined();
    const me = await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: r.body['access_token'] });
    expect(me.status).toBe(200);
  });

  it('refuses a wrong secret, an unknown client, a wrong account and an unknown grant with Zoom bodies', async () => {
    sim = await startTestSim();
    const c = sim.credentials;
    const wrong = await tokenRequest(
      sim,
      { grant_type: 'account_credentials', account_id: c.accountId },
      basic(c.clientId, 'nope'),
    );
    expect(wrong).toEqual({
      status: 401,
      body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    });
    expect((await tokenRequest(sim, { grant_type: 'account_credentials', account_id: c.accountId })).status).toBe(401);
    const account = await tokenRequest(
      sim,
      { grant_type: 'account_credentials', account_id: 'other' },
      basic(c.clientId, c.clientSecret),
    );
    expect(account).toEqual({ status: 400, body: { reason: 'Invalid account_id', error: 'invalid_request' } });
    const grant = await tokenRequest(sim, { grant_type: 'password' }, basic(c.clientId, c.clientSecret));
    expect(grant).toEqual({ status: 400, body: { reason: 'unsupported grant type', error: 'unsupported_grant_type' } });
  });
});

describe('chatbot (client_credentials)', () => {
  it('grants imchat:bot; the token cannot call user-level operations', async () => {
    sim = await startTestSim();
    const c = sim.credentials.chatbot;
    const r = await tokenRequest(sim, { grant_type: 'client_credentials' }, basic(c.clientId, c.clientSecret));
    expect(r.status).toBe(200);
    expect(r.body['scope'].split(' ')).toContain('imchat:bot');
    const denied = await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: r.body['access_token'] });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe(4700);
  });
});

describe('user OAuth (authorization_code, refresh_token)', () => {
  it('authorize redirects back with code and state; the code is exchanged once', async () => {
    sim = await startTestSim();
    const u = sim.credentials.userOAuth;
    const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
    const res = await authorize(sim, { redirect_uri: redirect, state: 'xyz 1' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(redirect);
    expect(loc.searchParams.get('state')).toBe('xyz 1');
    const code = loc.searchParams.get('code')!;

    const mismatch = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code, redirect_uri: 'http://other/cb' },
      basic(u.clientId, u.clientSecret),
    );
    expect(mismatch.body).toEqual({ reason: 'Redirect URI mismatch.', error: 'invalid_request' });
    // A failed exchange burns the code too (single use).
    const again = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code, redirect_uri: redirect },
      basic(u.clientId, u.clientSecret),
    );
    expect(again.status).toBe(400);
    expect(again.body['error']).toBe('invalid_grant');

    const fresh = new URL((await authorize(sim, { redirect_uri: redirect })).headers.get('location')!).searchParams.get(
      'code',
    )!;
    const ok = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code: fresh, redirect_uri: redirect },
      basic(u.clientId, u.clientSecret),
    );
    expect(ok.status).toBe(200);
    expect(ok.body['refresh_token']).toEqual(expect.any(String));
    const me = await call(sim.urls.api, 'GET', '/chat/users/me/contacts', { token: ok.body['access_token'] });
    expect(me.status).toBe(200);
  });

  it('checks PKCE (S256)', async () => {
    sim = await startTestSim();
    const u = sim.credentials.userOAuth;
    const verifier = 'a'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://127.0.0.1:1880/cb';
    const codeFor = async () =>
      new URL(
        (
          await authorize(sim!, { redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' })
        ).headers.get('location')!,
      ).searchParams.get('code')!;
    const bad = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect, code_verifier: 'wrong' },
      basic(u.clientId, u.clientSecret),
    );
    expect(bad.body).toEqual({ reason: 'Invalid code_verifier', error: 'invalid_request' });
    const good = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect, code_verifier: verifier },
      basic(u.clientId, u.clientSecret),
    );
    expect(good.status).toBe(200);
  });

  it('rotates refresh tokens: each refresh returns a new one and the old one stops working', async () => {
    sim = await startTestSim();
    const u = sim.credentials.userOAuth;
    const redirect = 'http://localhost/cb';
    const code = new URL((await authorize(sim, { redirect_uri: redirect })).headers.get('location')!).searchParams.get(
      'code',
    )!;
    const first = await tokenRequest(
      sim,
      { grant_type: 'authorization_code', code, redirect_uri: redirect },
      basic(u.clientId, u.clientSecret),
    );
    const r1 = first.body['refresh_token'];
    const second = await tokenRequest(
      sim,
      { grant_type: 'refresh_token', refresh_token: r1 },
      basic(u.clientId, u.clientSecret),
    );
    expect(second.status).toBe(200);
    expect(second.body['refresh_token']).not.toBe(r1);
    const reused = await tokenRequest(
      sim,
      { grant_type: 'refresh_token', refresh_token: r1 },
      basic(u.clientId, u.clientSecret),
    );
    expect(reused).toEqual({ status: 400, body: { reason: 'Invalid Token!', error: 'invalid_request' } });
    const third = await tokenRequest(
      sim,
      { grant_type: 'refresh_token', refresh_token: second.body['refresh_token'] },
      basic(u.clientId, u.clientSecret),
    );
    expect(third.status).toBe(200);
  });

  it('refuses unknown clients and unregistered redirect URIs', async () => {
    sim = await startTestSim({ redirectUris: ['http://localhost/ok'] });
    const bad = await fetch(
      `${sim.urls.oauth}/oauth/authorize?response_type=code&client_id=nope&redirect_uri=http://localhost/ok`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    const wrong = await authorize(sim, { redirect_uri: 'http://localhost/evil' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ reason: 'Redirect URI mismatch.', error: 'invalid_request' });
    expect((await authorize(sim, { redirect_uri: 'http://localhost/ok' })).status).toBe(302);
  });

  it('a user-level token acts for its own user only', async () => {
    sim = await startTestSim();
    const u = sim.credentials.userOAuth;
    const code = new URL(
      (await authorize(sim, { redirect_uri: 'http://localhost/cb', user: 'blake.chen@example.com' })).headers.get(
        'location',
      )!,
    ).searchParams.get('code')!;
    const t = (
      await tokenRequest(
        sim,
        { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost/cb' },
        basic(u.clientId, u.clientSecret),
      )
    ).body['access_token'];
    const mine = await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t });
    expect(mine.body.channels.map((c: { name: string }) => c.name)).toContain('random');
    const other = await call(sim.urls.api, 'GET', '/chat/users/alex.morgan@example.com/channels', { token: t });
    expect(other.status).toBe(400);
    expect(other.body.code).toBe(200);
  });
});

describe('API authentication', () => {
  it('401/124 without a token, with an unknown token, and once the token expired', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    sim = await startTestSim({ tokenTtlSeconds: 60, now: () => clock });
    const t = await token(sim);
    const none = await call(sim.urls.api, 'GET', '/chat/users/me/channels');
    expect(none).toMatchObject({ status: 401, body: { code: 124, message: 'Invalid access token.' } });
    const unknown = await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: 'abc' });
    expect(unknown).toMatchObject({ status: 401, body: { code: 124, message: 'Invalid access token.' } });
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t })).status).toBe(200);
    clock += 61_000;
    const expired = await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t });
    expect(expired).toMatchObject({ status: 401, body: { code: 124, message: 'Invalid access token.' } });
  });

  it('the admin API expires every token at once', async () => {
    sim = await startTestSim();
    const t = await token(sim);
    expect((await sim.admin.expireTokens()).expired).toBeGreaterThan(0);
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t })).status).toBe(401);
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: await token(sim) })).status).toBe(200);
  });
});

describe('scopes', () => {
  it('403/4700 naming the scopes when the token lacks all of them; a granular scope is enough', async () => {
    sim = await startTestSim({ scopes: { s2s: ['chat_channel:read', 'team_chat:write:user_message'] } });
    const t = await token(sim);
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t })).status).toBe(200);
    const denied = await call(sim.urls.api, 'GET', '/chat/users/me/contacts', { token: t });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe(4700);
    expect(denied.body.message).toMatch(/^Invalid access token, does not contain scopes:\[.*contact:read.*\]\.$/);
    const general = [...sim.state.channels.values()].find((c) => c.name === 'general')!;
    const granular = await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
      token: t,
      body: { message: 'hi', to_channel: general.id },
    });
    expect(granular.status).toBe(201);
  });
});
