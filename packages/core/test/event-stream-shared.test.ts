import { describe, expect, it } from 'vitest';
import {
  createEventStreamHub,
  EventStreamError,
  repairedSocket,
  streamFailureHint,
  streamStateLog,
  streamStatusText,
  streamTokenSource,
  tokenHostsOf,
  type SharedStreamOptions,
  type StreamView,
} from '../src';
import { chatEvent, fakeClock, fakeSockets, settle, tokenSource } from './event-stream-fakes';

/** The hub both hosts' WebSocket triggers join: one socket per (owner, subscription), a queue per listener. */
function setup() {
  const time = fakeClock();
  const net = fakeSockets();
  const tokens = tokenSource();
  const hub = createEventStreamHub();
  const options = (): SharedStreamOptions => ({
    subscriptionId: 'sub_1',
    getToken: tokens.getToken,
    webSocket: net.factory,
    clock: time.clock,
    random: () => 0.5,
    openTimeoutMs: 1e9,
    dedupe: false,
  });
  return { time, net, hub, options };
}

function listener() {
  const events: string[] = [];
  const views: StreamView[] = [];
  return {
    events,
    views,
    texts: () => views.map((v) => v.text),
    onEvent: (event: { payload?: Record<string, unknown> }) => {
      events.push(String((event.payload?.object as { id?: string }).id));
    },
    onState: (view: StreamView) => views.push(view),
  };
}

describe('createEventStreamHub', () => {
  it('shares one socket per owner and key, delivers to each listener in order, and closes with the last', async () => {
    const t = setup();
    const owner = {};
    const a = listener();
    const b = listener();
    const ja = t.hub.join(owner, 'k', t.options, a);
    const jb = t.hub.join(owner, 'k', t.options, b);
    t.hub.join({}, 'k', t.options, listener());
    expect(t.hub.size()).toBe(2);
    await settle();
    expect(t.net.sockets).toHaveLength(2);
    t.net.sockets[0]!.accept();
    await settle();
    t.net.sockets[0]!.event(chatEvent(1));
    t.net.sockets[0]!.event(chatEvent(2));
    await settle();
    expect(a.events).toEqual(['msg-1', 'msg-2']);
    expect(b.events).toEqual(['msg-1', 'msg-2']);
    // b joined after the first state change: it was told the state it found.
    expect(b.texts()[0]).toBe('connecting');
    expect(a.texts()).toContain('connected');
    await ja.leave();
    expect(t.net.sockets[0]!.closeCalls).toHaveLength(0);
    await jb.leave();
    expect(t.net.sockets[0]!.closeCalls).toHaveLength(1);
    expect(t.hub.size()).toBe(1);
  });

  it('one slow listener holds up no other, and a listener that left gets nothing queued for it', async () => {
    const t = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { events: [] as string[], onEvent: async () => await gate };
    const fast = listener();
    const owner = {};
    const js = t.hub.join(owner, 'k', t.options, {
      onEvent: async (e) => {
        await slow.onEvent();
        slow.events.push(String(((e.payload as { object?: { id?: string } }).object ?? {}).id));
      },
    });
    t.hub.join(owner, 'k', t.options, fast);
    await settle();
    t.net.last.accept();
    await settle();
    t.net.last.event(chatEvent(1));
    t.net.last.event(chatEvent(2));
    await settle();
    expect(fast.events).toEqual(['msg-1', 'msg-2']);
    expect(slow.events).toEqual([]);
    await js.leave();
    release();
    await settle();
    // The event in progress finishes; the one queued behind it is dropped.
    expect(slow.events).toEqual(['msg-1']);
  });

  it('counts down to the next reconnect every second, and ready() reports the first connection', async () => {
    const t = setup();
    const a = listener();
    const joined = t.hub.join({}, 'k', () => ({ ...t.options(), backoff: { initialMs: 10_000 } }), a);
    const ready = joined.ready(60_000);
    await settle();
    t.net.last.accept();
    await settle();
    expect((await ready)?.status).toBe('connected');
    t.net.last.serverClose(1006);
    await settle();
    const waiting = a.views.filter((v) => v.state.status === 'reconnecting');
    expect(waiting[0]?.tick).toBe(false);
    expect(waiting[0]?.text).toMatch(/^reconnecting \(\d+s\)$/);
    const first = Number(/\((\d+)s\)/.exec(waiting[0]!.text)![1]);
    await t.time.advance(1000);
    const ticks = a.views.filter((v) => v.tick);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.at(-1)?.text).toBe(`reconnecting (${first - 1}s)`);
    await joined.leave();
  });

  it('ready() gives up after its timeout with undefined, and tells a late joiner that the stream failed', async () => {
    const t = setup();
    const joined = t.hub.join({}, 'k', t.options, listener());
    const ready = joined.ready(30_000);
    await t.time.advance(30_000);
    expect(await ready).toBeUndefined();
    t.net.last.reject(404, '{"code":404,"message":"subscription not found"}');
    await settle();
    const late = listener();
    t.hub.join({}, 'k', t.options, late);
    const owner = {};
    const j = t.hub.join(owner, 'x', t.options, listener());
    await settle();
    t.net.last.reject(404, 'not found');
    await settle();
    const later = listener();
    t.hub.join(owner, 'x', t.options, later);
    expect(later.views[0]?.state.status).toBe('failed');
    expect(later.views[0]?.text).toBe('failed: subscription not found');
    expect((await j.ready(1))?.status).toBe('failed');
    await joined.leave();
    await j.leave();
  });

  it('leaves nothing behind when the stream settings are refused', () => {
    const t = setup();
    expect(() => t.hub.join({}, 'k', () => ({ ...t.options(), subscriptionId: 'two words' }), listener())).toThrow(
      /subscriptionId/,
    );
    expect(t.hub.size()).toBe(0);
  });
});

