import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, createPkcePair, exchangeAuthorizationCode, pkceChallenge } from '../src/auth';
import { base64 } from '../src/auth/token-endpoint';
import { ZoomAuthError, ZoomConfigError } from '../src/errors';
import { createFetchTransport } from '../src/http/fetch-transport';
import { everythingIn, startFakeZoom, type FakeZoom } from './auth-fake-zoom';

const APP = { clientId: 'flow-client', clientSecret: 'flow-secret-5566', type: 'general' as const };
const REDIRECT = 'https://example.test/zoom/callback?tenant=a b';

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.addApp(APP);
});
afterAll(() => zoom.close());

describe('buildAuthorizeUrl', () => {
  it('builds Zoom’s authorize URL with encoded parameters', () => {
    const url = new URL(buildAuthorizeUrl({ clientId: APP.clientId, redirectUri: REDIRECT, state: 'st&=1' }));
    expect(url.origin + url.pathname).toBe('https://zoom.us/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: REDIRECT,
      state: 'st&=1',
    });
  });

  it('adds the PKCE challenge with method S256, and honours oauthBaseUrl', () => {
    const url = new URL(
      buildAuthorizeUrl({
        oauthBaseUrl: 'http://127.0.0.1:9/',
        clientId: 'c',
        redirectUri: 'https://x.test/cb',
        codeChallenge: 'abc',
      }),
    );
    expect(url.href.startsWith('http://127.0.0.1:9/oauth/authorize?')).toBe(true);
    expect(url.searchParams.get('code_challenge')).toBe('abc');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.has('state')).toBe(false);
  });

  it('names the missing or invalid field', () => {
    expect(() => buildAuthorizeUrl({ clientId: ' ', redirectUri: REDIRECT })).toThrow(
      /clientId is required \(it is blank\)/,
    );
    expect(() => buildAuthorizeUrl({ clientId: 'c', redirectUri: '/callback' })).toThrow(ZoomConfigError);
    expect(() => buildAuthorizeUrl({ clientId: 'c', redirectUri: '/callback' })).toThrow(
      /redirectUri must be an absolute URL/,
    );
    expect(() => buildAuthorizeUrl({ oauthBaseUrl: 'zoom.us', clientId: 'c', redirectUri: REDIRECT })).toThrow(
      /oauthBaseUrl/,
    );
  });
});

describe('PKCE', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates a fresh 43-character base64url verifier with its S256 challenge', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
    expect(a.verifier).not.toBe(b.verifier);
  });
});

describe('exchangeAuthorizationCode', () => {
  it('exchanges a code with PKCE over HTTP and returns tokens to configure kind user with', async () => {
    const { verifier, challenge } = createPkcePair();
    zoom.issueCode('code-1', REDIRECT, challenge);
    const before = zoom.hits.length;
    const startedAt = Date.now();
    const token = await exchangeAuthorizationCode({
      transport: createFetchTransport(),
      oauthBaseUrl: zoom.baseUrl,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      code: 'code-1',
      redirectUri: REDIRECT,
      codeVerifier: verifier,
    });
    expect(zoom.hits.slice(before)).toEqual([
      expect.objectContaining({
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'authorization_code', code: 'code-1', redirect_uri: REDIRECT, code_verifier: verifier },
      }),
    ]);
    expect(token.accessToken).toMatch(/^at-/);
    expect(token.refreshToken).toMatch(/^rt-/);
    expect(zoom.isRefreshTokenValid(token.refreshToken!)).toBe(true);
    expect(token.expiresAt).toBeGreaterThanOrEqual(startedAt + 3600_000);
    expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(token.scope).toContain('team_chat');
  });

  it('uses fetch when no transport is given; a reused code says to start again, without leaking the code or secret', async () => {
    zoom.issueCode('code-2-abcdef', REDIRECT);
    const opts = {
      oauthBaseUrl: zoom.baseUrl,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      code: 'code-2-abcdef',
      redirectUri: REDIRECT,
    };
    expect((await exchangeAuthorizationCode(opts)).accessToken).toMatch(/^at-/);
    const err = await exchangeAuthorizationCode(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomAuthError);
    expect((err as Error).message).toMatch(/authorization code is invalid or expired .*start the authorization again/);
    const all = everythingIn(err);
    expect(all).not.toContain('code-2-abcdef');
    expect(all).not.toContain(APP.clientSecret);
  });

  it('a redirect URI mismatch is explained; a wrong verifier is refused', async () => {
    const { challenge } = createPkcePair();
    zoom.issueCode('code-3', REDIRECT, challenge);
    const base = { oauthBaseUrl: zoom.baseUrl, clientId: APP.clientId, clientSecret: APP.clientSecret, code: 'code-3' };
    await expect(exchangeAuthorizationCode({ ...base, redirectUri: 'https://other.test/cb' })).rejects.toThrow(
      /redirect_uri must exactly match/,
    );
    await expect(
      exchangeAuthorizationCode({ ...base, redirectUri: REDIRECT, codeVerifier: createPkcePair().verifier }),
    ).rejects.toThrow(ZoomAuthError);
  });

  it('names missing fields before sending anything', async () => {
    const before = zoom.hits.length;
    await expect(
      exchangeAuthorizationCode({
        oauthBaseUrl: zoom.baseUrl,
        clientId: APP.clientId,
        clientSecret: '',
        code: 'x',
        redirectUri: REDIRECT,
      }),
    ).rejects.toThrow(/clientSecret is required/);
    await expect(
      exchangeAuthorizationCode({
        oauthBaseUrl: zoom.baseUrl,
        clientId: APP.clientId,
        clientSecret: 's',
        code: undefined as never,
        redirectUri: REDIRECT,
      }),
    ).rejects.toThrow(/code is required/);
    expect(zoom.hits.length).toBe(before);
  });
});

describe('Basic header encoding', () => {
  it('matches Buffer base64 for ASCII and UTF-8 of every padding length', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'client:secret', 'ü:€-𝄞', 'x'.repeat(100)]) {
      expect(base64(s)).toBe(Buffer.from(s, 'utf8').toString('base64'));
    }
  });
});
