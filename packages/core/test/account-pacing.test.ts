import { describe, expect, it } from 'vitest';
import {
  accountRateLimitKey,
  createZoomClient,
  getOperation,
  sharedRateLimiterCount,
  ZoomApiError,
  type TransportRequest,
  type TransportResponse,
} from '../src/index';
import { maxInWindow, scheduledClock } from './helpers/virtual-time';

const WINDOWS = getOperation('sendaChatMessage').channelLimits!.windows;

/**
 * Zoom as its docs describe it, on the virtual clock: MEDIUM at 20 per fixed second (Pro), and the
 * channel windows of sendaChatMessage, past which the channel is blocked. Counts what it accepted
 * and refused. Written from the docs, independently of the limiter under test.
 */
function zoomLike(clock: { now(): number }, opts: { mediumPerSecond?: number } = {}) {
  const perSecond = opts.mediumPerSecond ?? 20;
  const windowCounts = new Map<number, number>();
  const channelTimes = new Map<string, number[]>();
  const blocked = new Map<string, number>();
  const accepted: Array<{ at: number; text: string; channel?: string; contact?: string }> = [];
  let refused = 0;
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse => ({
    status,
    headers,
    body: JSON.stringify(body),
  });
  const transport = async (req: TransportRequest): Promise<TransportResponse> => {
    const now = clock.now();
    const second = Math.floor(now / 1000);
    const n = (windowCounts.get(second) ?? 0) + 1;
    if (n > perSecond) {
      refused++;
      return answer(
        429,
        { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
        { 'retry-after': '1' },
      );
    }
    windowCounts.set(second, n);
    const body = JSON.parse(String(req.body)) as { message: string; to_channel?: string; to_contact?: string };
    if (body.to_channel) {
      const ch = body.to_channel;
      if ((blocked.get(ch) ?? 0) > now) {
        refused++;
        return answer(
          429,
          { code: 429, message: `Message sending to channel ${ch} is temporarily blocked.` },
          { 'retry-after': '10' },
        );
      }
      const times = channelTimes.get(ch) ?? [];
      for (const w of WINDOWS) {
        if (times.filter((x) => x > now - w.windowMs).length >= w.max) {
          blocked.set(ch, now + w.blockMs);
          refused++;
          return answer(
            429,
            { code: 429, message: `Message sending to channel ${ch} is temporarily blocked.` },
            { 'retry-after': String(w.blockMs / 1000) },
          );
        }
      }
      times.push(now);
      channelTimes.set(ch, times);
    }
    accepted.push({ at: now, text: body.message, channel: body.to_channel, contact: body.to_contact });
    return answer(201, { id: `m${accepted.length}` });
  };
  return { transport, accepted, refused: () => refused };
}

let keys = 0;
const uniqueKey = () =>
  accountRateLimitKey({ apiBaseUrl: 'http://127.0.0.1:9/v2', accountId: `acct-${++keys}-${Math.random()}` });

function clientFor(
  clock: ReturnType<typeof scheduledClock>,
  transport: (r: TransportRequest) => Promise<TransportResponse>,
  extra: Record<string, unknown> = {},
) {
  return createZoomClient({
    auth: { kind: 'none' },
    transport,
    clock,
    baseUrls: { api: 'http://127.0.0.1:9/v2', file: 'http://127.0.0.1:9/v2' },
    ...extra,
  });
}

describe('one rate budget per account, per process', () => {
  it('200 sends through 200 clients of one account (200 executions) all arrive, once each, with no 429', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const key = uniqueKey();
    const started = clock.now();
    const sends = Array.from({ length: 200 }, (_, i) =>
      clientFor(clock, zoom.transport, { rateLimitKey: key }).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `n${i}`, to_contact: `u${i}@example.com` },
      }),
    );
    await clock.run(Promise.all(sends));
    expect(zoom.accepted.map((a) => a.text).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `n${i}`).sort());
    expect(zoom.refused()).toBe(0);
    // 200 at 20/s: 10 s is the least the limit allows.
    expect(clock.now() - started).toBeLessThan(10_500);
  });

  it('without a shared key, the same 200 clients herd into 429s, and still lose nothing', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const sends = Array.from({ length: 200 }, (_, i) =>
      clientFor(clock, zoom.transport).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `n${i}`, to_contact: `u${i}@example.com` },
      }),
    );
    await clock.run(Promise.all(sends));
    expect(zoom.accepted).toHaveLength(200);
    expect(zoom.refused()).toBeGreaterThan(0);
  });

  it('two shares of 0.5 (two processes) stay within the account limit together', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const [a, b] = [uniqueKey(), uniqueKey()];
    const sends = Array.from({ length: 100 }, (_, i) =>
      clientFor(clock, zoom.transport, { rateLimitKey: i % 2 ? a : b, rateLimitShare: 0.5 }).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `n${i}`, to_contact: 'u@example.com' },
      }),
    );
    await clock.run(Promise.all(sends));
    expect(zoom.accepted).toHaveLength(100);
    expect(zoom.refused()).toBe(0);
  });

  it('keys accounts by API host and account ID, falling back to the app', () => {
    expect(accountRateLimitKey({ apiBaseUrl: 'https://api.zoom.us/v2/', accountId: ' A1 ' })).toBe(
      'https://api.zoom.us/v2#account:A1',
    );
    expect(accountRateLimitKey({ accountId: '', clientId: 'cid' })).toBe('https://api.zoom.us/v2#app:cid');
    expect(() => accountRateLimitKey({})).toThrow(/account ID or the client ID/);
  });

  it('keeps a bounded number of account limiters', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    for (let i = 0; i < 250; i++) clientFor(clock, zoom.transport, { rateLimitKey: uniqueKey() });
    expect(sharedRateLimiterCount()).toBeLessThanOrEqual(200);
  });
});

