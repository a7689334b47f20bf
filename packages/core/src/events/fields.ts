/**
 * Typed reads of a verified Zoom event, one meaning in both hosts. Zoom names the same thing
 * differently per event family (team_chat.* `object.channel_id`, chat_channel.* `object.id`,
 * chatbot `payload.toJid`), so every filter and reply in the hosts goes through these.
 */

/** A verified event as Zoom sends it (webhook body or WebSocket `content`). */
export interface ZoomEvent {
  event: string;
  /** A number for most events; a few of Zoom's schemas declare a string. */
  event_ts?: number | string;
  payload?: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function texts(...values: unknown[]): string[] {
  return values.map(text).filter((v): v is string => v !== undefined);
}

function payloadOf(event: ZoomEvent): Record<string, unknown> {
  return isObject(event.payload) ? event.payload : {};
}

function objectOf(event: ZoomEvent): Record<string, unknown> {
  const object = payloadOf(event).object;
  return isObject(object) ? object : {};
}

/** The part of a JID before "@" (channel and user JIDs carry the ID there). */
export function jidLocalPart(value: string): string {
  const at = value.indexOf('@');
  return at === -1 ? value : value.slice(0, at);
}

/** Events whose `object` IS the channel (its `id` is the channel's). */
function isChannelObjectEvent(name: string): boolean {
  return name.startsWith('chat_channel.') || /^team_chat\.channel_(archived|unarchived)$/.test(name);
}

/**
 * Every ID and JID naming the channel an event happened in (each also as its JID's local part);
 * empty for events outside channels (direct messages, contacts).
 */
export function eventChannelIds(event: ZoomEvent): string[] {
  const payload = payloadOf(event);
  const object = objectOf(event);
  const ids = texts(object.channel_id, object.channelId, payload.channel_id, payload.channelId, object.channel_jid);
  if (isChannelObjectEvent(event.event)) ids.push(...texts(object.id, object.jid));
  const channel = object.channel;
  if (isObject(channel)) ids.push(...texts(channel.id, channel.channel_id, channel.jid));
  // Chatbot events address channels by JID in toJid (a user's JID for one-to-one chats).
  const toJid = text(payload.toJid);
  if (toJid !== undefined && toJid.includes('@conference.')) ids.push(toJid);
  return [...new Set(ids.flatMap((id) => [id, jidLocalPart(id)]))];
}

/** The channel an event happened in, as Zoom's API takes it (the ID, not the JID). */
export function eventChannelId(event: ZoomEvent): string | undefined {
  return eventChannelIds(event).find((id) => !id.includes('@'));
}

/** Who caused an event: emails, user IDs, member IDs and JIDs of its sender or operator, lower-cased. */
export function eventSenderIds(event: ZoomEvent): string[] {
  const payload = payloadOf(event);
  const object = objectOf(event);
  const ids = texts(
    payload.operator,
    payload.operator_id,
    payload.operator_member_id,
    payload.userJid,
    payload.userId,
    object.sender,
    object.sender_id,
    object.sender_member_id,
    object.operator,
    object.operator_id,
  );
  return [...new Set(ids.flatMap((id) => [id.toLowerCase(), jidLocalPart(id).toLowerCase()]))];
}

/** The message an event is about (message events, reactions, chatbot commands). */
export function eventMessageId(event: ZoomEvent): string | undefined {
  const object = objectOf(event);
  return (
    text(object.message_id) ??
    // Reactions name the message they are on msg_id.
    text(object.msg_id) ??
    (event.event.startsWith('chat_message.') ? text(object.id) : undefined) ??
    text(payloadOf(event).messageId)
  );
}

/** Where a reply to an event goes, so a send placed after a trigger answers in the same place. */
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

const MESSAGE_EVENT =
  /^(team_chat\.(channel|dm)_message_(posted|updated)|team_chat\.app_mention|chat_message\.(sent|replied|updated))$/;

export function eventReplyTarget(event: ZoomEvent): ReplyTarget | undefined {
  const payload = payloadOf(event);
  const object = objectOf(event);
  const target: ReplyTarget = {};
  const set = (key: keyof ReplyTarget, value: unknown) => {
    const v = text(value);
    if (v !== undefined) target[key] = v;
  };
  if (text(payload.robotJid) !== undefined || text(payload.toJid) !== undefined) {
    set('toJid', payload.toJid);
    set('userJid', payload.userJid);
    set('accountId', payload.accountId);
    set('robotJid', payload.robotJid);
    set('messageId', payload.messageId);
    return target;
  }
  if (!MESSAGE_EVENT.test(event.event)) return undefined;
  const channel = text(object.channel_id);
  // A direct message: answer its sender (the operator), not the recipient.
  if (channel !== undefined) target.channel = channel;
  else set('contact', text(payload.operator) ?? text(object.contact_email) ?? text(object.contact_id));
  set('messageId', text(object.reply_main_message_id) ?? text(object.parent_msg_id) ?? eventMessageId(event));
  return target;
}

/** Request headers never copied into a host's output: the signature and anything that authenticates. */
const PRIVATE_HEADERS = new Set(['x-zm-signature', 'authorization', 'proxy-authorization', 'cookie']);

/** A delivery's headers safe to show in a workflow or flow (names lower-cased, lists joined). */
export function publicHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const k = key.toLowerCase();
    if (PRIVATE_HEADERS.has(k) || value === undefined) continue;
    out[k] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
