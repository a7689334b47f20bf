import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenProvider, type AuthConfig } from '../src/auth';
import { createMemoryTokenStore, silentLogger } from '../src/defaults';
import { ZoomAuthError } from '../src/errors';
import { createFetchTransport } from '../src/http/fetch-transport';
import type { StoredToken, TokenStore } from '../src/ports';
import { manualClock, startFakeZoom, type FakeZoom } from './auth-fake-zoom';

const S2S = { clientId: 's2s-client', clientSecret: 's2s-secret-Zx81pQ', type: 's2s' as const, accountId: 'acct-42' };
const GENERAL = { clientId: 'general-client', clientSecret: 'general-secret-Kd02mW', type: 'general' as const };

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.addApp(S2S);
  zoom.addApp(GENERAL);
});
afterAll(() => zoom.close());

function provider(auth: AuthConfig, opts: { store?: TokenStore; clock?: ReturnType<typeof manualClock> } = {}) {
  const clock = opts.clock ?? manualClock();
  const tokenStore = opts.store ?? createMemoryTokenStore();
  const p = createTokenProvider(auth, {
    transport: createFetchTransport(),
    clock,
    tokenStore,
    logger: silentLogger,
    oauthBaseUrl: zoom.baseUrl,
  });
  return { p, clock, tokenStore };
}

function hitsSince(n: number) {
  return zoom.hits.slice(n);
}

describe('Server-to-Server OAuth (account_credentials)', () => {
  it('posts the form with Basic client auth, caches the token in the store under a secret-free key', async () => {
    const before = zoom.hits.length;
    const { p, tokenStore, clock } = provider({
      kind: 'account',
      accountId: S2S.accountId,
      clientId: S2S.clientId,
      clientSecret: S2S.clientSecret,
    });
    const token = await p.getToken();
    expect(token).toMatch(/^at-/);
    const [hit] = hitsSince(before);
    expect(hit).toMatchObject({
      method: 'POST',
      path: '/oauth/token',
      contentType: 'application/x-www-form-urlencoded',
      clientId: S2S.clientId,
      clientSecret: S2S.clientSecret,
      form: { grant_type: 'account_credentials', account_id: S2S.accountId },
    });
    expect(hit!.authorization).toBe(`Basic ${Buffer.from(`${S2S.clientId}:${S2S.clientSecret}`).toString('base64')}`);

    expect(p.cacheKey).toBe(`zoom:account:${S2S.accountId}:${S2S.clientId}`);
    const stored = (await tokenStore.get(p.cacheKey)) as StoredToken;
    expect(stored.accessToken).toBe(token);
    expect(stored.expiresAt).toBe(clock.now() + 3600_000);
    expect(JSON.stringify(stored)).not.toContain(S2S.clientSecret);

    expect(await p.getToken()).toBe(token);
    expect(hitsSince(before)).toHaveLength(1);
  });

  it('a second provider with the same credentials and store reuses the stored token', async () => {
    const auth: AuthConfig = {
      kind: 'account',
      accountId: S2S.accountId,
      clientId: S2S.clientId,
      clientSecret: S2S.clientSecret,
    };
    const store = createMemoryTokenStore();
    const clock = manualClock();
    const first = await provider(auth, { store, clock }).p.getToken();
    const before = zoom.hits.length;
    expect(await provider(auth, { store, clock }).p.getToken()).toBe(first);
    expect(hitsSince(before)).toHaveLength(0);
  });
});

describe('Chatbot (client_credentials)', () => {
  it('posts grant_type=client_credentials with Basic client auth', async () => {
    const before = zoom.hits.length;
    const { p } = provider({ kind: 'chatbot', clientId: GENERAL.clientId, clientSecret: GENERAL.clientSecret });
    expect(await p.getToken()).toMatch(/^at-/);
    expect(hitsSince(before)).toEqual([
      expect.objectContaining({
        clientId: GENERAL.clientId,
        clientSecret: GENERAL.clientSecret,
        form: { grant_type: 'client_credentials' },
      }),
    ]);
    expect(p.cacheKey).toBe(`zoom:chatbot:${GENERAL.clientId}`);
  });
});