describe('per-channel pacing (sendaChatMessage windows from the spec)', () => {
  it('reads the windows from the spec text', () => {
    expect(getOperation('sendaChatMessage').channelLimits).toEqual({
      field: 'to_channel',
      windows: [
        { windowMs: 1_000, max: 10, blockMs: 10_000 },
        { windowMs: 10_000, max: 30, blockMs: 30_000 },
        { windowMs: 100_000, max: 60, blockMs: 60_000 },
        { windowMs: 1_000_000, max: 450, blockMs: 300_000 },
      ],
    });
  });

  it('100 messages into one channel: no 429, no window ever full, in order, near the least time the windows allow', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const client = clientFor(clock, zoom.transport, { rateLimitKey: uniqueKey() });
    const started = clock.now();
    const sends = Array.from({ length: 100 }, (_, i) =>
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: `c${i}`, to_channel: 'ch1' } }),
    );
    await clock.run(Promise.all(sends));
    expect(zoom.refused()).toBe(0);
    expect(zoom.accepted.map((a) => a.text)).toEqual(Array.from({ length: 100 }, (_, i) => `c${i}`));
    const times = zoom.accepted.map((a) => a.at);
    for (const w of WINDOWS) expect(maxInWindow(times, w.windowMs)).toBeLessThanOrEqual(w.max);
    // Spaced evenly within the shortest window (10 in 1 s: 100 ms apart), never bunched.
    expect(Math.min(...times.slice(1).map((t, i) => t - (times[i] as number)))).toBeGreaterThanOrEqual(100);
    // The windows allow 60 in the first 100 s and 30 more per 10 s after that: the 100th can go at
    // ~110 s at the earliest. Slack for transit adds well under a second per window passed.
    const seconds = (clock.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(100);
    expect(seconds).toBeLessThan(113);
  });

  it('other channels and direct messages do not wait behind a busy channel', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const client = clientFor(clock, zoom.transport, { rateLimitKey: uniqueKey() });
    const busy = Array.from({ length: 40 }, (_, i) =>
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: `busy${i}`, to_channel: 'busy' } }),
    );
    const started = clock.now();
    await clock.run(
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: 'other', to_channel: 'quiet' } }),
    );
    await clock.run(
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: 'dm', to_contact: 'a@example.com' } }),
    );
    expect(clock.now() - started).toBeLessThan(2_000);
    await clock.run(Promise.all(busy));
    expect(zoom.refused()).toBe(0);
  });

  it('a channel Zoom blocked anyway is paused alone and every message still arrives once, in order', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    // Another app on the account already sent 10 messages into the channel this second.
    const other = clientFor(clock, zoom.transport, { channelPacing: false });
    await clock.run(
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          other.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: `other${i}`, to_channel: 'ch' } }),
        ),
      ),
    );
    const client = clientFor(clock, zoom.transport, { rateLimitKey: uniqueKey() });
    const ours = Array.from({ length: 15 }, (_, i) =>
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: `ours${i}`, to_channel: 'ch' } }),
    );
    await clock.run(Promise.all(ours));
    const texts = zoom.accepted.map((a) => a.text).filter((t) => t.startsWith('ours'));
    expect(texts).toEqual(Array.from({ length: 15 }, (_, i) => `ours${i}`));
    expect(zoom.refused()).toBeGreaterThan(0);
  });
});

