/** Shared pieces of the REST handlers: who is calling, and how state is rendered as Zoom JSON. */
import type { Call } from '../http/api-server';
import { ZoomError, userNotFound } from '../http/errors';
import type { Store } from '../state/store';
import type { Channel, Message, StoredFile, User } from '../state/types';

/** The user a call acts as: `me` (or no userId) is the token's user. */
export function actorFor(call: Call, userId?: string): User {
  const { token, sim } = call;
  const store = sim.store;
  if (!token.userId) {
    throw new ZoomError(
      400,
      200,
      'This access token is not tied to a user (client credentials); use an account or user token.',
    );
  }
  const self = store.users.get(token.userId);
  if (!self) throw userNotFound(token.userId);
  if (
    userId === undefined ||
    userId === 'me' ||
    userId === self.id ||
    userId.toLowerCase() === self.email.toLowerCase()
  )
    return self;
  const user = store.findUser(userId);
  if (!user || user.external) throw userNotFound(userId);
  // User-level (OAuth) tokens act for their own user only; account-level ones for anyone.
  if (token.app === 'userOAuth') {
    throw new ZoomError(400, 200, "Unauthorized request. A user-level app can only act for its own user ('me').");
  }
  return user;
}

/** Formatted seconds, reused: a page of messages sent within a few seconds formats each second once. */
const isoCache = new Map<number, string>();

export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = isoCache.get(second);
  if (text === undefined) {
    // toISOString always ends in ".sssZ".
    text = `${new Date(second * 1000).toISOString().slice(0, -5)}Z`;
    if (isoCache.size >= 4096) isoCache.clear();
    isoCache.set(second, text);
  }
  return text;
}

export function commaList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function pageSize(call: Call, fallback = 10): number {
  const v = call.query['page_size'];
  return typeof v === 'number' && v > 0 ? v : fallback;
}

export function channelUrl(c: Channel): string {
  return `https://zoom.us/launch/chat/v2/${Buffer.from(JSON.stringify({ sid: c.jid })).toString('base64url')}`;
}

export function channelJson(c: Channel, opts: { designated?: boolean } = {}): Record<string, unknown> {
  return {
    id: c.id,
    jid: c.jid,
    name: c.name,
    type: c.type,
    channel_url: channelUrl(c),
    channel_settings: { ...c.settings, ...(opts.designated ? { designated_posting_members: [] } : {}) },
  };
}

export function memberJson(u: User, role: string): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email,
    first_name: u.first_name,
    last_name: u.last_name,
    name: u.display_name,
    member_id: u.member_id,
    role,
    is_external: u.external,
  };
}

export function contactJson(u: User): Record<string, unknown> {
  return { id: u.id, email: u.email, first_name: u.first_name, last_name: u.last_name, member_id: u.member_id };
}

export function downloadUrl(call: Call, f: StoredFile): string {
  return `${call.sim.urls.fileTarget.replace(/\/v2$/, '')}/file/download/${f.id}?filename=${encodeURIComponent(f.name)}`;
}

export function fileJson(call: Call, f: StoredFile): Record<string, unknown> {
  return { file_id: f.id, file_name: f.name, file_size: f.size, download_url: downloadUrl(call, f) };
}

interface SenderInfo {
  email: string;
  memberId: string;
  userId: string;
  name: string;
}

export function senderOf(store: Store, m: Message): SenderInfo {
  const u = store.users.get(m.senderId);
  if (u) return { email: u.email, memberId: u.member_id, userId: u.id, name: u.display_name };
  const bot = m.robotJid ? store.bots.get(m.robotJid) : undefined;
  return { email: '', memberId: m.robotJid ?? m.senderId, userId: '', name: bot?.name ?? 'Bot' };
}

function messageFiles(call: Call, m: Message): StoredFile[] {
  return m.fileIds.map((id) => call.sim.store.files.get(id)).filter((f): f is StoredFile => !!f);
}

