import { afterEach, describe, expect, it } from 'vitest';
import { createZoomClient, ZoomApiError, ZoomValidationError, type Clock, type TransportRequest } from '../src/index';
import { transports } from './helpers/transports';
import { json, startServer, tokenHandler, type Handler } from './helpers/server';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** One server plays both Zoom's OAuth host and its API host. */
async function zoom(api: Handler, mintState = { mints: 0 }) {
  const mint = tokenHandler(mintState);
  const server = await startServer((req, res, body) => {
    if (req.url?.startsWith('/oauth/token')) return mint(res);
    return api(req, res, body);
  });
  servers.push(server);
  const client = (extra: Record<string, unknown> = {}) =>
    createZoomClient({
      auth: { kind: 'account', accountId: 'acc', clientId: 'cid', clientSecret: 'shh-secret' },
      baseUrls: { api: `${server.url}/v2`, file: `${server.url}/v2`, oauth: server.url },
      rateLimits: { LIGHT: 'off', MEDIUM: 'off', HEAVY: 'off', 'RESOURCE-INTENSIVE': 'off', FILE: 'off' },
      channelPacing: false,
      ...extra,
    });
  return { server, client, mintState };
}

/** A virtual clock: sleeps are instant but recorded and advance time, so waits are checked exactly. */
function fastClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  let t = Date.now();
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

const send = { path: { userId: 'me' }, body: { message: 'hello', to_channel: 'c1' } };

