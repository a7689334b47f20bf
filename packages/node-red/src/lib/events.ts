/**
 * What the trigger reads from a verified event: the channel it happened in (for the channel
 * filter), the message ID (to skip our own messages), and where a reply should go (so a send
 * node placed after the trigger answers in the same conversation and thread by default).
 */
import { isPlainObject, str } from './values';

export interface ZoomEvent {
  event: string;
  /** A number for most events; a few of Zoom's schemas declare a string. */
  event_ts?: number | string;
  payload?: Record<string, unknown>;
}

/** Where a reply to this event goes. Read by the send and upload nodes as the last fallback. */
export interface ReplyTarget {
  channel?: string;
  contact?: string;
  /** The thread's main message (a reply to a reply stays in the same thread). */
  messageId?: string;
  /** Chatbot events. */
  toJid?: string;
  userJid?: string;
  accountId?: string;
  robotJid?: string;
}

function objectOf(event: ZoomEvent): Record<string, unknown> {
  const object = event.payload?.object;
  return isPlainObject(object) ? object : {};
}

/** The channel ID (or chatbot channel JID) an event belongs to, if any. */
export function channelOf(event: ZoomEvent): string | undefined {
  const payload = event.payload ?? {};
  const object = objectOf(event);
  if (event.event.startsWith('chat_channel.') || /^team_chat\.channel_(archived|unarchived)$/.test(event.event)) {
    return str(object.id);
  }
  const channel = object.channel;
  if (isPlainObject(channel)) return str(channel.id) ?? str(channel.channel_id);
  const jid = str(payload.toJid);
  if (jid !== undefined && jid.includes('@conference.')) return jid;
  return str(object.channel_id);
}

/** Matches a channel filter entry: an ID, or the channel's JID (`<id>@conference.xmpp.zoom.us`). */
export function channelMatches(channel: string | undefined, filter: readonly string[]): boolean {
  if (filter.length === 0) return true;
  if (channel === undefined) return false;
  const c = channel.toLowerCase();
  const id = c.includes('@') ? c.slice(0, c.indexOf('@')) : c;
  return filter.some((f) => {
    const want = f.toLowerCase();
    return want === c || want === id;
  });
}

/** Event names, with `prefix.*` wildcards. */
export function eventMatches(name: string, filter: readonly string[]): boolean {
  if (filter.length === 0) return true;
  return filter.some((f) => (f.endsWith('*') ? name.startsWith(f.slice(0, -1)) : f === name));
}

export function messageIdOf(event: ZoomEvent): string | undefined {
  const object = objectOf(event);
  return str(object.message_id) ?? (event.event.startsWith('chat_message.') ? str(object.id) : undefined) ?? str(event.payload?.messageId);
}

export function replyTargetOf(event: ZoomEvent): ReplyTarget | undefined {
  const payload = event.payload ?? {};
  const object = objectOf(event);
  const name = event.event;
  if (str(payload.robotJid) !== undefined || str(payload.toJid) !== undefined) {
    const target: ReplyTarget = {};
    const set = (key: keyof ReplyTarget, value: unknown) => {
      const v = str(value);
      if (v !== undefined) target[key] = v;
    };
    set('toJid', payload.toJid);
    set('userJid', payload.userJid);
    set('accountId', payload.accountId);
    set('robotJid', payload.robotJid);
    set('messageId', payload.messageId);
    return target;
  }
  const messageEvent =
    /^team_chat\.(channel|dm)_message_(posted|updated)$/.test(name) ||
    name === 'team_chat.app_mention' ||
    /^chat_message\.(sent|replied|updated)$/.test(name);
  if (!messageEvent) return undefined;
  const target: ReplyTarget = {};
  const channel = str(object.channel_id);
  if (channel !== undefined) target.channel = channel;
  else {
    // A direct message: answer its sender (the operator), not the recipient.
    const contact = str(payload.operator) ?? str(object.contact_email) ?? str(object.contact_id);
    if (contact !== undefined) target.contact = contact;
  }
  const main = str(object.reply_main_message_id) ?? str(object.parent_msg_id) ?? messageIdOf(event);
  if (main !== undefined) target.messageId = main;
  return target;
}

const HIDDEN_HEADERS = new Set(['x-zm-signature', 'authorization', 'proxy-authorization', 'cookie']);

/** Request headers safe to put in a message: no signature, no credentials of the Node-RED host. */
export function safeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const k = key.toLowerCase();
    if (HIDDEN_HEADERS.has(k) || value === undefined) continue;
    out[k] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
