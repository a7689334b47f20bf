import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebSocket as UndiciWebSocket } from 'undici';
import { createEventStream, nodeWebSocketFactory, systemClock, type WebSocketFactory } from '../src';
import { startTestWsServer, until } from './event-stream-server';

/** Sockets, servers and timers alive in this process, by kind. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPSocketWrap' || kind === 'TCPServerWrap' || kind === 'Timeout')
      counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

const factories: Array<[string, WebSocketFactory]> = [
  ['ws via nodeWebSocketFactory', nodeWebSocketFactory(WebSocket)],
  ['undici WHATWG WebSocket', (url) => new UndiciWebSocket(url)],
];

describe.each(factories)('stop() leaves nothing behind: %s', (_name, factory) => {
  it('no socket, server or timer of the run is left once stop() and the server close resolve', async () => {
    const before = handles();
    const server = await startTestWsServer();
    let token = 0;
    const stream = createEventStream({
      endpointUrl: `${server.url}?subscriptionId=${server.subscriptionId}`,
      getToken: async () => {
        const t = `tok_${++token}`;
        server.validTokens.add(t);
        return t;
      },
      webSocket: factory,
      clock: systemClock,
      heartbeatMs: 20,
      backoff: { initialMs: 10, maxMs: 20 },
      onEvent: () => undefined,
    });
    stream.start();
    await until(() => stream.state.status === 'connected', 5_000, 'connected');
    server.drop();
    await until(() => stream.stats().connects === 2 && stream.state.status === 'connected', 5_000, 'reconnected');
    await until(() => server.heartbeats >= 2, 5_000, 'heartbeats');
    // While running, the stream holds a socket and a heartbeat timer.
    expect(handles().TCPSocketWrap ?? 0).toBeGreaterThan(before.TCPSocketWrap ?? 0);

    await stream.stop();
    expect(stream.state.status).toBe('stopped');
    // The client side is closed by the time stop() resolves: the server sees no open socket.
    await until(() => server.open().length === 0, 10_000, 'server sees the socket closed');
    await server.close();
    await until(
      () => {
        const now = handles();
        return ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].every((k) => (now[k] ?? 0) <= (before[k] ?? 0));
      },
      10_000,
      `handles back to ${JSON.stringify(before)}, now ${JSON.stringify(handles())}`,
    );
  });

  it('stop() while an upgrade is pending closes that socket too', async () => {
    const before = handles();
    const server = await startTestWsServer();
    const stream = createEventStream({
      subscriptionId: server.subscriptionId,
      endpointUrl: server.url,
      // A token the server refuses, so attempts keep being made until stop().
      getToken: async () => 'never_valid_token',
      webSocket: factory,
      clock: systemClock,
      backoff: { initialMs: 5, maxMs: 5 },
      maxHandshakeRejections: 1_000,
      onEvent: () => undefined,
    });
    stream.start();
    await until(() => server.upgrades.length >= 3, 5_000, 'a few attempts');
    await stream.stop();
    const attempts = server.upgrades.length;
    // An upgrade request already on the wire when stop() ran may still arrive (undici reports the
    // close before its request reaches the server), on a loaded machine even late; nothing new starts
    // after that (with 5 ms pauses a stream still trying would make several in this time).
    await new Promise((r) => setTimeout(r, 300));
    expect(server.upgrades.length - attempts).toBeLessThanOrEqual(1);
    await server.close();
    await until(
      () => {
        const now = handles();
        return ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].every((k) => (now[k] ?? 0) <= (before[k] ?? 0));
      },
      10_000,
      'handles back to the baseline',
    );
  });
});
