/**
 * Zoom's account-level rate limits (packages/core/openapi/docs/rate-limits.md): a per-second
 * (per-minute for resource-intensive) window per label, and daily limits, on fixed windows.
 * File operations have their own bucket: "20 requests per second per API" (their descriptions).
 */
import type { RateLimitLabel } from './spec/model';

export type Plan = 'free' | 'pro' | 'business';

export interface LabelLimit {
  /** Requests per window. */
  limit: number;
  /** Window length in ms (1000 for per-second, 60000 for per-minute). */
  windowMs: number;
  /** Requests per UTC day; `undefined` for none. */
  daily?: number;
  /** Labels with the same group share one daily counter (Pro/Business: heavy + resource-intensive). */
  dailyGroup?: string;
}

export type LabelSetting = LabelLimit | 'off';
export type RateLimitOverrides = Partial<Record<RateLimitLabel, Partial<LabelLimit> | 'off'>>;

const SECOND = 1000;
const MINUTE = 60_000;
const FILE: LabelLimit = { limit: 20, windowMs: SECOND };

export const PRESETS: Record<Plan, Record<RateLimitLabel, LabelLimit>> = {
  free: {
    LIGHT: { limit: 4, windowMs: SECOND, daily: 6000 },
    MEDIUM: { limit: 2, windowMs: SECOND, daily: 2000 },
    HEAVY: { limit: 1, windowMs: SECOND, daily: 1000 },
    'RESOURCE-INTENSIVE': { limit: 10, windowMs: MINUTE, daily: 30_000 },
    FILE,
  },
  pro: {
    LIGHT: { limit: 30, windowMs: SECOND },
    MEDIUM: { limit: 20, windowMs: SECOND },
    HEAVY: { limit: 10, windowMs: SECOND, daily: 30_000, dailyGroup: 'heavy' },
    'RESOURCE-INTENSIVE': { limit: 10, windowMs: MINUTE, daily: 30_000, dailyGroup: 'heavy' },
    FILE,
  },
  business: {
    LIGHT: { limit: 80, windowMs: SECOND },
    MEDIUM: { limit: 60, windowMs: SECOND },
    HEAVY: { limit: 40, windowMs: SECOND, daily: 60_000, dailyGroup: 'heavy' },
    'RESOURCE-INTENSIVE': { limit: 20, windowMs: MINUTE, daily: 60_000, dailyGroup: 'heavy' },
    FILE,
  },
};

const CATEGORY: Record<RateLimitLabel, string> = {
  LIGHT: 'Light',
  MEDIUM: 'Medium',
  HEAVY: 'Heavy',
  'RESOURCE-INTENSIVE': 'Resource-intensive',
  FILE: 'File',
};

export const MESSAGES = {
  qps: 'You have reached the maximum per-second rate limit for this API. Try again later.',
  daily:
    'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
};

export interface RateLimitConfig {
  plan: Plan | 'off';
  overrides?: RateLimitOverrides;
  /** Daily 429s: `Retry-After` in seconds (default) or as Zoom documents it, an ISO date. */
  dailyRetryAfter?: 'seconds' | 'date';
}

export interface Rejection {
  status: 429;
  body: { code: 429; message: string };
  headers: Record<string, string>;
}

interface Window {
  start: number;
  count: number;
}

const DAY = 86_400_000;

export class RateLimiter {
  private settings!: Record<RateLimitLabel, LabelSetting>;
  private config!: RateLimitConfig;
  private readonly windows = new Map<RateLimitLabel, Window>();
  private readonly daily = new Map<string, Window>();

  constructor(
    config: RateLimitConfig,
    private readonly now: () => number,
  ) {
    this.configure(config);
  }

  configure(config: RateLimitConfig): void {
    this.config = { ...config };
    const base = config.plan === 'off' ? undefined : PRESETS[config.plan];
    const settings = {} as Record<RateLimitLabel, LabelSetting>;
    for (const label of Object.keys(CATEGORY) as RateLimitLabel[]) {
      const o = config.overrides?.[label];
      const preset = base?.[label];
      if (o === 'off' || (!preset && !o)) settings[label] = 'off';
      else settings[label] = { ...(preset ?? { limit: 1_000_000, windowMs: SECOND }), ...(o ?? {}) };
    }
    this.settings = settings;
  }

  describe(): {
    plan: Plan | 'off';
    dailyRetryAfter: 'seconds' | 'date';
    labels: Record<RateLimitLabel, LabelSetting>;
  } {
    return {
      plan: this.config.plan,
      dailyRetryAfter: this.config.dailyRetryAfter ?? 'seconds',
      labels: { ...this.settings },
    };
  }

  reset(): void {
    this.windows.clear();
    this.daily.clear();
  }