describe('no message lost to rate limiting', () => {
  it('a 429 storm is waited out however many times it comes (no count of retries), then posted once', async () => {
    const clock = scheduledClock();
    let refusals = 25;
    let posted = 0;
    const transport = async (): Promise<TransportResponse> => {
      if (refusals-- > 0)
        return { status: 429, headers: { 'retry-after': '2' }, body: '{"code":429,"message":"Too many requests"}' };
      posted++;
      return { status: 201, headers: {}, body: '{"id":"m1"}' };
    };
    const client = clientFor(clock, transport, { rateLimitKey: uniqueKey() });
    await expect(
      clock.run(
        client.call('sendaChatMessage', {
          path: { userId: 'me' },
          body: { message: 'hi', to_contact: 'a@example.com' },
        }),
      ),
    ).resolves.toEqual({ id: 'm1' });
    expect(posted).toBe(1);
  });

  it('fails with the reason, having sent nothing, when the wait would pass maxRateLimitWaitMs', async () => {
    const clock = scheduledClock();
    let calls = 0;
    const transport = async (): Promise<TransportResponse> => {
      calls++;
      return { status: 429, headers: { 'retry-after': '120' }, body: '{"code":429,"message":"Too many requests"}' };
    };
    const key = uniqueKey();
    const client = clientFor(clock, transport, { rateLimitKey: key, maxRateLimitWaitMs: 60_000 });
    const first = await clock.run(
      client
        .call('sendaChatMessage', { path: { userId: 'me' }, body: { message: 'a', to_contact: 'a@example.com' } })
        .catch((e) => e),
    );
    expect(first).toBeInstanceOf(ZoomApiError);
    expect(first.message).toMatch(
      /wait 120 s, which would pass this call's rate-limit wait bound \(maxRateLimitWaitMs 60 s\); nothing was sent/,
    );
    expect(calls).toBe(1);
  });

  it('callers queued behind a paused account fail at once, not when the pause ends, when it would pass their bound', async () => {
    const clock = scheduledClock();
    let calls = 0;
    const transport = async (): Promise<TransportResponse> => {
      calls++;
      return calls === 1
        ? { status: 429, headers: { 'retry-after': '300' }, body: '{"code":429,"message":"Too many requests"}' }
        : { status: 201, headers: {}, body: '{}' };
    };
    const key = uniqueKey();
    const patient = clientFor(clock, transport, { rateLimitKey: key, maxRateLimitWaitMs: 600_000 });
    const hasty = clientFor(clock, transport, { rateLimitKey: key, maxRateLimitWaitMs: 5_000 });
    const a = patient.call('sendaChatMessage', {
      path: { userId: 'me' },
      body: { message: 'a', to_contact: 'a@example.com' },
    });
    await clock.run(new Promise((r) => setImmediate(r)));
    const started = clock.now();
    const b = await clock.run(
      hasty
        .call('sendaChatMessage', { path: { userId: 'me' }, body: { message: 'b', to_contact: 'b@example.com' } })
        .catch((e) => e),
    );
    expect(b).toBeInstanceOf(ZoomApiError);
    expect(b.status).toBe(429);
    expect(b.message).toMatch(/past its wait bound \(maxRateLimitWaitMs 5 s\)\. Nothing was sent/);
    expect(clock.now() - started).toBeLessThan(5_000);
    await clock.run(a);
    expect(calls).toBe(2);
  });
});

