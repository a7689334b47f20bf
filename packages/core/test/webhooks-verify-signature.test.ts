import { describe, expect, it } from 'vitest';
import { ZoomConfigError } from '../src/errors';
import {
  verifyWebhook,
  verifyWebhookSignature,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type WebhookVerificationReason,
} from '../src/webhooks/index';
import * as nodeEntry from '../src/index';
import * as portableEntry from '../src/portable';
import { zoomHeaders } from './webhooks-helpers';

const SECRET = 'Zk9PTV9XRUJIT09LX1NFQ1JFVA';
const TS = 1_739_923_528;
const NOW = () => TS * 1000;
const BODY = JSON.stringify({
  event: 'chat_message.sent',
  event_ts: 1_739_923_527_912,
  payload: { object: { id: 'm1' } },
});

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

describe('verifyWebhookSignature (verification without parsing)', () => {
  it('accepts a correctly signed request and returns nothing', () => {
    expect(verifyWebhookSignature(opts())).toBeUndefined();
    expect(verifyWebhookSignature(opts({ rawBody: Buffer.from(BODY) }))).toBeUndefined();
  });

  it('does not parse: a signed body that is not JSON passes here but not in verifyWebhook', () => {
    const raw = 'not json at all';
    const o = opts({ rawBody: raw, headers: zoomHeaders(SECRET, raw, TS) });
    expect(verifyWebhookSignature(o)).toBeUndefined();
    expect(reasonOf(() => verifyWebhook(o))).toBe('invalid_json');
  });

  it('refuses exactly what verifyWebhook refuses, with the same reasons', () => {
    const tampered = BODY.replace('m1', 'm2');
    const cases: Array<[Partial<VerifyWebhookOptions>, WebhookVerificationReason]> = [
      [{ rawBody: tampered }, 'bad_signature'],
      [{ secrets: 'another-secret' }, 'bad_signature'],
      [{ headers: { 'x-zm-request-timestamp': String(TS) } }, 'missing_signature'],
      [{ headers: { ...zoomHeaders(SECRET, BODY, TS), 'x-zm-signature': 'v0=zz' } }, 'malformed_signature'],
      [{ now: () => (TS + 301) * 1000 }, 'stale_timestamp'],
      [{ now: () => (TS - 301) * 1000 }, 'future_timestamp'],
      [{ secrets: '' }, 'no_secret'],
      [{ rawBody: JSON.parse(BODY) as never }, 'body_not_raw'],
    ];
    for (const [over, reason] of cases) {
      expect(reasonOf(() => verifyWebhookSignature(opts(over)))).toBe(reason);
      expect(reasonOf(() => verifyWebhook(opts(over)))).toBe(reason);
    }
  });

  it('accepts any of several secrets while rotating', () => {
    expect(verifyWebhookSignature(opts({ secrets: ['old-secret', SECRET] }))).toBeUndefined();
  });

  it('names itself when misused', () => {
    expect(() => verifyWebhookSignature(null as never)).toThrow(ZoomConfigError);
    expect(() => verifyWebhookSignature(null as never)).toThrow(/verifyWebhookSignature needs an options object/);
  });

  it('is exported from both entries', () => {
    expect(nodeEntry.verifyWebhookSignature).toBe(verifyWebhookSignature);
    expect(portableEntry.verifyWebhookSignature).toBe(verifyWebhookSignature);
  });
});
