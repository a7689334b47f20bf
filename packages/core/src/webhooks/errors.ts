import { ZoomError } from '../errors';

/**
 * Why a webhook request was refused. Grouped by what the receiver should answer:
 * - misuse of the library by the host (answer 500, fix the code/config): `no_secret`, `body_not_raw`
 * - not provably from Zoom (answer 401): the header, signature and timestamp reasons
 * - signed by Zoom but unusable (answer 400): `invalid_json`, `invalid_event`
 */
export type WebhookVerificationReason =
  | 'no_secret'
  | 'body_not_raw'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'malformed_signature'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature'
  | 'invalid_json'
  | 'invalid_event';

const STATUS: Record<WebhookVerificationReason, 400 | 401 | 500> = {
  no_secret: 500,
  body_not_raw: 500,
  missing_signature: 401,
  missing_timestamp: 401,
  malformed_signature: 401,
  malformed_timestamp: 401,
  stale_timestamp: 401,
  future_timestamp: 401,
  bad_signature: 401,
  invalid_json: 400,
  invalid_event: 400,
};

/**
 * A webhook request that must not be processed. The message says what to fix; it never
 * contains a secret or the signature this side computed (that would be an oracle).
 */
export class WebhookVerificationError extends ZoomError {
  override readonly name = 'WebhookVerificationError';
  readonly kind = 'verification';
  readonly reason: WebhookVerificationReason;
  /** The HTTP status a receiver should answer with (see the reason groups above). */
  readonly status: 400 | 401 | 500;

  constructor(reason: WebhookVerificationReason, message: string, cause?: unknown) {
    super(message, { cause });
    this.reason = reason;
    this.status = STATUS[reason];
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, reason: this.reason, status: this.status, message: this.message };
  }
}