/** Fields common to message list and message get responses. */
function messageBase(call: Call, m: Message): Record<string, unknown> {
  const store = call.sim.store;
  const sender = senderOf(store, m);
  const files = messageFiles(call, m);
  const main = m.replyTo ? store.messages.get(m.replyTo) : undefined;
  const first = files[0];
  // Built by assignment rather than spreads of optional parts (this runs 50 times per listed page);
  // the keys come out in the same order.
  const out: Record<string, unknown> = {
    id: m.id,
    message: m.text,
    sender: sender.email,
    send_member_id: sender.memberId,
    sender_display_name: sender.name,
    date_time: isoSeconds(m.timestamp),
    timestamp: m.timestamp,
    message_type: call.sim.chat.messageTypeOf(m),
  };
  if (m.replyTo) {
    out.reply_main_message_id = m.replyTo;
    out.reply_main_message_timestamp = main?.timestamp ?? m.timestamp;
  }
  if (first) {
    out.file_id = first.id;
    out.file_name = first.name;
    out.file_size = first.size;
    out.download_url = downloadUrl(call, first);
    out.files = files.map((f) => fileJson(call, f));
  }
  if (m.richText) out.rich_text = m.richText;
  if (m.atItems) out.at_items = m.atItems;
  if (m.interactiveCards) out.interactive_cards = m.interactiveCards;
  if (m.botMessage) out.bot_message = m.botMessage;
  return out;
}

/** An item of `getChatMessages`. */
export function listedMessageJson(call: Call, m: Message, withStatus: boolean): Record<string, unknown> {
  const store = call.sim.store;
  const out = messageBase(call, m);
  out.reactions = m.reactions.map((r) => ({
    emoji: r.emoji,
    total_count: r.userIds.length,
    senders: r.userIds.map((id) => ({ user_id: id, member_id: store.users.get(id)?.member_id ?? id })),
  }));
  if (withStatus) out.status = m.status;
  return out;
}

/** `getChatMessage`. */
export function messageJson(call: Call, m: Message): Record<string, unknown> {
  const store = call.sim.store;
  return {
    ...messageBase(call, m),
    reactions: m.reactions.map((r) => ({
      emoji: r.emoji,
      total_count: r.userIds.length,
      user_ids: r.userIds,
      member_ids: r.userIds.map((id) => store.users.get(id)?.member_id ?? id),
    })),
    message_url: `https://zoom.us/launch/chat/v2/${Buffer.from(JSON.stringify({ mid: m.id })).toString('base64url')}`,
  };
}

/** An item of `retrieveThread`. */
export function threadMessageJson(
  call: Call,
  m: Message,
  viewer: User,
  opts: { emoji: boolean; attachments: boolean; richText: boolean; atItems: boolean },
): Record<string, unknown> {
  const store = call.sim.store;
  const sender = senderOf(store, m);
  const files = messageFiles(call, m);
  return {
    msg_id: m.id,
    message: m.text,
    is_reply: !!m.replyTo,
    timestamp: m.timestamp,
    sender_user_id: sender.userId,
    sender_email: sender.email,
    sender_member_id: sender.memberId,
    sender_display_name: sender.name,
    message_type: call.sim.chat.messageTypeOf(m),
    ...(m.replyTo ? {} : { last_reply_time: m.lastReplyAt ?? m.timestamp, is_followed: m.senderId === viewer.id }),
    ...(opts.emoji
      ? {
          reactions: m.reactions.map((r) => ({
            emoji_id: r.emoji,
            count: r.userIds.length,
            is_sender: r.userIds.includes(viewer.id),
          })),
        }
      : {}),
    ...(opts.attachments && files.length ? { files: files.map((f) => fileJson(call, f)) } : {}),
    ...(opts.richText && m.richText ? { rich_text: m.richText } : {}),
    ...(opts.atItems && m.atItems ? { at_items: m.atItems } : {}),
    ...(m.botMessage ? { bot_message: m.botMessage } : {}),
    ...(m.interactiveCards ? { interactive_cards: m.interactiveCards.slice(0, 5) } : {}),
  };
}
