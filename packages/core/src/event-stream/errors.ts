import { ZoomError } from '../errors';

export type EventStreamErrorCode = 'subscription_not_found' | 'unauthorized' | 'handshake_rejected' | 'config';

/** Why an event stream gave up. Its message never holds the access token. */
export class EventStreamError extends ZoomError {
  override readonly name = 'EventStreamError';
  readonly kind = 'event-stream';
  readonly code: EventStreamErrorCode;
  /** The HTTP status of the refused upgrade, when the socket adapter could see it. */
  readonly status?: number;
  constructor(message: string, code: EventStreamErrorCode, status?: number) {
    super(message);
    this.code = code;
    if (status !== undefined) this.status = status;
  }
}
