/**
 * A request out longer than this is taken to have reached Zoom by then: the pacing must not stall
 * behind a request that hangs (a large upload, a dead connection the timeout has not yet ended).
 */
const IN_FLIGHT_CAP_MS = 30_000;

/**
 * One released request, and the latest time Zoom may have counted it. Zoom counts a request when it
 * arrives: after its release, before its answer. A busy host (n8n starting a hundred executions)
 * sends a released request seconds late, and the delay may fall anywhere before the answer, so a
 * window is paced from the answer, not from the release: while a request is out it may still
 * arrive; once answered, it arrived by then. That keeps a late request and those released a window
 * after it out of one window at Zoom, however late the host sent it. The cost: a saturated line
 * runs one round trip per window under the limit (with Zoom 150 ms away, 20 per 1.15 s).
 */
export class Turn {
  private state: 'released' | 'out' | 'ended' = 'released';
  private end = 0;

  /** `at`: epoch ms of the release. */
  constructor(readonly at: number) {}

  /** The caller took its turn: from now on the request may reach Zoom at any time. */
  leave(): void {
    if (this.state === 'released') this.state = 'out';
  }

  /** The request was answered, or ended without an answer, at `now`. Only the first call counts. */
  settle(now: number): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.end = Math.max(this.at, now);
  }

  /**
   * The latest time Zoom may have counted this request, as known at `now`. A turn nobody took
   * (a direct acquire) counts at its release; one out counts as arriving now, up to
   * IN_FLIGHT_CAP_MS after its release; an ended one at its end.
   */
  countedBy(now: number): number {
    if (this.state === 'released') return this.at;
    if (this.state === 'out') return Math.max(this.at, Math.min(now, this.at + IN_FLIGHT_CAP_MS));
    return this.end;
  }
}

/**
 * The `count`-th latest time by which Zoom may have counted one of `turns`: a new request counted a
 * window after it shares no window with that one, nor with any counted earlier, so at most
 * `count` - 1 others share one with it.
 */
export function countedWithin(turns: readonly Turn[], count: number, now: number): number {
  return nthLatest(countedTimes(turns, now), count);
}

/** Every turn's `countedBy(now)`, latest first: one sort for several windows of one line. */
export function countedTimes(turns: readonly Turn[], now: number): number[] {
  return turns.map((t) => t.countedBy(now)).sort((a, b) => b - a);
}

/** The `count`-th of `latestFirst` (-Infinity when there are fewer). */
export function nthLatest(latestFirst: readonly number[], count: number): number {
  return latestFirst.length < count ? -Infinity : (latestFirst[count - 1] as number);
}
