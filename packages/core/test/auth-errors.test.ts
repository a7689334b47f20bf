import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenProvider, type AuthConfig } from '../src/auth';
import { createMemoryTokenStore } from '../src/defaults';
import { ZoomAuthError } from '../src/errors';
import { createFetchTransport } from '../src/http/fetch-transport';
import { TransportError, type Transport } from '../src/ports';
import { everythingIn, manualClock, recordingLogger, startFakeZoom, type FakeZoom } from './auth-fake-zoom';

const SECRET = 'sEcReT-9f8e7d6c5b4a';
const S2S = { clientId: 'err-s2s', clientSecret: SECRET, type: 's2s' as const, accountId: 'acct-err' };
const GENERAL = { clientId: 'err-general', clientSecret: 'gEnErAl-SeCrEt-1234', type: 'general' as const };
const BASIC = Buffer.from(`${S2S.clientId}:${SECRET}`).toString('base64');

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.addApp(S2S);
  zoom.addApp(GENERAL);
});
afterAll(() => zoom.close());
beforeEach(() => {
  zoom.overrides = [];
  zoom.delayMs = 0;
});

function setup(auth: AuthConfig, opts: { transport?: Transport; oauthBaseUrl?: string; timeoutMs?: number } = {}) {
  const clock = manualClock();
  const logger = recordingLogger();
  const p = createTokenProvider(auth, {
    transport: opts.transport ?? createFetchTransport(),
    clock,
    tokenStore: createMemoryTokenStore(),
    logger,
    oauthBaseUrl: opts.oauthBaseUrl ?? zoom.baseUrl,
    timeoutMs: opts.timeoutMs,
  });
  return { p, clock, logger };
}

async function failure(promise: Promise<unknown>): Promise<ZoomAuthError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZoomAuthError);
  return err as ZoomAuthError;
}

function expectNoSecrets(text: string, secrets: string[]) {
  for (const s of secrets) expect(text).not.toContain(s);
}

const account = (over: Partial<Extract<AuthConfig, { kind: 'account' }>> = {}): AuthConfig => ({
  kind: 'account',
  accountId: S2S.accountId,
  clientId: S2S.clientId,
  clientSecret: SECRET,
  ...over,
});

describe('errors Zoom answers', () => {
  it('invalid_client: actionable message, status and code, and the secret nowhere (message, stack, JSON, causes, logs)', async () => {
    const wrongSecret = 'wrong-SECRET-abcdef';
    const { p, logger } = setup(account({ clientSecret: wrongSecret }));
    const err = await failure(p.getToken());
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_client');
    expect(err.message).toMatch(/check the Client ID and Client Secret of the Zoom app/i);
    expect(err.message).toContain('Invalid client_id or client_secret');
    const wrongBasic = Buffer.from(`${S2S.clientId}:${wrongSecret}`).toString('base64');
    expectNoSecrets(everythingIn(err), [wrongSecret, wrongBasic]);
    expectNoSecrets(JSON.stringify(logger.lines), [wrongSecret, wrongBasic]);
    expect(logger.lines.length).toBeGreaterThan(0);
  });

  it('a wrong account ID points at the Account ID', async () => {
    const err = await failure(setup(account({ accountId: 'not-my-account' })).p.getToken());
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/Check the Account ID/);
    expectNoSecrets(everythingIn(err), [SECRET, BASIC]);
  });

  it('a General app used as Server-to-Server says the app type does not match the auth kind', async () => {
    const err = await failure(
      setup({
        kind: 'account',
        accountId: 'x',
        clientId: GENERAL.clientId,
        clientSecret: GENERAL.clientSecret,
      }).p.getToken(),
    );
    expect(err.code).toBe('unsupported_grant_type');
    expect(err.message).toMatch(
      /app type does not match the auth kind: Server-to-Server OAuth apps use account_credentials/,
    );
    expect(err.message).toContain("this request used account_credentials (kind 'account')");
  });

  it('Zoom-style {code, message} errors are understood (4705 → app type)', async () => {
    zoom.overrides = [
      { status: 400, body: { code: 4705, message: 'Grant type is not supported from token endpoint.' } },
    ];
    const err = await failure(
      setup({ kind: 'chatbot', clientId: GENERAL.clientId, clientSecret: GENERAL.clientSecret }).p.getToken(),
    );
    expect(err.code).toBe(4705);
    expect(err.message).toMatch(/app type does not match the auth kind/);
  });

  it('a dead refresh token asks to re-authorize and never shows the refresh token', async () => {
    const dead = 'rt-dead-0123456789abcdef';
    const { p, logger } = setup({
      kind: 'user',
      clientId: GENERAL.clientId,
      clientSecret: GENERAL.clientSecret,
      refreshToken: dead,
    });
    const err = await failure(p.getToken());
    expect(err.code).toBe('invalid_grant');
    expect(err.message).toMatch(/re-authorize the app/);
    expectNoSecrets(everythingIn(err) + JSON.stringify(logger.lines), [dead, GENERAL.clientSecret]);
  });

  it('secrets Zoom echoes back in its reason are scrubbed', async () => {
    zoom.overrides = [
      { status: 400, body: { reason: `bad request for ${SECRET} with Basic ${BASIC}`, error: 'invalid_request' } },
    ];
    const err = await failure(setup(account()).p.getToken());
    expect(err.message).toContain('[redacted]');
    expectNoSecrets(everythingIn(err), [SECRET, BASIC]);
  });

  it('a 200 without an access_token (or not JSON) is an error that does not quote the body', async () => {
    zoom.overrides = [{ status: 200, body: '{"refresh_token":"rt-leak-me-please"' }];
    const err = await failure(setup(account()).p.getToken());
    expect(err.message).toMatch(/not JSON/);
    expect(everythingIn(err)).not.toContain('rt-leak-me-please');
  });

  it('5xx and 429 are retried with backoff for account_credentials, then reported', async () => {
    const { p, clock } = setup(account());
    zoom.overrides = [{ status: 502, body: '<html>bad gateway</html>' }];
    const before = zoom.hits.length;
    expect(await p.getToken()).toMatch(/^at-/);
    expect(zoom.hits.length - before).toBe(2);
    expect(clock.sleeps).toEqual([200]);

    const q = setup(account({ accountId: S2S.accountId }));
    zoom.overrides = [
      { status: 429, body: { code: 429, message: 'Too many requests' }, headers: { 'retry-after': '2' } },
      { status: 503, body: {} },
      { status: 503, body: {} },
    ];
    const err = await failure(q.p.getToken());
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/try again later/);
    expect(q.clock.sleeps).toEqual([2000, 600]);
  });

  it('a refresh that may have reached Zoom is never repeated (it would burn the rotated token)', async () => {
    zoom.grantRefreshToken('rt-err-once');
    zoom.overrides = [{ status: 503, body: {} }];
    const before = zoom.hits.length;
    const err = await failure(
      setup({
        kind: 'user',
        clientId: GENERAL.clientId,
        clientSecret: GENERAL.clientSecret,
        refreshToken: 'rt-err-once',
      }).p.getToken(),
    );
    expect(err.status).toBe(503);
    expect(zoom.hits.length - before).toBe(1);

    zoom.overrides = ['destroy'];
    const err2 = await failure(
      setup({
        kind: 'user',
        clientId: GENERAL.clientId,
        clientSecret: GENERAL.clientSecret,
        refreshToken: 'rt-err-once',
      }).p.getToken(),
    );
    expect(err2.status).toBe(0);
    expect(zoom.hits.length - before).toBe(2);
  });
});

