import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/http/rate-limiter';
import type { Clock } from '../src/ports';

/** Release times as the limiter sees them (a promise callback runs after the next virtual sleep). */
function recordReleases(limiter: RateLimiter): number[] {
  const times: number[] = [];
  const spy = limiter as unknown as { release: (bucket: unknown, now: number) => void };
  const release = spy.release.bind(limiter);
  spy.release = (bucket, now) => {
    times.push(now);
    release(bucket, now);
  };
  return times;
}

/** Virtual time: a sleep advances the clock, `late(n)` makes the n-th sleep overshoot like a busy timer. */
function virtualClock(late: (n: number) => number = () => 0): Clock {
  let t = 5_000_000;
  let sleeps = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms + late(sleeps++);
    },
  };
}

describe('RateLimiter under late timers and 429 storms', () => {
  it('never releases more than the allowance within a window, even when timers wake late, and keeps ≥ 95% of the rate', async () => {
    // Every 5th wake-up is 12 ms late (a quarter of the 50 ms spacing at 20/s).
    const clock = virtualClock((n) => (n % 5 === 4 ? 12 : 0));
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: { perSecond: 20 } });
    const times = recordReleases(limiter);
    await Promise.all(Array.from({ length: 200 }, () => limiter.acquire('MEDIUM')));
    expect(times).toHaveLength(200);
    for (let i = 0; i + 20 < times.length; i++) {
      // 21 releases span more than one second: no fixed one-second window holds more than 20.
      expect((times[i + 20] as number) - (times[i] as number)).toBeGreaterThan(1000);
    }
    const rate = ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number));
    expect(rate).toBeGreaterThanOrEqual(19);
  });

  it('after a 429, the caller that was refused goes back to its place, ahead of callers who came after it', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: { perSecond: 20 } });
    const t0 = clock.now();
    const a = limiter.ticket();
    await limiter.acquire('MEDIUM', { ticket: a }); // A's request goes out…
    const times = recordReleases(limiter);
    const order: string[] = [];
    const waiting = ['B', 'C'].map((name) => Promise.resolve(limiter.acquire('MEDIUM')).then(() => order.push(name)));
    limiter.pause('MEDIUM', t0 + 2000); // …and is answered 429 with Retry-After: 2
    const retry = Promise.resolve(limiter.acquire('MEDIUM', { ticket: a })).then(() => order.push('A'));
    await Promise.all([...waiting, retry]);
    // A message that waited keeps its order (into a channel, order is what people read).
    expect(order).toEqual(['A', 'B', 'C']);
    // Right at Retry-After, then evenly spaced.
    expect(times.map((t) => t - t0)).toEqual([2000, 2050, 2100]);
  });

  it('a per-second 429 widens the window slack (the host sends later than it releases), and calm narrows it again', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: { perSecond: 20 } });
    const times = recordReleases(limiter);
    const gapOf20 = () => Math.min(...times.slice(20).map((t, i) => t - (times[i] as number)));
    for (let i = 0; i < 40; i++) await limiter.acquire('MEDIUM');
    expect(gapOf20()).toBeGreaterThanOrEqual(1025);
    expect(gapOf20()).toBeLessThan(1050);
    limiter.pause('MEDIUM', clock.now());
    limiter.pause('MEDIUM', clock.now());
    times.length = 0;
    for (let i = 0; i < 40; i++) await limiter.acquire('MEDIUM');
    expect(gapOf20()).toBeGreaterThanOrEqual(1100);
    for (let i = 0; i < 1000; i++) await limiter.acquire('MEDIUM');
    times.length = 0;
    for (let i = 0; i < 40; i++) await limiter.acquire('MEDIUM');
    expect(gapOf20()).toBeLessThan(1100);
  });

  it('an aborted caller leaves the queue and the others keep their slots', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: 'off' });
    limiter.pause('MEDIUM', clock.now() + 1000);
    const controller = new AbortController();
    const aborted = limiter.acquire('MEDIUM', { signal: controller.signal });
    const kept = limiter.acquire('MEDIUM');
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    await kept;
    expect(limiter.pausedUntil('MEDIUM')).toBeLessThanOrEqual(clock.now());
  });
});
