import { ZoomError } from '../errors';
import type { Clock } from '../ports';

/** Why a caller was turned away before its turn came: its wait would pass its deadline. */
export class WaitTooLongError extends ZoomError {
  override readonly name = 'WaitTooLongError';
  readonly kind = 'rate-limit';
  constructor(
    /** Epoch ms at which the caller could have gone. */
    readonly readyAt: number,
    /** Epoch ms the caller was willing to wait until. */
    readonly deadline: number,
    /** Why the queue is held: pacing, or a pause after a 429 or a block. */
    readonly paused: boolean,
  ) {
    super(
      `the wait would last until ${new Date(readyAt).toISOString()}, past the deadline ${new Date(deadline).toISOString()}`,
    );
  }
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Hears about a wait long enough to show a user (≥ 250 ms). */
  onWait?: (waitMs: number) => void;
  /**
   * The caller's place in line: lower goes first. A caller that was refused (429) comes back with the
   * ticket of its first try, so it goes ahead of everyone who arrived after it and order is kept.
   */
  ticket?: number;
  /** Epoch ms: a caller that cannot go by then is rejected with WaitTooLongError at once. */
  deadline?: number;
}

interface Waiter<T> {
  ticket: number;
  deadline: number;
  resolve: (turn: T) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A first-come-first-served line released one caller at a time, as soon as `readyAt()` allows.
 * What "allowed" means (spacing, windows, pauses) is the owner's; the queue keeps the order,
 * the sleeping, aborts and deadlines. One pump per queue, so waiting callers cost no timers.
 * Each caller gets what `onRelease` made for its release (its turn, for the owner to follow up).
 */
export class PacedQueue<T = void> {
  private readonly waiters: Waiter<T>[] = [];
  private pumping = false;
  pausedUntil = 0;
  /** Epoch ms of the last release or arrival: an idle queue can be dropped by its owner. */
  lastUsed = 0;

  constructor(
    private readonly clock: Clock,
    /** Earliest time the next caller may go, pauses aside. */
    private readonly readyAt: () => number,
    private readonly onRelease: (now: number) => T,
    private readonly spacingMs: () => number = () => 0,
  ) {}

  get idle(): boolean {
    return this.waiters.length === 0 && !this.pumping && this.pausedUntil <= this.clock.now();
  }

  get length(): number {
    return this.waiters.length;
  }

  /** Earliest time the next caller may go, pauses included. */
  nextAt(): number {
    return Math.max(this.readyAt(), this.pausedUntil);
  }

  /** Returns the turn itself, not a promise, when the caller may go right away (nothing to await). */
  acquire(options: WaitOptions, ticket: number): T | Promise<T> {
    const { signal, onWait } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    this.lastUsed = now;
    const deadline = options.deadline ?? Infinity;
    if (this.waiters.length === 0 && !this.pumping && this.nextAt() <= now) return this.onRelease(now);
    const position = this.waiters.filter((w) => w.ticket < ticket).length;
    const wait = Math.max(this.nextAt(), now) + position * this.spacingMs() - now;
    if (now + wait > deadline)
      return Promise.reject(new WaitTooLongError(now + wait, deadline, this.pausedUntil > now));
    if (wait >= 250) onWait?.(wait);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { ticket, deadline, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.remove(waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      // Usually the newest ticket, so the end of the line; a refused caller goes back to its place.
      let at = this.waiters.length;
      while (at > 0 && (this.waiters[at - 1] as Waiter<T>).ticket > ticket) at--;
      this.waiters.splice(at, 0, waiter);
      if (!this.pumping) void this.pump();
    });
  }

  /** Nobody goes before `until` (epoch ms). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private remove(waiter: Waiter<T>): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const now = this.clock.now();
        const at = this.nextAt();
        if (at > now) {
          // Whoever cannot make it by their deadline hears so now, not when the pause ends.
          for (const waiter of [...this.waiters]) {
            if (waiter.deadline < at) {
              this.remove(waiter);
              waiter.reject(new WaitTooLongError(at, waiter.deadline, this.pausedUntil > now));
            }
          }
          if (this.waiters.length === 0) break;
          // Re-checked after the sleep: a 429 may have paused the queue meanwhile.
          await this.clock.sleep(at - now);
          continue;
        }
        const waiter = this.waiters.shift() as Waiter<T>;
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        const turn = this.onRelease(now);
        this.lastUsed = now;
        waiter.resolve(turn);
      }
    } finally {
      this.pumping = false;
    }
  }
}
