import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebSocket as UndiciWebSocket } from 'undici';
import {
  createEventStream,
  nodeWebSocketFactory,
  systemClock,
  type EventStream,
  type EventStreamState,
  type WebSocketFactory,
  type WebSocketLike,
} from '../src';
import { startTestWsServer, until, type TestWsServer } from './event-stream-server';

/** Real sockets against a real `ws` server: the `ws` client through nodeWebSocketFactory, and undici's WHATWG WebSocket. */
let server: TestWsServer;
let stream: EventStream | undefined;
beforeEach(async () => {
  server = await startTestWsServer();
});
/** What the stream and the server saw, for a failing wait's message. */
const seen = () =>
  JSON.stringify({
    state: stream?.state,
    stats: stream?.stats(),
    upgrades: server.upgrades.map((u) => u.status),
    heartbeats: server.heartbeats,
  });

afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await server.close();
});

/** Like a real token provider: the cached token until told to refresh; every minted token is valid on the server. */
function tokens() {
  let n = 0;
  let cached: string | undefined;
  const calls: boolean[] = [];
  return {
    calls,
    getToken: async ({ forceRefresh }: { forceRefresh: boolean }) => {
      calls.push(forceRefresh);
      if (cached === undefined || forceRefresh) {
        cached = `tok_${++n}_secretvalue`;
        server.validTokens.add(cached);
      }
      return cached;
    },
  };
}

const event = (i: number) => ({
  event: 'chat_message.sent',
  event_ts: 1_700_000_000_000 + i,
  payload: { account_id: 'A', object: { i } },
});

const factories: Array<[string, WebSocketFactory]> = [
  ['ws via nodeWebSocketFactory', nodeWebSocketFactory(WebSocket)],
  ['undici WHATWG WebSocket', (url) => new UndiciWebSocket(url)],
];

