/** Answers whose time from release is kept (per label, per channel). */
const SAMPLES = 20;

/**
 * How differently requests travel to Zoom, for one pacing line. Zoom counts a request in the window
 * it arrives in, somewhere between its release and its answer; when those times differ by up to J ms
 * from one request to the next, releasing at most the allowance in any window stretched by J keeps
 * every window at Zoom within the allowance. `spread` estimates J: the spread of the last answers,
 * and, while requests are out, how long the oldest of them has been out beyond the quickest answer
 * (it may still arrive after all the others). The second matters at the start of a burst on a busy
 * host (n8n starting a hundred executions): the first requests are late before any has come back.
 */
export class Transit {
  private readonly samples: number[] = [];
  private at = 0;
  private readonly out = new Map<number, number>();
  private seq = 0;

  /** A request of this line leaves now; pass the id to `end`. */
  begin(now: number): number {
    const id = ++this.seq;
    this.out.set(id, now);
    return id;
  }

  /** The request got an answer (`answered`), or failed without one (its time is not a sample). */
  end(id: number, now: number, answered: boolean): void {
    const started = this.out.get(id);
    this.out.delete(id);
    if (started === undefined || !answered) return;
    const ms = now - started;
    if (!(ms >= 0)) return;
    if (this.samples.length < SAMPLES) this.samples.push(ms);
    else {
      this.samples[this.at] = ms;
      this.at = (this.at + 1) % SAMPLES;
    }
  }

  /** The estimated spread J in ms (0 while nothing is known). */
  spread(now: number): number {
    let low = Infinity;
    let high = -Infinity;
    for (const ms of this.samples) {
      if (ms < low) low = ms;
      if (ms > high) high = ms;
    }
    for (const started of this.out.values()) high = Math.max(high, now - started);
    if (high === -Infinity) return 0;
    return high - (low === Infinity ? 0 : low);
  }

  reset(): void {
    this.samples.length = 0;
    this.at = 0;
  }
}
