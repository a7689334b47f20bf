import { createHmac, timingSafeEqual } from 'node:crypto';
import { ZoomConfigError } from '../errors';
import { WebhookVerificationError } from './errors';
import { assertHeaders, readHeader, SIGNATURE_HEADER, TIMESTAMP_HEADER, type HeaderValue } from './headers';
import type { RawBody, SignedWebhookHeaders, VerifyWebhookOptions, WebhookEvent } from './types';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v0=` + 64 hex digits. */
const SIGNATURE_LENGTH = 67;
const DIGEST_BYTES = 32;
/** Digits in an epoch-seconds timestamp stay ≤ 11 until the year 5138; more is not a timestamp. */
const MAX_TIMESTAMP_DIGITS = 12;

export interface Verified<E> {
  event: E;
  /** The secret whose HMAC matched (needed for the url_validation answer). */
  secret: string;
}

/**
 * Checks a Zoom webhook request and returns its parsed body.
 * Order: misuse → headers → signature → timestamp window → JSON, so a stale or future
 * timestamp is only reported for a request Zoom really signed (pointing at replay or clock skew).
 */
export function verifyWebhook<E = WebhookEvent>(options: VerifyWebhookOptions): E {
  return verifyAndMatch<E>(options).event;
}

/**
 * The same checks as `verifyWebhook` (headers, signature, timestamp window) without parsing the
 * body: for a caller that parses it itself, later or not at all (a queue that stores the bytes, a
 * proxy that forwards them). Returns nothing; throws the same `WebhookVerificationError`s.
 * For a 670-byte event the parse costs about as much as the HMAC, so this is roughly twice as fast.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): void {
  checkSignature(options, 'verifyWebhookSignature');
}

export function verifyAndMatch<E>(options: VerifyWebhookOptions): Verified<E> {
  const { body, secret } = checkSignature(options, 'verifyWebhook');
  return { event: parseEvent<E>(body), secret };
}

/** Everything but the JSON: returns the bytes that were verified and the secret that matched. */
function checkSignature(options: VerifyWebhookOptions, caller: string): { body: string | Buffer; secret: string } {
  if (options === null || typeof options !== 'object') {
    throw new ZoomConfigError(`${caller} needs an options object { rawBody, headers, secrets }`);
  }
  const { rawBody, headers, secrets, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now } = options;
  checkSecrets(secrets);
  const body = toBody(rawBody);
  assertHeaders(headers);
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new ZoomConfigError('toleranceSeconds must be a finite number of seconds ≥ 0 (default 300)');
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new ZoomConfigError('now must be a function returning epoch milliseconds');
  }

  const received = decodeSignature(readHeader(headers, SIGNATURE_HEADER));
  const timestamp = readHeader(headers, TIMESTAMP_HEADER);
  const seconds = parseTimestamp(timestamp);
  const prefix = `v0:${timestamp as string}:`;

  let matched: string | undefined;
  if (typeof secrets === 'string') {
    if (matches(secrets, prefix, body, received)) matched = secrets;
  } else {
    for (const secret of secrets) {
      if (secret !== '' && matches(secret, prefix, body, received)) {
        matched = secret;
        break;
      }
    }
  }
  if (matched === undefined) throw badSignature(secrets);

  checkWindow(seconds, toleranceSeconds, now === undefined ? Date.now() : now());
  return { body, secret: matched };
}

function matches(secret: string, prefix: string, body: string | Buffer, received: Buffer): boolean {
  const digest = createHmac('sha256', secret).update(prefix).update(body).digest();
  // Both are 32 bytes by construction (decodeSignature checked the length).
  return timingSafeEqual(digest, received);
}

/** Signs like Zoom does, for tests, the simulator and benchmarks. */
export function signWebhook(options: {
  secret: string;
  rawBody: RawBody;
  /** Epoch seconds; default derived from `now`. */
  timestamp?: number;
  now?: () => number;
}): SignedWebhookHeaders {
  if (options === null || typeof options !== 'object') {
    throw new ZoomConfigError('signWebhook needs an options object { secret, rawBody }');
  }
  const { secret, rawBody, now } = options;
  if (typeof secret !== 'string' || secret === '') {
    throw new ZoomConfigError('signWebhook: secret must be a non-empty string');
  }
  const body = toBody(rawBody);
  const timestamp = options.timestamp ?? Math.floor((now === undefined ? Date.now() : now()) / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ZoomConfigError('signWebhook: timestamp must be whole epoch seconds ≥ 0');
  }
  const ts = String(timestamp);
  const hex = createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex');
  return { 'x-zm-signature': `v0=${hex}`, 'x-zm-request-timestamp': ts };
}

function checkSecrets(secrets: unknown): void {
  if (typeof secrets === 'string') {
    if (secrets !== '') return;
  } else if (Array.isArray(secrets)) {
    let usable = false;
    for (let i = 0; i < secrets.length; i++) {
      const s: unknown = secrets[i];
      if (typeof s !== 'string') {
        throw new WebhookVerificationError('no_secret', `secrets[${i}] must be a string, got ${typeof s}`);
      }
      if (s !== '') usable = true;
    }
    if (usable) return;
  } else if (secrets !== undefined && secrets !== null) {
    throw new WebhookVerificationError(
      'no_secret',
      `secrets must be a string or an array of strings, got ${typeof secrets}`,
    );
  }
  throw new WebhookVerificationError(
    'no_secret',
    'No webhook Secret Token configured: copy it from your Zoom app (Features → Access → Secret Token) into secrets. ' +
      'Every request is refused until one is set.',
  );
}

/** Accepts the exact bytes; refuses a parsed body, which can no longer be verified. */
function toBody(rawBody: unknown): string | Buffer {
  if (typeof rawBody === 'string') {
    if (rawBody !== '[object Object]') return rawBody;
  } else if (Buffer.isBuffer(rawBody)) {
    return rawBody;
  } else if (rawBody instanceof Uint8Array) {
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  } else if (rawBody instanceof ArrayBuffer) {
    return Buffer.from(rawBody);
  }
  const got =
    rawBody === undefined || rawBody === null
      ? `rawBody is ${String(rawBody)}`
      : typeof rawBody === 'string'
        ? 'rawBody is the string "[object Object]" (an object was converted with String())'
        : `rawBody is ${typeof rawBody === 'object' ? 'a parsed object' : `a ${typeof rawBody}`}`;
  throw new WebhookVerificationError(
    'body_not_raw',
    `${got}. Pass the exact bytes Zoom sent, as a Buffer/Uint8Array or string, captured before any JSON parsing ` +
      "(e.g. express.raw({ type: 'application/json' }), or the request's rawBody): " +
      're-serialising parsed JSON changes the bytes and the signature can never match.',
  );
}

/** Validates `v0=` + 64 hex digits and decodes them, without a regex. */
function decodeSignature(value: HeaderValue): Buffer {
  if (value === undefined) {
    throw new WebhookVerificationError(
      'missing_signature',
      `Missing ${SIGNATURE_HEADER} header: the request was not signed by Zoom (or a proxy dropped the header).`,
    );
  }
  if (typeof value !== 'string') {
    throw new WebhookVerificationError(
      'malformed_signature',
      `${SIGNATURE_HEADER} was sent ${value.conflict} times with different values.`,
    );
  }
  const prefixed =
    value.length === SIGNATURE_LENGTH &&
    value.charCodeAt(0) === 0x76 /* v */ &&
    value.charCodeAt(1) === 0x30 /* 0 */ &&
    value.charCodeAt(2) === 0x3d; /* = */
  // Node's hex decoder stops at the first non-hex pair, so a short result means a bad digit.
  // Hex is case-insensitive: uppercase digits are the same MAC bytes.
  const decoded = prefixed ? Buffer.from(value.slice(3), 'hex') : undefined;
  if (decoded === undefined || decoded.length !== DIGEST_BYTES) {
    throw new WebhookVerificationError(
      'malformed_signature',
      `${SIGNATURE_HEADER} must be "v0=" followed by 64 hex digits (got ${value.length} characters` +
        `${value.startsWith('v0=') ? '' : ', not starting with "v0="'}).`,
    );
  }
  return decoded;
}

function parseTimestamp(value: HeaderValue): number {
  if (value === undefined) {
    throw new WebhookVerificationError(
      'missing_timestamp',
      `Missing ${TIMESTAMP_HEADER} header: Zoom signs every request with one; without it the signature cannot be checked.`,
    );
  }
  if (typeof value !== 'string') {
    throw new WebhookVerificationError(
      'malformed_timestamp',
      `${TIMESTAMP_HEADER} was sent ${value.conflict} times with different values.`,
    );
  }
  let ok = value.length > 0 && value.length <= MAX_TIMESTAMP_DIGITS;
  for (let i = 0; ok && i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) ok = false;
  }
  if (!ok) {
    throw new WebhookVerificationError(
      'malformed_timestamp',
      `${TIMESTAMP_HEADER} must be whole epoch seconds (digits only, got ${value.length} characters).`,
    );
  }
  return Number(value);
}

function checkWindow(seconds: number, tolerance: number, nowMs: number): void {
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
    throw new ZoomConfigError('now() must return epoch milliseconds as a finite number');
  }
  const age = Math.floor(nowMs / 1000) - seconds;
  if (age > tolerance) {
    throw new WebhookVerificationError(
      'stale_timestamp',
      `Correctly signed, but ${TIMESTAMP_HEADER} is ${age} s old (tolerance ${tolerance} s): a replayed or ` +
        "long-delayed request, or this server's clock is behind. Check NTP if it happens for every request.",
    );
  }
  if (-age > tolerance) {
    const ms = seconds > 1e11 ? ' It looks like milliseconds; Zoom sends seconds.' : '';
    throw new WebhookVerificationError(
      'future_timestamp',
      `Correctly signed, but ${TIMESTAMP_HEADER} is ${-age} s in the future (tolerance ${tolerance} s): ` +
        `this server's clock is probably behind; check NTP.${ms}`,
    );
  }
}

function badSignature(secrets: string | readonly string[]): WebhookVerificationError {
  const list = typeof secrets === 'string' ? [secrets] : secrets.filter((s) => s !== '');
  const spaced = list.some((s) => s.trim() !== s)
    ? ' Note: a configured secret starts or ends with whitespace, often a copy-paste slip.'
    : '';
  return new WebhookVerificationError(
    'bad_signature',
    `${SIGNATURE_HEADER} does not match the body signed with ${
      list.length === 1 ? 'the configured secret' : `any of the ${list.length} configured secrets`
    }. Check that it is this app's Secret Token, and that rawBody is exactly the bytes received ` +
      '(a body parser or proxy that re-serialises JSON changes them).' +
      spaced,
  );
}

function parseEvent<E>(body: string | Buffer): E {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    // The parser's message quotes the body, which may hold personal data: keep it out of logs.
    throw new WebhookVerificationError('invalid_json', 'The body is correctly signed but is not valid JSON.');
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    typeof (parsed as { event?: unknown }).event !== 'string'
  ) {
    throw new WebhookVerificationError(
      'invalid_event',
      'The body is correctly signed JSON but not a Zoom event: expected an object with a string "event".',
    );
  }
  return parsed as E;
}
