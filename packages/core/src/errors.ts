/** Errors the core throws. None of them ever carries a token or a secret. */

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
 * `status` 0 means no HTTP response (see `cause`).
 */
export class ZoomApiError extends Error {
  override readonly name = 'ZoomApiError';
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
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
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
    text = sentence(text, `The app needs one of these scopes: ${init.requiredScopes.join(', ')}. Add it in the Zoom App Marketplace (Scopes tab) and re-authorize.`);
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
export class ZoomValidationError extends Error {
  override readonly name = 'ZoomValidationError';
  readonly operationId: string;
  readonly errors: ZoomFieldError[];
  constructor(operationId: string, errors: ZoomFieldError[]) {
    super(
      `${operationId}: invalid request — ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
    this.operationId = operationId;
    this.errors = errors;
  }
  get field(): string | undefined {
    return this.errors[0]?.field;
  }
}

/** Token minting failed (bad client ID/secret, account ID, revoked refresh token…). */
export class ZoomAuthError extends Error {
  override readonly name = 'ZoomAuthError';
  readonly status: number;
  /** OAuth `error` (e.g. `invalid_client`) or Zoom's numeric code. */
  readonly code: string | number | undefined;
  constructor(message: string, status: number, code?: string | number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.status = status;
    this.code = code;
  }
}

/** Misuse of the core by its caller (a missing option, an unknown operation). */
export class ZoomConfigError extends Error {
  override readonly name = 'ZoomConfigError';
}
