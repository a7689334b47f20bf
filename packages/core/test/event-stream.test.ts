import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeduper,
  createEventStream,
  type EventStream,
  type EventStreamOptions,
  type EventStreamState,
} from '../src';
import { chatEvent, fakeClock, fakeSockets, recordingLogger, settle, tokenSource } from './event-stream-fakes';

/** The stream against an in-memory socket and a manual clock: every timing is exact. */
let stream: EventStream | undefined;
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
});

function setup(overrides: Partial<EventStreamOptions> = {}) {
  const time = fakeClock();
  const net = fakeSockets();
  const tokens = tokenSource();
  const events: Array<{ event: string; event_ts: unknown; id: string; receivedAt: number; raw: string }> = [];
  const states: EventStreamState[] = [];
  const log = recordingLogger();
  stream = createEventStream({
    subscriptionId: 'sub_ABC123',
    getToken: tokens.getToken,
    webSocket: net.factory,
    clock: time.clock,
    random: () => 0.5,
    logger: log.logger,
    onEvent: (e, meta) => {
      const id = (e.payload as { object?: { id?: string } }).object?.id ?? '';
      events.push({ event: e.event, event_ts: e.event_ts, id, receivedAt: meta.receivedAt, raw: meta.raw });
    },
    onState: (s) => states.push(s),
    ...overrides,
  });
  return { s: stream, time, net, tokens, events, states, log };
}

async function connected(t: ReturnType<typeof setup>) {
  t.s.start();
  await settle();
  t.net.last.accept();
  await settle();
  expect(t.s.state.status).toBe('connected');
}

