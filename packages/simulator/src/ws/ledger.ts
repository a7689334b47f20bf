/**
 * What was sent to WebSocket subscriptions, for tests: "every event emitted while connected
 * arrived exactly once" needs both the delivered and the dropped (no socket open) entries.
 */

export interface WebSocketDelivery {
  subscriptionId: string;
  event: string;
  eventTs: number;
  /** Hex SHA-256 of the `content` string sent (the event JSON), so a client can match bytes. */
  contentSha256: string;
  /** True when written to an open socket; false when no socket was open (Zoom drops it) or the write failed. */
  delivered: boolean;
  /** The socket written to (one entry per open socket of the subscription). */
  socketId?: string;
  /** Why it was not delivered. */
  reason?: string;
  /** Epoch ms (simulator clock). */
  at: number;
}

export class DeliveryLedger {
  private entries: WebSocketDelivery[] = [];

  constructor(private readonly max: number) {}

  add(entry: WebSocketDelivery): WebSocketDelivery {
    this.entries.push(entry);
    // Trimmed in batches so a steady stream does not copy the array on every event.
    if (this.entries.length >= this.max * 2) this.entries = this.entries.slice(-this.max);
    return entry;
  }

  /** Oldest first, at most `max`; copies, so callers cannot change the record. */
  list(subscriptionId?: string): WebSocketDelivery[] {
    const start = Math.max(0, this.entries.length - this.max);
    const out: WebSocketDelivery[] = [];
    for (let i = start; i < this.entries.length; i++) {
      const e = this.entries[i] as WebSocketDelivery;
      if (subscriptionId === undefined || e.subscriptionId === subscriptionId) out.push({ ...e });
    }
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
