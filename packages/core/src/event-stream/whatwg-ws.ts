import type { WebSocketFactory, WebSocketLike } from './types';

/** A WHATWG WebSocket class: the global one of Node.js 22+ (or 20/21 with --experimental-websocket). */
export type WhatwgWebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * Sockets from a WHATWG WebSocket class, with one repair: Node.js 20/21's built-in WebSocket
 * (undici 6) reports a refused upgrade (401, 404, 5xx) with an `error` event only; no `close`
 * follows and readyState stays CONNECTING, so the stream would wait for its open timeout on every
 * attempt. An error before open therefore also counts as the close (once; a late real close is
 * ignored).
 */
export function whatwgWebSocketFactory(Ctor: WhatwgWebSocketConstructor): WebSocketFactory {
  return (url) => repairedSocket(Ctor, url);
}

export function repairedSocket(Ctor: WhatwgWebSocketConstructor, url: string): WebSocketLike {
  const socket = new Ctor(url);
  let opened = false;
  let closed = false;
  const wrapper: WebSocketLike = {
    get readyState() {
      return closed ? 3 : socket.readyState;
    },
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  const finish = (ev: { code: number; reason: string; wasClean?: boolean }) => {
    if (closed) return;
    closed = true;
    wrapper.onclose?.(ev);
  };
  socket.onopen = (ev) => {
    opened = true;
    wrapper.onopen?.(ev);
  };
  socket.onmessage = (ev) => {
    if (!closed) wrapper.onmessage?.(ev);
  };
  socket.onerror = (ev) => {
    if (closed) return;
    wrapper.onerror?.(ev);
    if (opened) return;
    finish({ code: 1006, reason: '', wasClean: false });
    try {
      socket.close();
    } catch {
      // Already failed: nothing left to release.
    }
  };
  socket.onclose = (ev) => finish({ code: ev.code, reason: ev.reason, wasClean: ev.wasClean });
  return wrapper;
}
