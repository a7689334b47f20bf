/**
 * Scheduled messages (`sendaChatMessage` with `scheduled_time`): drafts until their time comes on
 * the simulator's clock, then sent like any other message, with the same events, at that moment.
 */
import type { ChatService } from './chat';
import type { Store } from './store';
import type { Draft } from './types';

/** setTimeout's ceiling (about 24.8 days): a later draft is looked at again when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class MessageScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** The earliest pending draft's time, so `catchUp` costs one comparison when nothing is due. */
  private dueAt = Infinity;
  private closed = false;

  constructor(
    private readonly state: () => { store: Store; chat: ChatService },
    private readonly now: () => number,
  ) {}

  add(draft: Draft): void {
    this.state().store.drafts.set(draft.id, draft);
    if (draft.scheduledAt < this.dueAt) this.arm();
  }

  /**
   * Sends whatever is due. The timer does this on a real clock; an injected clock (`now`) moves
   * without telling anyone, so the API and admin hosts call this before each request and a test
   * that advances its clock sees the messages at the next request.
   */
  catchUp(): void {
    if (this.dueAt !== Infinity && this.dueAt <= this.now()) this.runDue();
  }

  /** Sends every pending draft whose time has come, earliest first. */
  runDue(): Draft[] {
    const now = this.now();
    const due = this.pending().filter((d) => d.scheduledAt <= now);
    for (const d of due) this.deliver(d);
    this.arm();
    return due;
  }

  /**
   * Sends one draft now, whatever its time. The send is checked again as at scheduling time (the
   * channel may have been archived, the sender removed, the thread deleted); a refusal leaves the
   * draft `failed` with Zoom's message, and no events.
   */
  deliver(d: Draft): Draft {
    if (d.state !== 'scheduled') return d;
    const { store, chat } = this.state();
    const sender = store.users.get(d.senderId);
    try {
      if (!sender) throw new Error(`the sender ${d.senderId} no longer exists`);
      const m = chat.sendMessage(sender, {
        toChannel: d.channelId,
        toContact: d.toUserId,
        text: d.text,
        replyTo: d.replyTo,
        fileIds: d.fileIds,
        richText: d.richText,
        atItems: d.atItems,
        interactiveCards: d.interactiveCards,
      });
      d.state = 'sent';
      d.messageId = m.id;
    } catch (err) {
      d.state = 'failed';
      d.error = (err as Error)?.message ?? String(err);
    }
    d.settledAt = this.now();
    return d;
  }

  /** Pending drafts, earliest first (ties in the order they were scheduled). */
  pending(): Draft[] {
    const out: Draft[] = [];
    for (const d of this.state().store.drafts.values()) if (d.state === 'scheduled') out.push(d);
    return out.sort((a, b) => a.scheduledAt - b.scheduledAt);
  }

  /** Sets the timer for the earliest pending draft; call after drafts change wholesale (reset, delete). */
  arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Infinity;
    if (this.closed) return;
    for (const d of this.state().store.drafts.values())
      if (d.state === 'scheduled' && d.scheduledAt < this.dueAt) this.dueAt = d.scheduledAt;
    if (this.dueAt === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        try {
          this.runDue();
        } catch {
          // Sends record their own failures; a bug here must not crash the process from a timer.
        }
      },
      Math.min(MAX_TIMER_MS, Math.max(0, this.dueAt - this.now())),
    );
    // A pending draft must not keep a test run or the CLI alive.
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
