/** Files: upload, send to a chat, info, delete, custom emoji, and the size limits Zoom documents. */
import type { Call, Handler } from '../http/api-server';
import { ZoomError } from '../http/errors';
import type { Upload } from '../files/multipart';
import { ChatService } from '../state/chat';
import type { StoredFile, User } from '../state/types';
import type { SimOperation } from '../spec/model';
import { actorFor, downloadUrl } from './common';

const MiB = 1024 * 1024;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The limits the operations' descriptions state: uploadAChatFile "a maximum of 1GB files",
 * sendChatFile "16 megabytes for images and 20 megabytes for all other file types",
 * addACustomEmoji "a maximum of 256KB".
 */
export function fileLimit(op: SimOperation, fileName: string): number {
  switch (op.operationId) {
    case 'uploadAChatFile':
      return 1024 * MiB;
    case 'sendChatFile':
      return ChatService.isImage(fileName) ? 16 * MiB : 20 * MiB;
    case 'addACustomEmoji':
      return 256 * 1024;
    default:
      return 20 * MiB;
  }
}

function human(bytes: number): string {
  return bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)}GB` : bytes >= MiB ? `${bytes / MiB}MB` : `${bytes / 1024}KB`;
}

function single(call: Call, field: string): Upload {
  const uploads = call.uploads.filter((u) => u.field === field);
  const u = uploads[0];
  if (!u)
    throw new ZoomError(400, 300, 'Validation Failed.', { errors: [{ field, message: 'A file part is required.' }] });
  for (const x of uploads) {
    if (x.tooLarge)
      throw new ZoomError(400, 300, `Maximum file size exceeded: ${human(x.limit)}`, {
        errors: [{ field, message: `${x.fileName} is ${x.size} bytes; the limit is ${human(x.limit)}.` }],
      });
  }
  return u;
}

/** Records an upload as a chat file (its bytes already sit in storage). */
export async function registerFile(
  call: { sim: Call['sim'] },
  owner: User,
  u: Pick<Upload, 'fileName' | 'contentType' | 'size' | 'sha256' | 'location'>,
): Promise<StoredFile> {
  const { store, files } = call.sim;
  const file: StoredFile = {
    id: store.ids.id22(),
    seq: store.seq(),
    name: u.fileName,
    size: u.size,
    contentType: u.contentType,
    sha256: u.sha256,
    ownerId: owner.id,
    createdAt: store.now(),
    location: u.location,
    deleted: false,
  };
  store.files.set(file.id, file);
  await files.admit(file, store.files.values());
  return file;
}

const uploadAChatFile: Handler = async (call) => {
  const actor = actorFor(call, call.path['userId']);
  const u = single(call, 'file');
  const file = await registerFile(call, actor, u);
  call.sim.chat.fileUploaded(actor, file);
  // "After upload a file, the default behavior will show the file in personal chat message."
  if (call.query['postToPersonalChat'] !== 'false') {
    const { store } = call.sim;
    const conversation = `d:${actor.id}:${actor.id}`;
    const m = {
      id: store.ids.uuid(),
      seq: store.seq(),
      conversation,
      toUserId: actor.id,
      senderId: actor.id,
      text: '',
      timestamp: store.now(),
      fileIds: [file.id],
      reactions: [],
      status: 'Normal' as const,
      history: [],
      replyCount: 0,
    };
    store.addMessage(m);
    file.messageId = m.id;
    file.conversation = conversation;
  }
  return { body: { id: file.id } };
};

const sendChatFile: Handler = async (call) => {
  const actor = actorFor(call, call.path['userId']);
  const u = single(call, 'files');
  const b = call.body;
  // Check where it goes before the file is kept, so a bad target leaves nothing behind.
  const target = call.sim.chat.resolveTarget(actor, str(b['to_channel']), str(b['to_contact']));
  if (target.channel?.archived) throw new ZoomError(400, 5420, 'Can not send message to an archived channel.');
  if (target.channel && !call.sim.chat.canPost(actor, target.channel)) {
    throw new ZoomError(
      400,
      5301,
      'Message sending failed: only channel owners and administrators can post in this channel.',
    );
  }
  const replyTo = str(b['reply_main_message_id']);
  if (replyTo) {
    const main = call.sim.store.messages.get(replyTo);
    if (!main || main.conversation !== target.conversation || main.status === 'Deleted') {
      throw new ZoomError(
        400,
        300,
        `Invalid reply_main_message_id: message ${replyTo} does not exist in this conversation.`,
      );
    }
    if (main.replyTo) throw new ZoomError(400, 5402, 'This only supports replies to a main message.');
  }
  const file = await registerFile(call, actor, u);
  call.sim.chat.fileUploaded(actor, file);
  try {
    const m = call.sim.chat.sendMessage(actor, {
      toChannel: str(b['to_channel']),
      toContact: str(b['to_contact']),
      text: '',
      replyTo: str(b['reply_main_message_id']),
      fileIds: [file.id],
    });
    return { body: { id: m.id } };
  } catch (err) {
    file.deleted = true;
    await call.sim.files.evict(file);
    throw err;
  }
};

const addACustomEmoji: Handler = async (call) => {
  const actor = actorFor(call, 'me');
  const u = single(call, 'file');
  if (!/\.(png|jpe?g|gif)$/i.test(u.fileName)) {
    await call.sim.files.drop(u.location);
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'file', message: 'Only supports jpg, png, gif and jpeg.' }],
    });
  }
  const file = await registerFile(call, actor, u);
  return { body: { file_id: file.id, name: String(call.body['name']) } };
};

function fileOr404(call: Call): StoredFile {
  const f = call.sim.store.files.get(call.path['fileId'] as string);
  if (!f || f.deleted) throw new ZoomError(404, 404, 'Resource not found.');
  return f;
}

const getFileInfo: Handler = (call) => {
  actorFor(call, 'me');
  const f = fileOr404(call);
  const dot = f.name.lastIndexOf('.');
  return {
    body: {
      file_id: f.id,
      file_name: f.name,
      OS_file_type: dot > 0 ? f.name.slice(dot + 1).toUpperCase() : 'FILE',
      length: f.size,
      digest: f.sha256,
      created_time: f.createdAt,
      modified_time: f.createdAt,
      download_url: downloadUrl(call, f),
    },
  };
};

const deleteChatFile: Handler = async (call) => {
  const actor = actorFor(call, 'me');
  const f = fileOr404(call);
  call.sim.chat.deleteFile(actor, f);
  await call.sim.files.evict(f);
  return {};
};

export const fileHandlers: Record<string, Handler> = {
  uploadAChatFile,
  sendChatFile,
  addACustomEmoji,
  getFileInfo,
  deleteChatFile,
};
