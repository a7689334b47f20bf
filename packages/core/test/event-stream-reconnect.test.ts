import { afterEach, describe, expect, it } from 'vitest';
import {
  createEventStream,
  EventStreamError,
  ZoomAuthError,
  type EventStream,
  type EventStreamOptions,
  type EventStreamState,
} from '../src';
import { fakeClock, fakeSockets, recordingLogger, settle, tokenSource } from './event-stream-fakes';

/** Reconnects, token refreshes and permanent failures, on a manual clock. */
let stream: EventStream | undefined;
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
});

function setup(overrides: Partial<EventStreamOptions> = {}) {
  const time = fakeClock();
  const net = fakeSockets();
  const tokens = tokenSource();
  const states: EventStreamState[] = [];
  const log = recordingLogger();
  stream = createEventStream({
    subscriptionId: 'sub_ABC123',
    getToken: tokens.getToken,
    webSocket: net.factory,
    clock: time.clock,
    random: () => 0.5,
    // Upgrades never time out unless a test says so: the tests decide how each attempt ends.
    openTimeoutMs: 1e9,
    logger: log.logger,
    onEvent: () => undefined,
    onState: (s) => states.push(s),
    ...overrides,
  });
  return { s: stream, time, net, tokens, states, log };
}

async function open(t: ReturnType<typeof setup>) {
  await settle();
  t.net.last.accept();
  await settle();
  expect(t.s.state.status).toBe('connected');
}

/** Advances far enough for any backoff, then reports how many sockets exist. */
async function socketsAfter(t: ReturnType<typeof setup>, ms: number) {
  await t.time.advance(ms);
  return t.net.sockets.length;
}

describe('createEventStream: reconnecting', () => {
  it('reconnects after an abrupt drop with jittered backoff and a new token, counting the time disconnected', async () => {
    const t = setup();
    t.s.start();
    await open(t);
    const droppedAt = t.time.now + 5_000;
    await t.time.advance(5_000);
    t.net.last.serverClose(1006, '');
    await settle();
    expect(t.s.state).toEqual({
      status: 'reconnecting',
      attempt: 1,
      retryInMs: 550, // 1 000 × (0.1 + 0.9 × 0.5)
      disconnectedSince: droppedAt,
      reason: 'connection closed (code 1006)',
    });
    await t.time.advance(549);
    expect(t.net.sockets).toHaveLength(1);
    await t.time.advance(1);
    expect(t.net.sockets).toHaveLength(2);
    expect(t.tokens.calls).toEqual([false, false]);
    expect(t.net.last.token).toBe(t.tokens.issued[1]);
    t.net.last.accept();
    await settle();
    expect(t.s.state).toEqual({ status: 'connected', since: t.time.now, reconnects: 1 });
    expect(t.s.stats()).toMatchObject({
      connects: 2,
      disconnects: 1,
      disconnectedMs: 550,
      lastError: 'connection closed (code 1006)',
    });
  });

  it('grows the delay while connections keep failing, jittered by random, capped at maxMs', async () => {
    const draws = [0, 1, 0.5, 1, 1, 1, 1, 1];
    const t = setup({ random: () => draws.shift() ?? 1, backoff: { initialMs: 1_000, maxMs: 8_000, factor: 2 } });
    t.s.start();
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.net.last.serverClose(1006); // fails before open: the quick retry, then counted refusals
      await settle();
      const st = t.s.state;
      if (st.status === 'reconnecting') {
        delays.push(st.retryInMs);
        await t.time.advance(st.retryInMs);
      }
    }
    // The first failure retried at once with a fresh token; the next ones backed off.
    expect(delays[0]).toBe(100); // attempt 1, random 0: the 10 % floor of 1 000
    expect(delays[1]).toBe(2_000); // attempt 2, random 1
    expect(delays.slice(2)).toEqual([2_200, 8_000]); // attempt 3 (0.5 of 4 000), attempt 4 capped at 8 000
    expect(t.s.state.status).toBe('failed');
  });

  it('starts the backoff over once a connection stayed up, not after a flapping one', async () => {
    const t = setup({ random: () => 1, heartbeatMs: 30_000 });
    t.s.start();
    await open(t);
    // Three short-lived connections: the delay doubles each time.
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await t.time.advance(1_000);
      t.net.last.serverClose(1001, 'going away');
      await settle();
      const st = t.s.state as Extract<EventStreamState, { status: 'reconnecting' }>;
      delays.push(st.retryInMs);
      await t.time.advance(st.retryInMs);
      await open(t);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    // Up for 10 s (the stability threshold): back to the first delay.
    await t.time.advance(10_000);
    t.net.last.serverClose(1001, 'going away');
    await settle();
    expect(t.s.state).toMatchObject({
      status: 'reconnecting',
      retryInMs: 1_000,
      reason: 'connection closed (code 1001: going away)',
    });
  });

  it('keeps retrying through outages (5xx, 429, network errors, timeouts) without giving up', async () => {
    const t = setup({ backoff: { initialMs: 100, maxMs: 1_000 }, openTimeoutMs: 500 });
    t.s.start();
    for (let i = 0; i < 30; i++) {
      await settle();
      const sock = t.net.last;
      if (i % 4 === 0) sock.reject(503, '{"code":503,"message":"Service unavailable"}');
      else if (i % 4 === 1) sock.reject(429);
      else if (i % 4 === 2) {
        sock.readyState = 3;
        sock.onerror?.({
          message: 'connect ECONNREFUSED 127.0.0.1:1',
          error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
        });
        sock.onclose?.({ code: 1006, reason: '' });
      } else await t.time.advance(500); // open timeout
      await settle();
      const st = t.s.state;
      if (st.status !== 'reconnecting') throw new Error(`attempt ${i}: expected reconnecting, got ${st.status}`);
      expect(st.retryInMs).toBeLessThanOrEqual(1_000);
      await t.time.advance(st.retryInMs);
    }
    expect(t.net.sockets).toHaveLength(31);
    expect(t.s.stats().lastError).toBeDefined();
    await open(t);
  });
});

