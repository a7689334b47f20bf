import { describe, expect, it } from 'vitest';
import { createTokenProvider, validateAuthConfig } from '../src/auth';
import { createMemoryTokenStore, silentLogger } from '../src/defaults';
import { ZoomConfigError } from '../src/errors';
import { manualClock } from './auth-fake-zoom';

function configError(fn: () => unknown): ZoomConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ZoomConfigError);
    return err as ZoomConfigError;
  }
  throw new Error('expected a ZoomConfigError');
}

describe('validateAuthConfig', () => {
  it.each([
    [
      undefined,
      /^auth is required: an object with kind 'account' \| 'chatbot' \| 'user' \| 'token' \| 'none' \(got undefined\)/,
    ],
    ['s3cr3t', /^auth is required.*\(got string\)/],
    [{}, /^auth\.kind must be one of 'account', 'chatbot', 'user', 'token', 'none' \(got undefined\)/],
    [{ kind: 'jwt' }, /^auth\.kind must be one of .* \(got 'jwt'\)/],
    [
      { kind: 'account', clientId: 'c', clientSecret: 's' },
      /^auth\.accountId is required for Server-to-Server OAuth \(the Account ID/,
    ],
    [
      { kind: 'account', accountId: '   ', clientId: 'c', clientSecret: 's' },
      /^auth\.accountId is required for Server-to-Server OAuth \(it is blank\)/,
    ],
    [{ kind: 'account', accountId: 'a', clientId: 'c' }, /^auth\.clientSecret is required for Server-to-Server OAuth$/],
    [
      { kind: 'account', accountId: 'a', clientId: 7, clientSecret: 's' },
      /^auth\.clientId must be a string for Server-to-Server OAuth \(got number\)/,
    ],
    [{ kind: 'chatbot', clientSecret: 's' }, /^auth\.clientId is required for Chatbot \(client_credentials\) auth$/],
    [
      { kind: 'user', clientId: 'c', clientSecret: 's' },
      /^auth\.refreshToken \(or auth\.accessToken\) is required for user OAuth/,
    ],
    [
      { kind: 'user', clientId: 'c', clientSecret: 's', refreshToken: 'r', expiresAt: 'soon' },
      /^auth\.expiresAt must be epoch milliseconds/,
    ],
    [
      { kind: 'user', clientId: 'c', clientSecret: 's', refreshToken: 'r', onTokens: 'save' },
      /^auth\.onTokens must be a function \(got string\)/,
    ],
    [{ kind: 'token', accessToken: '' }, /^auth\.accessToken is required for auth kind 'token' \(it is blank\)/],
    [{ kind: 'token' }, /^auth\.accessToken is required for auth kind 'token' \(a string or a function/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(configError(() => validateAuthConfig(input)).message).toMatch(message);
  });

  it('never quotes a credential value in its errors', () => {
    const err = configError(() =>
      validateAuthConfig({
        kind: 'account',
        accountId: 'a',
        clientId: ['topsecret-value'],
        clientSecret: 'topsecret-2',
      }),
    );
    expect(err.message).not.toMatch(/topsecret/);
  });

  it('returns a trimmed copy with only the fields of the kind', () => {
    expect(
      validateAuthConfig({ kind: 'account', accountId: ' a1 ', clientId: 'c1\n', clientSecret: '\ts1 ', extra: 1 }),
    ).toEqual({
      kind: 'account',
      accountId: 'a1',
      clientId: 'c1',
      clientSecret: 's1',
    });
    const onTokens = () => {};
    expect(
      validateAuthConfig({
        kind: 'user',
        clientId: 'c',
        clientSecret: 's',
        refreshToken: ' r ',
        accessToken: '',
        expiresAt: 5,
        onTokens,
      }),
    ).toEqual({
      kind: 'user',
      clientId: 'c',
      clientSecret: 's',
      refreshToken: 'r',
      expiresAt: 5,
      onTokens,
    });
    const fn = () => 't';
    expect(validateAuthConfig({ kind: 'token', accessToken: fn })).toEqual({ kind: 'token', accessToken: fn });
    expect(validateAuthConfig({ kind: 'none', anything: true })).toEqual({ kind: 'none' });
  });
});

describe('createTokenProvider configuration', () => {
  const deps = (over: Record<string, unknown> = {}) => ({
    transport: async () => ({ status: 500, headers: {}, body: '' }),
    clock: manualClock(),
    tokenStore: createMemoryTokenStore(),
    logger: silentLogger,
    oauthBaseUrl: 'https://zoom.us',
    ...over,
  });
  const auth = { kind: 'chatbot', clientId: 'c', clientSecret: 's' } as const;

  it('validates the auth it is given', () => {
    expect(configError(() => createTokenProvider({ kind: 'chatbot', clientId: 'c' } as never, deps())).message).toMatch(
      /auth\.clientSecret/,
    );
  });

  it.each([
    ['zoom.us', /oauthBaseUrl must be an absolute http\(s\) URL/],
    ['ftp://zoom.us', /oauthBaseUrl must be/],
    ['https://user:pw@zoom.us', /oauthBaseUrl must be/],
  ])('rejects oauthBaseUrl %s', (oauthBaseUrl, message) => {
    expect(configError(() => createTokenProvider(auth, deps({ oauthBaseUrl }))).message).toMatch(message);
  });

  it('rejects missing ports and bad numbers', () => {
    expect(configError(() => createTokenProvider(auth, deps({ transport: undefined }))).message).toMatch(
      /deps\.transport/,
    );
    expect(configError(() => createTokenProvider(auth, deps({ tokenStore: {} }))).message).toMatch(/deps\.tokenStore/);
    expect(configError(() => createTokenProvider(auth, deps({ refreshSkewMs: -1 }))).message).toMatch(/refreshSkewMs/);
    expect(configError(() => createTokenProvider(auth, deps({ timeoutMs: 0 }))).message).toMatch(/timeoutMs/);
  });

  it('accepts a base URL with a trailing slash and posts to /oauth/token under it', async () => {
    const urls: string[] = [];
    const p = createTokenProvider(
      auth,
      deps({
        oauthBaseUrl: 'https://oauth.example.test/',
        transport: async (req: { url: string }) => {
          urls.push(req.url);
          return { status: 200, headers: {}, body: JSON.stringify({ access_token: 'tok', expires_in: 3600 }) };
        },
      }),
    );
    expect(await p.getToken()).toBe('tok');
    expect(urls).toEqual(['https://oauth.example.test/oauth/token']);
  });
});
