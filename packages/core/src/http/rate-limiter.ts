import type { RateLimitLabel } from '../spec/types';
import type { Clock } from '../ports';
import { ZoomConfigError } from '../errors';

export type Plan = 'free' | 'pro' | 'business';
export interface RateLimitSpec {
  perSecond?: number;
  perMinute?: number;
}
export type RateLimitOverrides = Partial<Record<RateLimitLabel, RateLimitSpec | 'off'>>;

/** From Zoom's rate-limit table (docs/rate-limits.md); files are limited to 20 requests/s on every plan. */
export const PLAN_PRESETS: Readonly<Record<Plan, Readonly<Record<RateLimitLabel, RateLimitSpec>>>> = {
  free: { LIGHT: { perSecond: 4 }, MEDIUM: { perSecond: 2 }, HEAVY: { perSecond: 1 }, 'RESOURCE-INTENSIVE': { perMinute: 10 }, FILE: { perSecond: 20 } },
  pro: { LIGHT: { perSecond: 30 }, MEDIUM: { perSecond: 20 }, HEAVY: { perSecond: 10 }, 'RESOURCE-INTENSIVE': { perMinute: 10 }, FILE: { perSecond: 20 } },
  business: { LIGHT: { perSecond: 80 }, MEDIUM: { perSecond: 60 }, HEAVY: { perSecond: 40 }, 'RESOURCE-INTENSIVE': { perMinute: 20 }, FILE: { perSecond: 20 } },
};

const LABELS: readonly RateLimitLabel[] = ['LIGHT', 'MEDIUM', 'HEAVY', 'RESOURCE-INTENSIVE', 'FILE'];

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Bucket {
  /** Spacing between requests; 0 when pacing is off (429 pauses still apply). */
  intervalMs: number;
  /** Theoretical time of the next release (GCRA). */
  next: number;
  pausedUntil: number;
  /** Callers waiting for a slot, first come first served. */
  queue: Waiter[];
  /** A pump is releasing the queue. */
  pumping: boolean;
  /** At most `windowCount` releases in any `windowMs` (0: no window check). */
  windowMs: number;
  windowCount: number;
  /** Times of the last `windowCount` releases (ring). */
  recent: number[];
  recentAt: number;
}

/** A wake-up late by up to this share of the interval is caught up on the next release. */
const CATCH_UP = 0.5;
/** Slack on the window check for how differently two requests travel to Zoom (at most 1% of it). */
const WINDOW_SLACK_MS = 5;

/**
 * One pacing bucket per Zoom rate-limit label. Callers queue first come first served and are released
 * evenly spaced, so concurrent callers share the allowance instead of bursting into 429s.
 *
 * Zoom counts requests per fixed window (e.g. 60 per second). Timers wake late now and then, and a late
 * release followed by an on-time one would put one request too many into a window: besides the even
 * spacing, no more than the allowance is released within any window's length (sliding), measured on the
 * real release times. A 429 pauses the whole bucket; the caller it hit queues again behind the callers
 * already waiting, so a storm of 429s is spread over the callers instead of exhausting one's retries.
 */
export class RateLimiter {
  private readonly buckets = new Map<RateLimitLabel, Bucket>();

  constructor(
    private readonly clock: Clock,
    plan: Plan = 'pro',
    overrides: RateLimitOverrides = {},
  ) {
    const preset = PLAN_PRESETS[plan];
    if (!preset) throw new ZoomConfigError(`plan must be one of ${Object.keys(PLAN_PRESETS).join(', ')} (got ${String(plan)})`);
    for (const key of Object.keys(overrides)) {
      if (!LABELS.includes(key as RateLimitLabel)) {
        throw new ZoomConfigError(`rateLimits.${key} is not a Zoom rate-limit label; use one of ${LABELS.join(', ')}`);
      }
    }
    for (const label of LABELS) {
      const spec = overrides[label] ?? preset[label];
      const intervalMs = intervalOf(label, spec);
      const { windowMs, windowCount } = windowOf(spec);
      this.buckets.set(label, { intervalMs, next: 0, pausedUntil: 0, queue: [], pumping: false, windowMs, windowCount, recent: [], recentAt: 0 });
    }
  }

