/**
 * What both delivery modes (webhook, WebSocket) do with an event once it is trusted: publishing it
 * on the account's event bus (for zoom ask nodes), the core's admission (filters, de-duplication
 * kept in the node's context, our own messages), its files when asked, and the message.
 */
import {
  admitEvent,
  canDownloadFiles,
  createStoredDeduper,
  downloadEventFileBytes,
  eventReplyTarget,
  eventSelection,
  sentByThisRuntime,
  type ZoomEvent,
} from '@zoom-team-chat/core';
import { setTimeout as delay } from 'node:timers/promises';
import { getAccount } from '../../lib/account';
import type { Node, NodeDef } from '../../lib/red';
import { maxMegabytes, megabytesToBytes } from '../zoom-team-chat-message/inputs';

const DEDUPE_CONTEXT_KEY = 'zoomTeamChatDeliveries';
/** How long an event about a message waits for our own sends in flight (to recognise their echo). */
const OWN_SEND_WAIT_MS = 5_000;

/** Waiting for our own sends must not keep Node-RED from exiting. */
const unrefSleep = (ms: number) => delay(ms, undefined, { ref: false });

/** Keys kept for de-duplication: two per delivery (request id and signature), room for 5 000 deliveries. */
export const DEDUPE_MAX_KEYS = 10_000;

/** `alsoKeys`: more keys that mark the same delivery (any one already seen makes it a duplicate). */
export type DeliverFn = (
  event: ZoomEvent,
  deliveryKey: string,
  meta: Record<string, unknown>,
  alsoKeys?: string[],
) => Promise<void>;

/**
 * The "Download files" cap in bytes, or undefined when the option is off. Throws, naming Max size,
 * for a cap that is not a number of megabytes above 0.
 */
export function downloadCap(def: NodeDef): number | undefined {
  if (def.downloadFiles !== true) return undefined;
  return megabytesToBytes(maxMegabytes(def, {}).mb);
}

/**
 * `meta` is merged into `msg.zoom` after `event`, `event_ts` and `deliveryKey`.
 * `showEvent`: put the event name in the node status (the webhook mode; the WebSocket mode keeps
 * its connection state there).
 */
export function createDelivery(
  node: Node,
  def: NodeDef,
  options: { showEvent: boolean; maxBytes?: number },
): DeliverFn {
  const accountId = typeof def.account === 'string' ? def.account : '';
  const ignoreOwn = def.ignoreOwn !== false;
  const context = node.context();
  const dedupe =
    def.dedupe === false
      ? undefined
      : createStoredDeduper({
          load: () =>
            new Promise((resolve) => context.get(DEDUPE_CONTEXT_KEY, (err, value) => resolve(err ? undefined : value))),
          // Persistent context stores (file) keep deliveries across restarts; the memory store ignores this.
          save: (record) => context.set(DEDUPE_CONTEXT_KEY, record, () => undefined),
          maxEntries: DEDUPE_MAX_KEYS,
        });

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
    const botJid = account?.settings.botJid ?? '';
    const reason = await admitEvent(event, {
      // A blank Events field (free text in older flows) means every event the subscription sends.
      selection: eventSelection({
        events: def.events,
        channels: def.channels,
        ignoreOwn,
        ownIdentities: [botJid],
        blankEvents: 'all',
      }),
      keys: [deliveryKey, ...alsoKeys],
      seen: dedupe?.seen,
      sentHere: ignoreOwn ? (messageId) => sentByThisRuntime(messageId, unrefSleep, OWN_SEND_WAIT_MS) : undefined,
    });
    if (reason !== undefined) return;
    let files: unknown[] | undefined;
    if (options.maxBytes !== undefined && account !== undefined && canDownloadFiles(account.settings.authKind)) {
      const got = await downloadEventFileBytes(event, {
        // A client that cannot be built fails each file, not the event.
        download: async (f, o) => (await account.client()).files.download(f, o),
        maxBytes: options.maxBytes,
        sizeLabel: 'Max size (MB)',
        signal: account.signal,
      });
      for (const f of got) if ('error' in f) node.warn(`File ${f.fileId} of ${event.event} not downloaded: ${f.error}`);
      if (got.length > 0)
        files = got.map((f) => {
          if (!('data' in f)) return f;
          const { data, ...file } = f;
          return { ...file, payload: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
        });
    }
    const replyTarget = eventReplyTarget(event);
    node.send({
      payload: event.payload,
      topic: event.event,
      ...(files !== undefined ? { files } : {}),
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
