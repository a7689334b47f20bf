/**
 * What the `zoom message` node reads from its settings and the message: the action, the message
 * ID (or the triggering event's), the conversation, an emoji as Zoom spells it, the time of a
 * scheduled message and the download cap. Each bad value fails with an error naming its field.
 */
import { eventMessageId } from '@zoom-team-chat/core';
import type { NodeDef, NodeMessage } from '../../lib/red';
import { replyTargetOf, resolveTarget } from '../../lib/targets';
import { isPlainObject, need, pick, str } from '../../lib/values';

export const ACTIONS = ['get', 'thread', 'edit', 'delete', 'react', 'schedule', 'download'] as const;
export type MessageAction = (typeof ACTIONS)[number];
/** The node's Action setting: one action, or `msg` to read it from msg.action. */
export type ActionSetting = MessageAction | 'msg';

export const DEFAULT_MAX_MB = 20;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Zoom's rule for `scheduled_time` (sendaChatMessage): more than 30 minutes ahead, within 180 days. */
export const SCHEDULE_MIN_AHEAD_MS = 30 * MINUTE;
export const SCHEDULE_MAX_AHEAD_MS = 180 * DAY;

export function actionSetting(value: unknown): ActionSetting {
  return value === 'msg' || (ACTIONS as readonly unknown[]).includes(value) ? (value as ActionSetting) : 'get';
}

export function resolveAction(setting: ActionSetting, msg: NodeMessage): MessageAction {
  if (setting !== 'msg') return setting;
  const wanted = str(msg.action)?.toLowerCase();
  if (wanted === undefined || !(ACTIONS as readonly string[]).includes(wanted)) {
    const got = msg.action === undefined ? 'nothing' : JSON.stringify(msg.action);
    throw new Error(
      `msg.action must be one of ${ACTIONS.join(', ')} (the node's Action is "set by msg.action"); got ${got}.`,
    );
  }
  return wanted as MessageAction;
}

/**
 * The message the action is about: the node's Message ID, else msg.messageId, else (after a
 * trigger) the message of the event that started the flow. For a thread that is the thread's
 * main message; for the other actions the message itself, which for a reply is not the main one.
 */
export function messageIdOf(def: NodeDef, msg: NodeMessage, action: MessageAction): string | undefined {
  const given = pick(def.messageId, msg.messageId);
  if (given !== undefined) return given;
  const reply = replyTargetOf(msg);
  if (reply === undefined) return undefined;
  if (action === 'thread') return str(reply.messageId);
  const zoom = isPlainObject(msg.zoom) ? msg.zoom : {};
  const event = str(zoom.event) ?? str(msg.topic);
  // Only the event's own payload names the message; a payload replaced by another node does not.
  return event !== undefined && isPlainObject(msg.payload)
    ? eventMessageId({ event, payload: msg.payload })
    : undefined;
}

export function requireMessageId(def: NodeDef, msg: NodeMessage, action: MessageAction): string {
  const where =
    action === 'download' ? 'msg.messageId (or set File ID / send msg.fileId for one file)' : 'msg.messageId';
  return need(messageIdOf(def, msg, action), 'Message ID', where);
}

export type Conversation = { to_channel: string } | { to_contact: string };

/** The channel or contact the message is in: the node's, msg.channel / msg.contact, then the trigger's. */
export function conversationOf(def: NodeDef, msg: NodeMessage): Conversation {
  const target = resolveTarget({ channel: def.channel, contact: def.contact, replyInThread: false }, msg);
  return target.channel !== undefined ? { to_channel: target.channel } : { to_contact: target.contact as string };
}

/** The text to edit or schedule: the node's Text, else msg.payload (a string or number). */
export function textOf(def: NodeDef, msg: NodeMessage, action: 'edit' | 'schedule'): string {
  const payload = msg.payload;
  const text = pick(def.text, typeof payload === 'string' || typeof payload === 'number' ? payload : undefined);
  if (text === undefined) {
    const what = action === 'edit' ? 'the new text' : 'the text';
    throw new Error(`No message text: set Text in the node, or send ${what} in msg.payload (a string).`);
  }
  return text;
}

/**
 * An emoji as Zoom's reactMessage takes it: `U+1F44D`, code points joined by a space. Accepts
 * the emoji itself (👍), its code (U+1F44D) or bare hex (1f44d).
 */
