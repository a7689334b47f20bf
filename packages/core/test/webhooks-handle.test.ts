import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  handleWebhookRequest,
  urlValidationResponse,
  WebhookVerificationError,
  type VerifyWebhookOptions,
} from '../src/webhooks/index';
import { independentHmacHex, zoomHeaders } from './webhooks-helpers';

const SECRET = 'current-secret-token';
const OLD = 'previous-secret-token';
const TS = 1_700_000_000;
const now = () => TS * 1000;
const PLAIN = 'qgg8vlvZRS6UYooatFL8Aw';
const CHALLENGE = JSON.stringify({
  payload: { plainToken: PLAIN },
  event_ts: 1_654_503_849_680,
  event: 'endpoint.url_validation',
});

function signed(body: string, secret = SECRET): VerifyWebhookOptions {
  return { rawBody: body, headers: zoomHeaders(secret, body, TS), secrets: secret, now };
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).reason;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('urlValidationResponse', () => {
  it('hashes plainToken with the secret (hex HMAC-SHA256)', () => {
    expect(urlValidationResponse(PLAIN, SECRET)).toEqual({
      plainToken: PLAIN,
      encryptedToken: independentHmacHex(SECRET, PLAIN),
    });
  });

  it('refuses a missing plainToken or secret with a clear error', () => {
    for (const bad of ['', undefined, 42, null]) {
      const fn = () => urlValidationResponse(bad as never, SECRET);
      expect(fn).toThrow(/plainToken/);
      expect(reasonOf(fn)).toBe('invalid_event');
    }
    expect(reasonOf(() => urlValidationResponse(PLAIN, ''))).toBe('no_secret');
    expect(reasonOf(() => urlValidationResponse(PLAIN, undefined as never))).toBe('no_secret');
  });
});

describe('handleWebhookRequest', () => {
  it('answers a signed url_validation challenge', () => {
    const result = handleWebhookRequest(signed(CHALLENGE));
    expect(result.kind).toBe('url_validation');
    if (result.kind !== 'url_validation') throw new Error('unreachable');
    expect(result.response).toEqual({ plainToken: PLAIN, encryptedToken: independentHmacHex(SECRET, PLAIN) });
    expect(result.event).toEqual(JSON.parse(CHALLENGE));
  });

  it('answers with the secret that matched while rotating', () => {
    const options = { ...signed(CHALLENGE, SECRET), secrets: [OLD, SECRET] };
    const result = handleWebhookRequest(options);
    if (result.kind !== 'url_validation') throw new Error(`expected url_validation, got ${result.kind}`);
    expect(result.response.encryptedToken).toBe(independentHmacHex(SECRET, PLAIN));
    const viaOld = handleWebhookRequest({ ...signed(CHALLENGE, OLD), secrets: [OLD, SECRET] });
    if (viaOld.kind !== 'url_validation') throw new Error(`expected url_validation, got ${viaOld.kind}`);
    expect(viaOld.response.encryptedToken).toBe(independentHmacHex(OLD, PLAIN));
  });

  it('never answers an unsigned or wrongly signed challenge', () => {
    expect(reasonOf(() => handleWebhookRequest({ rawBody: CHALLENGE, headers: {}, secrets: SECRET, now }))).toBe(
      'missing_signature',
    );
    expect(reasonOf(() => handleWebhookRequest({ ...signed(CHALLENGE, 'attacker-guess'), secrets: SECRET }))).toBe(
      'bad_signature',
    );
  });

  it('refuses a signed challenge without a plainToken', () => {
    const body = JSON.stringify({ event: 'endpoint.url_validation', event_ts: 1, payload: {} });
    expect(reasonOf(() => handleWebhookRequest(signed(body)))).toBe('invalid_event');
    const noPayload = JSON.stringify({ event: 'endpoint.url_validation', event_ts: 1 });
    expect(reasonOf(() => handleWebhookRequest(signed(noPayload)))).toBe('invalid_event');
  });

  it('passes other events through', () => {
    const body = JSON.stringify({ event: 'team_chat.channel_message_posted', event_ts: 2, payload: { a: 1 } });
    expect(handleWebhookRequest(signed(body))).toEqual({ kind: 'event', event: JSON.parse(body) });
  });
});

describe('handleWebhookRequest over real HTTP', () => {
  let server: Server;
  let port: number;
  const received: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const result = handleWebhookRequest({
            rawBody: Buffer.concat(chunks),
            headers: req.headers,
            secrets: [OLD, SECRET],
            now,
          });
          if (result.kind === 'url_validation') {
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.response));
          } else {
            received.push(result.event);
            res.writeHead(204).end();
          }
        } catch (error) {
          const status = error instanceof WebhookVerificationError ? error.status : 500;
          const reason = error instanceof WebhookVerificationError ? error.reason : 'internal';
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ reason }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Sends `body` in the given chunk sizes so multi-byte characters straddle TCP writes. */
  function post(body: Buffer, headers: Record<string, string>, split: number[] = []) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/zoom',
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      let at = 0;
      for (const n of split) {
        req.write(body.subarray(at, at + n));
        at += n;
      }
      req.end(body.subarray(at));
    });
  }

  it('answers the challenge with 200 and the encrypted token', async () => {
    const res = await post(Buffer.from(CHALLENGE), zoomHeaders(SECRET, CHALLENGE, TS));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ plainToken: PLAIN, encryptedToken: independentHmacHex(SECRET, PLAIN) });
  });

  it('accepts an event whose multi-byte characters are split across writes', async () => {
    const body = Buffer.from(
      JSON.stringify({ event: 'chat_message.sent', event_ts: 3, payload: { text: 'ünïcödé 👋🏽' } }),
    );
    const cut = body.indexOf(Buffer.from('👋')) + 2;
    const res = await post(body, zoomHeaders(OLD, body, TS), [cut]);
    expect(res.status).toBe(204);
    expect(received.at(-1)).toEqual(JSON.parse(body.toString('utf8')));
  });

  it('refuses unsigned and forged requests with 401', async () => {
    const unsigned = await post(Buffer.from(CHALLENGE), {});
    expect(unsigned).toEqual({ status: 401, body: JSON.stringify({ reason: 'missing_signature' }) });
    const forged = await post(Buffer.from(CHALLENGE), zoomHeaders('guess', CHALLENGE, TS));
    expect(forged).toEqual({ status: 401, body: JSON.stringify({ reason: 'bad_signature' }) });
  });
});
