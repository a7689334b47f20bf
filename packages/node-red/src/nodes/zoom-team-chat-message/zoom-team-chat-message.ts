/**
 * `zoom-team-chat-message`: one Team Chat message, by its ID: get it, get its thread's replies,
 * edit, delete or react to it, download its files; or schedule a new message for later.
 */
import { ZoomValidationError, type DownloadableFile, type FileDownload, type ZoomClient } from '@zoom-team-chat/core';
import type { Account } from '../../lib/account';
import { setupAction, type ActionResult } from '../../lib/action';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../../lib/red';
import { resolveTarget } from '../../lib/targets';
import { need, pick, withPayload } from '../../lib/values';
import { textFormatOf } from '../zoom-team-chat-send/zoom-team-chat-send';
import {
  actionSetting,
  conversationOf,
  maxMegabytes,
  megabytesToBytes,
  reactionOf,
  requireMessageId,
  resolveAction,
  scheduledTime,
  textOf,
  zoomDateTime,
  zoomEmoji,
  type Conversation,
  type MessageAction,
} from './inputs';

const BUSY: Record<MessageAction | 'msg', string> = {
  get: 'getting',
  thread: 'reading thread',
  edit: 'editing',
  delete: 'deleting',
  react: 'reacting',
  schedule: 'scheduling',
  download: 'downloading',
  msg: 'working',
};

/** retrieveThread's largest page; the API has no page token, so later pages start at the last reply's time. */
const THREAD_PAGE = 100;
const THREAD_PAGES_MAX = 50;

interface Ctx {
  def: NodeDef;
  msg: NodeMessage;
  client: ZoomClient;
  userId: string;
  signal: AbortSignal;
}

type ThreadReply = NonNullable<Awaited<ReturnType<ZoomClient['messages']['thread']>>['messages']>[number];

/** The replies of a thread, oldest first, every page of them. */
export async function threadReplies(
  client: ZoomClient,
  messageId: string,
  conv: Conversation,
  userId: string,
  signal?: AbortSignal,
): Promise<ThreadReply[]> {
  // Zoom requires `from`; no reply is older than the thread's main message.
  const main = await client.messages.get(messageId, conv, { userId, signal });
  const sentAt = typeof main.timestamp === 'number' ? main.timestamp : Date.parse(String(main.date_time));
  let from = Number.isFinite(sentAt) ? sentAt - 1000 : 0;
  const seen = new Set<string>();
  const replies: ThreadReply[] = [];
  for (let page = 0; page < THREAD_PAGES_MAX; page++) {
    const answer = await client.messages.thread(
      messageId,
      {
        ...conv,
        from: zoomDateTime(from),
        limit: THREAD_PAGE,
        sort: 'asc',
        need_main_message: false,
        need_emoji: true,
        need_attachment: true,
        need_rich_text: true,
        need_at_items: true,
      },
      { userId, signal },
    );
    const items = Array.isArray(answer.messages) ? answer.messages : [];
    let added = 0;
    for (const item of items) {
      if (seen.has(item.msg_id)) continue;
      seen.add(item.msg_id);
      replies.push(item);
      added++;
    }
    const last = items.at(-1);
    // `from` has whole seconds: the next page repeats the last second's replies, skipped above.
    if (items.length < THREAD_PAGE || added === 0 || last === undefined) break;
    from = Math.floor(last.timestamp / 1000) * 1000;
  }
  return replies;
}

function capError(fileName: string | undefined, field: string, mb: number, detail: string, cause?: unknown): Error {
  const name = fileName !== undefined ? `The file "${fileName}"` : 'The file';
  return new Error(
    `${name} is larger than ${field} = ${mb}: ${detail}. Raise ${field} to download it.`,
    cause === undefined ? undefined : { cause },
  );
}