describe('createEventStream: tokens', () => {
  it('after a 401 on the upgrade, mints a new token and reconnects at once', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.reject(401, '{"code":124,"message":"Invalid access token."}');
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    expect(t.tokens.calls).toEqual([false, true]);
    expect(t.net.last.token).toBe(t.tokens.issued[1]);
    t.net.last.accept();
    await settle();
    expect(t.s.state).toMatchObject({ status: 'connected', reconnects: 0 });
  });

  it('after an auth close of an open connection (expired token), reconnects at once with a new token', async () => {
    const t = setup();
    t.s.start();
    await open(t);
    await t.time.advance(60_000);
    t.net.last.serverClose(4001, 'access token expired');
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    expect(t.tokens.calls).toEqual([false, true]);
    await open(t);
    // A second auth close soon after: no second immediate retry (no tight loop), but still a fresh token.
    t.net.last.serverClose(4001, 'access token expired');
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    expect(t.s.state).toMatchObject({ status: 'reconnecting' });
    await t.time.advance(60_000);
    expect(t.tokens.calls).toEqual([false, true, true]);
  });

  it.each([
    [1008, ''],
    [4003, ''],
    [1000, 'Access token is expired.'],
  ])('treats close %i "%s" of an open connection as a token problem', async (code, reason) => {
    const t = setup();
    t.s.start();
    await open(t);
    await t.time.advance(60_000);
    t.net.last.serverClose(code, reason);
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    expect(t.tokens.calls).toEqual([false, true]);
  });

  it('a plain close (1000, 1001, 4000 idle) reconnects after the backoff with the cached token', async () => {
    for (const code of [1000, 1001, 4000]) {
      const t = setup();
      t.s.start();
      await open(t);
      await t.time.advance(60_000);
      t.net.last.serverClose(code, 'bye');
      await settle();
      expect(t.net.sockets).toHaveLength(1);
      await t.time.advance(550);
      expect(t.net.sockets).toHaveLength(2);
      expect(t.tokens.calls).toEqual([false, false]);
      await stream!.stop();
    }
  });

  it('gives up after maxHandshakeRejections 401s with fresh tokens: failed, unauthorized, no more attempts', async () => {
    const t = setup({ maxHandshakeRejections: 3 });
    t.s.start();
    for (let i = 0; i < 10 && t.s.state.status !== 'failed'; i++) {
      await settle();
      t.net.last.reject(401, '{"code":124,"message":"Invalid access token."}');
      await t.time.advance(120_000);
    }
    const st = t.s.state;
    if (st.status !== 'failed') throw new Error(`expected failed, got ${st.status}`);
    expect(st.error).toBeInstanceOf(EventStreamError);
    expect(st.error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(st.error.message).toContain('sub_ABC123');
    expect(st.error.message).toContain('Invalid access token');
    // 1 with the cached token, then 3 refusals with fresh ones.
    expect(t.net.sockets).toHaveLength(4);
    expect(t.tokens.calls).toEqual([false, true, true, true]);
    expect(await socketsAfter(t, 3_600_000)).toBe(4);
    expect(t.time.pending()).toEqual([]);
  });

  it('a refusal the socket cannot explain (WHATWG: no status) is retried with a fresh token, then bounded', async () => {
    const t = setup({ maxHandshakeRejections: 4 });
    t.s.start();
    for (let i = 0; i < 20 && t.s.state.status !== 'failed'; i++) {
      await settle();
      t.net.last.failBeforeOpen();
      await t.time.advance(120_000);
    }
    const st = t.s.state;
    if (st.status !== 'failed') throw new Error(`expected failed, got ${st.status}`);
    expect(st.error.code).toBe('handshake_rejected');
    expect(st.error.message).toContain('sub_ABC123');
    expect(t.net.sockets).toHaveLength(5);
    expect(t.tokens.calls).toEqual([false, true, true, true, true]);
    expect(await socketsAfter(t, 3_600_000)).toBe(5);
  });

  it('a 404 fails at once with an error naming the subscription ID, without a retry loop', async () => {
    const t = setup({ subscriptionId: 'sub_DOES_NOT_EXIST' });
    t.s.start();
    await settle();
    t.net.last.reject(404, '{"code":404,"message":"Subscription does not exist."}');
    await settle();
    const st = t.s.state;
    if (st.status !== 'failed') throw new Error(`expected failed, got ${st.status}`);
    expect(st.error).toMatchObject({ code: 'subscription_not_found', status: 404 });
    expect(st.error.message).toContain('"sub_DOES_NOT_EXIST"');
    expect(st.error.message).toContain('Subscription does not exist.');
    expect(await socketsAfter(t, 3_600_000)).toBe(1);
    expect(t.time.pending()).toEqual([]);
    expect(t.s.stats().lastError).toContain('sub_DOES_NOT_EXIST');
    expect(t.log.lines.filter((l) => l.startsWith('error'))).toHaveLength(1);
  });

  it('other 4xx refusals count toward the bound and end as handshake_rejected', async () => {
    const t = setup({ maxHandshakeRejections: 2 });
    t.s.start();
    for (let i = 0; i < 10 && t.s.state.status !== 'failed'; i++) {
      await settle();
      t.net.last.reject(400, '{"code":300,"message":"Bad request"}');
      await t.time.advance(120_000);
    }
    expect(t.s.state).toMatchObject({ status: 'failed', error: { code: 'handshake_rejected', status: 400 } });
    expect(t.net.sockets).toHaveLength(2);
  });

  it('wrong credentials (the token endpoint answers 4xx) fail at once; network trouble there is retried', async () => {
    const bad = setup({
      getToken: () =>
        Promise.reject(
          new ZoomAuthError('Zoom refused the token request (HTTP 400, invalid_client)', 400, 'invalid_client'),
        ),
    });
    bad.s.start();
    await settle();
    expect(bad.s.state).toMatchObject({ status: 'failed', error: { code: 'unauthorized', status: 400 } });
    expect(bad.net.sockets).toHaveLength(0);
    await stream!.stop();

    let calls = 0;
    const flaky = setup({
      getToken: async () => {
        calls++;
        if (calls < 3) throw new ZoomAuthError('Could not get a Zoom token from zoom.us: ECONNRESET', 0, 'ECONNRESET');
        return 'eyJSECRET.flaky.tokenvalue';
      },
    });
    flaky.s.start();
    await settle();
    expect(flaky.s.state).toMatchObject({
      status: 'reconnecting',
      reason: expect.stringContaining('could not get an access token'),
    });
    await flaky.time.advance(5_000);
    expect(flaky.net.sockets).toHaveLength(1);
    await open(flaky);
  });

  it('a getToken that resolves nothing is a configuration failure', async () => {
    const t = setup({ getToken: async () => '' });
    t.s.start();
    await settle();
    expect(t.s.state).toMatchObject({ status: 'failed', error: { code: 'config' } });
  });
});
