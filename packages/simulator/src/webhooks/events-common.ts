import { WebhookInputError } from './errors';
import type { RichTextFormat } from '@zoom-team-chat/core';

/** Milliseconds since the epoch. */
export type EpochMs = number;

/**
 * Zoom channel types: 1 private, 2 private within the account, 3 public, 4 instant (group chat),
 * 5 public open to other accounts.
 */
export type ChannelType = 1 | 2 | 3 | 4 | 5;

/** A Zoom user as events describe one. */
export interface UserRef {
  /** Zoom user ID. */
  userId: string;
  /** Email address (event schemas check the format). */
  email: string;
  /** The user's account ID. */
  accountId: string;
  /** Zoom's cross-account member ID. Default: `userId`. */
  memberId?: string;
  /** Display name. Default: the part of `email` before `@`. */
  displayName?: string;
}

/** The user who performed the action (the `operator*` fields). */
export interface Operator extends UserRef {
  /** `by_external_user`: the operator belongs to another account. Default false. */
  external?: boolean;
}

export interface ChannelRef {
  id: string;
  name: string;
  type: ChannelType;
  /** `channel_owner_account_id`. Default: the operator's account. */
  ownerAccountId?: string;
}

export type FileMessageType = 'file' | 'image' | 'audio' | 'audio v2' | 'code snippet' | 'screen shot';

export interface FileRef {
  /** Zoom file ID. */
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  /** `OS_file_type`, e.g. `PNG`. Default: the upper-cased extension of `name` (or `FILE`). */
  osType?: string;
  /** Default: `image` for png/jpg/jpeg/gif/bmp/webp/heic, `audio` for m4a/mp3/wav/ogg, else `file`. */
  messageType?: FileMessageType;
}

/** The spec's `format_type` enum (the core generates it from the same spec). */
export type { RichTextFormat } from '@zoom-team-chat/core';

/** One rich-text range of a message (`rich_text[]`). */
export interface RichTextSpan {
  start: number;
  end: number;
  format: RichTextFormat;
  /** `format_attr`, e.g. the URL of `AddLink` or the colour of `FontColor`. */
  attr?: string;
}

/** One @mention (`at_items[]`): a user, or @all when `user` is omitted. */
export interface Mention {
  start: number;
  end: number;
  user?: UserRef;
}

/** A message's content as the message events carry it. */
export interface MessageContent {
  /** Zoom message ID. */
  id: string;
  /** Text; omit for a message that only carries files. */
  text?: string;
  /** `reply_main_message_id`: the thread's parent when this is a reply. */
  replyToId?: string;
  files?: FileRef[];
  richText?: RichTextSpan[];
}

export interface Timed {
  /** When it happened (epoch ms). Default: now. */
  at?: EpochMs;
}

/** A builder: plain fields in, a `payload` valid for the event's schema out. */
export type PayloadBuilder<I> = (input: I) => Record<string, unknown>;

/** Zoom's `yyyy-MM-dd'T'HH:mm:ss'Z'` (no milliseconds). */
export function zoomDateTime(ms: EpochMs): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function timeOf(input: Timed, field = 'at'): EpochMs {
  const at = input.at ?? Date.now();
  return checkEpoch(at, field);
}

export function checkEpoch(value: unknown, field: string): EpochMs {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new WebhookInputError(field, `${field} must be whole epoch milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws a clear error when a required object input is missing (instead of a TypeError deep inside). */
export function need<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new WebhookInputError(field, `${field} is required`);
  }
  return value;
}

export function memberIdOf(user: UserRef): string {
  return user.memberId ?? user.userId;
}

export function displayNameOf(user: UserRef): string {
  return user.displayName ?? user.email.split('@')[0] ?? user.email;
}

/** `account_id`, `operator`, `operator_id`, `operator_member_id` (the `team_chat.*` events). */
export function operatorFields(op: Operator): Record<string, unknown> {
  need(op, 'operator');
  return { account_id: op.accountId, operator: op.email, operator_id: op.userId, operator_member_id: memberIdOf(op) };
}

/** The older `chat_channel.*` / `chat_message.*` events name no member ID. */
export function legacyOperatorFields(op: Operator): Record<string, unknown> {
  need(op, 'operator');
  return { account_id: op.accountId, operator: op.email, operator_id: op.userId };
}

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'heic']);
const AUDIO = new Set(['m4a', 'mp3', 'wav', 'ogg', 'aac']);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/** `files[]` of message events (with `file_message_type`). */
export function messageFiles(files: readonly FileRef[]): Array<Record<string, unknown>> {
  return files.map((f) => ({ ...plainFile(f), file_message_type: f.messageType ?? messageTypeOf(f.name) }));
}

/** `files[]` of file events (no `file_message_type`). */
export function plainFile(f: FileRef): Record<string, unknown> {
  return { file_id: f.id, file_name: f.name, file_size: f.size, OS_file_type: f.osType ?? osTypeOf(f.name) };
}

export function osTypeOf(name: string): string {
  const ext = extensionOf(name);
  return ext === '' ? 'FILE' : ext.toUpperCase();
}

function messageTypeOf(name: string): FileMessageType {
  const ext = extensionOf(name);
  if (IMAGE.has(ext)) return 'image';
  if (AUDIO.has(ext)) return 'audio';
  return 'file';
}

export function richText(spans: readonly RichTextSpan[]): Array<Record<string, unknown>> {
  return spans.map((s) => ({
    start_position: s.start,
    end_position: s.end,
    format_type: s.format,
    ...(s.attr === undefined ? {} : { format_attr: s.attr }),
  }));
}

export function atItems(mentions: readonly Mention[]): Array<Record<string, unknown>> {
  return mentions.map((m) =>
    m.user === undefined
      ? { at_type: 2, start_position: m.start, end_position: m.end }
      : {
          at_contact: m.user.email,
          at_contact_user_id: m.user.userId,
          at_contact_member_id: memberIdOf(m.user),
          at_type: 1,
          start_position: m.start,
          end_position: m.end,
        },
  );
}

/** The optional content fields (`message`, `files`, `rich_text`), present only when given. */
export function contentFields(msg: Pick<MessageContent, 'text' | 'files' | 'richText'>): Record<string, unknown> {
  return {
    ...(msg.text === undefined ? {} : { message: msg.text }),
    ...(msg.files === undefined || msg.files.length === 0 ? {} : { files: messageFiles(msg.files) }),
    ...(msg.richText === undefined || msg.richText.length === 0 ? {} : { rich_text: richText(msg.richText) }),
  };
}

export function replyField(replyToId: string | undefined): Record<string, unknown> {
  return replyToId === undefined ? {} : { reply_main_message_id: replyToId };
}
