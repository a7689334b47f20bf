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

interface Bucket {
  /** Spacing between requests; 0 when pacing is off (429 pauses still apply). */
  intervalMs: number;
  /** Theoretical arrival time of the next request (GCRA): reservations queue up behind it. */
  tat: number;
  pausedUntil: number;
}

/**
 * One pacing bucket per Zoom rate-limit label. Requests reserve evenly spaced slots, so concurrent
 * callers share the allowance instead of bursting into 429s; a 429 pauses the whole bucket.
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
      this.buckets.set(label, { intervalMs: intervalOf(label, spec), tat: 0, pausedUntil: 0 });
    }
  }

  /**
   * Waits for this label's next slot. `onWait` hears about waits long enough to show a user.
   */
  async acquire(label: RateLimitLabel, signal?: AbortSignal, onWait?: (waitMs: number) => void): Promise<void> {
    const bucket = this.buckets.get(label);
    if (!bucket) return;
    for (;;) {
      const now = this.clock.now();
      const start = Math.max(now, bucket.tat, bucket.pausedUntil);
      bucket.tat = start + bucket.intervalMs;
      const wait = start - now;
      if (wait <= 0) return;
      if (wait >= 250) onWait?.(wait);
      await this.clock.sleep(wait, signal);
      // A 429 may have paused the bucket while this caller slept on an earlier reservation.
      if (this.clock.now() >= bucket.pausedUntil) return;
    }
  }

  /** Zoom said 429: nobody sends on this label before `until` (epoch ms). */
  pause(label: RateLimitLabel, until: number): void {
    const bucket = this.buckets.get(label);
    if (!bucket) return;
    bucket.pausedUntil = Math.max(bucket.pausedUntil, until);
    bucket.tat = Math.max(bucket.tat, until);
  }

  /** Epoch ms until which the label is paused (0 when not). */
  pausedUntil(label: RateLimitLabel): number {
    return this.buckets.get(label)?.pausedUntil ?? 0;
  }
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
