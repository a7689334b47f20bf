/** Zoom's WebSocket event delivery, simulated (see endpoint.ts). */
export {
  WebSocketEndpoint,
  checkWebSocketOptions,
  type DropInput,
  type WebSocketOptions,
  type WebSocketSubscriptionView,
} from './endpoint';
export { CLOSE as WEBSOCKET_CLOSE_CODES, HEARTBEAT_REPLY, type ConnectionInfo } from './connection';
export { WebSocketEventError } from './delivery';
export type { WebSocketFaultInput, WebSocketFaultState } from './faults';
export type { WebSocketDelivery } from './ledger';
export { WebSocketInputError, type WebSocketSubscriptionInput } from './subscriptions';
export { WEBSOCKET_PATH, WEBSOCKET_SCOPE } from './upgrade';