describe('User OAuth (refresh_token, rotated by Zoom)', () => {
  const user = (refreshToken: string, extra: Partial<Extract<AuthConfig, { kind: 'user' }>> = {}): AuthConfig => ({
    kind: 'user',
    clientId: GENERAL.clientId,
    clientSecret: GENERAL.clientSecret,
    refreshToken,
    ...extra,
  });

  it('refreshes, persists the rotated refresh token to the store and onTokens before resolving', async () => {
    zoom.grantRefreshToken('rt-initial-A');
    const seen: StoredToken[] = [];
    const store = createMemoryTokenStore();
    const { p, clock } = provider(
      user('rt-initial-A', {
        onTokens: async (t) => {
          // The store already holds the rotation when the host hears about it.
          expect((await store.get(p.cacheKey))?.refreshToken).toBe(t.refreshToken);
          seen.push(t);
        },
      }),
      { store },
    );
    const before = zoom.hits.length;
    const token = await p.getToken();
    expect(hitsSince(before)).toEqual([
      expect.objectContaining({ form: { grant_type: 'refresh_token', refresh_token: 'rt-initial-A' } }),
    ]);
    expect(seen).toHaveLength(1);
    const rotated = seen[0]!;
    expect(rotated.accessToken).toBe(token);
    expect(rotated.refreshToken).toMatch(/^rt-/);
    expect(rotated.refreshToken).not.toBe('rt-initial-A');
    expect(zoom.isRefreshTokenValid('rt-initial-A')).toBe(false);
    expect(await store.get(p.cacheKey)).toEqual(rotated);

    // After expiry the next refresh must use the rotated token (the initial one is dead at Zoom).
    clock.advance(3600_000);
    const next = await p.getToken();
    expect(next).not.toBe(token);
    expect(zoom.hits.at(-1)!.form).toEqual({ grant_type: 'refresh_token', refresh_token: rotated.refreshToken });
    expect(seen).toHaveLength(2);
    expect((await store.get(p.cacheKey))?.refreshToken).toBe(seen[1]!.refreshToken);
  });

  it('a restarted provider (same config, same store) uses the rotated refresh token, not the dead configured one', async () => {
    zoom.grantRefreshToken('rt-initial-B');
    const store = createMemoryTokenStore();
    const clock = manualClock();
    const first = provider(user('rt-initial-B'), { store, clock }).p;
    const t1 = await first.getToken();
    const rotated = (await store.get(first.cacheKey))!.refreshToken!;

    const restarted = provider(user('rt-initial-B'), { store, clock }).p;
    expect(restarted.cacheKey).toBe(first.cacheKey);
    const before = zoom.hits.length;
    expect(await restarted.getToken()).toBe(t1); // still fresh: no request
    expect(hitsSince(before)).toHaveLength(0);

    clock.advance(3600_000);
    const t2 = await restarted.getToken();
    expect(t2).not.toBe(t1);
    expect(hitsSince(before)).toEqual([
      expect.objectContaining({ form: { grant_type: 'refresh_token', refresh_token: rotated } }),
    ]);
  });

  it('a configured access token is used until its expiresAt, then refreshed', async () => {
    zoom.grantRefreshToken('rt-initial-C');
    const clock = manualClock();
    const { p } = provider(user('rt-initial-C', { accessToken: 'configured-at', expiresAt: clock.now() + 600_000 }), {
      clock,
    });
    const before = zoom.hits.length;
    expect(await p.getToken()).toBe('configured-at');
    clock.advance(540_000); // exactly expiresAt - 60 s skew
    expect(await p.getToken()).toMatch(/^at-/);
    expect(hitsSince(before)).toHaveLength(1);
  });

  it('an access token without expiresAt is used until invalidated; invalidation keeps the refresh token', async () => {
    zoom.grantRefreshToken('rt-initial-D');
    const { p, tokenStore } = provider(user('rt-initial-D', { accessToken: 'configured-at-D' }));
    const before = zoom.hits.length;
    expect(await p.getToken()).toBe('configured-at-D');
    await p.invalidate('configured-at-D');
    expect((await tokenStore.get(p.cacheKey))?.refreshToken).toBe('rt-initial-D');
    const fresh = await p.getToken();
    expect(fresh).toMatch(/^at-/);
    expect(hitsSince(before)).toEqual([
      expect.objectContaining({ form: { grant_type: 'refresh_token', refresh_token: 'rt-initial-D' } }),
    ]);

    // Invalidating the minted token must refresh with the rotated refresh token.
    const rotated = (await tokenStore.get(p.cacheKey))!.refreshToken!;
    await p.invalidate(fresh!);
    expect(await p.getToken()).not.toBe(fresh);
    expect(zoom.hits.at(-1)!.form.refresh_token).toBe(rotated);
  });

  it('only an access token, expired, no refresh token: asks to re-authorize without calling Zoom', async () => {
    const clock = manualClock();
    const { p } = provider(
      {
        kind: 'user',
        clientId: GENERAL.clientId,
        clientSecret: GENERAL.clientSecret,
        accessToken: 'only-at',
        expiresAt: clock.now() + 120_000,
      },
      { clock },
    );
    expect(await p.getToken()).toBe('only-at');
    clock.advance(61_000);
    const before = zoom.hits.length;
    const err = await p.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomAuthError);
    expect((err as Error).message).toMatch(/re-authorize/);
    expect((err as Error).message).not.toContain('only-at');
    expect(hitsSince(before)).toHaveLength(0);
  });

  it('an access token rejected by Zoom (invalidated) with no refresh token also asks to re-authorize, across restarts', async () => {
    const store = createMemoryTokenStore();
    const auth: AuthConfig = {
      kind: 'user',
      clientId: GENERAL.clientId,
      clientSecret: GENERAL.clientSecret,
      accessToken: 'only-at-2',
    };
    const p = provider(auth, { store }).p;
    expect(await p.getToken()).toBe('only-at-2');
    await p.invalidate('only-at-2');
    await expect(p.getToken()).rejects.toThrow(/re-authorize/);
    // A new provider must not resurrect the rejected configured token.
    await expect(provider(auth, { store }).p.getToken()).rejects.toThrow(/re-authorize/);
  });

  it('the cache key is stable for the same configured credential and never holds the token', () => {
    const a = provider(user('rt-secretish-123456')).p.cacheKey;
    expect(provider(user('rt-secretish-123456')).p.cacheKey).toBe(a);
    expect(provider(user('rt-other-654321')).p.cacheKey).not.toBe(a);
    expect(a).toMatch(new RegExp(`^zoom:user:${GENERAL.clientId}:[0-9a-f]{16}$`));
    expect(a).not.toContain('rt-secretish');
  });
});