async function fetchFile(
  client: ZoomClient,
  file: string | DownloadableFile,
  cap: { maxBytes: number; mb: number; field: string },
  signal: AbortSignal,
): Promise<{ download: FileDownload; data: Buffer }> {
  const name = typeof file === 'object' ? file.fileName : undefined;
  try {
    const download = await client.files.download(file, { maxBytes: cap.maxBytes, signal });
    const bytes = await download.toBuffer();
    return { download, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (err) {
    if (err instanceof ZoomValidationError && err.field === 'maxBytes') {
      throw capError(name, cap.field, cap.mb, err.errors[0]?.message ?? err.message, err);
    }
    throw err;
  }
}

function fileMessage(
  msg: NodeMessage,
  got: { download: FileDownload; data: Buffer },
  fileId: string | undefined,
  extra: Record<string, unknown> = {},
): NodeMessage {
  return withPayload(msg, got.data, {
    filename: got.download.fileName,
    mimetype: got.download.mimeType,
    ...(fileId !== undefined ? { fileId } : {}),
    ...extra,
  });
}

async function download(ctx: Ctx): Promise<ActionResult> {
  const { def, msg, client, userId, signal } = ctx;
  const { mb, field } = maxMegabytes(def, msg);
  const cap = { maxBytes: megabytesToBytes(mb), mb, field };
  const fileId = pick(def.fileId, msg.fileId);
  if (fileId !== undefined) {
    const got = await fetchFile(client, fileId, cap, signal);
    return { out: fileMessage(msg, got, fileId), status: `downloaded ${got.download.fileName}` };
  }
  const messageId = requireMessageId(def, msg, 'download');
  const files = await client.files.ofMessage(messageId, conversationOf(def, msg), { userId, signal });
  if (files.length === 0) return { out: null, status: 'no files' };
  // Refused before any download: half of a message's files would look like all of them.
  for (const f of files) {
    if (f.size !== undefined && f.size > cap.maxBytes) {
      throw capError(
        f.fileName,
        field,
        mb,
        `Zoom lists it at ${f.size} bytes, over the cap of ${cap.maxBytes} bytes; nothing was downloaded`,
      );
    }
  }
  const id = typeof msg._msgid === 'string' ? msg._msgid : `${messageId}-${Date.now()}`;
  const out: NodeMessage[] = [];
  for (const [index, f] of files.entries()) {
    const got = await fetchFile(client, f, cap, signal);
    // msg.parts lets a Join node put the files back together.
    out.push(fileMessage(msg, got, f.fileId, { messageId, parts: { id, index, count: files.length, type: 'array' } }));
  }
  return { out: [out], status: `downloaded ${files.length} file${files.length === 1 ? '' : 's'}` };
}

async function schedule(ctx: Ctx): Promise<ActionResult> {
  const { def, msg, client, userId, signal } = ctx;
  // Checked before the text is read or anything is sent: the most likely mistake gets the first word.
  const when = scheduledTime(def, msg);
  const text = textOf(def, msg, 'schedule');
  const format = textFormatOf(def, msg);
  const target = resolveTarget({ channel: def.channel, contact: def.contact, replyInThread: false }, msg);
  // The same reading of Markdown and mentions as zoom send's (mentions shown by the contact's name).
  const body: Record<string, unknown> = { ...(await client.messages.compose(text, { format })) };
  if (target.channel !== undefined) body.to_channel = target.channel;
  if (target.contact !== undefined) body.to_contact = target.contact;
  if (target.replyTo !== undefined) body.reply_main_message_id = target.replyTo;
  body.scheduled_time = when;
  const result = await client.messages.send(body as Parameters<ZoomClient['messages']['send']>[0], { userId, signal });
  return { out: withPayload(msg, { ...result, scheduled_time: when }), status: `scheduled for ${when}` };
}

export async function runAction(action: MessageAction, ctx: Ctx): Promise<ActionResult> {
  const { def, msg, client, userId, signal } = ctx;
  if (action === 'schedule') return schedule(ctx);
  if (action === 'download') return download(ctx);
  const messageId = requireMessageId(def, msg, action);
  const conv = conversationOf(def, msg);
  const o = { userId, signal };
  switch (action) {
    case 'get': {
      const message = await client.messages.get(messageId, conv, o);
      return { out: withPayload(msg, message), status: 'got message' };
    }
    case 'thread': {
      const replies = await threadReplies(client, messageId, conv, userId, signal);
      return { out: withPayload(msg, replies), status: `${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}` };
    }
    case 'edit': {
      const text = textOf(def, msg, 'edit');
      // editMessage has no rich_text or at_items: Markdown is sent as the text it shows.
      const message =
        textFormatOf(def, msg) === 'markdown'
          ? (await client.messages.compose(text, { format: 'markdown' })).message
          : text;
      await client.messages.update(messageId, { ...conv, message }, o);
      return { out: withPayload(msg, { id: messageId, message }), status: 'edited' };
    }
    case 'delete': {
      await client.messages.delete(messageId, conv, o);
      return { out: withPayload(msg, { id: messageId, deleted: true }), status: 'deleted' };
    }
    case 'react': {
      const emoji = zoomEmoji(need(pick(def.emoji, msg.emoji), 'Emoji', 'msg.emoji (e.g. "👍" or "U+1F44D")'));
      const reaction = reactionOf(def.reaction);
      await client.messages.react(messageId, { ...conv, action: reaction, emoji }, o);
      return {
        out: withPayload(msg, { id: messageId, action: reaction, emoji }),
        status: `${reaction === 'add' ? 'reacted' : 'removed'} ${emoji}`,
      };
    }
  }
}

function checkAccount(account: Account): void {
  if (account.settings.authKind === 'chatbot') {
    throw new Error(
      'zoom message acts as a Team Chat user: its account node needs Server-to-Server OAuth or OAuth2 (user) credentials, not Chatbot ones.',
    );
  }
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatMessageNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const setting = actionSetting(def.mode);
    setupAction(this, def, {
      busyText: BUSY[setting],
      async work({ msg, client, account, signal }) {
        checkAccount(account);
        const action = resolveAction(setting, msg);
        const userId = pick(account.settings.userId, msg.userId) ?? 'me';
        return runAction(action, { def, msg, client, userId, signal });
      },
    });
  }
  RED.nodes.registerType('zoom-team-chat-message', ZoomTeamChatMessageNode);
}
