import { createHmac } from 'node:crypto';
import { WebhookVerificationError } from './errors';
import type { UrlValidationResponse, VerifyWebhookOptions, WebhookEvent, WebhookRequestResult } from './types';
import { verifyAndMatch } from './verify';

export const URL_VALIDATION_EVENT = 'endpoint.url_validation';

/** Zoom's challenge answer: the plainToken and its hex HMAC-SHA256 under the Secret Token. */
export function urlValidationResponse(plainToken: string, secret: string): UrlValidationResponse {
  if (typeof plainToken !== 'string' || plainToken === '') {
    throw new WebhookVerificationError(
      'invalid_event',
      `plainToken must be a non-empty string (payload.plainToken of the ${URL_VALIDATION_EVENT} event), got ${
        plainToken === '' ? 'an empty string' : typeof plainToken
      }.`,
    );
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new WebhookVerificationError(
      'no_secret',
      'urlValidationResponse needs the Secret Token (a non-empty string) to answer Zoom’s challenge.',
    );
  }
  return { plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') };
}

/**
 * What an HTTP trigger calls for every POST: verifies first, so a challenge is answered only
 * when Zoom signed it (an unsigned one would let anyone use us as an HMAC oracle), and answers
 * with the secret that matched, so rotation keeps validation working.
 */
export function handleWebhookRequest<E = WebhookEvent>(options: VerifyWebhookOptions): WebhookRequestResult<E> {
  const { event, secret } = verifyAndMatch<E>(options);
  const envelope = event as unknown as { event: string; payload?: unknown };
  if (envelope.event !== URL_VALIDATION_EVENT) return { kind: 'event', event };
  const payload = envelope.payload;
  const plainToken =
    payload !== null && typeof payload === 'object' ? (payload as { plainToken?: unknown }).plainToken : undefined;
  if (typeof plainToken !== 'string' || plainToken === '') {
    throw new WebhookVerificationError(
      'invalid_event',
      `A signed ${URL_VALIDATION_EVENT} event without a non-empty string payload.plainToken.`,
    );
  }
  return { kind: 'url_validation', response: urlValidationResponse(plainToken, secret), event };
}
