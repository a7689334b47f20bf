import type { IBinaryData, IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	isDownloadTooLarge,
	isZoomError,
	type DownloadableFile,
	type FileDownload,
	type ZoomClient,
} from '@zoom-team-chat/core/portable';

import { toNodeError } from './errors';

const MB = 1024 * 1024;

/** What the download fields default to: Zoom's own limit for a file sent into a chat (images 16 MB). */
export const DEFAULT_MAX_SIZE_MB = 20;

/** n8n's `prepareBinaryData` given the whole file as one Buffer. */
export type PrepareBinaryData = (data: Buffer, filePath?: string, mimeType?: string) => Promise<IBinaryData>;

/**
 * n8n's `prepareBinaryData` given the file as it arrives. n8n types it `Buffer | Readable`, but in
 * its filesystem mode (n8n 1.123 and 2.41 alike) it hands the body to `fs.promises.writeFile`,
 * which writes any async iterable of bytes chunk by chunk; its other modes (in memory, S3,
 * database) read only a Node stream or a Buffer and refuse anything else before reading a byte.
 */
export type PrepareStreamedBinaryData = (
	data: Buffer | AsyncIterable<Uint8Array>,
	filePath?: string,
	mimeType?: string,
) => Promise<IBinaryData>;

/**
 * Where a download goes: a function takes the file as one Buffer; `{ streamed }` is offered the
 * bytes as they arrive first, and gets a Buffer only when n8n refuses the stream unread.
 */
export type BinaryTarget = PrepareBinaryData | { streamed: PrepareStreamedBinaryData };

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
 * The download's bytes as n8n reads them, counted. The core's iterator is taken only when n8n
 * starts reading, so a stream n8n refuses unread can still be read whole with `toBuffer()`.
 */
class CountedBody implements AsyncIterableIterator<Uint8Array> {
	bytes = 0;
	started = false;
	ended = false;
	/** What the core's stream threw (over the cap, cut off): reported as is, whatever n8n wraps it in. */
	failure: unknown;
	private source: AsyncIterator<Uint8Array> | undefined;

	constructor(private readonly body: AsyncIterable<Uint8Array>) {}

	[Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
		return this;
	}

	async next(): Promise<IteratorResult<Uint8Array>> {
		this.started = true;
		this.source ??= this.body[Symbol.asyncIterator]();
		// Passed on unchanged (downloadToBinary turns it into the node's error), and kept.
		const result = await this.source.next().then(undefined, async (error: unknown) => {
			this.failure = error;
			return await Promise.reject(error);
		});
		if (result.done) this.ended = true;
		else this.bytes += result.value.byteLength;
		return result;
	}

	async return(): Promise<IteratorResult<Uint8Array>> {
		await this.source?.return?.();
		return { done: true, value: undefined };
	}
}

async function store(
	node: INode,
	target: BinaryTarget,
	fetched: FileDownload,
	itemIndex: number | undefined,
): Promise<{ binary: IBinaryData; size: number }> {
	const asBuffer = async () => {
		const bytes = await fetched.toBuffer();
		return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	};
	if (typeof target === 'function') {
		const buffer = await asBuffer();
		return { binary: await target(buffer, fetched.fileName, fetched.mimeType), size: buffer.byteLength };
	}
	const body = new CountedBody(fetched.stream);
	const outcome = await target.streamed(body, fetched.fileName, fetched.mimeType).then(
		(binary) => ({ binary, error: undefined }),
		(error: unknown) => ({ binary: undefined, error }),
	);
	if (!outcome.binary) {
		if (body.failure !== undefined) throw body.failure;
		if (body.started) throw outcome.error;
		// Refused before reading: n8n keeps binaries in memory, S3 or its database here, which
		// take a Buffer. The file is then held whole (up to the cap) while n8n stores it.
		const buffer = await asBuffer();
		return { binary: await target.streamed(buffer, fetched.fileName, fetched.mimeType), size: buffer.byteLength };
	}
	if (!body.ended) {
		// A host that stopped reading early would keep a truncated file without saying so.
		await fetched.cancel();
		throw new NodeOperationError(node, `n8n stored only the first ${body.bytes} bytes of the file`, {
			...(itemIndex === undefined ? {} : { itemIndex }),
			description: 'n8n stopped reading the download before its end; nothing past that was kept.',
		});
	}
	return { binary: outcome.binary, size: body.bytes };
}

/**
 * Downloads one chat file into n8n's binary data, within `maxBytes` (the core's stream refuses
 * more). With `{ streamed }` and n8n keeping binaries on disk, the bytes go to the file as they
 * arrive, so memory stays flat whatever the file's size; otherwise the file is gathered into one
 * Buffer first (community nodes may not import `stream` to make a Node stream of it). A file over
 * the cap is refused naming `sizeLabel`, the field that sets it.
 */
export async function downloadToBinary(
	node: INode,
	download: ZoomClient['files']['download'],
	target: BinaryTarget,
	file: string | DownloadableFile,
	maxBytes: number,
	sizeLabel: string,
	itemIndex?: number,
): Promise<DownloadedFile> {
	const fileId = typeof file === 'string' ? (/^https?:\/\//i.test(file) ? undefined : file) : file.fileId;
	const named = typeof file === 'string' ? undefined : file.fileName;
	try {
		const fetched = await download(file, { maxBytes });
		const { binary, size } = await store(node, target, fetched, itemIndex);
		const json: IDataObject = {
			...(fileId ? { file_id: fileId } : {}),
			file_name: fetched.fileName,
			mime_type: fetched.mimeType,
			file_size: size,
		};
		return { binary, json };
	} catch (error) {
		if (!isDownloadTooLarge(error)) throw toNodeError(node, error, itemIndex);
		const what = named ? `"${named}"` : fileId ? `with ID ${fileId}` : 'at that address';
		throw new NodeOperationError(
			node,
			`The file ${what} is larger than "${sizeLabel}" allows (${Number((maxBytes / MB).toFixed(3))} MB)`,
			{
				...(itemIndex === undefined ? {} : { itemIndex }),
				description: `${tooLargeDetail(error)} Raise "${sizeLabel}" to download it.`.trim(),
			},
		);
	}
}
