/** Everything both entries export, except the client factory (which differs in its defaults). */
export * from './errors';
export { TransportError, SENT_NOTHING_CODES } from './ports';
export type {
  Transport,
  TransportRequest,
  TransportResponse,
  RequestBody,
  Clock,
  TokenStore,
  StoredToken,
  Logger,
} from './ports';
export { createMemoryTokenStore, redactingLogger, redact, silentLogger } from './defaults';
export { DEFAULT_BASE_URLS } from './client/create-client';
export type { ZoomClient, PortableClientOptions, BaseUrls } from './client/create-client';
export type { CallParams } from './client/prepare';
export type { PaginateOptions } from './client/paginate';
export type { RequestOptions, RateLimitedInfo } from './http/pipeline';
export { PLAN_PRESETS, type Plan, type RateLimitOverrides, type RateLimitSpec } from './http/rate-limiter';
export { accountRateLimitKey, sharedRateLimiterCount } from './http/shared-limiters';
export { backoffMs, parseRetryAfter, type BackoffShape } from './http/retry-after';
export { withSignal } from './abort';
export { REDACTED, scrubSecrets } from './scrub';
export { hostOf } from './http/transport-errors';
export type { BinaryPart } from './http/multipart';
export type { FileInput } from './resources/files';
export { placeMentions, type Mention, type AtItem } from './resources/mentions';
export {
  eventSubscriptions,
  describesSubscription,
  matchesSubscription,
  type EventSubscription,
  type EventSubscriptions,
  type MarketplaceRequest,
  type SendMarketplaceRequest,
} from './resources/event-subscriptions';
export { fileLimitFor } from './client/file-limits';
export * from './auth';
export * from './spec';
export * from './webhooks';
export * from './event-stream';
export * from './events';
export * from './content';
export { messageFiles, type DownloadableFile, type DownloadOptions } from './resources/files';
export { DOWNLOAD_OPERATION_ID, type FileDownload, type FileFetcher, type FetchFileRequest } from './http/download';