describe('auth in the pipeline', () => {
  it('makes exactly one token request for 100 concurrent calls on a cold cache', async () => {
    const { client, mintState, server } = await zoom((_req, res) => json(res, 201, { id: 'm1' }));
    const c = client();
    await Promise.all(Array.from({ length: 100 }, () => c.call('sendaChatMessage', send)));
    expect(mintState.mints).toBe(1);
    const apiCalls = server.requests.filter((r) => r.url.startsWith('/v2/'));
    expect(apiCalls).toHaveLength(100);
    expect(new Set(apiCalls.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer tok-1']));
  });

  it('on 401 code 124 drops the token, mints once and replays once', async () => {
    let rejected = 0;
    const { client, mintState, server } = await zoom((req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') {
        rejected++;
        return json(res, 401, { code: 124, message: 'Invalid access token.' });
      }
      json(res, 201, { id: 'm2' });
    });
    await expect(client().call('sendaChatMessage', send)).resolves.toEqual({ id: 'm2' });
    expect(rejected).toBe(1);
    expect(mintState.mints).toBe(2);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/')).map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it('does not loop when the fresh token is refused too', async () => {
    const { client, mintState } = await zoom((_req, res) =>
      json(res, 401, { code: 124, message: 'Invalid access token.' }),
    );
    const err = await client()
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe(124);
    expect(mintState.mints).toBe(2);
  });
});

describe('rate limits', () => {
  it('waits Retry-After seconds on 429, then succeeds', async () => {
    let n = 0;
    const { client } = await zoom((_req, res) => {
      if (n++ === 0)
        return json(
          res,
          429,
          { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
          { 'retry-after': '2', 'x-ratelimit-type': 'QPS' },
        );
      json(res, 201, { id: 'ok' });
    });
    const clock = fastClock();
    const waits: number[] = [];
    const c = client({ clock, onRateLimited: (i: { waitMs: number }) => waits.push(i.waitMs) });
    await expect(c.call('sendaChatMessage', send)).resolves.toEqual({ id: 'ok' });
    expect(waits).toEqual([2000]);
    expect(clock.slept).toContain(2000);
    expect(n).toBe(2); // the POST was re-sent: a 429 means Zoom did not act on it
  });

  it('accepts Retry-After as an HTTP date', async () => {
    let n = 0;
    const clock = fastClock();
    const { client } = await zoom((_req, res) => {
      const at = new Date(clock.now() + 5_000).toUTCString();
      if (n++ === 0) return json(res, 429, { code: 429, message: 'slow down' }, { 'retry-after': at });
      json(res, 200, { channels: [], next_page_token: '' });
    });
    const waits: number[] = [];
    const c = client({ clock, onRateLimited: (i: { waitMs: number }) => waits.push(i.waitMs) });
    await c.call('getChannels', { path: { userId: 'me' } });
    expect(waits).toHaveLength(1);
    // HTTP dates have one-second resolution.
    expect(waits[0]).toBeGreaterThan(3_900);
    expect(waits[0]).toBeLessThanOrEqual(5_000);
  });

  it('fails fast on a daily limit with the reset time in the message', async () => {
    const clock = fastClock();
    // The next UTC midnight as seen by the client's clock: a literal date would be in the past one day.
    const midnight = (Math.floor(clock.now() / 86_400_000) + 1) * 86_400_000;
    let n = 0;
    const { client } = await zoom((_req, res) => {
      n++;
      json(
        res,
        429,
        {
          code: 429,
          message:
            'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
        },
        { 'x-ratelimit-type': 'Daily', 'retry-after': new Date(midnight).toUTCString() },
      );
    });
    const err = await client({ clock })
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(n).toBe(1);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err.resetAt).toBe(midnight);
    expect(err.message).toContain(new Date(midnight).toISOString());
  });

  it('paces requests per label on the client side', async () => {
    const { client } = await zoom((_req, res) => json(res, 201, { id: 'x' }));
    const clock = fastClock();
    const c = client({ clock, rateLimits: { MEDIUM: { perSecond: 10 } } });
    await Promise.all(Array.from({ length: 5 }, () => c.call('sendaChatMessage', send)));
    // Five MEDIUM calls at 10/s: four of them waited for slots 100 ms apart.
    expect(clock.slept.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(4);
  });
});

describe.each(transports)('retries over %s', (_name, make) => {
  it('never re-sends a POST whose connection was reset after it was sent', async () => {
    const { client, server } = await zoom((req, res) => {
      req.socket.destroy();
      void res;
    });
    const err = await client({ transport: make(), clock: fastClock() })
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/not retried/);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/'))).toHaveLength(1);
  });

  it('never re-sends a POST after a 5xx, and says the outcome is unknown', async () => {
    const { client, server } = await zoom((_req, res) => json(res, 503, { code: 503, message: 'Service unavailable' }));
    const err = await client({ transport: make(), clock: fastClock() })
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/may or may not/);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/'))).toHaveLength(1);
  });

  it('retries a GET after a reset and after a 5xx', async () => {
    let n = 0;
    const { client } = await zoom((req, res) => {
      n++;
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      if (n === 2) return json(res, 502, { message: 'bad gateway' });
      json(res, 200, { channels: [{ id: 'c1' }], next_page_token: '' });
    });
    const clock = fastClock();
    const out = await client({ transport: make(), clock }).call('getChannels', { path: { userId: 'me' } });
    expect(out.channels).toEqual([{ id: 'c1' }]);
    expect(n).toBe(3);
    expect(clock.slept.length).toBe(2);
  });

  it('retries a POST when the connection was refused (nothing was sent)', async () => {
    const { client, server } = await zoom((_req, res) => json(res, 201, { id: 'late' }));
    // The API host is a closed port until the first retry.
    const closed = await startServer(() => {});
    const deadUrl = closed.url;
    await closed.close();
    const clock = fastClock();
    const inner = make();
    let apiAttempts = 0;
    const c = client({
      clock,
      baseUrls: { api: `${deadUrl}/v2`, file: `${server.url}/v2`, oauth: server.url },
      // The first API attempt goes to the closed port; the retry is pointed at the live server.
      transport: (req: TransportRequest) =>
        inner(
          req.url.startsWith(deadUrl) && apiAttempts++ > 0
            ? { ...req, url: req.url.replace(deadUrl, server.url) }
            : req,
        ),
    });
    await expect(c.call('sendaChatMessage', send)).resolves.toEqual({ id: 'late' });
    expect(apiAttempts).toBe(2);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/'))).toHaveLength(1);
  });

  it('times out a slow request and does not retry the POST', async () => {
    // The server never answers, so only the client's timeout can end the call. The timeout is
    // generous (1.5 s) because the request must reach the server first: at 100 ms a loaded machine
    // (load average 14 on 2 cores) let it expire before the server had read the request.
    const { client, server } = await zoom(() => new Promise<void>(() => {}));
    const err = await client({ transport: make(), timeoutMs: 1_500 })
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/timed out/);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/'))).toHaveLength(1);
  });
});

