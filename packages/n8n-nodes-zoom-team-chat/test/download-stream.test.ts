/**
 * File → Download streams into n8n's binary data: with binaries on disk, n8n is handed the bytes as
 * they arrive (never the whole file), the cap still stops an oversized body mid-way, and where n8n
 * keeps binaries in memory (it refuses the stream unread) the file goes as one Buffer instead.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IBinaryData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DOWNLOAD_OPERATION_ID, ZoomValidationError, type FileDownload } from '@zoom-team-chat/core/portable';
import type { Simulator } from '@zoom-team-chat/simulator';

import { downloadToBinary, type PrepareStreamedBinaryData } from '../nodes/shared/download';
import { filesystemBinaryData, prepareBinaryData, testNode, type StoredBinary } from './helpers/contexts';
import { runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const CHUNK = 64 * 1024;
const LABEL = 'Options → Max Size (MB)';

/**
 * A download as the core hands it over: `chunks` chunks of CHUNK bytes, produced only when asked
 * for, with the core's refusal once more than `maxBytes` has arrived. `log` records the order in
 * which chunks are produced and stored.
 */
function fakeDownload(chunks: number, maxBytes: number, log: string[]): FileDownload {
	let produced = 0;
	let taken = false;
	const stream = (async function* () {
		let received = 0;
		for (let n = 0; n < chunks; n++) {
			received += CHUNK;
			if (received > maxBytes) {
				throw new ZoomValidationError(DOWNLOAD_OPERATION_ID, [
					{ field: 'maxBytes', message: `the download cap is ${maxBytes} bytes, and more than that arrived` },
				]);
			}
			produced++;
			log.push(`produced ${n}`);
			yield new Uint8Array(CHUNK).fill(n % 256);
		}
	})();
	const once = () => {
		if (taken) throw new Error('test: the download was read twice');
		taken = true;
		return stream;
	};
	return {
		fileName: 'big.bin',
		mimeType: 'application/octet-stream',
		stream: { [Symbol.asyncIterator]: () => once()[Symbol.asyncIterator]() },
		async toBuffer() {
			const parts: Uint8Array[] = [];
			for await (const chunk of once()) parts.push(chunk);
			return Buffer.concat(parts);
		},
		async cancel() {
			log.push(`cancelled after ${produced}`);
			await stream.return(undefined);
		},
	};
}

const expected = (chunks: number) =>
	Buffer.concat(Array.from({ length: chunks }, (_, n) => Buffer.alloc(CHUNK, n % 256)));

/** n8n's filesystem mode (fs.promises.writeFile over the body), logging each chunk it writes. */
function diskLike(log: string[], store: Map<string, StoredBinary>): PrepareStreamedBinaryData {
	const save = filesystemBinaryData(store);
	return async (data, name, type) => {
		if (Buffer.isBuffer(data)) throw new Error('test: expected the bytes as they arrive, got one Buffer');
		let n = 0;
		const logged = (async function* () {
			for await (const chunk of data) {
				log.push(`stored ${n++}`);
				yield chunk;
			}
		})();
		return await save(logged, name, type);
	};
}

const run = (download: FileDownload, streamed: PrepareStreamedBinaryData, maxBytes = 100 * CHUNK) =>
	downloadToBinary(testNode, async () => download, { streamed }, 'FILE1', maxBytes, LABEL, 0);