  /**
   * Waits for this label's next slot. `onWait` hears about waits long enough to show a user.
   * Returns undefined (nothing to await) when the slot is free right away: most calls, and every
   * call of a label with pacing off.
   */
  acquire(label: RateLimitLabel, signal?: AbortSignal, onWait?: (waitMs: number) => void): Promise<void> | undefined {
    const bucket = this.buckets.get(label);
    if (!bucket) return undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    if (bucket.queue.length === 0 && !bucket.pumping && this.readyAt(bucket) <= now) {
      this.release(bucket, now);
      return undefined;
    }
    const wait = Math.max(this.readyAt(bucket), now) + bucket.queue.length * bucket.intervalMs - now;
    if (wait >= 250) onWait?.(wait);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = bucket.queue.indexOf(waiter);
          if (i >= 0) bucket.queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      bucket.queue.push(waiter);
      if (!bucket.pumping) void this.pump(bucket);
    });
  }

  /** Zoom said 429: nobody sends on this label before `until` (epoch ms). */
  pause(label: RateLimitLabel, until: number): void {
    const bucket = this.buckets.get(label);
    if (!bucket) return;
    bucket.pausedUntil = Math.max(bucket.pausedUntil, until);
  }

  /** Epoch ms until which the label is paused (0 when not). */
  pausedUntil(label: RateLimitLabel): number {
    return this.buckets.get(label)?.pausedUntil ?? 0;
  }

  /** Earliest time the next request may go: spacing, pause and window allowance. */
  private readyAt(bucket: Bucket): number {
    let at = Math.max(bucket.next, bucket.pausedUntil);
    if (bucket.windowMs > 0 && bucket.recent.length === bucket.windowCount) {
      // The oldest of the last `windowCount` releases must have left the window.
      const oldest = bucket.recent[bucket.recentAt] as number;
      at = Math.max(at, oldest + bucket.windowMs + Math.min(WINDOW_SLACK_MS, bucket.windowMs / 100));
    }
    return at;
  }

  private release(bucket: Bucket, now: number): void {
    // A release late by a little keeps the schedule (the next one catches up); after an idle spell
    // the schedule restarts from now, with no burst credit.
    const onSchedule = bucket.next >= now - bucket.intervalMs * CATCH_UP;
    bucket.next = (onSchedule ? bucket.next : now) + bucket.intervalMs;
    if (bucket.windowMs > 0) {
      if (bucket.recent.length < bucket.windowCount) bucket.recent.push(now);
      else {
        bucket.recent[bucket.recentAt] = now;
        bucket.recentAt = (bucket.recentAt + 1) % bucket.windowCount;
      }
    }
  }

  /** Releases the queue in order, one slot at a time, sleeping in between. */
  private async pump(bucket: Bucket): Promise<void> {
    bucket.pumping = true;
    try {
      while (bucket.queue.length > 0) {
        const now = this.clock.now();
        const at = this.readyAt(bucket);
        if (at > now) {
          // Re-checked after the sleep: a 429 may have paused the bucket meanwhile.
          await this.clock.sleep(at - now);
          continue;
        }
        const waiter = bucket.queue.shift() as Waiter;
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        this.release(bucket, now);
        waiter.resolve();
      }
    } finally {
      bucket.pumping = false;
    }
  }
}

/** The allowance per window that Zoom counts, when it is a whole number of requests. */
function windowOf(spec: RateLimitSpec | 'off' | undefined): { windowMs: number; windowCount: number } {
  if (spec === 'off' || spec === undefined) return { windowMs: 0, windowCount: 0 };
  const [count, windowMs] = spec.perSecond !== undefined ? [spec.perSecond, 1000] : [spec.perMinute ?? 0, 60_000];
  return Number.isInteger(count) && count >= 1 ? { windowMs, windowCount: count } : { windowMs: 0, windowCount: 0 };
}

function intervalOf(label: RateLimitLabel, spec: RateLimitSpec | 'off' | undefined): number {
  if (spec === 'off' || spec === undefined) return 0;
  const { perSecond, perMinute } = spec;
  for (const [name, value] of [['perSecond', perSecond], ['perMinute', perMinute]] as const) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new ZoomConfigError(`rateLimits.${label}.${name} must be a positive number (got ${String(value)})`);
    }
  }
  if (perSecond !== undefined) return 1000 / perSecond;
  if (perMinute !== undefined) return 60_000 / perMinute;
  throw new ZoomConfigError(`rateLimits.${label} needs perSecond or perMinute, or 'off'`);
}
