/**
 * The files an event carries, for triggers that hand them over with the event ("Download files"):
 * which events, which files, and each one fetched within a size cap. A file that cannot be had is
 * an outcome with its reason, never a lost event.
 */
import { isZoomError } from '../errors';
import type { AuthKind } from '../auth';
import type { FileDownload } from '../http/download';
import { DOWNLOAD_OPERATION_ID } from '../http/download';
import type { DownloadOptions } from '../resources/files';
import type { ZoomEvent } from './fields';

/** Events whose `payload.object.files` are files someone just shared, uploaded or posted. */
export const FILE_EVENTS: readonly string[] = [
  'team_chat.file_shared',
  'team_chat.file_uploaded',
  'team_chat.channel_message_posted',
  'team_chat.channel_message_updated',
  'team_chat.dm_message_posted',
  'team_chat.dm_message_updated',
];

export interface EventFile {
  fileId: string;
  fileName?: string;
  /** Bytes, as the event lists it. */
  size?: number;
}

/** The files an event names, in its order, for the events in FILE_EVENTS; none for any other event. */
export function eventFiles(event: ZoomEvent): EventFile[] {
  if (!FILE_EVENTS.includes(String(event.event))) return [];
  const object = (event.payload as { object?: { files?: unknown } } | undefined)?.object;
  const files = Array.isArray(object?.files) ? (object.files as unknown[]) : [];
  const out: EventFile[] = [];
  for (const raw of files) {
    if (!raw || typeof raw !== 'object') continue;
    const file = raw as Record<string, unknown>;
    if (typeof file.file_id !== 'string' || file.file_id === '') continue;
    out.push({
      fileId: file.file_id,
      ...(typeof file.file_name === 'string' ? { fileName: file.file_name } : {}),
      ...(typeof file.file_size === 'number' ? { size: file.file_size } : {}),
    });
  }
  return out;
}

/**
 * Whether `files.download` works with this kind of auth: it reads the file's info through the
 * Team Chat API and then the file host, as a user or the account. A chatbot token may not read
 * chat files.
 */
export function canDownloadFiles(kind: AuthKind | undefined): boolean {
  return kind === 'account' || kind === 'user';
}

/** Whether the core refused a download for its size (before, or while, reading it). */
export function isDownloadTooLarge(error: unknown): boolean {
  return (
    isZoomError(error) &&
    error.kind === 'validation' &&
    error.operationId === DOWNLOAD_OPERATION_ID &&
    error.errors.some((e) => e.field === 'maxBytes')
  );
}

/** Why a file over the cap was not handed over, the same whether the event or the download told. */
function overCap(file: EventFile, maxBytes: number, sizeLabel: string, listedSize?: number): string {
  const name = file.fileName !== undefined ? `"${file.fileName}"` : file.fileId;
  const size = listedSize === undefined ? '' : ` (${listedSize} bytes)`;
  return `${name}${size} is larger than the ${megabytes(maxBytes)} MB that ${sizeLabel} allows`;
}

function megabytes(bytes: number): number {
  return Number((bytes / 1024 / 1024).toFixed(3));
}

export type EventFileOutcome<T> = { file: EventFile; value: T } | { file: EventFile; error: string };

/**
 * Fetches each of `files` in order with `fetch`, within `maxBytes`: a file the event already lists
 * as larger is not fetched at all (the reason names `sizeLabel`, the setting that sets the cap), and
 * a failed fetch becomes its reason. Never throws.
 */
export async function downloadEventFiles<T>(
  files: readonly EventFile[],
  options: { maxBytes: number; sizeLabel: string; fetch: (file: EventFile) => Promise<T> },
): Promise<Array<EventFileOutcome<T>>> {
  const out: Array<EventFileOutcome<T>> = [];
  for (const file of files) {
    if (file.size !== undefined && file.size > options.maxBytes) {
      out.push({ file, error: overCap(file, options.maxBytes, options.sizeLabel, file.size) });
      continue;
    }
    try {
      out.push({ file, value: await options.fetch(file) });
    } catch (error) {
      out.push({ file, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** One file of an event for a host that takes the bytes: what it is, or why it could not be had. */
export type EventFileBytes =
  | { fileId: string; fileName: string; mimeType: string; size: number; data: Uint8Array }
  | { fileId: string; fileName?: string; error: string };

/**
 * The files of `event`, each read into memory with the client's `files.download` within
 * `maxBytes`, in the event's order; a file found larger while reading is refused naming
 * `sizeLabel`. Empty for an event without files. Never throws.
 */
export async function downloadEventFileBytes(
  event: ZoomEvent,
  options: {
    download: (file: string, options: DownloadOptions) => Promise<FileDownload>;
    maxBytes: number;
    sizeLabel: string;
    signal?: AbortSignal;
  },
): Promise<EventFileBytes[]> {
  const { maxBytes, sizeLabel, signal } = options;
  const outcomes = await downloadEventFiles(eventFiles(event), {
    maxBytes,
    sizeLabel,
    fetch: async (file) => {
      try {
        const fetched = await options.download(file.fileId, { maxBytes, signal });
        return { fetched, data: await fetched.toBuffer() };
      } catch (error) {
        if (!isDownloadTooLarge(error)) throw error;
        throw new Error(overCap(file, maxBytes, sizeLabel), { cause: error });
      }
    },
  });
  return outcomes.map(({ file, ...got }) =>
    'value' in got
      ? {
          fileId: file.fileId,
          fileName: got.value.fetched.fileName,
          mimeType: got.value.fetched.mimeType,
          size: got.value.data.byteLength,
          data: got.value.data,
        }
      : { fileId: file.fileId, ...(file.fileName !== undefined ? { fileName: file.fileName } : {}), error: got.error },
  );
}