describe.each(factories)('event stream over a real socket: %s', (_name, factory) => {
  it('connects, heartbeats, delivers events in order and reconnects after a drop with a new token', async () => {
    const t = tokens();
    const got: number[] = [];
    const states: EventStreamState['status'][] = [];
    stream = createEventStream({
      endpointUrl: `${server.url}?subscriptionId=${server.subscriptionId}`,
      getToken: t.getToken,
      webSocket: factory,
      clock: systemClock,
      heartbeatMs: 50,
      backoff: { initialMs: 20, maxMs: 100 },
      onEvent: (e) => {
        got.push((e.payload as { object: { i: number } }).object.i);
      },
      onState: (s) => states.push(s.status),
    });
    stream.start();
    await until(
      () => stream!.state.status === 'connected',
      5_000,
      () => `connected: ${seen()}`,
    );
    await until(
      () => server.heartbeats >= 2,
      5_000,
      () => `two heartbeats: ${seen()}`,
    );
    for (let i = 0; i < 5; i++) server.send(event(i));
    await until(
      () => got.length === 5,
      5_000,
      () => `five events: ${seen()}`,
    );
    expect(got).toEqual([0, 1, 2, 3, 4]);

    expect(server.drop()).toBe(1);
    await until(
      () => stream!.stats().connects === 2 && stream!.state.status === 'connected',
      5_000,
      () => `reconnected: ${seen()}`,
    );
    // A token is asked for again before reconnecting (the provider renews it if it is about to expire).
    expect(server.upgrades.map((u) => u.status)).toEqual([101, 101]);
    expect(t.calls).toEqual([false, false]);
    server.send(event(5));
    await until(
      () => got.length === 6,
      5_000,
      () => `event after reconnect: ${seen()}`,
    );
    expect(states).toContain('reconnecting');
    expect(stream.stats()).toMatchObject({ connects: 2, disconnects: 1, events: 6, duplicates: 0 });
  });

  it('fails on an unknown subscription with a clear error and stops trying', async () => {
    const t = tokens();
    stream = createEventStream({
      endpointUrl: server.url,
      subscriptionId: 'sub_WRONG_9',
      getToken: t.getToken,
      webSocket: factory,
      clock: systemClock,
      backoff: { initialMs: 10, maxMs: 20 },
      onEvent: () => undefined,
    });
    stream.start();
    await until(
      () => stream!.state.status === 'failed',
      5_000,
      () => `failed: ${seen()}`,
    );
    const state = stream.state;
    if (state.status !== 'failed') throw new Error('not failed');
    expect(state.error.message).toContain('sub_WRONG_9');
    await new Promise((r) => setTimeout(r, 200));
    // The ws adapter sees the 404 at once; the WHATWG socket cannot, so it retries with fresh tokens until the bound.
    expect(server.upgrades.length).toBeLessThanOrEqual(6);
    expect(state.error.code).toBe(factory === factories[0]![1] ? 'subscription_not_found' : 'handshake_rejected');
  });

  it('after the token is revoked, the next upgrade is refused and a newly minted token gets in', async () => {
    const t = tokens();
    stream = createEventStream({
      endpointUrl: `${server.url}?subscriptionId=${server.subscriptionId}`,
      getToken: t.getToken,
      webSocket: factory,
      clock: systemClock,
      backoff: { initialMs: 20, maxMs: 100 },
      onEvent: () => undefined,
    });
    stream.start();
    await until(
      () => stream!.state.status === 'connected',
      5_000,
      () => `connected: ${seen()}`,
    );
    server.validTokens.clear(); // revoked: the cached token no longer gets in
    server.drop();
    await until(
      () => stream!.stats().connects === 2,
      5_000,
      () => `reconnected: ${seen()}`,
    );
    // undici sends a refused upgrade request twice on its own; the stream itself made three attempts.
    expect(t.calls).toEqual([false, false, true]);
    const statuses = server.upgrades.map((u) => u.status);
    expect(statuses[0]).toBe(101);
    expect(statuses.at(-1)).toBe(101);
    expect(new Set(statuses.slice(1, -1))).toEqual(new Set([401]));
    expect(server.upgrades[1]!.token).toBe(server.upgrades[0]!.token);
    expect(server.upgrades.at(-1)!.token).not.toBe(server.upgrades[0]!.token);
  });

  it('waits out 503s from the endpoint and connects when it recovers', async () => {
    const t = tokens();
    server.refuseNext(3, 503);
    stream = createEventStream({
      subscriptionId: server.subscriptionId,
      endpointUrl: server.url,
      getToken: t.getToken,
      webSocket: factory,
      clock: systemClock,
      backoff: { initialMs: 10, maxMs: 40 },
      maxHandshakeRejections: 10,
      onEvent: () => undefined,
    });
    stream.start();
    await until(
      () => stream!.state.status === 'connected',
      5_000,
      () => `connected: ${seen()}`,
    );
    expect(server.upgrades.map((u) => u.status)).toEqual([503, 503, 503, 101]);
  });
});

describe('nodeWebSocketFactory', () => {
  it('reports the status and body of a refused upgrade, then closes the socket', async () => {
    const factory = nodeWebSocketFactory(WebSocket);
    const seen: Array<[number, string]> = [];
    const ws: WebSocketLike = factory(`${server.url}?subscriptionId=${server.subscriptionId}&access_token=nope`, {
      onHandshakeRejected: (status, body) => seen.push([status, body]),
    });
    const closed = new Promise<number>((resolve) => {
      ws.onclose = (ev) => resolve(ev.code);
    });
    ws.onerror = () => undefined;
    expect(await closed).toBe(1006);
    expect(seen).toEqual([[401, JSON.stringify({ code: 124, message: 'Invalid access token.' })]]);
    expect(ws.readyState).toBe(3);
  });

  it('refuses something that is not the ws class', () => {
    expect(() => nodeWebSocketFactory(undefined as never)).toThrow(/ws package's WebSocket class/);
  });
});
