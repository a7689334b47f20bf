/** Zoom webhook verification, URL validation, signing (tests/simulator) and delivery de-duplication. */
export { WebhookVerificationError, type WebhookVerificationReason } from './errors';
export type {
  HeadersLike,
  RawBody,
  SignedWebhookHeaders,
  UrlValidationResponse,
  VerifyWebhookOptions,
  WebhookEvent,
  WebhookHeaders,
  WebhookRequestResult,
} from './types';
export { REQUEST_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './headers';
export { DEFAULT_TOLERANCE_SECONDS, signWebhook, verifyWebhook, verifyWebhookSignature } from './verify';
export { handleWebhookRequest, URL_VALIDATION_EVENT, urlValidationResponse } from './url-validation';
export {
  createDeduper,
  createMemoryDedupeStore,
  createRecordDedupeStore,
  DEFAULT_DEDUPE_MAX_ENTRIES,
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_RECORD_STORE_MAX_ENTRIES,
  webhookDeliveryKey,
  webhookDeliveryKeys,
  type DedupeStore,
  type Deduper,
  type DeduperOptions,
} from './dedupe';