describe('requests that reach Zoom late', () => {
  it('a host that sends some released requests 300 ms late (n8n under a burst) gets at most one 429 in 200 sends', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const key = uniqueKey();
    // One request in four leaves the host late, by up to 400 ms (a fixed pseudo-random sequence),
    // the rest at once: Zoom counts each in the second it arrives.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const laggy = async (req: TransportRequest): Promise<TransportResponse> => {
      if (random() < 0.25) await clock.sleep(Math.floor(random() * 400));
      return await zoom.transport(req);
    };
    const started = clock.now();
    const sends = Array.from({ length: 200 }, (_, i) =>
      clientFor(clock, laggy, { rateLimitKey: key }).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `n${i}`, to_contact: `u${i}@example.com` },
      }),
    );
    await clock.run(Promise.all(sends));
    expect(zoom.accepted).toHaveLength(200);
    expect(zoom.refused()).toBeLessThanOrEqual(1);
    // The window widens by the 300 ms spread: 20 per 1.3 s at worst, 13 s for 200.
    expect(clock.now() - started).toBeLessThan(14_000);
  });

  it('a host busy for the first seconds of a burst (n8n starting 300 executions) trips no window later', async () => {
    // Seen in n8n 1.123: the second message of a burst into a channel reached Zoom 4.7 s after the
    // first, and 100 s later the 62nd, released 100 s after the second's release, landed in the same
    // 100-second window as it. Here every request released in the first 5 s leaves at 5 s (plus up
    // to 300 ms), the rest at once.
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    const t0 = clock.now();
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const busy = async (req: TransportRequest): Promise<TransportResponse> => {
      const now = clock.now();
      if (now < t0 + 5_000) await clock.sleep(t0 + 5_000 - now + Math.floor(random() * 300));
      return await zoom.transport(req);
    };
    const key = uniqueKey();
    const channel = Array.from({ length: 70 }, (_, i) =>
      clientFor(clock, busy, { rateLimitKey: key }).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `c${i}`, to_channel: 'chan-busy' },
      }),
    );
    const contact = Array.from({ length: 200 }, (_, i) =>
      clientFor(clock, busy, { rateLimitKey: key }).call('sendaChatMessage', {
        path: { userId: 'me' },
        body: { message: `n${i}`, to_contact: `u${i}@example.com` },
      }),
    );
    await clock.run(Promise.all([...channel, ...contact]));
    expect(zoom.accepted).toHaveLength(270);
    expect(zoom.refused()).toBe(0);
  });

  it('a host sending some messages up to 800 ms late into one channel trips none of its windows', async () => {
    const clock = scheduledClock();
    const zoom = zoomLike(clock);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    // Later than the channel's own slack (250 ms for its 1-second window) allows for: up to 800 ms.
    const laggy = async (req: TransportRequest): Promise<TransportResponse> => {
      if (random() < 0.25) await clock.sleep(Math.floor(random() * 800));
      return await zoom.transport(req);
    };
    const client = clientFor(clock, laggy, { rateLimitKey: uniqueKey() });
    const started = clock.now();
    const sends = Array.from({ length: 60 }, (_, i) =>
      client.call('sendaChatMessage', { path: { userId: 'me' }, body: { message: `c${i}`, to_channel: 'chan-lag' } }),
    );
    await clock.run(Promise.all(sends));
    // Released in order; the host's delays may reorder a few on the way.
    expect(zoom.accepted.map((a) => a.text).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `c${i}`).sort());
    expect(zoom.refused()).toBe(0);
    // 60 fit the 100-second window; the 1-second and 10-second ones set the pace (30 per 10 s).
    expect(clock.now() - started).toBeLessThan(25_000);
  });
});
