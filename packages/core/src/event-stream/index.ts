/** Zoom WebSocket event delivery: the runtime-agnostic client (sockets, clock and tokens injected). */
export { createEventStream } from './stream';
export { EventStreamError, type EventStreamErrorCode } from './errors';
export type {
  EventStream,
  EventStreamClock,
  EventStreamOptions,
  EventStreamState,
  EventStreamStats,
  WebSocketFactory,
  WebSocketLike,
} from './types';
