/**
 * Fan-out of one event to the WebSocket subscriptions that want it, as Zoom frames it:
 * `{"module":"message","content":"<the webhook body as a string>"}`. The content is exactly the
 * JSON a webhook POST carries (same envelope function, serialised once per event).
 */
import { createHash } from 'node:crypto';
import { eventCatalog } from '../webhooks';
import type { DeliveryLedger, WebSocketDelivery } from './ledger';
import type { SocketRegistry } from './registry';
import type { WebSocketSubscriptions } from './subscriptions';

export interface PublishDeps {
  subscriptions: WebSocketSubscriptions;
  sockets: SocketRegistry;
  ledger: DeliveryLedger;
  now: () => number;
  /** A socket with more than this waiting to be written is not reading: it is cut instead of growing memory. */
  maxBufferedBytes: number;
}

/** Thrown (to the hub adapter, which records it) when a built event does not match Zoom's schema. */
export class WebSocketEventError extends Error {}

/**
 * Sends `delivery` (the `{event, event_ts, …, payload}` envelope) to every open socket of every
 * matching subscription; records one ledger entry per socket, or one undelivered entry for a
 * subscription with no socket open (Zoom does not replay those). Returns the sockets written to.
 */
export function publish(deps: PublishDeps, event: string, delivery: Record<string, unknown>): number {
  const subs = deps.subscriptions.matching(event);
  if (subs.length === 0) return 0;
  const problem = eventCatalog().check(event, delivery);
  if (problem !== undefined)
    throw new WebSocketEventError(`${event} delivery does not match Zoom's schema: ${problem}`);
  const content = JSON.stringify(delivery);
  const frame = JSON.stringify({ module: 'message', content });
  const contentSha256 = createHash('sha256').update(content).digest('hex');
  const eventTs = typeof delivery['event_ts'] === 'number' ? delivery['event_ts'] : deps.now();
  let written = 0;
  for (const sub of subs) {
    const base = { subscriptionId: sub.id, event, eventTs, contentSha256 };
    const open = deps.sockets.openFor(sub.id);
    if (open.length === 0) {
      deps.ledger.add({ ...base, delivered: false, reason: 'no socket open', at: deps.now() });
      continue;
    }
    for (const c of open) {
      if (c.socket.bufferedAmount > deps.maxBufferedBytes) {
        deps.ledger.add({
          ...base,
          delivered: false,
          socketId: c.id,
          reason: `client not reading (${c.socket.bufferedAmount} bytes waiting): socket cut`,
          at: deps.now(),
        });
        c.terminate();
        continue;
      }
      const entry: WebSocketDelivery = deps.ledger.add({ ...base, delivered: true, socketId: c.id, at: deps.now() });
      written++;
      c.socket.send(frame, (err) => {
        if (!err) return;
        // The write failed (socket died under it): the client never got it.
        entry.delivered = false;
        entry.reason = `write failed: ${err.message}`;
      });
    }
  }
  return written;
}
