/** Open sockets by subscription: a subscription may have several (each gets every event). */
import type { Connection } from './connection';

export class SocketRegistry {
  private readonly bySub = new Map<string, Set<Connection>>();
  private count = 0;

  add(c: Connection): void {
    let set = this.bySub.get(c.subscriptionId);
    if (!set) {
      set = new Set();
      this.bySub.set(c.subscriptionId, set);
    }
    set.add(c);
  }

  remove(c: Connection): void {
    const set = this.bySub.get(c.subscriptionId);
    if (!set?.delete(c)) return;
    if (set.size === 0) this.bySub.delete(c.subscriptionId);
  }

  /** Sockets of one subscription that can still be written to. */
  openFor(subscriptionId: string): Connection[] {
    const set = this.bySub.get(subscriptionId);
    if (!set) return [];
    const out: Connection[] = [];
    for (const c of set) if (c.open) out.push(c);
    return out;
  }

  /** Every socket (open or closing) of one subscription, or of all when undefined. */
  all(subscriptionId?: string): Connection[] {
    if (subscriptionId !== undefined) return [...(this.bySub.get(subscriptionId) ?? [])];
    const out: Connection[] = [];
    for (const set of this.bySub.values()) out.push(...set);
    return out;
  }

  /** Socket IDs, unique for the simulator's lifetime (ledger entries name them). */
  nextId(): string {
    this.count++;
    return `ws-${this.count}`;
  }
}