describe('stream status, log lines and hints', () => {
  it('reads each state as a short status line', () => {
    expect(streamStatusText({ status: 'connecting', attempt: 1 }, 0, 0)).toBe('connecting');
    expect(streamStatusText({ status: 'connecting', attempt: 3 }, 0, 0)).toBe('connecting (attempt 3)');
    const reconnecting = {
      status: 'reconnecting',
      attempt: 1,
      retryInMs: 5000,
      disconnectedSince: 0,
      reason: 'x',
    } as const;
    expect(streamStatusText(reconnecting, 10_000, 5_800)).toBe('reconnecting (5s)');
    expect(streamStatusText(reconnecting, 10_000, 10_500)).toBe('reconnecting (0s)');
    const failed = (code: ConstructorParameters<typeof EventStreamError>[1], status?: number) =>
      streamStatusText({ status: 'failed', error: new EventStreamError('m', code, status) }, 0, 0);
    expect(failed('handshake_rejected', 403)).toBe('failed: connection refused (403)');
    expect(failed('unauthorized')).toBe('failed: credentials refused');
    expect(failed('config')).toBe('failed: configuration');
    expect(streamStatusText({ status: 'stopped' }, 0, 0)).toBe('disconnected');
  });

  it('logs drops and reconnects, and names the setting to check', () => {
    const stats = { connects: 2, disconnects: 1, disconnectedMs: 4_400, events: 0, duplicates: 0 };
    expect(streamStateLog({ status: 'connected', since: 0, reconnects: 1 }, stats)).toEqual({
      level: 'info',
      message: 'reconnected (reconnect 1; 4 s disconnected in total, events in that time are not redelivered by Zoom)',
    });
    expect(streamStateLog({ status: 'connected', since: 0, reconnects: 0 }, stats)).toBeUndefined();
    expect(
      streamStateLog(
        { status: 'reconnecting', attempt: 1, retryInMs: 2_600, disconnectedSince: 0, reason: 'closed' },
        stats,
      ),
    ).toEqual({ level: 'warn', message: 'disconnected (closed); reconnecting in 3 s' });
    expect(streamFailureHint(new EventStreamError('m', 'subscription_not_found', 404), '"Sub"')).toMatch(
      /^Check "Sub": /,
    );
    expect(streamFailureHint(new EventStreamError('m', 'config'), '"Sub"')).toBe('');
  });
});

describe('streamTokenSource and tokenHostsOf', () => {
  it('drops only the token Zoom refused, and reports every token handed out', async () => {
    let n = 0;
    const invalidated: string[] = [];
    const seen: string[] = [];
    const provider = {
      getToken: async () => `t${++n}`,
      invalidate: async (token: string) => void invalidated.push(token),
    };
    const getToken = streamTokenSource(() => provider, { onToken: (t) => seen.push(t) });
    expect(await getToken({ forceRefresh: true })).toBe('t1');
    expect(invalidated).toEqual([]);
    expect(await getToken({ forceRefresh: true })).toBe('t2');
    expect(invalidated).toEqual(['t1']);
    expect(seen).toEqual(['t1', 't2']);
    const none = streamTokenSource(async () => ({ ...provider, getToken: async () => undefined }));
    await expect(none({ forceRefresh: false })).rejects.toThrow('Zoom did not return an access token');
  });

  it('allows Zoom and the hosts of the given URLs only, ignoring malformed ones', () => {
    const allow = tokenHostsOf(['http://127.0.0.1:9/v2', 'not a url', undefined]);
    expect(allow('ws.zoom.us')).toBe(true);
    expect(allow('ws.zoomgov.com')).toBe(true);
    expect(allow('127.0.0.1')).toBe(true);
    expect(allow('evil.example.com')).toBe(false);
    expect(allow('zoom.us.evil.example.com')).toBe(false);
  });
});

describe('repairedSocket', () => {
  class Undici6 {
    static last: Undici6;
    readyState = 0;
    closed = 0;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor(readonly url: string) {
      Undici6.last = this;
    }
    send() {}
    close() {
      this.closed++;
    }
  }

  it('turns an error before open into one close, and ignores a late real close', () => {
    const closes: number[] = [];
    const socket = repairedSocket(Undici6, 'ws://127.0.0.1/ws');
    socket.onclose = (ev) => closes.push(ev.code);
    Undici6.last.onerror?.({});
    expect(closes).toEqual([1006]);
    expect(socket.readyState).toBe(3);
    expect(Undici6.last.closed).toBe(1);
    Undici6.last.onclose?.({ code: 1000, reason: '' });
    expect(closes).toEqual([1006]);
  });

  it('leaves an error after open to the real close', () => {
    const closes: number[] = [];
    const socket = repairedSocket(Undici6, 'ws://127.0.0.1/ws');
    socket.onclose = (ev) => closes.push(ev.code);
    Undici6.last.onopen?.({});
    Undici6.last.onerror?.({});
    expect(closes).toEqual([]);
    Undici6.last.onclose?.({ code: 1001, reason: 'bye' });
    expect(closes).toEqual([1001]);
  });
});
