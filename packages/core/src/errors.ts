/** Errors the core throws. None of them ever carries a token or a secret. */

import type { EventStreamError } from './event-stream/errors';
import type { TransportError } from './ports';
import type { WebhookVerificationError } from './webhooks/errors';

/**
 * What went wrong, in words a host can map to its own errors and statuses (never by matching a message):
 * - `api`: Zoom answered with an error
 * - `rate-limit`: Zoom's rate limits refused the call (429), or would hold it past its wait bound
 * - `auth`: no access token: the token endpoint refused the credentials or answered unusably
 * - `network`: no answer from Zoom at all (connection refused or reset, DNS, timeout); see `network`
 * - `validation`: refused before sending: the input does not match the spec
 * - `config`: misuse of the core by its caller (a missing option, an unknown operation)
 * - `verification`: a webhook request that must not be processed (signature, timestamp, body)
 * - `event-stream`: an event stream gave up (its `code` says why)
 */
export type ZoomErrorKind =
  | 'api'
  | 'rate-limit'
  | 'auth'
  | 'network'
  | 'validation'
  | 'config'
  | 'verification'
  | 'event-stream';

/**
 * A failure with no answer, the same whichever request it broke (an API call, a token request), so a host
 * can tell "may have reached Zoom" from "never left" without knowing which class carries it.
 */
export interface NetworkFailure {
  /** The socket-level code (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`…); `UNKNOWN` when none was found. */
  readonly code: string;
  /** True only when the request provably never reached Zoom: only then may a POST be repeated. */
  readonly sentNothing: boolean;
  readonly timedOut: boolean;
}

/** What every error of the core is, so `instanceof ZoomError` and a switch on `kind` cover them all. */
export abstract class ZoomError extends Error {
  abstract readonly kind: ZoomErrorKind;
  /** Set exactly when `kind` is `network`. */
  declare readonly network: NetworkFailure | undefined;

  protected constructor(message: string, options?: { cause?: unknown; network?: NetworkFailure }) {
    // Absent rather than undefined: an own `cause` or `network` of undefined would still show in every logged error.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.network) this.network = options.network;
  }
}

/** The core's errors by kind: `switch (error.kind)` narrows one to its class. */
export type AnyZoomError =
  | ZoomApiError
  | ZoomAuthError
  | ZoomValidationError
  | ZoomConfigError
  | TransportError
  | WebhookVerificationError
  | EventStreamError;

export function isZoomError(error: unknown): error is AnyZoomError {
  return error instanceof ZoomError;
}

/**
 * The failure a TransportError cause describes; a no-answer error built without one (by a host, or a
 * test) still gets the same shape.
 */
function networkOf(cause: unknown, code: unknown): NetworkFailure {
  if (cause instanceof ZoomError && cause.network) return cause.network;
  return { code: typeof code === 'string' && code ? code : 'UNKNOWN', sentNothing: false, timedOut: false };
}

export interface ZoomFieldError {
  field: string;
  message: string;
}

export interface RateLimitInfo {
  category?: string;
  type?: string;
  limit?: number;
  remaining?: number;
  /** Seconds to wait, from `Retry-After` (seconds or HTTP date). */
  retryAfterSeconds?: number;
}

export interface ZoomApiErrorInit {
  status: number;
  code?: number | string;
  message: string;
  errors?: ZoomFieldError[];
  operationId?: string;
  method?: string;
  /** The path template (never the filled-in URL, which may carry IDs users consider private). */
  path?: string;
  trackingId?: string;
  rateLimit?: RateLimitInfo;
  /** Scopes, any one of which the operation needs (set on 4700/403 scope errors). */
  requiredScopes?: readonly string[];
  /** Epoch ms when a daily limit resets. */
  resetAt?: number;
  /** What the caller can do about it, appended to the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * An error answered by Zoom (or raised before sending because the request could not be valid).
 * `status` 0 means no HTTP response (kind `network`, see `network` and `cause`); 429 is kind `rate-limit`.
 */
export class ZoomApiError extends ZoomError {
  override readonly name = 'ZoomApiError';
  readonly kind: 'api' | 'rate-limit' | 'network';
  readonly status: number;
  readonly code: number | string | undefined;
  /** Zoom's own message, as sent. `message` adds context a workflow builder can act on. */
  readonly zoomMessage: string;
  readonly errors: ZoomFieldError[];
  readonly operationId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly trackingId: string | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly requiredScopes: readonly string[] | undefined;
  readonly resetAt: number | undefined;

