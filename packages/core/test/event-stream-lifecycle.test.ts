import { afterEach, describe, expect, it } from 'vitest';
import { createEventStream, type EventStream, type EventStreamOptions, type EventStreamState } from '../src';
import { chatEvent, fakeClock, fakeSockets, recordingLogger, settle, tokenSource } from './event-stream-fakes';

/** start/stop and secrets, on a manual clock. */
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
  const events: string[] = [];
  const log = recordingLogger();
  stream = createEventStream({
    subscriptionId: 'sub_ABC123',
    getToken: tokens.getToken,
    webSocket: net.factory,
    clock: time.clock,
    random: () => 0.5,
    logger: log.logger,
    onEvent: (e) => {
      events.push((e.payload as { object: { id: string } }).object.id);
    },
    onState: (s) => states.push(s),
    ...overrides,
  });
  return { s: stream, time, net, tokens, states, events, log };
}

describe('createEventStream: start and stop', () => {
  it('start() is idempotent', async () => {
    const t = setup();
    t.s.start();
    t.s.start();
    await settle();
    t.s.start();
    expect(t.net.sockets).toHaveLength(1);
    expect(t.tokens.calls).toHaveLength(1);
  });

  it('stop() while connected closes the socket with 1000, cancels the heartbeat and leaves nothing pending', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    expect(t.time.pending()).toEqual([30_000]);
    await t.s.stop();
    expect(t.net.last.closeCalls).toEqual([{ code: 1000, reason: 'client stopped' }]);
    expect(t.net.last.readyState).toBe(3);
    expect(t.s.state).toEqual({ status: 'stopped' });
    expect(t.states.at(-1)).toEqual({ status: 'stopped' });
    expect(t.time.pending()).toEqual([]);
    await t.time.advance(3_600_000);
    expect(t.net.sockets).toHaveLength(1);
    expect(t.net.last.heartbeats).toBe(0);
  });

  it('stop() during the backoff cancels the sleep; during connecting it closes the pending socket', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.failBeforeOpen(); // quick retry
    await settle();
    t.net.last.failBeforeOpen(); // now backing off
    await settle();
    expect(t.s.state.status).toBe('reconnecting');
    expect(t.time.pending()).toEqual([550]);
    await t.s.stop();
    expect(t.time.pending()).toEqual([]);
    await t.time.advance(3_600_000);
    expect(t.net.sockets).toHaveLength(2);

    const u = setup();
    u.s.start();
    await settle();
    expect(u.net.last.readyState).toBe(0);
    await u.s.stop();
    expect(u.net.last.closeCalls).toHaveLength(1);
    expect(u.time.pending()).toEqual([]);
  });

  it('stop() while getToken is pending resolves at once and opens nothing afterwards', async () => {
    let release!: (t: string) => void;
    const t = setup({ getToken: () => new Promise<string>((r) => (release = r)) });
    t.s.start();
    await settle();
    await t.s.stop();
    release('eyJSECRET.late.tokenvalue');
    await settle();
    expect(t.net.sockets).toHaveLength(0);
    expect(t.s.state.status).toBe('stopped');
  });

  it('stop() waits for a socket that is slow to close, and gives up on it after 3 s', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    // A socket that never reports close (a server that ignores the close frame).
    t.net.last.close = function close(code?: number, reason?: string) {
      this.closeCalls.push({ code, reason });
      this.readyState = 2;
    };
    let done = false;
    const stopping = t.s.stop().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    await t.time.advance(3_000);
    await stopping;
    expect(done).toBe(true);
    expect(t.time.pending()).toEqual([]);
  });

  it('events queued behind a slow handler are not delivered after stop()', async () => {
    let release!: () => void;
    const seen: string[] = [];
    const t = setup({
      onEvent: (e) => {
        seen.push((e.payload as { object: { id: string } }).object.id);
        return new Promise<void>((r) => (release = r));
      },
    });
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(2));
    await settle();
    await t.s.stop();
    release();
    await settle();
    expect(seen).toEqual(['msg-1']);
  });

  it('start() after a failure or a stop starts afresh', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.reject(404, '');
    await settle();
    expect(t.s.state.status).toBe('failed');
    t.s.start();
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    t.net.last.accept();
    await settle();
    expect(t.s.state.status).toBe('connected');
    await t.s.stop();
    t.s.start();
    await settle();
    expect(t.net.sockets).toHaveLength(3);
    expect(t.s.state).toEqual({ status: 'connecting', attempt: 1 });
  });

  it('stop() does not wait for a host clock whose sleep ignores the abort signal', async () => {
    const time = fakeClock();
    const net = fakeSockets();
    stream = createEventStream({
      subscriptionId: 'sub_ABC123',
      getToken: tokenSource().getToken,
      webSocket: net.factory,
      clock: { now: time.clock.now, sleep: (ms) => time.clock.sleep(ms) }, // like a plain sleep(ms)
      random: () => 0.5,
      onEvent: () => undefined,
    });
    stream.start();
    await settle();
    net.last.accept();
    await settle();
    net.last.serverClose(1006);
    await settle();
    expect(stream.state.status).toBe('reconnecting');
    let done = false;
    void stream.stop().then(() => (done = true));
    await settle();
    expect(done).toBe(true);
    await time.advance(3_600_000);
    expect(net.sockets).toHaveLength(1);
    expect(net.last.heartbeats).toBe(0);
  });

  it('a clock whose sleep fails ends the stream instead of retrying in a tight loop', async () => {
    const net = fakeSockets();
    stream = createEventStream({
      subscriptionId: 'sub_ABC123',
      getToken: tokenSource().getToken,
      webSocket: net.factory,
      clock: { now: () => 0, sleep: () => Promise.reject(new Error('no timers here')) },
      onEvent: () => undefined,
    });
    stream.start();
    await settle();
    net.last.failBeforeOpen();
    await settle();
    net.last.failBeforeOpen();
    await settle();
    expect(stream.state).toMatchObject({
      status: 'failed',
      error: { code: 'config', message: expect.stringContaining('no timers here') },
    });
    expect(net.sockets).toHaveLength(2);
  });

  it('two stop() calls share one wait: neither resolves before the socket is closed', async () => {
    const t = setup();
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    t.net.last.close = function close(code?: number, reason?: string) {
      this.closeCalls.push({ code, reason });
      this.readyState = 2;
    };
    let first = false;
    let second = false;
    void t.s.stop().then(() => (first = true));
    void t.s.stop().then(() => (second = true));
    await settle();
    expect([first, second]).toEqual([false, false]);
    t.net.last.serverClose(1000, '', true);
    await settle();
    expect([first, second]).toEqual([true, true]);
    expect(t.s.state.status).toBe('stopped');
  });

  it('warns when events pile up behind a slow onEvent, without dropping any', async () => {
    const releases: Array<() => void> = [];
    const t = setup({ onEvent: () => new Promise<void>((r) => releases.push(r)), dedupe: false });
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    for (let i = 0; i < 1_000; i++) t.net.last.event(chatEvent(i));
    await settle();
    expect(t.log.lines.filter((l) => l.includes('waiting for onEvent'))).toEqual([
      'warn event stream: 1000 events are waiting for onEvent, which is slower than they arrive ',
    ]);
    let released = 0;
    while (released < releases.length) {
      releases[released++]!();
      await new Promise<void>((r) => setImmediate(r));
    }
    expect(releases).toHaveLength(1_000);
    expect(t.s.stats().events).toBe(1_000);
  });

  it('a throwing onState does not break the stream', async () => {
    const t = setup({
      onState: () => {
        throw new Error('host bug');
      },
    });
    t.s.start();
    await settle();
    t.net.last.accept();
    await settle();
    expect(t.s.state.status).toBe('connected');
    expect(t.log.lines.some((l) => l.includes('onState threw'))).toBe(true);
  });
});

