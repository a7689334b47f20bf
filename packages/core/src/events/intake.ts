/**
 * What both hosts do with a delivery before and after it is trusted: the webhook request read into
 * "answer this" or "here is an event", the trigger's settings read into a selection, and a de-dupe
 * store the host only loads and saves.
 */
import { isZoomError } from '../errors';
import { handleWebhookRequest } from '../webhooks/url-validation';
import { createDeduper, createRecordDedupeStore, DEFAULT_DEDUPE_TTL_MS, webhookDeliveryKeys } from '../webhooks/dedupe';
import { REQUEST_ID_HEADER } from '../webhooks/headers';
import type { RawBody, UrlValidationResponse } from '../webhooks/types';
import { publicHeaders, type ZoomEvent } from './fields';
import { parseList, type EventSelection } from './select';

export type WebhookIntake =
  /** Answer `status`; `reason` is a stable code (the verification reason, or `body_not_raw`). */
  | { kind: 'refused'; status: 400 | 401 | 500; reason: string; message: string }
  | { kind: 'url_validation'; response: UrlValidationResponse }
  | {
      kind: 'event';
      event: ZoomEvent;
      /** De-dupe keys of this delivery, the preferred one first. */
      keys: string[];
      requestId?: string;
      /** The headers safe to show in a workflow or flow. */
      headers: Record<string, string>;
    };

/**
 * One webhook request, checked over its raw bytes: a refusal with the status to answer, Zoom's
 * URL check answered (only when signed), or the verified event with its de-dupe keys. Never throws
 * for anything the sender controls.
 */
export function receiveWebhook(options: {
  rawBody: RawBody | undefined;
  headers: Record<string, string | string[] | undefined>;
  secrets: readonly string[];
}): WebhookIntake {
  const { rawBody, headers } = options;
  if (rawBody === undefined) {
    return {
      kind: 'refused',
      status: 500,
      reason: 'body_not_raw',
      message: 'the raw request body is not available, so it cannot be verified',
    };
  }
  let result: ReturnType<typeof handleWebhookRequest<ZoomEvent>>;
  try {
    result = handleWebhookRequest<ZoomEvent>({ rawBody, headers, secrets: [...options.secrets] });
  } catch (err) {
    if (isZoomError(err) && err.kind === 'verification')
      return { kind: 'refused', status: err.status, reason: err.reason, message: err.message };
    throw err;
  }
  if (result.kind === 'url_validation') return { kind: 'url_validation', response: result.response };
  const requestId = headers[REQUEST_ID_HEADER];
  return {
    kind: 'event',
    event: result.event,
    keys: webhookDeliveryKeys({ headers, event: result.event as never }),
    ...(typeof requestId === 'string' ? { requestId } : {}),
    headers: publicHeaders(headers),
  };
}

/**
 * A trigger's filter settings as the core's selection. `blankEvents`: what an empty Events field
 * means in this host ('none' starts nothing; 'all' passes every event the subscription sends).
 * `ownIdentities`: the app's own users and bot JIDs, dropped when own messages are not ignored.
 */
export function eventSelection(settings: {
  events: unknown;
  channels: unknown;
  ignoreOwn: boolean;
  ownIdentities?: readonly unknown[];
  blankEvents: 'none' | 'all';
}): EventSelection {
  const events = parseList(settings.events);
  return {
    events: events.length === 0 && settings.blankEvents === 'all' ? 'all' : events,
    channels: parseList(settings.channels),
    ownIdentities: settings.ignoreOwn ? (settings.ownIdentities ?? []).flatMap(parseList) : [],
  };
}

/** A "de-duplication window (minutes)" setting in milliseconds: blank or unusable means the core's default. */
export function dedupeWindowMs(minutes: unknown): number {
  const value = Number(minutes);
  return Number.isFinite(value) && value > 0 ? value * 60_000 : DEFAULT_DEDUPE_TTL_MS;
}

/**
 * De-duplication over a record the host persists (a node's context, a workflow's static data):
 * loaded once, saved after every check. `seen(keys)` records every key, so a later replay under
 * any of them is caught, and is true when any was seen before.
 */
export function createStoredDeduper(store: {
  load(): Promise<unknown>;
  save(record: Record<string, unknown>): void;
  maxEntries: number;
  ttlMs?: number;
}): { seen(keys: readonly string[]): Promise<boolean> } {
  let loaded: Promise<{ record: Record<string, unknown>; seen(key: string): Promise<boolean> }> | undefined;
  const load = async () => {
    const stored = await store.load().catch(() => undefined);
    const record =
      stored !== null && typeof stored === 'object' && !Array.isArray(stored)
        ? (stored as Record<string, unknown>)
        : {};
    const deduper = createDeduper({
      store: createRecordDedupeStore(record, { maxEntries: store.maxEntries }),
      ...(store.ttlMs !== undefined ? { ttlMs: store.ttlMs } : {}),
    });
    return { record, seen: (key: string) => deduper.seen(key) };
  };
  return {
    async seen(keys) {
      loaded ??= load();
      const { record, seen } = await loaded;
      const results = await Promise.all(keys.map((key) => seen(key)));
      store.save(record);
      return results.includes(true);
    },
  };
}
