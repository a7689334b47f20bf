import { afterEach, describe, expect, it } from 'vitest';
import {
  createZoomClient,
  EventStreamError,
  isZoomError,
  TransportError,
  WebhookVerificationError,
  ZoomApiError,
  ZoomAuthError,
  ZoomConfigError,
  ZoomError,
  ZoomValidationError,
  type AnyZoomError,
  type Clock,
  type Transport,
  type ZoomErrorKind,
} from '../src/index';
import * as portable from '../src/portable';
import { WaitTooLongError } from '../src/http/paced-queue';
import { transports } from './helpers/transports';
import { startServer, tokenHandler } from './helpers/server';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const refused = () =>
  new TransportError('Request to http://127.0.0.1:9 failed (ECONNREFUSED)', {
    code: 'ECONNREFUSED',
    sentNothing: true,
  });

const cases: Array<[what: string, error: Error, kind: ZoomErrorKind]> = [
  ['ZoomApiError (Zoom answered 400)', new ZoomApiError({ status: 400, code: 300, message: 'Invalid channel' }), 'api'],
  [
    'ZoomApiError (a redirect not followed)',
    new ZoomApiError({ status: 302, message: 'Redirect not followed' }),
    'api',
  ],
  ['ZoomApiError (429)', new ZoomApiError({ status: 429, code: 429, message: 'Too many requests' }), 'rate-limit'],
  [
    'ZoomApiError (no answer)',
    new ZoomApiError({ status: 0, code: 'ECONNREFUSED', message: 'failed', cause: refused() }),
    'network',
  ],
  [
    'ZoomAuthError (Zoom refused the credentials)',
    new ZoomAuthError('Zoom refused the token request', 400, 'invalid_client'),
    'auth',
  ],
  ['ZoomAuthError (token endpoint answered 503)', new ZoomAuthError('try again later', 503), 'auth'],
  [
    'ZoomAuthError (no answer)',
    new ZoomAuthError('Could not get a Zoom token', 0, 'ECONNREFUSED', refused()),
    'network',
  ],
  [
    'ZoomValidationError',
    new ZoomValidationError('sendaChatMessage', [{ field: 'body.to_channel', message: 'required' }]),
    'validation',
  ],
  ['ZoomConfigError', new ZoomConfigError('Unknown Zoom operation "nope".'), 'config'],
  ['TransportError', refused(), 'network'],
  [
    'WebhookVerificationError',
    new WebhookVerificationError('bad_signature', 'The signature does not match'),
    'verification',
  ],
  ['EventStreamError', new EventStreamError('subscription not found', 'subscription_not_found', 404), 'event-stream'],
  ['WaitTooLongError', new WaitTooLongError(2_000, 1_000, false), 'rate-limit'],
];

describe('every core error is a ZoomError with a kind', () => {
  it.each(cases)('%s', (_what, error, kind) => {
    expect(error).toBeInstanceOf(ZoomError);
    expect(error).toBeInstanceOf(Error);
    expect(isZoomError(error)).toBe(true);
    expect((error as ZoomError).kind).toBe(kind);
    // Kind `network` and a `network` go together, on whichever class.
    expect((error as ZoomError).network !== undefined).toBe(kind === 'network');
  });

  it('keeps each class its own name', () => {
    expect(cases.map(([, error]) => error.name)).toEqual([
      'ZoomApiError',
      'ZoomApiError',
      'ZoomApiError',
      'ZoomApiError',
      'ZoomAuthError',
      'ZoomAuthError',
      'ZoomAuthError',
      'ZoomValidationError',
      'ZoomConfigError',
      'TransportError',
      'WebhookVerificationError',
      'EventStreamError',
      'WaitTooLongError',
    ]);
  });

  it('is not fooled by other errors, nor by results that have a kind of their own', () => {
    expect(isZoomError(new Error('boom'))).toBe(false);
    expect(isZoomError(Object.assign(new Error('x'), { kind: 'api' }))).toBe(false);
    expect(isZoomError({ kind: 'event', event: {} })).toBe(false);
    expect(isZoomError(undefined)).toBe(false);
  });

  it('gives errors that are not network failures no `network` property at all', () => {
    for (const [, error, kind] of cases) {
      if (kind !== 'network') expect(Object.keys(error)).not.toContain('network');
    }
    expect(Object.keys(new ZoomConfigError('x'))).not.toContain('cause');
  });

  it('puts the kind into toJSON', () => {
    expect(new ZoomApiError({ status: 429, message: 'Too many requests' }).toJSON()).toMatchObject({
      name: 'ZoomApiError',
      kind: 'rate-limit',
    });
    expect(new WebhookVerificationError('invalid_json', 'not JSON').toJSON()).toMatchObject({ kind: 'verification' });
  });

  it('exports the base, the guard and the kind type from both entries', () => {
    expect(portable.ZoomError).toBe(ZoomError);
    expect(portable.isZoomError).toBe(isZoomError);
    const kind: portable.ZoomErrorKind = 'network';
    expect(kind).toBe('network');
  });

  it('narrows to the class by kind', () => {
    // Type-checked: a kind left out of the switch makes `never` fail to compile.
    const detail = (error: AnyZoomError): string => {
      switch (error.kind) {
        case 'api':
        case 'rate-limit':
          return `${error.status} ${error.zoomMessage}`;
        case 'auth':
          return `${error.status} ${String(error.code)}`;
        case 'network':
          return `${error.network?.code} sentNothing=${error.network?.sentNothing}`;
        case 'validation':
          return error.errors.map((e) => e.field).join(',');
        case 'config':
          return error.message;
        case 'verification':
          return `${error.status} ${error.reason}`;
        case 'event-stream':
          return error.code;
        default: {
          const unhandled: never = error;
          return String(unhandled);
        }
      }
    };
    // WaitTooLongError stays inside the client (it leaves as a ZoomApiError 429), so the union leaves it out.
    const thrown = cases.filter(([, e]) => !(e instanceof WaitTooLongError));
    expect(thrown.map(([, e]) => detail(e as AnyZoomError))).toEqual([
      '400 Invalid channel',
      '302 Redirect not followed',
      '429 Too many requests',
      'ECONNREFUSED sentNothing=true',
      '400 invalid_client',
      '503 undefined',
      'ECONNREFUSED sentNothing=true',
      'body.to_channel',
      'Unknown Zoom operation "nope".',
      'ECONNREFUSED sentNothing=true',
      '401 bad_signature',
      'subscription_not_found',
    ]);
  });
});