  constructor(init: ZoomApiErrorInit) {
    const network = init.status === 0 ? networkOf(init.cause, init.code) : undefined;
    super(describe(init), { cause: init.cause, network });
    this.kind = network ? 'network' : init.status === 429 ? 'rate-limit' : 'api';
    this.status = init.status;
    this.code = init.code;
    this.zoomMessage = init.message;
    this.errors = init.errors ?? [];
    this.operationId = init.operationId;
    this.method = init.method;
    this.path = init.path;
    this.trackingId = init.trackingId;
    this.rateLimit = init.rateLimit;
    this.requiredScopes = init.requiredScopes;
    this.resetAt = init.resetAt;
  }

  /** A plain object safe to log or put in a node's output. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      zoomMessage: this.zoomMessage,
      errors: this.errors,
      operationId: this.operationId,
      method: this.method,
      path: this.path,
      trackingId: this.trackingId,
      rateLimit: this.rateLimit,
      requiredScopes: this.requiredScopes,
      resetAt: this.resetAt,
      network: this.network,
    };
  }
}

function describe(init: ZoomApiErrorInit): string {
  const where = init.operationId ? `${init.operationId}: ` : '';
  const code = init.code !== undefined ? ` (Zoom code ${init.code})` : '';
  let text = `${where}${init.message}${code}`;
  if (init.errors?.length) {
    text += ` — ${init.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
  }
  if (init.requiredScopes?.length) {
    text = sentence(
      text,
      `The app needs one of these scopes: ${init.requiredScopes.join(', ')}. Add it in the Zoom App Marketplace (Scopes tab) and re-authorize.`,
    );
  }
  if (init.status === 429 && init.resetAt !== undefined) {
    text = sentence(text, `Daily limit reached; it resets at ${new Date(init.resetAt).toISOString()}.`);
  } else if (init.status === 429 && init.rateLimit?.retryAfterSeconds !== undefined) {
    text = sentence(text, `Retry after ${init.rateLimit.retryAfterSeconds} s.`);
  }
  if (init.hint) text = sentence(text, init.hint);
  return text;
}

/** Appends a sentence, closing the text before it with one full stop (Zoom's messages may end with their own). */
function sentence(text: string, next: string): string {
  return /[.!?]$/.test(text) ? `${text} ${next}` : `${text}. ${next}`;
}

/**
 * A call the core refused before sending: a parameter or body field does not match the spec.
 * `field` names the offending input (e.g. `body.to_channel`, `path.userId`).
 */
export class ZoomValidationError extends ZoomError {
  override readonly name = 'ZoomValidationError';
  readonly kind = 'validation';
  readonly operationId: string;
  readonly errors: ZoomFieldError[];
  constructor(operationId: string, errors: ZoomFieldError[]) {
    super(`${operationId}: invalid request — ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.operationId = operationId;
    this.errors = errors;
  }
  get field(): string | undefined {
    return this.errors[0]?.field;
  }
}

/**
 * Token minting failed (bad client ID/secret, account ID, revoked refresh token…). `status` 0 means the
 * token endpoint never answered: kind `network`, with the same `network` as a ZoomApiError's.
 */
export class ZoomAuthError extends ZoomError {
  override readonly name = 'ZoomAuthError';
  readonly kind: 'auth' | 'network';
  readonly status: number;
  /** OAuth `error` (e.g. `invalid_client`) or Zoom's numeric code; the socket code when `status` is 0. */
  readonly code: string | number | undefined;
  constructor(message: string, status: number, code?: string | number, cause?: unknown) {
    const network = status === 0 ? networkOf(cause, code) : undefined;
    super(message, { cause, network });
    this.kind = network ? 'network' : 'auth';
    this.status = status;
    this.code = code;
  }
}

/** Misuse of the core by its caller (a missing option, an unknown operation). */
export class ZoomConfigError extends ZoomError {
  override readonly name = 'ZoomConfigError';
  readonly kind = 'config';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
