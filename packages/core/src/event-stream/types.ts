import type { Clock, Logger } from '../ports';
import type { ZoomWebhookEvent } from '../spec';
import type { EventStreamError } from './errors';

/**
 * A handler property typed as a method, so TypeScript compares its parameter bivariantly: a WHATWG
 * `WebSocket` (whose handlers take `MessageEvent`, `CloseEvent`…) then fits without a cast.
 */
type Handler<E> = { bivarianceHack(ev: E): void }['bivarianceHack'];

/** The WHATWG shape: the global `WebSocket` (Node 22+, undici, browsers) and the `ws` package both fit. */
export interface WebSocketLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string; wasClean?: boolean }> | null;
  onerror: Handler<unknown> | null;
}

/**
 * The host builds sockets. Adapters that can see the HTTP status of a refused upgrade (the `ws`
 * package's 'unexpected-response') report it through `onHandshakeRejected` so 401 / 404 / 5xx are
 * told apart; the global WebSocket cannot, and the stream then infers from "failed before open".
 */
export type WebSocketFactory = (
  url: string,
  hooks: { onHandshakeRejected(status: number, body: string): void },
) => WebSocketLike;

/** @deprecated The client's `Clock`: one clock serves the client and the stream. */
export type EventStreamClock = Clock;

export interface EventStreamOptions {
  /** The WebSocket subscription's ID. One of `subscriptionId` / `endpointUrl` is required. */
  subscriptionId?: string;
  /**
   * The endpoint URL the Marketplace shows (`wss://ws.zoom.us/ws?subscriptionId=…`), a URL without
   * the ID (then `subscriptionId` is required), or the bare subscription ID. Default base
   * `wss://ws.zoom.us/ws`.
   */
  endpointUrl?: string;
  /** An access token (e.g. `createTokenProvider(...).getToken`); `forceRefresh` after Zoom refused one. */
  getToken(opts: { forceRefresh: boolean }): Promise<string>;
  webSocket: WebSocketFactory;
  /** The stream's only timer (`sleep(ms, signal)`); a sleep that ignores its signal is cut short on stop. */
  clock: Clock;
  /** Default 30 000 (Zoom's sample). */
  heartbeatMs?: number;
  /** How long an upgrade may take before the attempt counts as failed. Default 15 000. */
  openTimeoutMs?: number;
  /** Reconnect delays: default 1 000 / 60 000 / 2, jittered. */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** For jitter; default `Math.random`. */
  random?: () => number;
  /**
   * Default: an in-memory deduper remembering keys for `DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS` (10 minutes).
   * `false` delivers duplicates.
   */
  dedupe?: { seen(key: string): Promise<boolean> } | false;
  /** Consecutive refused upgrades, each with a freshly minted token, before giving up. Default 5. */
  maxHandshakeRejections?: number;
  logger?: Logger;
  /** Called in arrival order, one at a time (an async handler is awaited before the next event). */
  onEvent(event: ZoomWebhookEvent, meta: { receivedAt: number; raw: string }): void | Promise<void>;
  onState?(state: EventStreamState): void;
}

export type EventStreamState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; since: number; reconnects: number }
  | { status: 'reconnecting'; attempt: number; retryInMs: number; disconnectedSince: number; reason: string }
  /** Permanent: the stream stopped retrying. `start()` again after fixing the cause. */
  | { status: 'failed'; error: EventStreamError }
  | { status: 'stopped' };

export interface EventStreamStats {
  /** Successful opens. */
  connects: number;
  /** Drops of an open connection (not counting `stop()`). */
  disconnects: number;
  /** Time spent running but not connected (events in that time are lost: Zoom does not replay). */
  disconnectedMs: number;
  /** Events handed to `onEvent`. */
  events: number;
  duplicates: number;
  lastError?: string;
}

export interface EventStream {
  /** Idempotent. After `stop()` or `failed`, starts afresh. */
  start(): void;
  /** Closes the socket, cancels every sleep, resolves when nothing of the stream is pending. */
  stop(): Promise<void>;
  readonly state: EventStreamState;
  stats(): EventStreamStats;
}