  /**
   * Counts one request for `label`; returns the 429 to answer, or the headers to add to a success
   * (only when a daily limit applies, like Zoom's `X-RateLimit-Limit`/`-Remaining`).
   */
  take(label: RateLimitLabel): { rejection?: Rejection; headers?: Record<string, string> } {
    const s = this.settings[label];
    if (s === 'off') return {};
    const now = this.now();
    const category = CATEGORY[label];

    let dayWin: Window | undefined;
    if (s.daily !== undefined) {
      const key = s.dailyGroup ?? label;
      const dayStart = Math.floor(now / DAY) * DAY;
      dayWin = this.daily.get(key);
      if (!dayWin || dayWin.start !== dayStart) {
        dayWin = { start: dayStart, count: 0 };
        this.daily.set(key, dayWin);
      }
      if (dayWin.count >= s.daily) {
        const reset = dayStart + DAY;
        const seconds = Math.max(1, Math.ceil((reset - now) / 1000));
        const resetIso = new Date(reset).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return {
          rejection: {
            status: 429,
            body: { code: 429, message: MESSAGES.daily },
            headers: {
              'retry-after': this.config.dailyRetryAfter === 'date' ? resetIso : String(seconds),
              'x-ratelimit-category': category,
              'x-ratelimit-type': 'Daily-limit',
              'x-ratelimit-limit': String(s.daily),
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': resetIso,
            },
          },
        };
      }
    }

    const winStart = Math.floor(now / s.windowMs) * s.windowMs;
    let win = this.windows.get(label);
    if (!win || win.start !== winStart) {
      win = { start: winStart, count: 0 };
      this.windows.set(label, win);
    }
    if (win.count >= s.limit) {
      return {
        rejection: {
          status: 429,
          body: { code: 429, message: MESSAGES.qps },
          headers: {
            'retry-after': String(Math.max(1, Math.ceil((winStart + s.windowMs - now) / 1000))),
            'x-ratelimit-category': category,
            'x-ratelimit-type': 'QPS',
            'x-ratelimit-limit': String(s.limit),
            'x-ratelimit-remaining': '0',
          },
        },
      };
    }
    win.count++;
    if (!dayWin || s.daily === undefined) return {};
    dayWin.count++;
    return {
      headers: {
        'x-ratelimit-category': category,
        'x-ratelimit-type': 'Daily-limit',
        'x-ratelimit-limit': String(s.daily),
        'x-ratelimit-remaining': String(s.daily - dayWin.count),
      },
    };
  }
}

/**
 * The per-channel message limits `sendaChatMessage` documents for `to_channel`: within 1 s up to
 * 10 messages (else blocked 10 s), 10 s → 30 (30 s), 100 s → 60 (60 s), 1000 s → 450 (300 s).
 * "If any time window limit is exceeded, message sending for the Channel is temporarily blocked."
 */
const CHANNEL_WINDOWS: Array<{ windowMs: number; max: number; blockMs: number }> = [
  { windowMs: 1_000, max: 10, blockMs: 10_000 },
  { windowMs: 10_000, max: 30, blockMs: 30_000 },
  { windowMs: 100_000, max: 60, blockMs: 60_000 },
  { windowMs: 1_000_000, max: 450, blockMs: 300_000 },
];

export class ChannelMessageLimiter {
  enabled: boolean;
  private readonly sent = new Map<string, number[]>();
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    enabled = true,
  ) {
    this.enabled = enabled;
  }

  /** Counts one message to `channelId`, or returns the 429 to answer. */
  take(channelId: string): Rejection | undefined {
    if (!this.enabled) return undefined;
    const now = this.now();
    const until = this.blocked.get(channelId) ?? 0;
    if (until > now) return this.rejection(channelId, until - now, 'blocked');
    let times = this.sent.get(channelId);
    if (!times) {
      times = [];
      this.sent.set(channelId, times);
    }
    // Keep only what the longest window needs.
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= now - 1_000_000) drop++;
    if (drop) times.splice(0, drop);
    for (const w of CHANNEL_WINDOWS) {
      let n = 0;
      for (let i = times.length - 1; i >= 0 && (times[i] as number) > now - w.windowMs; i--) n++;
      if (n >= w.max) {
        this.blocked.set(channelId, now + w.blockMs);
        return this.rejection(channelId, w.blockMs, `more than ${w.max} messages within ${w.windowMs / 1000} seconds`);
      }
    }
    times.push(now);
    return undefined;
  }

  /** Forgets the last counted message (the send failed for another reason). */
  untake(channelId: string): void {
    this.sent.get(channelId)?.pop();
  }

  reset(): void {
    this.sent.clear();
    this.blocked.clear();
  }

  private rejection(channelId: string, waitMs: number, why: string): Rejection {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return {
      status: 429,
      body: {
        code: 429,
        message: `Message sending to channel ${channelId} is temporarily blocked (${why}). Try again in ${seconds} seconds.`,
      },
      headers: { 'retry-after': String(seconds), 'x-ratelimit-category': 'Medium', 'x-ratelimit-type': 'QPS' },
    };
  }
}
