import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenProvider, type AuthConfig } from '../src/auth';
import { createMemoryTokenStore, silentLogger } from '../src/defaults';
import { ZoomAuthError } from '../src/errors';
import { createFetchTransport } from '../src/http/fetch-transport';
import type { StoredToken, TokenStore } from '../src/ports';
import { manualClock, startFakeZoom, type FakeZoom } from './auth-fake-zoom';

const S2S = { clientId: 'sf-s2s', clientSecret: 'sf-s2s-secret-77', type: 's2s' as const, accountId: 'acct-sf' };
const GENERAL = { clientId: 'sf-general', clientSecret: 'sf-general-secret-88', type: 'general' as const };
const ACCOUNT: AuthConfig = {
  kind: 'account',
  accountId: S2S.accountId,
  clientId: S2S.clientId,
  clientSecret: S2S.clientSecret,
};

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.addApp(S2S);
  zoom.addApp(GENERAL);
});
afterAll(() => zoom.close());
beforeEach(() => {
  zoom.delayMs = 0;
  zoom.overrides = [];
});

function provider(
  auth: AuthConfig,
  opts: { store?: TokenStore; clock?: ReturnType<typeof manualClock>; refreshSkewMs?: number } = {},
) {
  const clock = opts.clock ?? manualClock();
  const tokenStore = opts.store ?? createMemoryTokenStore();
  const p = createTokenProvider(auth, {
    transport: createFetchTransport(),
    clock,
    tokenStore,
    logger: silentLogger,
    oauthBaseUrl: zoom.baseUrl,
    refreshSkewMs: opts.refreshSkewMs,
  });
  return { p, clock, tokenStore };
}

/** A store answering asynchronously, like Redis would: widens every race window. */
function slowStore(): TokenStore {
  const inner = createMemoryTokenStore();
  const tick = () => new Promise((r) => setTimeout(r, 2));
  return {
    get: async (k) => (await tick(), inner.get(k)),
    set: async (k, t) => (await tick(), inner.set(k, t)),
    delete: async (k) => (await tick(), inner.delete(k)),
  };
}

describe('single flight', () => {
  it('100 concurrent cold calls make exactly one token request and share its token', async () => {
    zoom.delayMs = 50;
    const before = zoom.hits.length;
    const { p } = provider(ACCOUNT, { store: slowStore() });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => p.getToken()));
    expect(zoom.hits.length - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^at-/);
  });

  it('concurrent callers share one failure, which is not cached: the next call mints again', async () => {
    zoom.overrides = [{ status: 401, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' } }];
    const before = zoom.hits.length;
    const { p } = provider(ACCOUNT);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => p.getToken()));
    expect(zoom.hits.length - before).toBe(1);
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : r.value));
    expect(reasons[0]).toBeInstanceOf(ZoomAuthError);
    expect(reasons.every((r) => r === reasons[0])).toBe(true);

    const recovered = await Promise.all(Array.from({ length: 20 }, () => p.getToken()));
    expect(zoom.hits.length - before).toBe(2);
    expect(new Set(recovered).size).toBe(1);
    expect(recovered[0]).toMatch(/^at-/);
  });

  it('providers sharing one store share the flight too', async () => {
    zoom.delayMs = 30;
    const store = createMemoryTokenStore();
    const before = zoom.hits.length;
    const a = provider(ACCOUNT, { store }).p;
    const b = provider(ACCOUNT, { store }).p;
    const tokens = await Promise.all([
      ...Array.from({ length: 10 }, () => a.getToken()),
      ...Array.from({ length: 10 }, () => b.getToken()),
    ]);
    expect(zoom.hits.length - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("a caller's abort rejects only that caller; the shared mint completes for the others", async () => {
    zoom.delayMs = 80;
    const before = zoom.hits.length;
    const { p } = provider(ACCOUNT);
    const ctl = new AbortController();
    const aborted = p.getToken(ctl.signal);
    const other = p.getToken();
    ctl.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(await other).toMatch(/^at-/);
    expect(zoom.hits.length - before).toBe(1);
  });
});

describe('expiry', () => {
  it('serves the cached token until expiresAt - skew, then mints once', async () => {
    const clock = manualClock();
    const before = zoom.hits.length;
    const { p } = provider(ACCOUNT, { clock });
    const t1 = await p.getToken();
    clock.advance(3600_000 - 60_000 - 1);
    expect(await p.getToken()).toBe(t1);
    expect(zoom.hits.length - before).toBe(1);
    clock.advance(1);
    const renewed = await Promise.all(Array.from({ length: 10 }, () => p.getToken()));
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(t1);
    expect(zoom.hits.length - before).toBe(2);
  });

  it('honours a custom refreshSkewMs', async () => {
    const clock = manualClock();
    const { p } = provider(ACCOUNT, { clock, refreshSkewMs: 600_000 });
    const t1 = await p.getToken();
    clock.advance(3000_000 - 1);
    expect(await p.getToken()).toBe(t1);
    clock.advance(1);
    expect(await p.getToken()).not.toBe(t1);
  });
});

describe('invalidate', () => {
  it('drops the token it names, so the next call mints; a late invalidate of the old token keeps the newer one', async () => {
    const store = slowStore();
    const before = zoom.hits.length;
    const { p } = provider(ACCOUNT, { store });
    const t1 = (await p.getToken())!;
    await p.invalidate(t1);
    expect(await store.get(p.cacheKey)).toBeUndefined();
    const t2 = await p.getToken();
    expect(t2).not.toBe(t1);
    await p.invalidate(t1); // a 401 that arrives late, for the old token
    expect((await store.get(p.cacheKey))?.accessToken).toBe(t2);
    expect(await p.getToken()).toBe(t2);
    expect(zoom.hits.length - before).toBe(2);
  });

  it('a getToken issued right after invalidate never returns the invalidated token, even while a lookup is in flight', async () => {
    const store = slowStore();
    const { p } = provider(ACCOUNT, { store });
    const t1 = (await p.getToken())!;
    const inFlight = p.getToken(); // reads the store (t1) asynchronously
    const dropped = p.invalidate(t1);
    const after = p.getToken();
    expect(await inFlight).toBe(t1);
    await dropped;
    expect(await after).not.toBe(t1);
  });
});

describe('user OAuth refresh under concurrency', () => {
  it('concurrent refreshes never reuse a refresh token: one request, across two providers on one store', async () => {
    zoom.grantRefreshToken('rt-sf-1');
    zoom.delayMs = 40;
    const store = slowStore();
    const clock = manualClock();
    const rotations: StoredToken[] = [];
    const auth: AuthConfig = {
      kind: 'user',
      clientId: GENERAL.clientId,
      clientSecret: GENERAL.clientSecret,
      refreshToken: 'rt-sf-1',
      onTokens: (t) => {
        rotations.push(t);
      },
    };
    const a = provider(auth, { store, clock }).p;
    const b = provider(auth, { store, clock }).p;
    const before = zoom.hits.length;
    const first = await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 2 ? a : b).getToken()));
    expect(new Set(first).size).toBe(1);
    expect(zoom.hits.length - before).toBe(1);

    // Expire it and race again: still one refresh, with the rotated token, and it succeeds.
    clock.advance(3600_000);
    const second = await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 2 ? a : b).getToken()));
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
    const refreshes = zoom.hits.slice(before).map((h) => h.form.refresh_token);
    expect(refreshes).toEqual(['rt-sf-1', rotations[0]!.refreshToken]);
    expect(new Set(refreshes).size).toBe(refreshes.length);
    // Both providers' onTokens fire only for the rotation they performed: one each time, in total two.
    expect(rotations).toHaveLength(2);
  });
});
