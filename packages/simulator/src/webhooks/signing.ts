import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** `x-zm-signature`: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`) over the exact bytes sent. */
export function signatureFor(secretToken: string, timestampSeconds: string, body: Buffer): string {
  const hex = createHmac('sha256', secretToken).update(`v0:${timestampSeconds}:`).update(body).digest('hex');
  return `v0=${hex}`;
}

/** The `encryptedToken` an endpoint must answer to `endpoint.url_validation`. */
export function encryptedTokenFor(secretToken: string, plainToken: string): string {
  return createHmac('sha256', secretToken).update(plainToken).digest('hex');
}

/** Like Zoom's `qgg8vlvZRS6UYooatFL8Aw`: 16 random bytes, base64url. */
export function newPlainToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Like Zoom's `6009d653_d487_445d_8406_42b654974899`. */
export function newRequestId(): string {
  return randomUUID().replace(/-/g, '_');
}

/** Like Zoom's `v=2.0;clid=aw1;rid=WEB_…`; `sim` marks the cluster as this simulator. */
export function newTrackingId(): string {
  return `v=2.0;clid=sim;rid=WEB_${randomBytes(16).toString('hex')}`;
}

/** Zoom-style opaque IDs (22 base64url characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** The headers Zoom puts on every webhook POST, signed over `body` at `nowMs`. */
export function zoomHeaders(input: {
  secretToken: string;
  body: Buffer;
  nowMs: number;
  requestId: string;
  userAgent: string;
}): Record<string, string> {
  const timestamp = String(Math.floor(input.nowMs / 1000));
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': input.userAgent,
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': signatureFor(input.secretToken, timestamp, input.body),
    'x-zm-request-id': input.requestId,
    'x-zm-trackingid': newTrackingId(),
  };
}
