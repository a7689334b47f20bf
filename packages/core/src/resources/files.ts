import type { ResourceContext, UserScoped } from './types';
import type { RequestOptions } from '../http/pipeline';
import type { BinaryPart } from '../http/multipart';
import { checkDownloadCap, DOWNLOAD_OPERATION_ID, type FileDownload, type FileFetcher } from '../http/download';
import { ZoomApiError, ZoomConfigError, ZoomValidationError } from '../errors';
import type { OperationTypes } from '../spec/generated/types';

type Opts = UserScoped & RequestOptions;

export interface FileInput {
  fileName: string;
  contentType?: string;
  /** The bytes, or a factory of a fresh stream (called again if Zoom's file host redirects). */
  data: Uint8Array | { stream: () => AsyncIterable<Uint8Array>; length?: number };
}

function part(file: FileInput): BinaryPart {
  const base = { fileName: file.fileName, contentType: file.contentType };
  return file.data instanceof Uint8Array
    ? { ...base, data: file.data }
    : { ...base, stream: file.data.stream, length: file.data.length };
}

/** A file a message carries, as `messageFiles` lists it: what `files.download` takes. */
export interface DownloadableFile {
  fileId?: string;
  fileName?: string;
  /** Bytes, as the message lists it. */
  size?: number;
  downloadUrl: string;
}

export interface DownloadOptions {
  /** The largest file to accept, in bytes: a larger one is refused before (or while) it is read. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Bound on the download, body included (default: the client's `fileTimeoutMs`). */
  timeoutMs?: number;
}

/** The resources' context, with the client's file fetcher (absent from contexts built by hand). */
export type FilesContext = ResourceContext & { fetchFile?: FileFetcher };

type Message = Partial<
  Pick<OperationTypes['getChatMessage']['response'], 'download_url' | 'file_id' | 'file_name' | 'file_size' | 'files'>
>;

/**
 * The downloadable files of a message: of a getChatMessage answer, an item of getChatMessages or
 * retrieveThread. Every file when the message lists `files`; otherwise the single file its
 * top-level `download_url` describes (the first file, in Zoom's answers); none for a text message.
 */
export function messageFiles(message: unknown): DownloadableFile[] {
  if (!message || typeof message !== 'object') return [];
  const m = message as Message;
  const listed = Array.isArray(m.files) && m.files.length > 0 ? m.files : [m];
  const out: DownloadableFile[] = [];
  for (const f of listed) {
    if (!f || typeof f.download_url !== 'string' || f.download_url === '') continue;
    const file: DownloadableFile = { downloadUrl: f.download_url };
    if (typeof f.file_id === 'string') file.fileId = f.file_id;
    if (typeof f.file_name === 'string') file.fileName = f.file_name;
    if (typeof f.file_size === 'number') file.size = f.file_size;
    out.push(file);
  }
  return out;
}

/** Chat files, on Zoom's file host (multipart, 30x-redirected). */
export function files(ctx: FilesContext) {
  /**
   * Downloads a chat file: by file ID (its `download_url`, name and size from getFileInfo), by
   * `download_url`, or as one of `messageFiles(message)`. Resolves once the file host answers,
   * with the name, the MIME type and the body as a stream (or `toBuffer()`), never more than
   * `maxBytes` of it. See createFileFetcher for redirects, the token and retries.
   */
  const download = async (file: string | DownloadableFile, o: DownloadOptions): Promise<FileDownload> => {
    const fetchFile = ctx.fetchFile;
    if (!fetchFile)
      throw new ZoomConfigError(
        'files.download needs the client from createZoomClient: this resource context has no file fetcher',
      );
    checkDownloadCap(o?.maxBytes);
    const { maxBytes, signal, timeoutMs } = o;
    if (file && typeof file === 'object') {
      if (typeof file.downloadUrl !== 'string' || file.downloadUrl === '') {
        throw new ZoomValidationError(DOWNLOAD_OPERATION_ID, [
          { field: 'file.downloadUrl', message: "is missing (list a message's files with messageFiles)" },
        ]);
      }
      return fetchFile({
        url: file.downloadUrl,
        fileName: file.fileName,
        size: file.size,
        maxBytes,
        signal,
        timeoutMs,
      });
    }
    if (typeof file !== 'string' || file.trim() === '') {
      throw new ZoomValidationError(DOWNLOAD_OPERATION_ID, [
        { field: 'file', message: 'must be a file ID, a download_url or a file from messageFiles' },
      ]);
    }
    if (/^https?:\/\//i.test(file)) return fetchFile({ url: file, maxBytes, signal, timeoutMs });
    const info = await ctx.call<Partial<OperationTypes['getFileInfo']['response']>>(
      'getFileInfo',
      { path: { fileId: file } },
      { signal },
    );
    if (!info || typeof info.download_url !== 'string' || info.download_url === '') {
      throw new ZoomApiError({
        status: 200,
        message: 'Zoom described the file without a download_url',
        operationId: 'getFileInfo',
        method: 'GET',
        path: '/chat/files/{fileId}',
      });
    }
    const size = typeof info.length === 'number' ? info.length : undefined;
    return fetchFile({ url: info.download_url, fileName: info.file_name, size, maxBytes, signal, timeoutMs });
  };

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
    send: (
      file: FileInput,
      target: { to_channel?: string; to_contact?: string; reply_main_message_id?: string },
      o?: Opts,
    ) =>
      ctx.call<{ id: string }>(
        'sendChatFile',
        { path: { userId: o?.userId ?? 'me' }, body: { files: [part(file)], ...target } },
        o,
      ),
    get: (fileId: string, o?: RequestOptions) => ctx.call('getFileInfo', { path: { fileId } }, o),
    delete: (fileId: string, o?: RequestOptions) => ctx.call('deleteChatFile', { path: { fileId } }, o),
    download,
    /** The downloadable files of a message (getChatMessage with `to_channel` or `to_contact`). */
    ofMessage: async (
      messageId: string,
      query: OperationTypes['getChatMessage']['query'],
      o?: Opts,
    ): Promise<DownloadableFile[]> =>
      messageFiles(await ctx.call('getChatMessage', { path: { userId: o?.userId ?? 'me', messageId }, query }, o)),
  };
}
