import { describe, expect, it } from 'vitest';
import { RateLimiter, PLAN_PRESETS } from '../src/http/rate-limiter';
import { parseRetryAfter, backoffMs } from '../src/http/retry-after';
import type { Clock } from '../src/ports';

/** A virtual clock: sleeping advances time, so schedules are checked exactly and instantly. */
function virtualClock(): Clock & { sends: number[] } {
  let t = 1_000_000;
  return {
    sends: [],
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('uses the plan presets from Zoom docs', () => {
    expect(PLAN_PRESETS.free.MEDIUM).toEqual({ perSecond: 2 });
    expect(PLAN_PRESETS.pro.LIGHT).toEqual({ perSecond: 30 });
    expect(PLAN_PRESETS.business['RESOURCE-INTENSIVE']).toEqual({ perMinute: 20 });
    expect(PLAN_PRESETS.pro.FILE).toEqual({ perSecond: 20 });
  });

  it('spaces requests of one label evenly and leaves others alone', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: { perSecond: 20 } });
    const start = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire('MEDIUM');
      times.push(clock.now() - start);
    }
    expect(times).toEqual([0, 50, 100, 150, 200]);
    const before = clock.now();
    await limiter.acquire('LIGHT');
    expect(clock.now()).toBe(before);
  });

  it('holds every caller of a paused label until the pause ends', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(clock, 'pro', { MEDIUM: 'off' });
    const t0 = clock.now();
    limiter.pause('MEDIUM', t0 + 3000);
    const waits: number[] = [];
    await limiter.acquire('MEDIUM', { onWait: (ms) => waits.push(ms) });
    expect(clock.now()).toBe(t0 + 3000);
    expect(waits).toEqual([3000]);
    expect(limiter.pausedUntil('MEDIUM')).toBe(t0 + 3000);
  });

  it('refuses unknown labels and bad numbers by name', () => {
    const clock = virtualClock();
    expect(() => new RateLimiter(clock, 'pro', { MEDUIM: 'off' } as never)).toThrow(
      /rateLimits\.MEDUIM is not a Zoom rate-limit label/,
    );
    expect(() => new RateLimiter(clock, 'pro', { LIGHT: { perSecond: -1 } })).toThrow(
      /rateLimits\.LIGHT\.perSecond must be a positive number/,
    );
    expect(() => new RateLimiter(clock, 'gold' as never)).toThrow(/plan must be one of free, pro, business/);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads seconds', () => expect(parseRetryAfter('7', now)).toBe(7000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000));
  it('never goes negative for a past date', () =>
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0));
  it('ignores garbage and absence', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
  it('backs off exponentially within its cap', () => {
    expect(backoffMs(0, 500, 8000, () => 0)).toBe(250);
    expect(backoffMs(3, 500, 8000, () => 1)).toBe(4000);
    expect(backoffMs(10, 500, 8000, () => 1)).toBe(8000);
  });
});
