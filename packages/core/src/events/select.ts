/**
 * Which verified events start a workflow run or leave a trigger node: one decision for both hosts
 * and both deliveries (webhook, WebSocket). Hosts read their settings into an EventSelection and
 * bring what only they know (their de-dupe store, the messages they sent themselves).
 */
import { eventChannelIds, eventMessageId, eventSenderIds, jidLocalPart, type ZoomEvent } from './fields';

export interface EventSelection {
  /** Event names that start a run (`prefix.*` matches a family), or 'all'. */
  events: readonly string[] | 'all';
  /** Channel IDs or JIDs; empty: every channel, and events outside channels. */
  channels: readonly string[];
  /** Skip events caused by these users (emails, user or member IDs, JIDs); empty: skip none by identity. */
  ownIdentities: readonly string[];
}

export type SkipReason = 'event not selected' | 'other channel' | 'own message' | 'duplicate delivery';

/** A list as editors and messages give it: an array, or a string split at commas and new lines. */
export function parseList(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[\n,]/)
      : typeof value === 'number'
        ? [value]
        : [];
  return items
    .map((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : ''))
    .filter((v) => v !== '');
}

export function eventNameSelected(name: string, events: EventSelection['events']): boolean {
  if (events === 'all') return true;
  return events.some((f) => (f.endsWith('*') ? name.startsWith(f.slice(0, -1)) : f === name));
}

/** True when the event happened in one of `channels` (IDs and JIDs match each other). */
export function inChannels(event: ZoomEvent, channels: readonly string[]): boolean {
  if (channels.length === 0) return true;
  const wanted = new Set(channels.flatMap((c) => [c.toLowerCase(), jidLocalPart(c).toLowerCase()]));
  return eventChannelIds(event).some((id) => wanted.has(id.toLowerCase()));
}

/** True when one of `identities` caused the event (its sender or operator). */
export function causedByAny(event: ZoomEvent, identities: readonly string[]): boolean {
  if (identities.length === 0) return false;
  const own = new Set(identities.flatMap((id) => [id.toLowerCase(), jidLocalPart(id).toLowerCase()]));
  return eventSenderIds(event).some((id) => own.has(id));
}

/** The filters that need nothing but the event: name, channel, own identities. */
export function skipReason(event: ZoomEvent, selection: EventSelection): SkipReason | undefined {
  if (!eventNameSelected(event.event, selection.events)) return 'event not selected';
  if (!inChannels(event, selection.channels)) return 'other channel';
  if (causedByAny(event, selection.ownIdentities)) return 'own message';
  return undefined;
}

/** Events that announce a message being posted or edited: the echo of a send of our own is one. */
const MESSAGE_WRITTEN = /^(team_chat\.(channel|dm)_message_(posted|updated)|chat_message\.(sent|replied|updated))$/;

export interface AdmitOptions {
  selection: EventSelection;
  /** Keys marking this delivery; `seen` records them all and says whether any was seen before. */
  keys: readonly string[];
  seen?: (keys: readonly string[]) => boolean | Promise<boolean>;
  /**
   * True when this host sent the message an event announces (the echo of its own send): asked only
   * for message-written events, when own messages are skipped. May wait for sends in flight.
   */
  sentHere?: (messageId: string) => boolean | Promise<boolean>;
}

/**
 * Why a verified event starts nothing, or undefined when it starts a run. Order: the cheap filters,
 * then de-duplication (an event filtered out is not recorded), then the echo of our own sends
 * (last, since it may wait for sends in flight).
 */
export async function admitEvent(event: ZoomEvent, options: AdmitOptions): Promise<SkipReason | undefined> {
  const reason = skipReason(event, options.selection);
  if (reason !== undefined) return reason;
  if (options.seen !== undefined && (await options.seen(options.keys))) return 'duplicate delivery';
  if (options.sentHere !== undefined && MESSAGE_WRITTEN.test(event.event)) {
    const messageId = eventMessageId(event);
    if (messageId !== undefined && (await options.sentHere(messageId))) return 'own message';
  }
  return undefined;
}
