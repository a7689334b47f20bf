import type { RateLimitLabel } from '../spec/types';
import type { Clock } from '../ports';
import { ZoomConfigError } from '../errors';
import { ChannelPacer } from './channel-pacer';
import { countedWithin, Turn } from './transit';
import { PacedQueue, type WaitOptions } from './paced-queue';

export type Plan = 'free' | 'pro' | 'business';
export interface RateLimitSpec {
  perSecond?: number;
  perMinute?: number;
}
export type RateLimitOverrides = Partial<Record<RateLimitLabel, RateLimitSpec | 'off'>>;

/** From Zoom's rate-limit table (docs/rate-limits.md); files are limited to 20 requests/s on every plan. */
export const PLAN_PRESETS: Readonly<Record<Plan, Readonly<Record<RateLimitLabel, RateLimitSpec>>>> = {
  free: {
    LIGHT: { perSecond: 4 },
    MEDIUM: { perSecond: 2 },
    HEAVY: { perSecond: 1 },
    'RESOURCE-INTENSIVE': { perMinute: 10 },
    FILE: { perSecond: 20 },
  },
  pro: {
    LIGHT: { perSecond: 30 },
    MEDIUM: { perSecond: 20 },
    HEAVY: { perSecond: 10 },
    'RESOURCE-INTENSIVE': { perMinute: 10 },
    FILE: { perSecond: 20 },
  },
  business: {
    LIGHT: { perSecond: 80 },
    MEDIUM: { perSecond: 60 },
    HEAVY: { perSecond: 40 },
    'RESOURCE-INTENSIVE': { perMinute: 20 },
    FILE: { perSecond: 20 },
  },
};

const LABELS: readonly RateLimitLabel[] = ['LIGHT', 'MEDIUM', 'HEAVY', 'RESOURCE-INTENSIVE', 'FILE'];

interface Bucket {
  /** Spacing between requests; 0 when pacing is off (429 pauses still apply). */
  intervalMs: number;
  /** Theoretical time of the next release (GCRA). */
  next: number;
  /** At most `windowCount` requests counted by Zoom in any `windowMs` (0: no window check). */
  windowMs: number;
  windowCount: number;
  /** The last releases, oldest first (twice the window's count: a late one may outlast later ones). */
  recent: Turn[];
  /** Current window slack (see WINDOW_SLACK_MS) and releases since it last grew. */
  slackMs: number;
  calm: number;
  line: PacedQueue<Turn>;
}

/** A wake-up late by up to this share of the interval is caught up on the next release. */
const CATCH_UP = 0.5;
/**
 * Slack on the window check, on top of each request's own lateness (Turn.countedBy): for Zoom's own
 * time to count a request, which no answer time shows. It starts at 25 ms (at most 2.5% of the
 * window); each per-second 429 doubles it, up to half the window; every 1000 releases without one
 * halve it again.
 */
const WINDOW_SLACK_MS = 25;
const SLACK_RELAX_AFTER = 1000;

export interface RateLimiterConfig {
  plan?: Plan;
  overrides?: RateLimitOverrides;
  /**
   * The share of the account's allowance this process may use (0 < share ≤ 1, default 1): with two
   * processes sending for one account, 0.5 each keeps their sum within Zoom's limits.
   */
  share?: number;
}

/**
 * One pacing line per Zoom rate-limit label, and one per channel for operations with per-channel
 * windows. Callers queue first come first served and are released evenly spaced, so concurrent
 * callers share the allowance instead of bursting into 429s.
 *
 * Zoom counts requests per fixed window (e.g. 60 per second). Timers wake late now and then, and a late
 * release followed by an on-time one would put one request too many into a window: besides the even
 * spacing, no more than the allowance is released within any window's length (sliding), measured on the
 * real release times. A 429 pauses the whole line; the caller it hit goes back to its place in line
 * (its ticket), ahead of everyone who came after it, so order holds and nobody is starved.
 */
export class RateLimiter {
  private readonly buckets = new Map<RateLimitLabel, Bucket>();
  readonly channels: ChannelPacer;
  private tickets = 0;
  private signature = '';

  constructor(
    private readonly clock: Clock,
    plan: Plan | RateLimiterConfig = 'pro',
    overrides: RateLimitOverrides = {},
  ) {
    const config: RateLimiterConfig = typeof plan === 'string' ? { plan, overrides } : plan;
    this.channels = new ChannelPacer(clock);
    this.configure(config);
  }

