import type { WebSocketFactory, WebSocketLike } from './types';

/** The parts of a `ws` handshake response the adapter reads (Node's IncomingMessage). */
export interface WsUpgradeResponse {
  statusCode?: number;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'error' | 'close', listener: () => void): unknown;
}

/** The `ws` package's WebSocket class, as far as the adapter needs it. */
export type WsConstructor = new (url: string) => {
  on(event: 'unexpected-response', listener: (request: unknown, response: WsUpgradeResponse) => void): unknown;
};

const MAX_BODY_BYTES = 4_096;

/**
 * Adapts the `ws` package (`nodeWebSocketFactory(require('ws'))`). Unlike the WHATWG WebSocket it
 * sees the HTTP answer of a refused upgrade: the status and body go to `onHandshakeRejected`, so
 * the stream can tell a bad token (401) from an unknown subscription (404) or an outage (5xx).
 */
export function nodeWebSocketFactory(WsCtor: WsConstructor): WebSocketFactory {
  if (typeof WsCtor !== 'function') {
    throw new TypeError("nodeWebSocketFactory: pass the ws package's WebSocket class (require('ws'))");
  }
  return (url, hooks) => {
    const ws = new WsCtor(url);
    const socket = ws as unknown as WebSocketLike;
    // With this listener, ws leaves the refused request to us: read a little of the body, report, close.
    ws.on('unexpected-response', (_request, response) => {
      const chunks: string[] = [];
      let size = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        try {
          hooks.onHandshakeRejected(response.statusCode ?? 0, chunks.join(''));
        } finally {
          socket.close(); // while connecting, ws aborts the request and emits error + close (1006)
        }
      };
      response.on('data', (chunk) => {
        if (size >= MAX_BODY_BYTES) return finish();
        const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
        chunks.push(text.slice(0, MAX_BODY_BYTES - size));
        size += text.length;
      });
      response.on('end', finish);
      response.on('error', finish);
      response.on('close', finish);
    });
    return socket;
  };
}