describe('createEventStream: secrets', () => {
  it('never puts a token in a log line, error, state, reason or stats', async () => {
    const t = setup({ maxHandshakeRejections: 2, logger: undefined });
    const log = recordingLogger();
    stream = createEventStream({
      subscriptionId: 'sub_ABC123',
      getToken: t.tokens.getToken,
      webSocket: t.net.factory,
      clock: t.time.clock,
      random: () => 0.5,
      logger: log.logger,
      maxHandshakeRejections: 2,
      openTimeoutMs: 1e9,
      onEvent: () => undefined,
      onState: (s) => t.states.push(s),
    });
    const s = stream;
    s.start();
    await settle();
    const leakyUrl = () => t.net.last.url;
    // Everything a socket or server can say, echoing the URL (and so the token) back.
    t.net.last.accept();
    await settle();
    t.net.last.message(`garbage ${leakyUrl()}`);
    t.net.last.message(JSON.stringify({ module: 'message', content: `{"broken ${leakyUrl()}` }));
    t.net.last.onerror?.({ message: `socket error for ${leakyUrl()}` });
    t.net.last.serverClose(4001, `token expired: ${t.net.last.token}`);
    await settle();
    // The quick retry fails before open with no status, its error event quoting the URL.
    const second = t.net.last;
    second.readyState = 3;
    second.onerror?.({ message: `could not connect to ${leakyUrl()}` });
    second.onclose?.({ code: 1006, reason: '' });
    await settle();
    expect(s.state).toMatchObject({ status: 'reconnecting', reason: expect.stringContaining('access_token=***') });
    await t.time.advance(120_000);
    t.net.last.onerror?.({ error: new Error(`failed ${leakyUrl()}`) });
    t.net.last.reject(401, JSON.stringify({ code: 124, message: `token ${t.net.last.token} is invalid` }));
    await t.time.advance(120_000);
    expect(s.state.status).toBe('failed');
    expect(t.tokens.issued.length).toBeGreaterThanOrEqual(3);

    const everything = JSON.stringify({
      lines: log.lines,
      states: t.states.map((st) =>
        st.status === 'failed' ? { ...st, error: { message: st.error.message, code: st.error.code } } : st,
      ),
      stats: s.stats(),
    });
    for (const token of t.tokens.issued) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(encodeURIComponent(token));
    }
    // The part every token shares, too: nothing of a token survives.
    expect(everything).not.toContain('tokenvalue');
    expect(everything).toContain('access_token=***');
    expect(log.lines.length).toBeGreaterThan(5);
  });
});