  /**
   * Applies a plan, overrides and share (a shared limiter is reconfigured when a node's settings change).
   * Waiting callers keep their places.
   */
  configure(config: RateLimiterConfig): void {
    const plan = config.plan ?? 'pro';
    const overrides = config.overrides ?? {};
    const share = config.share ?? 1;
    const preset = PLAN_PRESETS[plan];
    if (!preset)
      throw new ZoomConfigError(`plan must be one of ${Object.keys(PLAN_PRESETS).join(', ')} (got ${String(plan)})`);
    if (!(typeof share === 'number' && share > 0 && share <= 1)) {
      throw new ZoomConfigError(`the rate-limit share must be a number above 0 and at most 1 (got ${String(share)})`);
    }
    for (const key of Object.keys(overrides)) {
      if (!LABELS.includes(key as RateLimitLabel)) {
        throw new ZoomConfigError(`rateLimits.${key} is not a Zoom rate-limit label; use one of ${LABELS.join(', ')}`);
      }
    }
    const signature = JSON.stringify([plan, overrides, share]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.channels.share = share;
    for (const label of LABELS) {
      const spec = scale(overrides[label] ?? preset[label], share);
      const intervalMs = intervalOf(label, spec);
      const { windowMs, windowCount } = windowOf(spec);
      const existing = this.buckets.get(label);
      if (existing) {
        Object.assign(existing, {
          intervalMs,
          windowMs,
          windowCount,
          recent: [],
          slackMs: Math.min(WINDOW_SLACK_MS, windowMs / 40),
          calm: 0,
        });
        continue;
      }
      const bucket = {
        intervalMs,
        next: 0,
        windowMs,
        windowCount,
        recent: [],
        slackMs: Math.min(WINDOW_SLACK_MS, windowMs / 40),
        calm: 0,
      } as unknown as Bucket;
      bucket.line = new PacedQueue<Turn>(
        this.clock,
        () => this.readyAt(bucket),
        (now) => this.release(bucket, now),
        () => bucket.intervalMs,
      );
      this.buckets.set(label, bucket);
    }
  }

  /** A place in line for a call; pass it with every acquire of the same call. */
  ticket(): number {
    return ++this.tickets;
  }

  /**
   * Waits for this label's next slot: the turn, to mark when the request leaves and is answered.
   * Returns it at once (nothing to await) when the slot is free right away: most calls.
   */
  acquire(label: RateLimitLabel, options: WaitOptions = {}): Turn | Promise<Turn> | undefined {
    const bucket = this.buckets.get(label);
    if (!bucket) return undefined;
    return bucket.line.acquire(options, options.ticket ?? this.ticket());
  }

  /** Zoom said 429: nobody sends on this label before `until` (epoch ms); the window slack grows. */
  pause(label: RateLimitLabel, until: number): void {
    const bucket = this.buckets.get(label);
    if (!bucket) return;
    bucket.line.pause(until);
    if (bucket.windowMs > 0) {
      bucket.slackMs = Math.min(bucket.windowMs / 2, Math.max(bucket.slackMs * 2, 1));
      bucket.calm = 0;
    }
  }

  /** Epoch ms until which the label is paused (0 when not). */
  pausedUntil(label: RateLimitLabel): number {
    return this.buckets.get(label)?.line.pausedUntil ?? 0;
  }

  /** Nobody is waiting and nothing is paused: a shared limiter in this state may be dropped. */
  get idle(): boolean {
    for (const bucket of this.buckets.values()) if (!bucket.line.idle) return false;
    return this.channels.idle;
  }

  /** Earliest time the next request may go: spacing and window allowance. */
  private readyAt(bucket: Bucket): number {
    let at = bucket.next;
    if (bucket.windowMs > 0 && bucket.recent.length >= bucket.windowCount) {
      // Fewer than `windowCount` requests may have been counted within a window before it.
      const last = countedWithin(bucket.recent, bucket.windowCount, this.clock.now());
      at = Math.max(at, last + bucket.windowMs + bucket.slackMs);
    }
    return at;
  }

  private release(bucket: Bucket, now: number): Turn {
    const turn = new Turn(now);
    // A release late by a little keeps the schedule (the next one catches up); after an idle spell
    // the schedule restarts from now, with no burst credit.
    const onSchedule = bucket.next >= now - bucket.intervalMs * CATCH_UP;
    bucket.next = (onSchedule ? bucket.next : now) + bucket.intervalMs;
    if (bucket.windowMs > 0) {
      if (++bucket.calm >= SLACK_RELAX_AFTER) {
        bucket.calm = 0;
        bucket.slackMs = Math.max(Math.min(WINDOW_SLACK_MS, bucket.windowMs / 40), bucket.slackMs / 2);
      }
      bucket.recent.push(turn);
      if (bucket.recent.length > 2 * bucket.windowCount) bucket.recent.shift();
    }
    return turn;
  }
}

/** A label's allowance times the process's share of it. */
function scale(spec: RateLimitSpec | 'off' | undefined, share: number): RateLimitSpec | 'off' | undefined {
  if (share === 1 || spec === 'off' || spec === undefined) return spec;
  const out: RateLimitSpec = {};
  if (spec.perSecond !== undefined) out.perSecond = spec.perSecond * share;
  if (spec.perMinute !== undefined) out.perMinute = spec.perMinute * share;
  return out;
}

/** The allowance per window that Zoom counts, when it is a whole number of requests. */
function windowOf(spec: RateLimitSpec | 'off' | undefined): { windowMs: number; windowCount: number } {
  if (spec === 'off' || spec === undefined) return { windowMs: 0, windowCount: 0 };
  const [count, windowMs] = spec.perSecond !== undefined ? [spec.perSecond, 1000] : [spec.perMinute ?? 0, 60_000];
  // A fractional allowance (a share of it) counts whole requests, rounded down.
  return count >= 1 ? { windowMs, windowCount: Math.floor(count) } : { windowMs: 0, windowCount: 0 };
}

function intervalOf(label: RateLimitLabel, spec: RateLimitSpec | 'off' | undefined): number {
  if (spec === 'off' || spec === undefined) return 0;
  const { perSecond, perMinute } = spec;
  for (const [name, value] of [
    ['perSecond', perSecond],
    ['perMinute', perMinute],
  ] as const) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new ZoomConfigError(`rateLimits.${label}.${name} must be a positive number (got ${String(value)})`);
    }
  }
  if (perSecond !== undefined) return 1000 / perSecond;
  if (perMinute !== undefined) return 60_000 / perMinute;
  throw new ZoomConfigError(`rateLimits.${label} needs perSecond or perMinute, or 'off'`);
}
