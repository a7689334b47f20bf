import type { Clock } from '../ports';
import { PacedQueue, type WaitOptions } from './paced-queue';
import { Transit } from './transit';

export interface ChannelWindow {
  windowMs: number;
  max: number;
  blockMs: number;
}

/** Channels kept at most; idle ones beyond this are dropped first (they hold no waiting caller). */
const MAX_CHANNELS = 5_000;

interface Lane {
  line: PacedQueue;
  /** Release times, oldest first, as many as the largest window allows. */
  times: number[];
  windows: readonly ChannelWindow[];
  /** Multiplies the transit slack: doubled by each block Zoom answers, halved after calm. */
  slackFactor: number;
  calm: number;
  /** How differently this channel's messages travel to Zoom (sets a floor under the slack). */
  transit: Transit;
}

/** Releases without a block after which the slack is halved again. */
const RELAX_AFTER = 100;

/**
 * Zoom's per-channel message windows (sendaChatMessage: 10 in 1 s, 30 in 10 s, 60 in 100 s, 450 in
 * 1000 s, read from the spec). Exceeding any of them blocks the channel for 10 s to 5 min, so each
 * channel gets its own line that never releases a message into a full window. The windows are
 * checked over the real release times with slack for how differently two requests travel to Zoom,
 * so they hold whether Zoom counts them sliding or fixed.
 */
export class ChannelPacer {
  private readonly lanes = new Map<string, Lane>();
  /** This process's share of the account's allowance (see RateLimiterConfig.share). */
  share = 1;

  constructor(private readonly clock: Clock) {}

  acquire(channelId: string, windows: readonly ChannelWindow[], options: WaitOptions & { ticket: number }): Promise<void> | undefined {
    return this.lane(channelId, windows).line.acquire(options, options.ticket);
  }

  /**
   * Zoom blocked the channel: nothing goes into it before `until`. The block shows the host sends
   * later than it releases by more than the slack allows (n8n under a burst: hundreds of ms), so
   * the slack doubles (up to 8×, never past half a window).
   */
  pause(channelId: string, windows: readonly ChannelWindow[], until: number): void {
    const lane = this.lane(channelId, windows);
    lane.line.pause(until);
    lane.slackFactor = Math.min(8, lane.slackFactor * 2);
    lane.calm = 0;
  }

  /** Where the pipeline reports when each message into the channel leaves and is answered. */
  transitOf(channelId: string): Transit | undefined {
    return this.lanes.get(channelId)?.transit;
  }

  pausedUntil(channelId: string): number {
    return this.lanes.get(channelId)?.line.pausedUntil ?? 0;
  }

  get size(): number {
    return this.lanes.size;
  }

  get idle(): boolean {
    for (const lane of this.lanes.values()) if (!lane.line.idle) return false;
    return true;
  }

  private lane(channelId: string, windows: readonly ChannelWindow[]): Lane {
    let lane = this.lanes.get(channelId);
    if (lane) {
      lane.windows = windows;
      return lane;
    }
    if (this.lanes.size >= MAX_CHANNELS) this.sweep();
    const created: Lane = { times: [], windows, slackFactor: 1, calm: 0, transit: new Transit(), line: undefined as unknown as PacedQueue };
    created.line = new PacedQueue(
      this.clock,
      () => this.readyAt(created),
      (now) => this.release(created, now),
    );
    this.lanes.set(channelId, created);
    lane = created;
    return lane;
  }

  /**
   * The earliest time no window would be over its allowance with one more message, and no sooner
   * than the shortest window's even spacing after the last one (10 in 1 s: 100 ms apart), so that
   * a host's delays cannot bunch a burst's arrivals into one window.
   */
  private readyAt(lane: Lane): number {
    const n = lane.times.length;
    // Only needed once a window is full; computed then, once.
    let spread: number | undefined;
    let at = 0;
    let spacing = 0;
    for (const w of lane.windows) {
      const max = Math.max(1, Math.floor(w.max * this.share));
      spacing = spacing === 0 ? w.windowMs / max : Math.min(spacing, w.windowMs / max);
      if (n < max) continue;
      // The max-th most recent release must have left the window (plus slack).
      // A block costs 10 s to 5 min, so the observed spread may take up to a whole window.
      spread ??= lane.transit.spread(this.clock.now());
      const slack = Math.max(Math.min(w.windowMs / 2, slackOf(w.windowMs) * lane.slackFactor), Math.min(w.windowMs, spread));
      at = Math.max(at, (lane.times[n - max] as number) + w.windowMs + slack);
    }
    if (n > 0) at = Math.max(at, (lane.times[n - 1] as number) + spacing);
    return at;
  }

  private release(lane: Lane, now: number): void {
    if (++lane.calm >= RELAX_AFTER) {
      lane.calm = 0;
      lane.slackFactor = Math.max(1, lane.slackFactor / 2);
    }
    lane.times.push(now);
    const keep = Math.max(...lane.windows.map((w) => w.max));
    if (lane.times.length > keep) lane.times.splice(0, lane.times.length - keep);
  }

  /** Drops channels nobody waits for whose every window has emptied, oldest use first. */
  private sweep(): void {
    const now = this.clock.now();
    const lanes = [...this.lanes.entries()].sort((a, b) => a[1].line.lastUsed - b[1].line.lastUsed);
    for (const [id, lane] of lanes) {
      if (this.lanes.size < MAX_CHANNELS * 0.9) break;
      const longest = Math.max(...lane.windows.map((w) => w.windowMs));
      if (lane.line.idle && now - lane.line.lastUsed > longest) this.lanes.delete(id);
    }
    // Still full of busy channels: drop idle ones anyway, the oldest first (a dropped channel can at
    // worst be answered one 429, which pauses it again).
    for (const [id, lane] of lanes) {
      if (this.lanes.size < MAX_CHANNELS) break;
      if (lane.line.idle && this.lanes.get(id) === lane) this.lanes.delete(id);
    }
  }
}

/**
 * How far apart two requests released in order may arrive at Zoom: a quarter of a second for the
 * 1-second window, a second for the longer ones. Generous, because a busy host (Node-RED or n8n
 * starting a burst of runs) delays the first sends of a burst by 100 ms and more, and a channel block
 * costs 10 s to 5 min; it costs little, since the 100-second window sets the pace of any burst.
 */
function slackOf(windowMs: number): number {
  return Math.min(1000, Math.max(250, windowMs / 10));
}
