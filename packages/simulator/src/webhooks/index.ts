/**
 * Zoom's outgoing webhooks, simulated: subscriptions validated with Zoom's url_validation
 * challenge, deliveries signed like Zoom's (`x-zm-signature` v0 HMAC), Zoom's 3-second limit and
 * retry schedule, bounded concurrency, and payload builders valid against Zoom's event schemas.
 */
import { Hub } from './hub';
import type { WebhookHub, WebhookHubOptions } from './types';

export function createWebhookHub(options?: WebhookHubOptions): WebhookHub {
  return new Hub(options);
}

export type {
  DeliveryOutcome,
  DeliveryRecord,
  EmitOptions,
  EventKind,
  HubStats,
  SubscriptionInfo,
  SubscriptionInput,
  WebhookHub,
  WebhookHubOptions,
  WebhookLogger,
} from './types';
export { RETRY_DELAYS_MS, ZOOM_TIMEOUT_MS, ZOOM_USER_AGENT } from './hub';
export { UrlValidationError, WebhookEmitError, WebhookInputError, type UrlValidationFailure } from './errors';
export { ZOOM_DELIVERY_CODES, type ZoomDeliveryCode } from './transport';
export { encryptedTokenFor, signatureFor } from './signing';
export { eventCatalog, type EventCatalog } from './catalog';
export { SCHEMA_FIXES } from './schema-fixes';
export * from './events';