export function zoomEmoji(input: string): string {
  const text = input.trim();
  if (/^U\+[0-9A-F]{4,6}( U\+[0-9A-F]{4,6})*$/i.test(text)) return text.toUpperCase();
  if (/^[0-9A-F]{4,6}$/i.test(text)) return `U+${text.toUpperCase()}`;
  const points = [...text].map((c) => c.codePointAt(0) ?? 0);
  // A name such as "thumbsup" or ":+1:" would turn into the code points of its letters: refuse it.
  if (!points.some((cp) => cp > 0x7f)) {
    throw new Error(`Emoji must be the emoji itself (👍) or its code (U+1F44D), not a name: got "${text}".`);
  }
  return points
    .filter((cp) => cp !== 0xfe0f) // the emoji presentation selector is not part of Zoom's code
    .map((cp) => `U+${cp.toString(16).toUpperCase()}`)
    .join(' ');
}

export function reactionOf(value: unknown): 'add' | 'remove' {
  return value === 'remove' ? 'remove' : 'add';
}

/** Zoom's date-time format: `yyyy-MM-ddTHH:mm:ssZ` (UTC, whole seconds). */
export function zoomDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function duration(ms: number): string {
  if (ms < 120 * MINUTE) return `${Math.round(ms / MINUTE)} minutes`;
  if (ms < 2 * DAY) return `${Math.round(ms / (60 * MINUTE))} hours`;
  return `${Math.floor(ms / DAY)} days`;
}

/**
 * When a scheduled message goes out: the node's Send at, else msg.scheduledTime (an ISO 8601
 * string, a Date or epoch milliseconds), checked against Zoom's rule before anything is sent.
 */
export function scheduledTime(def: NodeDef, msg: NodeMessage, now: number = Date.now()): string {
  const configured = str(def.scheduledTime);
  const field = configured !== undefined ? 'Send at' : 'msg.scheduledTime';
  const raw: unknown = configured ?? msg.scheduledTime;
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    throw new Error(
      'Send at is required to schedule a message: set it in the node or send msg.scheduledTime (e.g. "2030-06-01T09:00:00Z").',
    );
  }
  let at: number;
  if (raw instanceof Date) at = raw.getTime();
  else if (typeof raw === 'number') at = raw;
  else if (typeof raw === 'string') at = /^\d{10,}$/.test(raw.trim()) ? Number(raw.trim()) : Date.parse(raw.trim());
  else at = Number.NaN;
  if (!Number.isFinite(at)) {
    throw new Error(
      `${field} must be a date and time (ISO 8601 such as "2030-06-01T09:00:00Z", a Date or epoch milliseconds); got ${JSON.stringify(raw)}.`,
    );
  }
  // Zoom takes whole seconds: the check is on the time that will be sent.
  const sent = Math.floor(at / 1000) * 1000;
  const ahead = sent - now;
  if (ahead <= SCHEDULE_MIN_AHEAD_MS) {
    const when = ahead < 0 ? `${duration(-ahead)} ago` : `${duration(ahead)} from now`;
    throw new Error(
      `${field} must be more than 30 minutes from now (Zoom's rule for scheduled messages); ${zoomDateTime(sent)} is ${when}.`,
    );
  }
  if (ahead >= SCHEDULE_MAX_AHEAD_MS) {
    throw new Error(
      `${field} must be within 180 days from now (Zoom's rule for scheduled messages); ${zoomDateTime(sent)} is ${duration(ahead)} ahead.`,
    );
  }
  return zoomDateTime(sent);
}

/** The download cap in megabytes: the node's Max size, else msg.maxSize, else 20. */
export function maxMegabytes(def: NodeDef, msg: NodeMessage): { mb: number; field: string } {
  const configured = def.maxSize;
  const useNode = configured !== undefined && configured !== null && String(configured).trim() !== '';
  const raw = useNode ? configured : msg.maxSize;
  const field = useNode ? 'Max size (MB)' : 'msg.maxSize';
  if (raw === undefined || raw === null || String(raw).trim() === '')
    return { mb: DEFAULT_MAX_MB, field: 'Max size (MB)' };
  const mb = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(mb) || mb <= 0)
    throw new Error(`${field} must be a number of megabytes greater than 0; got ${JSON.stringify(raw)}.`);
  return { mb, field };
}

export function megabytesToBytes(mb: number): number {
  return Math.max(1, Math.floor(mb * 1024 * 1024));
}