describe('a failure with no answer from Zoom has one shape', () => {
  const shape = (error: unknown) => {
    const e = error as ZoomError & { status?: number };
    return { isZoomError: isZoomError(e), kind: e.kind, status: e.status, network: e.network };
  };

  it('the same `network` on a bare TransportError, the API call it broke and the token request it broke', () => {
    for (const timedOut of [false, true]) {
      const cause = new TransportError('Request to http://127.0.0.1:9 timed out or was aborted', {
        code: timedOut ? 'ETIMEDOUT' : 'ECONNRESET',
        sentNothing: false,
        timedOut,
      });
      const api = new ZoomApiError({
        status: 0,
        code: cause.code,
        message: cause.message,
        operationId: 'sendaChatMessage',
        cause,
      });
      const auth = new ZoomAuthError(`Could not get a Zoom token: ${cause.message}`, 0, cause.code, cause);
      const expected = { code: cause.code, sentNothing: false, timedOut };
      expect(cause.network).toEqual(expected);
      expect(shape(api)).toEqual({ isZoomError: true, kind: 'network', status: 0, network: expected });
      expect(shape(auth)).toEqual(shape(api));
      expect(shape(cause)).toEqual(shape(api));
      expect(Object.keys(api.network ?? {}).sort()).toEqual(['code', 'sentNothing', 'timedOut']);
    }
  });

  it('a no-answer error built without a TransportError (by a host) still has the shape', () => {
    const auth = new ZoomAuthError('Token request to http://127.0.0.1:9 failed (ETIMEDOUT)', 0, 'ETIMEDOUT');
    expect(auth.network).toEqual({ code: 'ETIMEDOUT', sentNothing: false, timedOut: false });
    expect(new ZoomApiError({ status: 0, message: 'no answer' }).network).toEqual({
      code: 'UNKNOWN',
      sentNothing: false,
      timedOut: false,
    });
  });

  const fastClock = (): Clock => {
    let t = Date.now();
    return {
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    };
  };

  describe.each(transports)('through the client over %s', (_name, make) => {
    /** A closed port: the connection is refused, so nothing is ever sent. */
    async function deadUrl(): Promise<string> {
      const closed = await startServer(() => {});
      await closed.close();
      return closed.url;
    }

    async function failures(transport: Transport) {
      const mints = { mints: 0 };
      const live = await startServer((req, res) => {
        if (req.url?.startsWith('/oauth/token')) return tokenHandler(mints)(res);
        res.statusCode = 500;
        res.end();
      });
      servers.push(live);
      const dead = await deadUrl();
      const options = {
        auth: { kind: 'account' as const, accountId: 'acc', clientId: 'cid', clientSecret: 'shh-secret' },
        rateLimits: { LIGHT: 'off', MEDIUM: 'off', HEAVY: 'off', 'RESOURCE-INTENSIVE': 'off', FILE: 'off' } as const,
        channelPacing: false,
        transport,
        clock: fastClock(),
      };
      const send = { path: { userId: 'me' }, body: { message: 'hello', to_channel: 'c1' } };
      // The token comes, the API host does not answer.
      const api = await createZoomClient({
        ...options,
        baseUrls: { api: `${dead}/v2`, file: `${dead}/v2`, oauth: live.url },
      })
        .call('sendaChatMessage', send)
        .catch((e: unknown) => e);
      // The token endpoint does not answer.
      const auth = await createZoomClient({
        ...options,
        baseUrls: { api: `${live.url}/v2`, file: `${live.url}/v2`, oauth: dead },
      })
        .call('sendaChatMessage', send)
        .catch((e: unknown) => e);
      return { api, auth, mints: mints.mints };
    }

    it('a refused connection: the API call and the token request fail alike', async () => {
      const { api, auth, mints } = await failures(make());
      expect(mints).toBe(1);
      // The classes (and their messages) stay what they were; what a host maps by is the same.
      expect(api).toBeInstanceOf(ZoomApiError);
      expect(auth).toBeInstanceOf(ZoomAuthError);
      const refusedShape = {
        isZoomError: true,
        kind: 'network',
        status: 0,
        network: { code: 'ECONNREFUSED', sentNothing: true, timedOut: false },
      };
      expect(shape(api)).toEqual(refusedShape);
      expect(shape(auth)).toEqual(refusedShape);
      expect((api as ZoomApiError).cause).toBeInstanceOf(TransportError);
      expect((auth as ZoomAuthError).cause).toBeInstanceOf(TransportError);
    });
  });
});