describe('downloadToBinary with { streamed }', () => {
	it('hands n8n each chunk as it arrives, never the whole file', async () => {
		const log: string[] = [];
		const store = new Map<string, StoredBinary>();
		const { binary, json } = await run(fakeDownload(4, 100 * CHUNK, log), diskLike(log, store));
		expect(log).toEqual([
			'produced 0',
			'stored 0',
			'produced 1',
			'stored 1',
			'produced 2',
			'stored 2',
			'produced 3',
			'stored 3',
		]);
		expect(json).toEqual({
			file_id: 'FILE1',
			file_name: 'big.bin',
			mime_type: 'application/octet-stream',
			file_size: 4 * CHUNK,
		});
		expect(store.get(String(binary.id))?.data.equals(expected(4))).toBe(true);
	});

	it('stops at the cap mid-way, reporting the cap, whatever n8n wraps the error in', async () => {
		const log: string[] = [];
		const store = new Map<string, StoredBinary>();
		const disk = diskLike(log, store);
		// n8n may wrap what the body threw (2.41 removes its temporary file and rethrows).
		const wrapping: PrepareStreamedBinaryData = async (data, name, type) =>
			await disk(data, name, type).catch((cause: unknown) => {
				throw new Error('n8n could not write the binary data', { cause });
			});
		const error = await run(fakeDownload(10, 3 * CHUNK, log), wrapping, 3 * CHUNK).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(`The file with ID FILE1 is larger than "${LABEL}" allows (0.188 MB)`);
		expect((error as NodeOperationError).description).toMatch(
			/more than that arrived.*Raise "Options → Max Size \(MB\)"/s,
		);
		expect(log.filter((l) => l.startsWith('produced'))).toHaveLength(3);
		expect(store.size).toBe(0);
	});

	it('falls back to one Buffer when n8n refuses the stream unread (its in-memory, S3 and database modes)', async () => {
		const log: string[] = [];
		const offered: string[] = [];
		const memory: PrepareStreamedBinaryData = async (data, name, type) => {
			offered.push(Buffer.isBuffer(data) ? 'buffer' : 'stream');
			return await prepareBinaryData(data, name, type);
		};
		const { binary, json } = await run(fakeDownload(3, 100 * CHUNK, log), memory);
		expect(offered).toEqual(['stream', 'buffer']);
		expect(Buffer.from(String(binary.data), 'base64').equals(expected(3))).toBe(true);
		expect(json.file_size).toBe(3 * CHUNK);
		expect(log).toEqual(['produced 0', 'produced 1', 'produced 2']);
	});

	it('refuses a file n8n stopped reading before its end instead of keeping it truncated', async () => {
		const log: string[] = [];
		const partial: PrepareStreamedBinaryData = async (data) => {
			if (Buffer.isBuffer(data)) throw new Error('test: expected a stream');
			const iterator = data[Symbol.asyncIterator]();
			await iterator.next();
			return { data: '', mimeType: 'application/octet-stream' } as IBinaryData;
		};
		const error = await run(fakeDownload(5, 100 * CHUNK, log), partial).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(`n8n stored only the first ${CHUNK} bytes of the file`);
		expect(log).toEqual(['produced 0', 'cancelled after 1']);
	});

	it('gives a plain prepareBinaryData (the Buffer form) one Buffer', async () => {
		const seen: boolean[] = [];
		const { json } = await downloadToBinary(
			testNode,
			async () => fakeDownload(2, 100 * CHUNK, []),
			async (data, name, type) => {
				seen.push(Buffer.isBuffer(data));
				return await prepareBinaryData(data, name, type);
			},
			'FILE1',
			100 * CHUNK,
			LABEL,
		);
		expect(seen).toEqual([true]);
		expect(json.file_size).toBe(2 * CHUNK);
	});
});

describe('File → Download with binary data on disk, against the simulator', () => {
	let sim: Simulator;
	let channelId: string;
	beforeAll(async () => {
		sim = await startTestSimulator();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(async () => {
		await sim.reset();
		channelId = String((await sim.admin.channels()).find((c) => !c.archived)?.id);
	});

	it('stores the file under an ID, byte for byte, and still refuses one over Max Size', async () => {
		// Past the transport's 64 KB chunks, within the admin API's 2 MB request (base64).
		const bytes = Buffer.alloc(1024 * 1024 + 17, 0);
		for (let n = 0; n < bytes.length; n++) bytes[n] = (n * 31 + (n >>> 9)) & 0xff;
		const { file } = await sim.admin.uploadFile({
			channel: channelId,
			fileName: 'disk.bin',
			base64: bytes.toString('base64'),
			contentType: 'application/octet-stream',
		});
		const binaryStore = new Map<string, StoredBinary>();
		const parameters = {
			resource: 'file',
			operation: 'download',
			source: 'fileId',
			fileId: file.id,
			binaryPropertyName: 'data',
		};
		const { items } = await runNode(sim, { ...parameters, options: {} }, { binaryDataMode: 'filesystem', binaryStore });
		const binary = items[0]?.binary?.data;
		expect(binary?.id).toMatch(/^filesystem-v2:/);
		expect(binaryStore.get(String(binary?.id))?.data.equals(bytes)).toBe(true);
		expect(items[0]?.json).toMatchObject({ file_id: file.id, file_name: 'disk.bin', file_size: bytes.length });

		const refused = await runNode(
			sim,
			{ ...parameters, options: { maxSizeMb: 1 } },
			{ binaryDataMode: 'filesystem', binaryStore },
		).catch((e: unknown) => e);
		expect((refused as Error).message).toBe(`The file with ID ${file.id} is larger than "${LABEL}" allows (1 MB)`);
		expect(binaryStore.size).toBe(1);
	});
});
