import type { ResourceContext, UserScoped } from './types';
import type { RequestOptions } from '../http/pipeline';
import type { BinaryPart } from '../http/multipart';

type Opts = UserScoped & RequestOptions;

export interface FileInput {
  fileName: string;
  contentType?: string;
  /** The bytes, or a factory of a fresh stream (called again if Zoom's file host redirects). */
  data: Uint8Array | { stream: () => AsyncIterable<Uint8Array>; length?: number };
}

function part(file: FileInput): BinaryPart {
  const base = { fileName: file.fileName, contentType: file.contentType };
  return file.data instanceof Uint8Array ? { ...base, data: file.data } : { ...base, stream: file.data.stream, length: file.data.length };
}

/** Chat files, on Zoom's file host (multipart, 30x-redirected). */
export function files(ctx: ResourceContext) {
  return {
    /** Uploads to the user's chat files (up to 1 GB); returns `{ id }` to reference in a message's `file_ids`. */
    upload: (file: FileInput, o?: Opts & { postToPersonalChat?: boolean }) =>
      ctx.call<{ id: string }>(
        'uploadAChatFile',
        {
          path: { userId: o?.userId ?? 'me' },
          query: o?.postToPersonalChat === undefined ? undefined : { postToPersonalChat: String(o.postToPersonalChat) },
          body: { file: part(file) },
        },
        o,
      ),
    /** Sends a file to a channel or a contact (16 MB images, 20 MB other files); returns the message `{ id }`. */
    send: (file: FileInput, target: { to_channel?: string; to_contact?: string; reply_main_message_id?: string }, o?: Opts) =>
      ctx.call<{ id: string }>('sendChatFile', { path: { userId: o?.userId ?? 'me' }, body: { files: [part(file)], ...target } }, o),
    get: (fileId: string, o?: RequestOptions) => ctx.call('getFileInfo', { path: { fileId } }, o),
    delete: (fileId: string, o?: RequestOptions) => ctx.call('deleteChatFile', { path: { fileId } }, o),
  };
}
