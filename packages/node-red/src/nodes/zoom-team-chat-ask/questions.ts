/**
 * What a `zoom ask` question is, apart from Node-RED: the buttons and their correlation tokens,
 * the chatbot card and the user message that carry it, reading an answer out of a click or a
 * thread reply, and the small JSON-safe record kept in the node's context.
 */
import { eventMessageId, type ZoomEvent } from '@zoom-team-chat/core';
import type { NodeMessage } from '../../lib/red';
import { isPlainObject, str } from '../../lib/values';

export type AskKind = 'chatbot' | 'message';
export type ButtonStyle = 'Primary' | 'Default' | 'Danger';

export interface AskOption {
  label: string;
  value: string;
  style: ButtonStyle;
}

export const DEFAULT_OPTIONS: readonly AskOption[] = [
  { label: 'Approve', value: 'approve', style: 'Primary' },
  { label: 'Decline', value: 'decline', style: 'Danger' },
];

const STYLES: readonly ButtonStyle[] = ['Primary', 'Default', 'Danger'];

/** Where a question was posted, and as whom: what a later edit, reply or notice needs. */
export interface Where {
  kind: AskKind;
  /** Zoom's ID of the card or message, once the send has answered. */
  messageId?: string;
  // Chatbot cards.
  toJid?: string;
  userJid?: string;
  robotJid?: string;
  accountId?: string;
  // User messages.
  channel?: string;
  contact?: string;
  /** The user the message was sent as (`me`, a user ID or an email). */
  actAs?: string;
}

export interface Pending extends Where {
  id: string;
  title?: string;
  question: string;
  options: AskOption[];
  freeText: boolean;
  allowed: string[];
  askedAt: number;
  /** Epoch ms; 0: no timeout. */
  expiresAt: number;
  /** The input message as far as it is JSON-safe and small: what leaves after a restart. */
  msg: Record<string, unknown>;
  /** Responders already told something (not allowed, not an answer), so a thread is not flooded. */
  notified: string[];
}

export interface Closed extends Where {
  id: string;
  outcome: 'answered' | 'timed out';
  /** What the closing edit or reply said, repeated to late responders. */
  summary: string;
  closedAt: number;
  /** The event that answered: a second delivery of it is no late answer. */
  answerKey?: string;
  notified: string[];
}

export interface AskState {
  v: 1;
  pending: Record<string, Pending>;
  closed: Record<string, Closed>;
}

export interface Answer {
  value: string;
  text?: string;
  userJid?: string;
  userId?: string;
  userName?: string;
  userEmail?: string;
  respondedAt: string;
  via: 'button' | 'thread';
}

/** Closed questions are remembered this long, to tell late responders (and no more than CLOSED_MAX). */
export const CLOSED_KEEP_MS = 7 * 24 * 3600_000;
export const CLOSED_MAX = 200;
const NOTIFIED_MAX = 50;
/** The stored copy of a message: per property and in all. */
const MSG_PROP_MAX = 8_192;
const MSG_TOTAL_MAX = 16_384;

export function emptyState(): AskState {
  return { v: 1, pending: {}, closed: {} };
}

/** A state read back from a context store (or nothing usable: a fresh one). */
export function readState(stored: unknown): AskState {
  if (!isPlainObject(stored) || stored.v !== 1) return emptyState();
  const pending = isPlainObject(stored.pending) ? (stored.pending as Record<string, Pending>) : {};
  const closed = isPlainObject(stored.closed) ? (stored.closed as Record<string, Closed>) : {};
  return JSON.parse(JSON.stringify({ v: 1, pending, closed })) as AskState;
}

export function pruneClosed(state: AskState, now: number): void {
  const entries = Object.values(state.closed).sort((a, b) => a.closedAt - b.closedAt);
  const excess = entries.length - CLOSED_MAX;
  entries.forEach((c, i) => {
    if (i < excess || now - c.closedAt > CLOSED_KEEP_MS) delete state.closed[c.id];
  });
}