describe("kind 'token' and 'none'", () => {
  it('a fixed token is returned as is', async () => {
    const { p } = provider({ kind: 'token', accessToken: 'host-token' });
    expect(await p.getToken()).toBe('host-token');
    expect(p.cacheKey).not.toContain('host-token');
  });

  it('a token function is called when the cache is empty, and again after invalidate (not after a stale invalidate)', async () => {
    let calls = 0;
    const fn = async () => `host-${++calls}`;
    const { p } = provider({ kind: 'token', accessToken: fn });
    const all = await Promise.all(Array.from({ length: 10 }, () => p.getToken()));
    expect(new Set(all)).toEqual(new Set(['host-1']));
    expect(calls).toBe(1);
    await p.invalidate('host-1');
    expect(await p.getToken()).toBe('host-2');
    await p.invalidate('host-1'); // late 401 for the old token
    expect(await p.getToken()).toBe('host-2');
    expect(calls).toBe(2);
  });

  it('a token function returning nothing is a configuration error naming the field', async () => {
    const { p } = provider({ kind: 'token', accessToken: () => '' });
    await expect(p.getToken()).rejects.toThrow(/auth\.accessToken function returned a blank string/);
  });

  it("kind 'none' yields no token and makes no request", async () => {
    const before = zoom.hits.length;
    const { p } = provider({ kind: 'none' });
    expect(await p.getToken()).toBeUndefined();
    await p.invalidate('x');
    expect(hitsSince(before)).toHaveLength(0);
  });
});
