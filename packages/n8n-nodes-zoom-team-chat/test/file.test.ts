import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';
import type { INodeExecutionData } from 'n8n-workflow';

import type { StoredBinary } from './helpers/contexts';
import { byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

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
	const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
	const channel = (await sim.admin.channels()).find(
		(c) => c.members.some((m) => m.userId === owner?.id) && !c.archived,
	);
	channelId = String(channel?.id);
});

function inMemoryItem(data: Buffer, fileName: string, mimeType: string): INodeExecutionData {
	return { json: {}, binary: { data: { data: data.toString('base64'), fileName, mimeType } } };
}

/** An item whose binary lives in n8n's binary store (filesystem mode): it has an ID, not data. */
function storedItem(
	store: Map<string, StoredBinary>,
	id: string,
	data: Buffer,
	fileName: string,
	mimeType: string,
): INodeExecutionData {
	store.set(id, { data, fileName, mimeType });
	return { json: {}, binary: { data: { id, data: '', fileName, mimeType } } };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('file operations', () => {
	it('uploads an in-memory binary and returns its file ID', async () => {
		const bytes = Buffer.from('hello file\n'.repeat(100));
		const { json } = await runNode(
			sim,
			{ resource: 'file', operation: 'upload', binaryPropertyName: 'data', options: { postToPersonalChat: false } },
			{ items: [inMemoryItem(bytes, 'notes.txt', 'text/plain')] },
		);
		const file = await sim.admin.file(String(json[0]?.id));
		expect(file).toMatchObject({ name: 'notes.txt', size: bytes.length, sha256: sha256(bytes) });
		expect(Buffer.compare(await sim.admin.fileContent(file.id), bytes)).toBe(0);
	});

	it('streams a stored binary through the file host redirect, in chunks, and Zoom gets every byte', async () => {
		const store = new Map<string, StoredBinary>();
		const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
		for (let n = 0; n < bytes.length; n++) bytes[n] = (n * 31) % 251;
		const { json, requests } = await runNode(
			sim,
			{ resource: 'file', operation: 'upload', binaryPropertyName: 'data', options: { fileName: 'big.bin' } },
			{ items: [storedItem(store, 'fs:abc', bytes, 'original.bin', 'application/octet-stream')], binaryStore: store },
		);
		const file = await sim.admin.file(String(json[0]?.id));
		expect(file).toMatchObject({ name: 'big.bin', size: bytes.length, sha256: sha256(bytes) });
		// The file host answered 307: the same upload went out twice, the second time to the redirect target.
		const uploads = requests.filter((r) => r.method === 'POST' && r.url.includes('/files'));
		expect(uploads.map((r) => new URL(r.url).host)).toEqual([
			new URL(sim.urls.file).host,
			new URL(sim.urls.fileTarget).host,
		]);
	});

	it('sends a file into a thread of a channel', async () => {
		const main = await sim.admin.postMessage({ channel: channelId, text: 'Send me the report' });
		const bytes = Buffer.from('%PDF-1.4 fake report');
		const { json } = await runNode(
			sim,
			{
				resource: 'file',
				operation: 'send',
				target: 'channel',
				channelId: byId(channelId),
				binaryPropertyName: 'data',
				options: { replyMainMessageId: main.id },
			},
			{ items: [inMemoryItem(bytes, 'report.pdf', 'application/pdf')] },
		);
		const message = await sim.admin.message(String(json[0]?.id));
		expect(message.replyTo).toBe(main.id);
		expect(message.fileIds).toHaveLength(1);
		const file = await sim.admin.file(String(message.fileIds[0]));
		expect(file).toMatchObject({ name: 'report.pdf', sha256: sha256(bytes) });
	});

	it('refuses an image over 16 MB before sending a byte, naming the field', async () => {
		const store = new Map<string, StoredBinary>();
		const { requests, error } = await runNode(
			sim,
			{
				resource: 'file',
				operation: 'send',
				target: 'channel',
				channelId: byId(channelId),
				binaryPropertyName: 'data',
				options: {},
			},
			{
				items: [storedItem(store, 'fs:img', Buffer.alloc(16 * 1024 * 1024 + 1), 'huge.png', 'image/png')],
				binaryStore: store,
				continueOnFail: true,
			},
		).then((r) => ({ requests: r.requests, error: String(r.json[0]?.error) }));
		expect(error).toMatch(/body\.files\[0\].*16 MB/);
		expect(requests.filter((r) => r.url.includes('/files'))).toHaveLength(0);
	});

	it('fails clearly when the binary property is missing', async () => {
		await expect(
			runNode(sim, { resource: 'file', operation: 'upload', binaryPropertyName: 'attachment', options: {} }),
		).rejects.toThrow(/attachment/);
	});

	it("gets a file's details and deletes it", async () => {
		const bytes = Buffer.from('to delete');
		const uploaded = await runNode(
			sim,
			{ resource: 'file', operation: 'upload', binaryPropertyName: 'data', options: {} },
			{ items: [inMemoryItem(bytes, 'gone.txt', 'text/plain')] },
		);
		const id = String(uploaded.json[0]?.id);
		const info = await runNode(sim, { resource: 'file', operation: 'get', fileId: id });
		expect(info.json[0]).toMatchObject({ file_id: id, file_name: 'gone.txt', length: bytes.length });
		const deleted = await runNode(sim, { resource: 'file', operation: 'delete', fileId: id });
		expect(deleted.json[0]).toEqual({ id, deleted: true });
		expect((await sim.admin.file(id)).deleted).toBe(true);
	});
});
