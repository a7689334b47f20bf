import type { Clock } from '../ports';
import { PacedQueue, type WaitOptions } from './paced-queue';
import { countedTimes, nthLatest, Turn } from './transit';

export interface ChannelWindow {
  windowMs: number;
  max: number;
  blockMs: number;
}

/** Channels kept at most; idle ones beyond this are dropped first (they hold no waiting caller). */
const MAX_CHANNELS = 5_000;

interface Lane {
  line: PacedQueue<Turn>;
  /** The last releases, oldest first, as many as the largest window allows. */
  turns: Turn[];
  windows: readonly ChannelWindow[];
  /** Multiplies the slack: doubled by each block Zoom answers, halved after calm. */
  slackFactor: number;
  calm: number;
}

/** Releases without a block after which the slack is halved again. */
const RELAX_AFTER = 100;

/**
 * Zoom's per-channel message windows (sendaChatMessage: 10 in 1 s, 30 in 10 s, 60 in 100 s, 450 in
 * 1000 s, read from the spec). Exceeding any of them blocks the channel for 10 s to 5 min, so each
 * channel gets its own line that never releases a message into a full window. The windows are
 * checked over the latest times Zoom may have counted each message (Turn.countedBy: a message the
 * host sent late counts late), with slack, so they hold whether Zoom counts them sliding or fixed.
 */
export class ChannelPacer {
  private readonly lanes = new Map<string, Lane>();
  /** This process's share of the account's allowance (see RateLimiterConfig.share). */
  share = 1;

  constructor(private readonly clock: Clock) {}

  /** Waits for the channel's turn (returned at once when it is free right away). */
  acquire(
    channelId: string,
    windows: readonly ChannelWindow[],
    options: WaitOptions & { ticket: number },
  ): Turn | Promise<Turn> {
    return this.lane(channelId, windows).line.acquire(options, options.ticket);
  }

  /**
   * Zoom blocked the channel: nothing goes into it before `until`. The block shows Zoom counts
   * later than the answers tell, so the slack doubles (up to 8×, never past half a window).
   */
  pause(channelId: string, windows: readonly ChannelWindow[], until: number): void {
    const lane = this.lane(channelId, windows);
    lane.line.pause(until);
    lane.slackFactor = Math.min(8, lane.slackFactor * 2);
    lane.calm = 0;
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
    const created: Lane = {
      turns: [],
      windows,
      slackFactor: 1,
      calm: 0,
      line: undefined as unknown as PacedQueue<Turn>,
    };
    created.line = new PacedQueue<Turn>(
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
    const n = lane.turns.length;
    const now = this.clock.now();
    // Only needed once a window is full; sorted then, once for all the windows.
    let times: number[] | undefined;
    let at = 0;
    let spacing = 0;
    for (const w of lane.windows) {
      const max = Math.max(1, Math.floor(w.max * this.share));
      spacing = spacing === 0 ? w.windowMs / max : Math.min(spacing, w.windowMs / max);
      if (n < max) continue;
      // The max-th latest counted message must have left the window (plus slack).
      const slack = Math.min(w.windowMs / 2, slackOf(w.windowMs) * lane.slackFactor);
      times ??= countedTimes(lane.turns, now);
      at = Math.max(at, nthLatest(times, max) + w.windowMs + slack);
    }
    if (n > 0) at = Math.max(at, (lane.turns[n - 1] as Turn).at + spacing);
    return at;
  }

  private release(lane: Lane, now: number): Turn {
    if (++lane.calm >= RELAX_AFTER) {
      lane.calm = 0;
      lane.slackFactor = Math.max(1, lane.slackFactor / 2);
    }
    const turn = new Turn(now);
    lane.turns.push(turn);
    // A late message may outlast later ones in a window's count: keep some beyond the largest.
    const keep = Math.max(...lane.windows.map((w) => w.max)) + 10;
    if (lane.turns.length > keep) lane.turns.splice(0, lane.turns.length - keep);
    return turn;
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
 * Slack on each window beyond what the answers tell (Turn.countedBy): a quarter of a second for the
 * 1-second window, a second for the longer ones. Generous, because a channel block costs 10 s to
 * 5 min; it costs little, since the 100-second window sets the pace of any burst.
 */
function slackOf(windowMs: number): number {
  return Math.min(1000, Math.max(250, windowMs / 10));
}
