/**
 * What both delivery modes (webhook, WebSocket) do with an event once it is trusted: publishing it
 * on the account's event bus (for zoom ask nodes), the event and channel filters, de-duplication
 * (kept in the node's context), skipping our own messages, and the message sent into the flow.
 */
import {
  admitEvent,
  createDeduper,
  createRecordDedupeStore,
  eventReplyTarget,
  parseList,
  sentByThisRuntime,
  type Deduper,
  type EventSelection,
  type ZoomEvent,
} from '@zoom-team-chat/core';
import { setTimeout as delay } from 'node:timers/promises';
import { getAccount } from '../../lib/account';
import type { Node, NodeDef } from '../../lib/red';

const DEDUPE_CONTEXT_KEY = 'zoomTeamChatDeliveries';
/** How long an event about a message waits for our own sends in flight (to recognise their echo). */
const OWN_SEND_WAIT_MS = 5_000;

/** Waiting for our own sends must not keep Node-RED from exiting. */
const unrefSleep = (ms: number) => delay(ms, undefined, { ref: false });

/** Keys kept for de-duplication (the core's record store keeps 1 000 by default). */
export const DEDUPE_MAX_KEYS = 10_000;

/** `alsoKeys`: more keys that mark the same delivery (any one already seen makes it a duplicate). */
export type DeliverFn = (
  event: ZoomEvent,
  deliveryKey: string,
  meta: Record<string, unknown>,
  alsoKeys?: string[],
) => Promise<void>;

/**
 * `meta` is merged into `msg.zoom` after `event`, `event_ts` and `deliveryKey`.
 * `showEvent`: put the event name in the node status (the webhook mode; the WebSocket mode keeps
 * its connection state there).
 */
export function createDelivery(node: Node, def: NodeDef, options: { showEvent: boolean }): DeliverFn {
  const accountId = typeof def.account === 'string' ? def.account : '';
  const events = parseList(def.events);
  const ignoreOwn = def.ignoreOwn !== false;
  const selectionFor = (botJid: string): EventSelection => ({
    // A blank Events field (free text in older flows) means every event the subscription sends.
    events: events.length > 0 ? events : 'all',
    channels: parseList(def.channels),
    ownIdentities: ignoreOwn && botJid !== '' ? [botJid] : [],
  });
  const dedupe = def.dedupe !== false;

  let deduper: Deduper | undefined;
  let record: Record<string, unknown> | undefined;
  const context = node.context();
  const loadDeduper = async (): Promise<Deduper> => {
    if (deduper !== undefined) return deduper;
    const stored = await new Promise<unknown>((resolve) => {
      context.get(DEDUPE_CONTEXT_KEY, (err, value) => resolve(err ? undefined : value));
    });
    record =
      stored !== null && typeof stored === 'object' && !Array.isArray(stored)
        ? (stored as Record<string, unknown>)
        : {};
    // Two keys per delivery (request id and signature): room for 5 000 deliveries, about 10 s at
    // 500 events/s and hours at ordinary rates.
    deduper = createDeduper({ store: createRecordDedupeStore(record, { maxEntries: DEDUPE_MAX_KEYS }) });
    return deduper;
  };
  const saveDedupe = () => {
    // Persistent context stores (file) keep deliveries across restarts; the memory store ignores this.
    if (record !== undefined) context.set(DEDUPE_CONTEXT_KEY, record, () => undefined);
  };

  return async (event, deliveryKey, meta, alsoKeys = []) => {
    const account = getAccount(accountId);
    // Before the filters: a zoom ask node on this account needs the button clicks and thread
    // replies even when this trigger's Events or Channels leave them out.
    account?.publishEvent(event, {
      deliveryKey,
      alsoKeys,
      delivery: meta.delivery === 'websocket' ? 'websocket' : 'webhook',
      receivedAt: typeof meta.receivedAt === 'string' ? meta.receivedAt : new Date().toISOString(),
      triggerId: node.id,
    });
    const reason = await admitEvent(event, {
      selection: selectionFor(account?.settings.botJid ?? ''),
      keys: [deliveryKey, ...alsoKeys],
      seen: dedupe
        ? async (keys) => {
            const d = await loadDeduper();
            // Every key is recorded (seen() marks it), so a later replay under any of them is caught.
            const seen = await Promise.all(keys.map((key) => d.seen(key)));
            saveDedupe();
            return seen.includes(true);
          }
        : undefined,
      sentHere: ignoreOwn ? (messageId) => sentByThisRuntime(messageId, unrefSleep, OWN_SEND_WAIT_MS) : undefined,
    });
    if (reason !== undefined) return;
    const replyTarget = eventReplyTarget(event);
    node.send({
      payload: event.payload,
      topic: event.event,
      zoom: {
        event: event.event,
        event_ts: event.event_ts,
        deliveryKey,
        ...meta,
        ...(replyTarget !== undefined ? { replyTarget } : {}),
      },
    });
    if (options.showEvent) node.status({ fill: 'green', shape: 'dot', text: event.event });
  };
}
