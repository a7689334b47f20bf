import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZoomConfigError } from '../src/errors';
import {
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type WebhookVerificationReason,
} from '../src/webhooks/index';
import { independentHmacHex, zoomHeaders } from './webhooks-helpers';

const SECRET = 'Zk9PTV9XRUJIT09LX1NFQ1JFVA';
const TS = 1_739_923_528;
const NOW = () => TS * 1000;
const event = {
  event: 'chat_message.sent',
  event_ts: 1_739_923_527_912,
  payload: { account_id: 'acc1', operator: 'a@example.com', object: { id: 'm1', message: 'héllo ✓ 👋' } },
};
const BODY = JSON.stringify(event);

function opts(over: Partial<VerifyWebhookOptions> = {}): VerifyWebhookOptions {
  return { rawBody: BODY, headers: zoomHeaders(SECRET, BODY, TS), secrets: SECRET, now: NOW, ...over };
}

function reasonOf(fn: () => unknown): WebhookVerificationReason {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).reason;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

function errorOf(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

afterEach(() => vi.restoreAllMocks());

describe('the independent HMAC used by these tests', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(independentHmacHex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
  it('matches RFC 4231 test case 6 (key longer than a block)', () => {
    expect(independentHmacHex(Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });
});

describe('verifyWebhook: accepts what Zoom signed', () => {
  it('returns the parsed event for a string body', () => {
    expect(verifyWebhook(opts())).toEqual(event);
  });

  it('accepts the body as a Buffer, a Uint8Array view at an offset, and an ArrayBuffer', () => {
    const bytes = Buffer.from(BODY, 'utf8');
    expect(verifyWebhook(opts({ rawBody: bytes }))).toEqual(event);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    expect(verifyWebhook(opts({ rawBody: padded.subarray(5, 5 + bytes.length) }))).toEqual(event);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    expect(verifyWebhook(opts({ rawBody: ab }))).toEqual(event);
  });

  it('signs and verifies the UTF-8 bytes of non-ASCII bodies', () => {
    // A Latin-1 decode of the same bytes is a different string and must fail.
    const latin1 = Buffer.from(BODY, 'utf8').toString('latin1');
    expect(reasonOf(() => verifyWebhook(opts({ rawBody: latin1 })))).toBe('bad_signature');
  });

  it('produces the same headers with signWebhook as the independent HMAC', () => {
    expect(signWebhook({ secret: SECRET, rawBody: BODY, timestamp: TS })).toEqual(zoomHeaders(SECRET, BODY, TS));
    expect(signWebhook({ secret: SECRET, rawBody: Buffer.from(BODY), now: () => TS * 1000 + 999 })).toEqual(
      zoomHeaders(SECRET, BODY, TS),
    );
  });

  it('reads header names in any case', () => {
    const h = zoomHeaders(SECRET, BODY, TS);
    const headers = { 'X-ZM-Signature': h['x-zm-signature'], 'X-Zm-Request-Timestamp': h['x-zm-request-timestamp'] };
    expect(verifyWebhook(opts({ headers }))).toEqual(event);
  });

  it('reads a WHATWG Headers object', () => {
    expect(verifyWebhook(opts({ headers: new Headers(zoomHeaders(SECRET, BODY, TS)) }))).toEqual(event);
  });

  it('reads header arrays whose copies agree, refuses ones that conflict', () => {
    const h = zoomHeaders(SECRET, BODY, TS);
    const sig = h['x-zm-signature']!;
    const ts = h['x-zm-request-timestamp']!;
    expect(verifyWebhook(opts({ headers: { 'x-zm-signature': [sig], 'x-zm-request-timestamp': [ts] } }))).toEqual(
      event,
    );
    expect(verifyWebhook(opts({ headers: { 'x-zm-signature': [sig, sig], 'x-zm-request-timestamp': ts } }))).toEqual(
      event,
    );
    const other = `v0=${'0'.repeat(64)}`;
    expect(
      reasonOf(() =>
        verifyWebhook(opts({ headers: { 'x-zm-signature': [sig, other], 'x-zm-request-timestamp': ts } })),
      ),
    ).toBe('malformed_signature');
    expect(
      reasonOf(() =>
        verifyWebhook(opts({ headers: { 'x-zm-signature': sig, 'x-zm-request-timestamp': [ts, String(TS + 1)] } })),
      ),
    ).toBe('malformed_timestamp');
    expect(
      reasonOf(() => verifyWebhook(opts({ headers: { 'x-zm-signature': [], 'x-zm-request-timestamp': ts } }))),
    ).toBe('missing_signature');
  });

  it('accepts uppercase hex (the same MAC bytes)', () => {
    const h = zoomHeaders(SECRET, BODY, TS);
    const upper = `v0=${h['x-zm-signature']!.slice(3).toUpperCase()}`;
    expect(verifyWebhook(opts({ headers: { ...h, 'x-zm-signature': upper } }))).toEqual(event);
  });

  it('tries every secret while rotating and ignores empty entries', () => {
    expect(verifyWebhook(opts({ secrets: ['old-secret', SECRET] }))).toEqual(event);
    expect(verifyWebhook(opts({ secrets: ['', SECRET] }))).toEqual(event);
    expect(reasonOf(() => verifyWebhook(opts({ secrets: ['old-secret', 'other'] })))).toBe('bad_signature');
  });
});

describe('verifyWebhook: refuses what Zoom did not sign', () => {
  it('refuses a wrong secret without leaking the secret or the expected signature', () => {
    const err = errorOf(() => verifyWebhook(opts({ secrets: 'not-the-secret' })));
    expect(err.reason).toBe('bad_signature');
    expect(err.status).toBe(401);
    const expected = independentHmacHex('not-the-secret', `v0:${TS}:${BODY}`);
    for (const text of [err.message, JSON.stringify(err), String(err.stack)]) {
      expect(text).not.toContain('not-the-secret');
      expect(text).not.toContain(expected);
      expect(text).not.toContain(SECRET);
    }
  });

  it('hints at whitespace around a configured secret', () => {
    expect(errorOf(() => verifyWebhook(opts({ secrets: `${SECRET}\n` }))).message).toMatch(/whitespace/);
  });

  it('refuses a re-serialised body (other spacing or key order)', () => {
    const spaced = JSON.stringify(JSON.parse(BODY), null, 2);
    const reordered = JSON.stringify({ payload: event.payload, event_ts: event.event_ts, event: event.event });
    expect(spaced).not.toBe(BODY);
    expect(reordered).not.toBe(BODY);
    expect(reasonOf(() => verifyWebhook(opts({ rawBody: spaced })))).toBe('bad_signature');
    expect(reasonOf(() => verifyWebhook(opts({ rawBody: reordered })))).toBe('bad_signature');
  });

  it('refuses a tampered body and a timestamp other than the signed one', () => {
    expect(reasonOf(() => verifyWebhook(opts({ rawBody: BODY.replace('m1', 'm2') })))).toBe('bad_signature');
    const h = zoomHeaders(SECRET, BODY, TS);
    expect(reasonOf(() => verifyWebhook(opts({ headers: { ...h, 'x-zm-request-timestamp': String(TS + 1) } })))).toBe(
      'bad_signature',
    );
  });

  it('refuses missing headers', () => {
    const h = zoomHeaders(SECRET, BODY, TS);
    expect(
      reasonOf(() => verifyWebhook(opts({ headers: { 'x-zm-request-timestamp': h['x-zm-request-timestamp'] } }))),
    ).toBe('missing_signature');
    expect(reasonOf(() => verifyWebhook(opts({ headers: { 'x-zm-signature': h['x-zm-signature'] } })))).toBe(
      'missing_timestamp',
    );
    expect(reasonOf(() => verifyWebhook(opts({ headers: { ...h, 'x-zm-signature': '' } })))).toBe('missing_signature');
    expect(reasonOf(() => verifyWebhook(opts({ headers: { ...h, 'x-zm-signature': undefined } })))).toBe(
      'missing_signature',
    );
    expect(reasonOf(() => verifyWebhook(opts({ headers: new Headers() })))).toBe('missing_signature');
  });

  it('refuses malformed signatures: truncated, unprefixed, non-hex, too long', () => {
    const h = zoomHeaders(SECRET, BODY, TS);
    const sig = h['x-zm-signature']!;
    const middle = `${sig.slice(0, 10)}z${sig.slice(11)}`;
    const spaced = `${sig.slice(0, 10)} ${sig.slice(11)}`;
    for (const bad of [
      sig.slice(0, -1),
      sig.slice(3),
      `v1=${sig.slice(3)}`,
      `${sig.slice(0, -1)}g`,
      middle,
      spaced,
      `${sig}0`,
      'v0=',
    ]) {
      expect(reasonOf(() => verifyWebhook(opts({ headers: { ...h, 'x-zm-signature': bad } })))).toBe(
        'malformed_signature',
      );
    }
  });

  it('refuses malformed timestamps', () => {
    for (const bad of ['12a', '-5', '1.5', ' 1739923528', '1e9', '9'.repeat(13)]) {
      const h = zoomHeaders(SECRET, BODY, TS);
      expect(reasonOf(() => verifyWebhook(opts({ headers: { ...h, 'x-zm-request-timestamp': bad } })))).toBe(
        'malformed_timestamp',
      );
    }
  });

  it('refuses a stale timestamp and one too far in the future, accepts the boundary', () => {
    const at = (ms: number) => () => ms;
    expect(verifyWebhook(opts({ now: at((TS + 300) * 1000 + 999) }))).toEqual(event);
    expect(verifyWebhook(opts({ now: at((TS - 300) * 1000) }))).toEqual(event);
    const stale = errorOf(() => verifyWebhook(opts({ now: at((TS + 301) * 1000) })));
    expect(stale.reason).toBe('stale_timestamp');
    expect(stale.message).toContain('301 s old');
    const future = errorOf(() => verifyWebhook(opts({ now: at((TS - 301) * 1000) })));
    expect(future.reason).toBe('future_timestamp');
    expect(future.message).toContain('301 s in the future');
  });

  it('honours toleranceSeconds and uses Date.now by default', () => {
    const now = () => (TS + 10) * 1000;
    expect(reasonOf(() => verifyWebhook(opts({ now, toleranceSeconds: 9 })))).toBe('stale_timestamp');
    expect(verifyWebhook(opts({ now, toleranceSeconds: 10 }))).toEqual(event);
    expect(reasonOf(() => verifyWebhook(opts({ now: undefined })))).toBe('stale_timestamp');
    const fresh = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(opts({ now: undefined, headers: zoomHeaders(SECRET, BODY, fresh) }))).toEqual(event);
  });

  it('checks the signature before the time window', () => {
    const stale = () => (TS + 10_000) * 1000;
    expect(reasonOf(() => verifyWebhook(opts({ now: stale, secrets: 'wrong' })))).toBe('bad_signature');
  });

  it('does not parse JSON unless the signature verified', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(reasonOf(() => verifyWebhook(opts({ secrets: 'wrong' })))).toBe('bad_signature');
    expect(parse).not.toHaveBeenCalled();
    verifyWebhook(opts());
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('reports signed bodies that are not JSON or not an event', () => {
    const signed = (body: string) => opts({ rawBody: body, headers: zoomHeaders(SECRET, body, TS) });
    const notJson = errorOf(() => verifyWebhook(signed('event=chat_message.sent&secret-ish-data')));
    expect(notJson.reason).toBe('invalid_json');
    expect(notJson.status).toBe(400);
    expect(notJson.message).not.toContain('secret-ish-data');
    expect(reasonOf(() => verifyWebhook(signed('')))).toBe('invalid_json');
    for (const body of ['[1]', 'null', '"x"', '{"foo":1}', '{"event":5}']) {
      expect(reasonOf(() => verifyWebhook(signed(body)))).toBe('invalid_event');
    }
  });
});

describe('verifyWebhook: misuse', () => {
  it('refuses a parsed body with advice to pass the raw bytes', () => {
    const err = errorOf(() => verifyWebhook(opts({ rawBody: event as never })));
    expect(err.reason).toBe('body_not_raw');
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/parsed object/);
    expect(err.message).toMatch(/express\.raw/);
    for (const bad of [undefined, null, 42, '[object Object]']) {
      expect(reasonOf(() => verifyWebhook(opts({ rawBody: bad as never })))).toBe('body_not_raw');
    }
  });

  it('refuses to run without a secret', () => {
    for (const secrets of ['', [], ['', ''], undefined, null, 5, [SECRET, 7]]) {
      const err = errorOf(() => verifyWebhook(opts({ secrets: secrets as never })));
      expect(err.reason).toBe('no_secret');
      expect(err.message).not.toContain(SECRET);
    }
  });

  it('is checked before the request itself', () => {
    expect(reasonOf(() => verifyWebhook({ rawBody: BODY, headers: {}, secrets: '' }))).toBe('no_secret');
    expect(reasonOf(() => verifyWebhook({ rawBody: {} as never, headers: {}, secrets: SECRET }))).toBe('body_not_raw');
  });

  it('throws ZoomConfigError for bad options', () => {
    expect(() => verifyWebhook(opts({ toleranceSeconds: -1 }))).toThrow(ZoomConfigError);
    expect(() => verifyWebhook(opts({ toleranceSeconds: Number.NaN }))).toThrow(/toleranceSeconds/);
    expect(() => verifyWebhook(opts({ headers: undefined as never }))).toThrow(/headers/);
    expect(() => verifyWebhook(opts({ now: 5 as never }))).toThrow(/now/);
    expect(() => verifyWebhook(opts({ now: () => Number.NaN }))).toThrow(/now\(\)/);
    expect(() => verifyWebhook(undefined as never)).toThrow(ZoomConfigError);
  });

  it('gives errors a name, a kind, a reason, a status and a safe toJSON', () => {
    const err = errorOf(() => verifyWebhook(opts({ headers: {} })));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('WebhookVerificationError');
    expect(err.kind).toBe('verification');
    expect(err.toJSON()).toEqual({
      name: 'WebhookVerificationError',
      kind: 'verification',
      reason: 'missing_signature',
      status: 401,
      message: err.message,
    });
  });
});

describe('signWebhook: misuse', () => {
  it('refuses a missing secret, a parsed body and a bad timestamp', () => {
    expect(() => signWebhook({ secret: '', rawBody: BODY })).toThrow(/secret/);
    expect(reasonOf(() => signWebhook({ secret: SECRET, rawBody: event as never }))).toBe('body_not_raw');
    expect(() => signWebhook({ secret: SECRET, rawBody: BODY, timestamp: 1.5 })).toThrow(/timestamp/);
    expect(() => signWebhook({ secret: SECRET, rawBody: BODY, timestamp: -1 })).toThrow(/timestamp/);
  });
});