describe('createEventStream: connecting and heartbeats', () => {
  it('opens wss://ws.zoom.us/ws with the subscription ID and token, then heartbeats every 30 s', async () => {
    const t = setup();
    t.s.start();
    await settle();
    expect(t.s.state).toEqual({ status: 'connecting', attempt: 1 });
    const url = new URL(t.net.last.url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('wss://ws.zoom.us/ws');
    expect(url.searchParams.get('subscriptionId')).toBe('sub_ABC123');
    expect(url.searchParams.get('access_token')).toBe(t.tokens.issued[0]);
    expect(t.tokens.calls).toEqual([false]);

    t.net.last.accept();
    await settle();
    expect(t.s.state).toEqual({ status: 'connected', since: t.time.now, reconnects: 0 });
    // Only the heartbeat sleep is pending: the open timeout was cancelled by the open.
    expect(t.time.pending()).toEqual([30_000]);

    await t.time.advance(29_999);
    expect(t.net.last.heartbeats).toBe(0);
    await t.time.advance(1);
    expect(t.net.last.sent).toEqual(['{"module":"heartbeat"}']);
    await t.time.advance(60_000);
    expect(t.net.last.heartbeats).toBe(3);
    expect(t.net.sockets).toHaveLength(1);
  });

  it('uses heartbeatMs when given', async () => {
    const t = setup({ heartbeatMs: 5_000 });
    await connected(t);
    await t.time.advance(20_000);
    expect(t.net.last.heartbeats).toBe(4);
  });

  it('gives up an upgrade that does not finish within openTimeoutMs and retries after the backoff', async () => {
    const t = setup({ openTimeoutMs: 2_000 });
    t.s.start();
    await settle();
    await t.time.advance(1_999);
    expect(t.net.sockets).toHaveLength(1);
    await t.time.advance(1);
    expect(t.net.sockets[0]!.closeCalls).toHaveLength(1);
    expect(t.s.state).toMatchObject({ status: 'reconnecting', attempt: 1, retryInMs: 550 });
    await t.time.advance(550);
    expect(t.net.sockets).toHaveLength(2);
    // A socket that opens after its attempt was abandoned is closed, not used.
    t.net.sockets[0]!.readyState = 0;
    t.net.sockets[0]!.accept();
    expect(t.net.sockets[0]!.closeCalls.length).toBeGreaterThanOrEqual(2);
  });

  it('closes a connection whose server answered heartbeats and then went silent, and reconnects', async () => {
    const t = setup({ heartbeatMs: 30_000 });
    await connected(t);
    await t.time.advance(30_000);
    t.net.last.message('{"module":"heartbeat","success":true}');
    await settle();
    // Two more heartbeats go unanswered: 60 s of silence is not yet over the limit.
    await t.time.advance(60_000);
    expect(t.net.last.heartbeats).toBe(3);
    expect(t.s.state.status).toBe('connected');
    await t.time.advance(30_000);
    expect(t.net.sockets[0]!.closeCalls[0]).toMatchObject({ code: 4000 });
    expect(t.s.state).toMatchObject({ status: 'reconnecting' });
    expect(t.s.stats().lastError).toMatch(/no frame from the server for 90000 ms/);
  });

  it('with short heartbeats, still waits 10 s of silence before judging (a busy host is not a dead server)', async () => {
    const t = setup({ heartbeatMs: 1_000 });
    await connected(t);
    await t.time.advance(1_000);
    t.net.last.message('{"module":"heartbeat","success":true}');
    await settle();
    await t.time.advance(9_000);
    expect(t.s.state.status).toBe('connected');
    await t.time.advance(2_000);
    expect(t.s.state.status).toBe('reconnecting');
  });

  it('does not judge a server that never answers heartbeats', async () => {
    const t = setup({ heartbeatMs: 1_000 });
    await connected(t);
    await t.time.advance(20_000);
    expect(t.s.state.status).toBe('connected');
    expect(t.net.last.heartbeats).toBe(20);
    expect(t.net.sockets).toHaveLength(1);
  });
});

describe('createEventStream: messages', () => {
  it('delivers events in arrival order, one at a time, with receivedAt and the raw content', async () => {
    const releases: Array<() => void> = [];
    const started: string[] = [];
    const t = setup({
      onEvent: (e) =>
        new Promise<void>((resolve) => {
          started.push((e.payload as { object: { id: string } }).object.id);
          releases.push(resolve);
        }),
    });
    await connected(t);
    for (let i = 0; i < 3; i++) t.net.last.event(chatEvent(i));
    await settle();
    expect(started).toEqual(['msg-0']);
    releases[0]!();
    await settle();
    expect(started).toEqual(['msg-0', 'msg-1']);
    releases[1]!();
    await settle();
    releases[2]!();
    await settle();
    expect(started).toEqual(['msg-0', 'msg-1', 'msg-2']);
    expect(t.s.stats().events).toBe(3);
  });

  it('passes the event object and the exact content string', async () => {
    const t = setup();
    await connected(t);
    const content = JSON.stringify(chatEvent(7));
    t.net.last.message(JSON.stringify({ module: 'message', content }));
    await settle();
    expect(t.events).toEqual([
      { event: 'chat_message.sent', event_ts: 1_700_000_000_007, id: 'msg-7', receivedAt: t.time.now, raw: content },
    ]);
  });

  it('skips malformed frames with a warning, never throws, and keeps delivering', async () => {
    const t = setup();
    await connected(t);
    const sock = t.net.last;
    sock.event(chatEvent(1));
    sock.message('not json at all');
    sock.message('[1,2]');
    sock.message('{"content":"x"}');
    sock.message('{"module":"message"}');
    sock.message('{"module":"message","content":"{broken"}');
    sock.message('{"module":"message","content":"[]"}');
    sock.message(JSON.stringify({ module: 'message', content: JSON.stringify({ payload: {} }) }));
    sock.message(JSON.stringify({ module: 'message', content: JSON.stringify({ event: 'x', payload: 'str' }) }));
    sock.message(12345);
    sock.message('{"module":"something_new","data":1}');
    // Binary frames holding the same JSON are decoded, not dropped.
    sock.message(Buffer.from(JSON.stringify({ module: 'message', content: JSON.stringify(chatEvent(2)) })));
    sock.message(
      new TextEncoder().encode(JSON.stringify({ module: 'message', content: JSON.stringify(chatEvent(3)) })).buffer,
    );
    sock.event(chatEvent(4));
    await settle();
    expect(t.events.map((e) => e.id)).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4']);
    const warnings = t.log.lines.filter((l) => l.startsWith('warn') && l.includes('skipped'));
    expect(warnings).toHaveLength(9);
    expect(t.log.lines.some((l) => l.startsWith('debug') && l.includes('something_new'))).toBe(true);
    expect(t.s.state.status).toBe('connected');
  });

  it('keeps going when onEvent throws or rejects', async () => {
    let n = 0;
    const t = setup({
      onEvent: async () => {
        n++;
        if (n === 1) throw new Error('host bug');
        if (n === 2) return Promise.reject(new Error('async host bug'));
      },
    });
    await connected(t);
    for (let i = 0; i < 3; i++) t.net.last.event(chatEvent(i));
    await settle();
    expect(n).toBe(3);
    expect(t.log.lines.filter((l) => l.includes('onEvent threw'))).toHaveLength(2);
    expect(t.s.state.status).toBe('connected');
  });

  it('drops an event seen before, on the same connection or after a reconnect', async () => {
    const t = setup();
    await connected(t);
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(1, { payload: { object: { id: 'other-content' } } }));
    await settle();
    t.net.last.serverClose(1006);
    await t.time.advance(550);
    t.net.last.accept();
    await settle();
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(2));
    await settle();
    expect(t.events.map((e) => e.id)).toEqual(['msg-1', 'other-content', 'msg-2']);
    expect(t.s.stats()).toMatchObject({ events: 3, duplicates: 2 });
  });

  it('remembers events for 10 minutes by default', async () => {
    const t = setup();
    await connected(t);
    t.net.last.event(chatEvent(1));
    await settle();
    await t.time.advance(10 * 60 * 1000 + 1);
    t.net.last.event(chatEvent(1));
    await settle();
    expect(t.events).toHaveLength(2);
  });

  it('uses the given deduper, or none with dedupe: false', async () => {
    const keys: string[] = [];
    const inner = createDeduper();
    const t = setup({ dedupe: { seen: (k) => (keys.push(k), inner.seen(k)) } });
    await connected(t);
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(1));
    await settle();
    expect(t.events).toHaveLength(1);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^chat_message\.sent:1700000000001:[0-9a-f]{16}$/);
    await stream!.stop();

    const u = setup({ dedupe: false });
    await connected(u);
    u.net.last.event(chatEvent(1));
    u.net.last.event(chatEvent(1));
    await settle();
    expect(u.events).toHaveLength(2);
  });

  it('delivers anyway when the dedupe store fails', async () => {
    const t = setup({ dedupe: { seen: () => Promise.reject(new Error('store down')) } });
    await connected(t);
    t.net.last.event(chatEvent(1));
    await settle();
    expect(t.events).toHaveLength(1);
    expect(t.log.lines.some((l) => l.includes('de-duplication store failed'))).toBe(true);
  });
});