export function markNotified(list: string[], who: string): boolean {
  if (list.includes(who)) return false;
  list.push(who);
  if (list.length > NOTIFIED_MAX) list.shift();
  return true;
}

/**
 * The buttons from the editor (or msg.buttons): label required; value defaults to the label in
 * lower case; style one of Zoom's (Disabled is left out: nobody could click it).
 */
export function parseOptions(raw: unknown, where: string): AskOption[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      throw new Error(`${where} must be a list of buttons ({label, value, style}).`);
    }
  }
  if (!Array.isArray(list)) throw new Error(`${where} must be a list of buttons ({label, value, style}).`);
  const options = list.map((item, i): AskOption => {
    const o = isPlainObject(item) ? item : typeof item === 'string' ? { label: item } : {};
    const label = str(o.label) ?? str(o.text);
    if (label === undefined) throw new Error(`${where}[${i}] has no label.`);
    const value = str(o.value) ?? label.toLowerCase();
    const style = STYLES.find((s) => s.toLowerCase() === String(o.style ?? '').toLowerCase()) ?? 'Default';
    return { label, value, style };
  });
  const values = new Set<string>();
  for (const o of options) {
    if (values.has(o.value)) throw new Error(`${where}: two buttons have the value "${o.value}".`);
    values.add(o.value);
  }
  return options;
}

/** A button's value: the question's ID first, so a click names its question, not just a message. */
export function tokenFor(id: string, value: string): string {
  return `${id}:${value}`;
}

const TOKEN_RE = /^([0-9a-f]{16}):([\s\S]*)$/;

export function parseToken(raw: unknown): { id: string; value: string } | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = TOKEN_RE.exec(raw);
  return m ? { id: m[1]!, value: m[2]! } : undefined;
}

export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function chatbotCard(p: Pending): Record<string, unknown> {
  return {
    head: {
      text: p.title ?? 'Question',
      ...(p.expiresAt > 0 ? { sub_head: { text: `Answer by ${formatTime(p.expiresAt)}` } } : {}),
    },
    body: [
      { type: 'message', text: p.question },
      {
        type: 'actions',
        items: p.options.map((o) => ({ text: o.label, value: tokenFor(p.id, o.value), style: o.style })),
      },
    ],
  };
}

/** The card once closed: no buttons left to click, the outcome in their place. */
export function closedCard(p: Pending, summary: string): Record<string, unknown> {
  return {
    head: { text: p.title ?? 'Question' },
    body: [
      { type: 'message', text: p.question },
      { type: 'message', text: summary },
    ],
  };
}

export function messageText(p: Pending): string {
  const labels = p.options.map((o) => o.label);
  let how: string;
  if (labels.length === 0) how = 'Reply in this thread with your answer.';
  else if (p.freeText) how = `Reply in this thread: ${labels.join(' / ')} (or any other answer).`;
  else how = `Reply in this thread: ${labels.join(' / ')}`;
  const until = p.expiresAt > 0 ? `\nAnswer by ${formatTime(p.expiresAt)}.` : '';
  return `${p.title !== undefined ? `${p.title}\n` : ''}${p.question}\n\n${how}${until}`;
}

export function answeredSummary(p: Pending, answer: Answer): string {
  const option = p.options.find((o) => o.value === answer.value);
  const who = answer.userName ?? answer.userEmail ?? answer.userId ?? answer.userJid ?? 'someone';
  const when = formatTime(Date.parse(answer.respondedAt));
  if (option === undefined) return `✅ Answered by ${who} at ${when}: ${answer.text ?? answer.value}`;
  return `${option.style === 'Danger' ? '❌' : '✅'} ${option.label} — by ${who} at ${when}`;
}

export function timedOutSummary(p: Pending, at: number): string {
  return `⌛ No answer by ${formatTime(p.expiresAt > 0 ? p.expiresAt : at)}: this question timed out.`;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”‘’]+|[\s.!?,;:"'“”‘’]+$/g, '');
}

/**
 * The option a thread reply names: its label or value, alone or as the first words ("approve,
 * go ahead"); the longest match wins, so "not now" beats "not".
 */
