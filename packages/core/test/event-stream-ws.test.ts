import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebSocket as UndiciWebSocket } from 'undici';
import { createEventStream, nodeWebSocketFactory, systemClock, type EventStream, type EventStreamState, type WebSocketFactory } from '../src';
import { startTestWsServer, until, type TestWsServer } from './event-stream-server';

/** Real sockets against a real `ws` server: the `ws` client through nodeWebSocketFactory, and undici's WHATWG WebSocket. */
let server: TestWsServer;
let stream: EventStream | undefined;
beforeEach(async () => {
  server = await startTestWsServer();
});
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await server.close();
});

function tokens() {
  let n = 0;
  const calls: boolean[] = [];
  return {
    calls,
    getToken: async ({ forceRefresh }: { forceRefresh: boolean }) => {
      calls.push(forceRefresh);
      const t = `tok_${++n}_secretvalue`;
      server.validTokens.add(t);
      return t;
    },
  };
}

const event = (i: number) => ({ event: 'chat_message.sent', event_ts: 1_700_000_000_000 + i, payload: { account_id: 'A', object: { i } } });

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
    await until(() => stream!.state.status === 'connected', 5_000, 'connected');
    await until(() => server.heartbeats >= 2, 5_000, 'two heartbeats');
    for (let i = 0; i < 5; i++) server.send(event(i));
    await until(() => got.length === 5, 5_000, 'five events');
    expect(got).toEqual([0, 1, 2, 3, 4]);

    expect(server.drop()).toBe(1);
    await until(() => stream!.stats().connects === 2 && stream!.state.status === 'connected', 5_000, 'reconnected');
    const accepted = server.upgrades.filter((u) => u.status === 101);
    expect(accepted).toHaveLength(2);
    expect(accepted[1]!.token).not.toBe(accepted[0]!.token);
    server.send(event(5));
    await until(() => got.length === 6, 5_000, 'event after reconnect');
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
    await until(() => stream!.state.status === 'failed', 5_000, 'failed');
    const state = stream.state;
    if (state.status !== 'failed') throw new Error('not failed');
    expect(state.error.message).toContain('sub_WRONG_9');
    await new Promise((r) => setTimeout(r, 200));
    // The ws adapter sees the 404 at once; the WHATWG socket cannot, so it retries with fresh tokens until the bound.
    expect(server.upgrades.length).toBeLessThanOrEqual(6);
    expect(state.error.code).toBe(factory === factories[0]![1] ? 'subscription_not_found' : 'handshake_rejected');
  });
});
