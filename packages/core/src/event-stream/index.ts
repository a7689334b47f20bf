/** Zoom WebSocket event delivery: the runtime-agnostic client (sockets, clock and tokens injected). */
export { createEventStream } from './stream';
export { EventStreamError, type EventStreamErrorCode } from './errors';
export { DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS } from './options';
export {
  DEFAULT_EVENT_STREAM_URL,
  isZoomHost,
  parseSubscription,
  type ParseSubscriptionOptions,
  type Subscription,
  type SubscriptionFields,
} from './url';
export type {
  EventStream,
  EventStreamClock,
  EventStreamOptions,
  EventStreamState,
  EventStreamStats,
  WebSocketFactory,
  WebSocketLike,
} from './types';
export {
  createEventStreamHub,
  streamFailureHint,
  streamStateLog,
  streamStatusText,
  streamTokenSource,
  tokenHostsOf,
  type EventStreamHub,
  type JoinedStream,
  type SharedStreamOptions,
  type StreamListener,
  type StreamView,
} from './shared';
export { repairedSocket, whatwgWebSocketFactory, type WhatwgWebSocketConstructor } from './whatwg-ws';