export function matchOption(text: string, options: readonly AskOption[]): AskOption | undefined {
  const said = normalize(text);
  if (said === '') return undefined;
  const candidates = options
    .flatMap((o) => [normalize(o.value), normalize(o.label)].filter((c) => c !== '').map((c) => ({ o, c })))
    .sort((a, b) => b.c.length - a.c.length);
  for (const { o, c } of candidates) {
    if (said === c) return o;
  }
  for (const { o, c } of candidates) {
    if (said.startsWith(c) && /^[^\p{L}\p{N}]/u.test(said.slice(c.length))) return o;
  }
  return undefined;
}

const REPLY_EVENTS = new Set([
  'team_chat.channel_message_posted',
  'team_chat.dm_message_posted',
  'chat_message.replied',
]);

export interface ThreadReply {
  mainId: string;
  replyId?: string;
  text: string;
  userId?: string;
  userEmail?: string;
  at: number;
}

/** A reply in a thread, from the events that announce one; undefined for anything else. */
export function threadReplyOf(event: ZoomEvent): ThreadReply | undefined {
  if (!REPLY_EVENTS.has(event.event)) return undefined;
  const payload = isPlainObject(event.payload) ? event.payload : {};
  const object = isPlainObject(payload.object) ? payload.object : {};
  const mainId = str(object.reply_main_message_id) ?? str(object.parent_msg_id);
  if (mainId === undefined) return undefined;
  const at =
    typeof object.timestamp === 'number'
      ? object.timestamp
      : typeof event.event_ts === 'number'
        ? event.event_ts
        : Date.now();
  const replyId = eventMessageId(event);
  const userId = str(payload.operator_id);
  const userEmail = str(payload.operator);
  return {
    mainId,
    ...(replyId !== undefined ? { replyId } : {}),
    text: typeof object.message === 'string' ? object.message : '',
    ...(userId !== undefined ? { userId } : {}),
    ...(userEmail !== undefined ? { userEmail } : {}),
    at,
  };
}

export interface Click {
  id: string;
  value: string;
  label?: string;
  messageId?: string;
  toJid?: string;
  userJid?: string;
  userId?: string;
  userName?: string;
  robotJid?: string;
  accountId?: string;
  at: number;
  /** Names this click whichever way it was delivered. */
  key: string;
}

/** A button click on one of our cards (the value carries our token); undefined for anything else. */
export function clickOf(event: ZoomEvent): Click | undefined {
  if (event.event !== 'interactive_message_actions') return undefined;
  const payload = isPlainObject(event.payload) ? event.payload : {};
  const item = isPlainObject(payload.actionItem) ? payload.actionItem : {};
  const token = parseToken(item.value);
  if (token === undefined) return undefined;
  const at =
    typeof payload.timestamp === 'number'
      ? payload.timestamp
      : typeof event.event_ts === 'number'
        ? event.event_ts
        : Date.now();
  const fields = {
    label: str(item.text),
    messageId: str(payload.messageId),
    toJid: str(payload.toJid),
    userJid: str(payload.userJid),
    userId: str(payload.userId),
    userName: str(payload.userName),
    robotJid: str(payload.robotJid),
    accountId: str(payload.accountId),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<
    typeof fields
  >;
  return {
    ...token,
    ...defined,
    at,
    key: `click:${fields.messageId ?? ''}:${fields.userId ?? fields.userJid ?? ''}:${at}:${String(item.value)}`,
  };
}

/**
 * The input message as it is stored for a restart: JSON-safe properties only (no req/res, no
 * Buffers, nothing that fails to serialise), each and all within a few kilobytes.
 */
export function storableMsg(msg: NodeMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let total = 0;
  for (const [key, value] of Object.entries(msg)) {
    if (key === 'req' || key === 'res' || value === undefined || Buffer.isBuffer(value)) continue;
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      continue;
    }
    if (json === undefined || json.length > MSG_PROP_MAX || total + json.length > MSG_TOTAL_MAX) continue;
    total += json.length;
    out[key] = JSON.parse(json) as unknown;
  }
  return out;
}