describe('validation and errors', () => {
  it('refuses a bad body before sending, naming the field', async () => {
    const { client, server } = await zoom((_req, res) => json(res, 201, { id: 'x' }));
    const err = await client()
      .call('sendaChatMessage', { path: { userId: 'me' }, body: { to_channel: 'c1' } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect(err.field).toBe('body.message');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an empty path parameter', async () => {
    const { client } = await zoom((_req, res) => json(res, 201, {}));
    const err = await client()
      .call('getChannel', { path: { userId: 'me', channelId: '' } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect(err.errors.map((e: { field: string }) => e.field)).toContain('path.channelId');
  });

  it('URL-encodes path parameters', async () => {
    const { client, server } = await zoom((_req, res) => json(res, 200, { id: 'c' }));
    await client().call('getChannel', { path: { userId: 'a@b.com', channelId: 'x/../y?z' } });
    expect(server.requests.at(-1)!.url).toBe('/v2/chat/users/a%40b.com/channels/x%2F..%2Fy%3Fz');
  });

  it('accepts flat params (path and query names matched, the rest is the body)', async () => {
    const { client, server } = await zoom((_req, res) => json(res, 201, { id: 'flat' }));
    await client().call('sendaChatMessage', { userId: 'me', message: 'hi', to_contact: 'a@b.com' });
    const last = server.requests.at(-1)!;
    expect(last.url).toBe('/v2/chat/users/me/messages');
    expect(JSON.parse(last.body.toString())).toEqual({ message: 'hi', to_contact: 'a@b.com' });
  });

  it('explains a missing scope and never leaks the token or secret', async () => {
    const { client } = await zoom((_req, res) =>
      json(
        res,
        400,
        { code: 4711, message: 'Invalid access token, does not contain scopes:[chat_message:write].' },
        { 'x-zm-trackingid': 'track-1' },
      ),
    );
    const err = await client()
      .call('sendaChatMessage', send)
      .catch((e) => e);
    expect(err.requiredScopes).toContain('chat_message:write');
    expect(err.message).toMatch(/needs one of these scopes/);
    expect(err.trackingId).toBe('track-1');
    const everything = JSON.stringify(err) + String(err) + err.stack;
    expect(everything).not.toContain('tok-1');
    expect(everything).not.toContain('shh-secret');
  });

  it('rejects an unknown operation with a suggestion', async () => {
    const { client } = await zoom((_req, res) => json(res, 200, {}));
    await expect(client().call('sendAChatMessage', {})).rejects.toThrow(/sendaChatMessage/);
  });
});

describe('pagination', () => {
  it('follows next_page_token lazily and stops at the limit', async () => {
    const pages: Record<string, { channels: Array<{ id: string }>; next_page_token: string }> = {
      '': { channels: [{ id: '1' }, { id: '2' }], next_page_token: 'p2' },
      p2: { channels: [{ id: '3' }, { id: '4' }], next_page_token: 'p3' },
      p3: { channels: [{ id: '5' }], next_page_token: '' },
    };
    const { client, server } = await zoom((req, res) => {
      const token = new URL(req.url!, 'http://x').searchParams.get('next_page_token') ?? '';
      json(res, 200, pages[token]);
    });
    const c = client();
    expect((await c.collect('getChannels', { path: { userId: 'me' } })).map((x) => x.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    const before = server.requests.length;
    expect((await c.collect('getChannels', { path: { userId: 'me' } }, { limit: 3 })).map((x) => x.id)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(server.requests.length - before).toBe(2);
    const sizes = server.requests.slice(before).map((r) => new URL(r.url, 'http://x').searchParams.get('page_size'));
    expect(sizes).toEqual(['3', '3']);
  });
});
