/** Bad input to `addSubscription` (or another hub call); `field` names what to fix. */
export class WebhookInputError extends Error {
  override readonly name = 'WebhookInputError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export type UrlValidationFailure =
  | 'timeout'
  | 'connection'
  | 'status'
  | 'not_json'
  | 'wrong_plain_token'
  | 'wrong_encrypted_token'
  | 'aborted';

/** The endpoint did not pass Zoom's `endpoint.url_validation` challenge; the subscription was not added. */
export class UrlValidationError extends Error {
  override readonly name = 'UrlValidationError';
  readonly reason: UrlValidationFailure;
  readonly url: string;
  /** The HTTP status the endpoint answered, when it answered. */
  readonly status?: number;
  constructor(reason: UrlValidationFailure, url: string, message: string, status?: number) {
    super(`URL validation of ${url} failed: ${message}`);
    this.reason = reason;
    this.url = url;
    if (status !== undefined) this.status = status;
  }
}

/**
 * `emit` was called with something Zoom would never send: an unknown event, or a delivery that
 * does not match the event's schema. That is a simulator bug, so it is thrown, not delivered.
 */
export class WebhookEmitError extends Error {
  override readonly name = 'WebhookEmitError';
  readonly event: string;
  constructor(event: string, message: string) {
    super(message);
    this.event = event;
  }
}
