/** @zoom-team-chat/simulator: a local, stateful stand-in for Zoom's Team Chat cloud. */
export {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
  type SimulatorCredentials,
  type RequestLogEntry,
} from './simulator';
export {
  AdminClient,
  AdminApiError,
  type AdminChannel,
  type AdminClick,
  type AdminEvent,
  type AdminFile,
  type AdminMessage,
  type AdminScheduledMessage,
  type AdminUser,
  type Where,
} from './admin/client';
export { ADMIN_ROUTES } from './admin/server';
export type { FaultInput } from './faults';
export {
  PRESETS as RATE_LIMIT_PRESETS,
  MESSAGES as RATE_LIMIT_MESSAGES,
  type Plan,
  type RateLimitOverrides,
  type LabelLimit,
} from './ratelimit';
export { operations, operation, allSpecScopes, type SimOperation, type RateLimitLabel } from './spec/model';
export { normaliseSchema } from './spec/defects';
export { synthesize, synthesizeValid } from './spec/synth';
export type { Store } from './state/store';
export type { Account, Bot, BotMessage, Channel, Draft, Message, StoredFile, User } from './state/types';
export type { DomainEvent } from './state/events';
export type { WebhookHub } from './webhooks';
export {
  WEBSOCKET_CLOSE_CODES,
  WEBSOCKET_PATH,
  WEBSOCKET_SCOPE,
  type DropInput,
  type WebSocketDelivery,
  type WebSocketFaultInput,
  type WebSocketFaultState,
  type WebSocketOptions,
  type WebSocketSubscriptionView,
} from './ws';