describe('network failures', () => {
  it('a dropped connection is retried for account_credentials', async () => {
    zoom.overrides = ['destroy'];
    const before = zoom.hits.length;
    const { p, clock } = setup(account());
    expect(await p.getToken()).toMatch(/^at-/);
    expect(zoom.hits.length - before).toBe(2);
    expect(clock.sleeps).toEqual([200]);
  });

  it('connection refused: three attempts, then a ZoomAuthError whose cause holds no request details', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    let attempts = 0;
    const fetchTransport = createFetchTransport();
    const counting: Transport = (req) => {
      attempts++;
      return fetchTransport(req);
    };
    const { p, clock } = setup(account(), { transport: counting, oauthBaseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(p.getToken());
    expect(attempts).toBe(3);
    expect(clock.sleeps).toEqual([200, 600]);
    expect(err.status).toBe(0);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(err.message).toContain('after 3 attempts');
    expect(err.cause).toBeInstanceOf(TransportError);
    expect((err.cause as TransportError).cause).toBeUndefined();
    expectNoSecrets(everythingIn(err), [SECRET, BASIC]);
  });

  it('a transport error that carries the request (Authorization header) is cut from the cause chain', async () => {
    const leaky: Transport = async (req) => {
      const inner = Object.assign(new Error(`socket hang up sending ${req.headers.authorization}`), {
        request: req,
        code: 'ECONNRESET',
      });
      throw new TransportError(`failed with ${req.headers.authorization}`, {
        code: 'ECONNRESET',
        sentNothing: false,
        cause: inner,
      });
    };
    const err = await failure(setup(account(), { transport: leaky }).p.getToken());
    expect(err.code).toBe('ECONNRESET');
    expectNoSecrets(everythingIn(err), [SECRET, BASIC]);
  });

  it('a token endpoint that never answers times out per request (bounded), and is retried', async () => {
    zoom.overrides = ['hang', 'hang', 'hang'];
    const started = Date.now();
    const err = await failure(setup(account(), { timeoutMs: 150 }).p.getToken());
    // Three 150 ms timeouts, not the 15 s default; 10 s leaves a loaded CI machine room and still tells them apart.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/no answer within 150 ms/);
    expect((err.cause as TransportError).timedOut).toBe(true);
  });
});
