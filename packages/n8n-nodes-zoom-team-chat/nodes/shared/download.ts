import type { IBinaryData, IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	DOWNLOAD_OPERATION_ID,
	isZoomError,
	type DownloadableFile,
	type ZoomClient,
} from '@zoom-team-chat/core/portable';

import { toNodeError } from './errors';

const MB = 1024 * 1024;

/** What the download fields default to: Zoom's own limit for a file sent into a chat (images 16 MB). */
export const DEFAULT_MAX_SIZE_MB = 20;

/** n8n's `prepareBinaryData`, as every context that downloads has it. */
export type PrepareBinaryData = (data: Buffer, filePath?: string, mimeType?: string) => Promise<IBinaryData>;

/** A size field in megabytes as the core's cap in bytes; `label` names the field in the refusal. */
export function maxBytesOf(node: INode, value: unknown, label: string, itemIndex?: number): number {
	const mb = value === undefined || value === null || value === '' ? DEFAULT_MAX_SIZE_MB : Number(value);
	const bytes = Math.floor(mb * MB);
	if (!Number.isFinite(mb) || bytes < 1) {
		throw new NodeOperationError(node, `The parameter "${label}" must be a number of megabytes above 0`, {
			...(itemIndex === undefined ? {} : { itemIndex }),
			description: `Got ${JSON.stringify(value)}.`,
		});
	}
	return bytes;
}

/** Whether the core refused a download for its size (before, or while, reading it). */
export function isTooLarge(error: unknown): boolean {
	return (
		isZoomError(error) &&
		error.kind === 'validation' &&
		error.operationId === DOWNLOAD_OPERATION_ID &&
		error.errors.some((e) => e.field === 'maxBytes')
	);
}

function tooLargeDetail(error: unknown): string {
	const detail =
		isZoomError(error) && error.kind === 'validation'
			? error.errors.find((e) => e.field === 'maxBytes')?.message
			: undefined;
	return detail ? `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : '';
}

export interface DownloadedFile {
	binary: IBinaryData;
	/** What the output item's JSON says of the file. */
	json: IDataObject;
}

/**
 * Downloads one chat file into n8n's binary data, within `maxBytes`. The bytes are gathered in
 * memory (at most `maxBytes` of them) and handed to n8n as a Buffer: community nodes may not
 * import `stream`, and n8n's in-memory binary mode reads only Node streams or Buffers, not the
 * core's async iterable. A file over the cap is refused naming `sizeLabel`, the field that sets it.
 */
export async function downloadToBinary(
	node: INode,
	download: ZoomClient['files']['download'],
	prepareBinaryData: PrepareBinaryData,
	file: string | DownloadableFile,
	maxBytes: number,
	sizeLabel: string,
	itemIndex?: number,
): Promise<DownloadedFile> {
	const fileId = typeof file === 'string' ? (/^https?:\/\//i.test(file) ? undefined : file) : file.fileId;
	const named = typeof file === 'string' ? undefined : file.fileName;
	try {
		const fetched = await download(file, { maxBytes });
		const bytes = await fetched.toBuffer();
		const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const binary = await prepareBinaryData(buffer, fetched.fileName, fetched.mimeType);
		const json: IDataObject = {
			...(fileId ? { file_id: fileId } : {}),
			file_name: fetched.fileName,
			mime_type: fetched.mimeType,
			file_size: buffer.byteLength,
		};
		return { binary, json };
	} catch (error) {
		if (!isTooLarge(error)) throw toNodeError(node, error, itemIndex);
		const what = named ? `"${named}"` : fileId ? `with ID ${fileId}` : 'at that address';
		throw new NodeOperationError(
			node,
			`The file ${what} is larger than "${sizeLabel}" allows (${Number((maxBytes / MB).toFixed(3))} MB)`,
			{
				...(itemIndex === undefined ? {} : { itemIndex }),
				description:
					`${tooLargeDetail(error)} Raise "${sizeLabel}" to download it; the file is held in memory while n8n stores it.`.trim(),
			},
		);
	}
}
