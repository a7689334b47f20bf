/**
 * Files out of Zoom: File → Download (by ID, or the files of a message) into n8n binary data, and
 * the trigger's Download Files option (webhook and WebSocket delivery), within a size cap.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { IDataObject, INode, INodeProperties, ITriggerResponse } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError, sleep } from 'n8n-workflow';
import { signWebhook } from '@zoom-team-chat/core/portable';
import type { Simulator } from '@zoom-team-chat/simulator';

import { webhookContext } from './helpers/contexts';
import { byId, runNode } from './helpers/run';
import { credentialsFor, startTestSimulator } from './helpers/simulator';
import { triggerNode, triggerNodeV2 } from './helpers/trigger';
import { triggerContext } from './helpers/trigger-context';

let sim: Simulator;
let channelId: string;
const BLAKE = 'blake.chen@example.com';

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
		(c) => !c.archived && c.members.some((m) => m.userId === owner?.id) && c.members.some((m) => m.email === BLAKE),
	);
	channelId = String(channel?.id);
});

function bytesOf(length: number, seed = 7): Buffer {
	const bytes = Buffer.alloc(length);
	for (let n = 0; n < length; n++) bytes[n] = (n * seed + 11) % 256;
	return bytes;
}

async function share(fileName: string, bytes: Buffer, contentType: string) {
	return await sim.admin.uploadFile({
		as: BLAKE,
		channel: channelId,
		fileName,
		base64: bytes.toString('base64'),
		contentType,
	});
}

const download = (extra: IDataObject) => ({
	resource: 'file',
	operation: 'download',
	binaryPropertyName: 'data',
	options: {},
	...extra,
});

describe('file → download', () => {
	it('downloads a file by ID into binary data, keeping its name and MIME type', async () => {
		const bytes = bytesOf(200_000);
		const { file } = await share('Q3 report.pdf', bytes, 'application/pdf');
		const { items } = await runNode(sim, download({ source: 'fileId', fileId: file.id }));
		expect(items).toHaveLength(1);
		expect(items[0]?.json).toEqual({
			file_id: file.id,
			file_name: 'Q3 report.pdf',
			mime_type: 'application/pdf',
			file_size: bytes.length,
		});
		const binary = items[0]?.binary?.data;
		expect(binary).toMatchObject({ fileName: 'Q3 report.pdf', mimeType: 'application/pdf', fileExtension: 'pdf' });
		expect(Buffer.from(String(binary?.data), 'base64').equals(bytes)).toBe(true);
		expect(items[0]?.pairedItem).toEqual({ item: 0 });
	});

	it('downloads every file of a message, one item each, into the chosen binary field', async () => {
		const first = await share('a.csv', Buffer.from('x,y\n1,2\n'), 'text/csv');
		const second = await share('b.png', bytesOf(5000, 3), 'image/png');
		const message = await sim.admin.postMessage({
			as: BLAKE,
			channel: channelId,
			text: 'two files',
			fileIds: [first.file.id, second.file.id],
		});
		const { items } = await runNode(
			sim,
			download({
				source: 'message',
				messageId: message.id,
				target: 'channel',
				channelId: byId(channelId),
				binaryPropertyName: 'attachment',
			}),
		);
		expect(items.map((item) => item.json)).toEqual([
			{ file_id: first.file.id, file_name: 'a.csv', mime_type: 'text/csv', file_size: 8, message_id: message.id },
			{ file_id: second.file.id, file_name: 'b.png', mime_type: 'image/png', file_size: 5000, message_id: message.id },
		]);
		expect(Buffer.from(String(items[0]?.binary?.attachment?.data), 'base64').toString()).toBe('x,y\n1,2\n');
		expect(Buffer.from(String(items[1]?.binary?.attachment?.data), 'base64').equals(bytesOf(5000, 3))).toBe(true);
	});

	it('gives no items for a message without files, and says so', async () => {
		const message = await sim.admin.postMessage({ channel: channelId, text: 'no files here' });
		const { items, hints } = await runNode(
			sim,
			download({ source: 'message', messageId: message.id, target: 'channel', channelId: byId(channelId) }),
		);
		expect(items).toEqual([]);
		expect(hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/has no files/) })]);
	});

	it('refuses a file over Max Size before downloading it, naming the field', async () => {
		const { file } = await share('big.bin', bytesOf(300_000), 'application/octet-stream');
		const error = await runNode(
			sim,
			download({ source: 'fileId', fileId: file.id, options: { maxSizeMb: 0.25 } }),
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(
			`The file with ID ${file.id} is larger than "Options → Max Size (MB)" allows (0.25 MB)`,
		);
		expect((error as NodeOperationError).description).toMatch(
			/300000 bytes.*nothing was downloaded.*Raise "Options → Max Size \(MB\)"/s,
		);

		const message = await sim.admin.postMessage({ as: BLAKE, channel: channelId, text: 'big', fileIds: [file.id] });
		const fromMessage = await runNode(
			sim,
			download({
				source: 'message',
				messageId: message.id,
				target: 'channel',
				channelId: byId(channelId),
				options: { maxSizeMb: 0.25 },
			}),
		).catch((e: unknown) => e);
		expect((fromMessage as Error).message).toBe(
			'The file "big.bin" is larger than "Options → Max Size (MB)" allows (0.25 MB)',
		);
	});

	it('refuses a Max Size that is not above 0, and goes on with the next item under Continue On Fail', async () => {
		const { file } = await share('ok.txt', Buffer.from('ok'), 'text/plain');
		const { items } = await runNode(
			sim,
			(i) => download({ source: 'fileId', fileId: file.id, options: { maxSizeMb: i === 0 ? 0 : 1 } }),
			{
				items: [{ json: {} }, { json: {} }],
				continueOnFail: true,
			},
		);
		expect(items[0]?.json.error).toBe('The parameter "Max Size (MB)" must be a number of megabytes above 0');
		expect(items[1]?.json).toMatchObject({ file_name: 'ok.txt', file_size: 2 });
	});
});

describe('trigger → Download Files', () => {
	const event = (files: IDataObject[], name = 'team_chat.file_shared') => ({
		event: name,
		event_ts: Date.now(),
		payload: {
			account_id: sim.credentials.accountId,
			operator: BLAKE,
			operator_id: 'u-blake',
			object: { type: 'to_channel', channel_id: channelId, files },
		},
	});
	const fileRef = (file: { id: string; name: string; size: number }) => ({
		file_id: file.id,
		file_name: file.name,
		file_size: file.size,
		OS_file_type: 'PDF',
	});

	async function post(body: IDataObject, options: IDataObject, authentication = 'serverToServerOAuth') {
		const rawBody = Buffer.from(JSON.stringify(body));
		const headers = {
			'content-type': 'application/json',
			...signWebhook({ secret: sim.credentials.webhookSecretToken, rawBody }),
		};
		const context = webhookContext({
			parameters: { authentication, events: [body.event as string], options },
			credentials: credentialsFor(sim),
			headers,
			rawBody,
			typeVersion: 2,
		});
		const result = await triggerNodeV2.webhook.call(context);
		return { result, response: context.response };
	}

	it('answers Zoom first, then starts the workflow with the files as binary data', async () => {
		const bytes = bytesOf(120_000, 5);
		const { file } = await share('plan.pdf', bytes, 'application/pdf');
		const { result, response } = await post(event([fileRef(file)]), { downloadFiles: true });
		expect(result.noWebhookResponse).toBe(true);
		expect(response.statusCode).toBe(200);
		const item = result.workflowData?.[0]?.[0];
		expect(item?.json.downloaded_files).toEqual([
			{
				binary_field: 'file_0',
				file_id: file.id,
				file_name: 'plan.pdf',
				mime_type: 'application/pdf',
				file_size: bytes.length,
			},
		]);
		expect(item?.json.payload).toMatchObject({ object: { files: [fileRef(file)] } });
		expect(item?.binary?.file_0).toMatchObject({ fileName: 'plan.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(String(item?.binary?.file_0?.data), 'base64').equals(bytes)).toBe(true);
	});

	it('lists a file over Max File Size as not downloaded, and still starts the workflow', async () => {
		const small = await share('small.txt', Buffer.from('small'), 'text/plain');
		const big = await share('big.bin', bytesOf(200_000), 'application/octet-stream');
		const { result } = await post(event([fileRef(big.file), fileRef(small.file)], 'team_chat.channel_message_posted'), {
			downloadFiles: true,
			maxFileSizeMb: 0.1,
		});
		const item = result.workflowData?.[0]?.[0];
		expect(item?.json.files_not_downloaded).toEqual([
			{
				file_id: big.file.id,
				file_name: 'big.bin',
				file_size: 200_000,
				reason: expect.stringMatching(/larger than the 0\.1 MB that Options → Max File Size \(MB\) allows/),
			},
		]);
		expect(Object.keys(item?.binary ?? {})).toEqual(['file_0']);
		expect(item?.json.downloaded_files).toEqual([
			expect.objectContaining({ binary_field: 'file_0', file_name: 'small.txt' }),
		]);
	});

	it('records a file Zoom no longer has instead of failing the event', async () => {
		const { result } = await post(event([{ file_id: 'gone-file', file_name: 'gone.txt', file_size: 3 }]), {
			downloadFiles: true,
		});
		const item = result.workflowData?.[0]?.[0];
		expect(item?.binary).toBeUndefined();
		expect(item?.json.files_not_downloaded).toEqual([
			expect.objectContaining({ file_id: 'gone-file', reason: expect.any(String) }),
		]);
	});

	it('leaves events alone without the option, for events without files, and with a secret-only credential', async () => {
		const { file } = await share('x.txt', Buffer.from('x'), 'text/plain');
		for (const [options, body, authentication] of [
			[{}, event([fileRef(file)]), 'serverToServerOAuth'],
			[{ downloadFiles: true }, { ...event([]), event: 'team_chat.file_shared' }, 'serverToServerOAuth'],
			[{ downloadFiles: true }, event([fileRef(file)]), 'webhookSecret'],
		] as const) {
			const { result } = await post(body, options, authentication);
			expect(result.noWebhookResponse).toBeUndefined();
			expect(result.workflowData?.[0]?.[0]?.binary).toBeUndefined();
			expect(result.workflowData?.[0]?.[0]?.json.downloaded_files).toBeUndefined();
		}
	});

	it('is offered with the credentials that can download (both versions), with a hint saying so', () => {
		for (const node of [triggerNode, triggerNodeV2]) {
			const description = node.description;
			const options = description.properties.find((p) => p.name === 'options');
			const option = (options?.options as INodeProperties[]).find((o) => o.name === 'downloadFiles');
			expect(option?.hint).toMatch(/Server-to-Server OAuth or OAuth2/);
			for (const [authentication, offered] of [
				['serverToServerOAuth', true],
				['oAuth2', true],
				['chatbot', false],
				['webhookSecret', false],
			] as const) {
				const parameters = { authentication, delivery: 'webhook', options: { downloadFiles: true } };
				const nodeData: INode = {
					id: 'n',
					name: 'T',
					type: 'x',
					typeVersion: description.version as number,
					position: [0, 0],
					parameters,
				};
				expect(
					NodeHelpers.displayParameterPath(parameters, option!, 'options', nodeData, description),
					authentication,
				).toBe(offered);
			}
		}
	});
});

describe('trigger → Download Files over the WebSocket', () => {
	let open: ITriggerResponse[] = [];
	beforeEach(() => vi.stubGlobal('WebSocket', WsWebSocket));
	afterEach(async () => {
		for (const response of open) await response.closeFunction?.();
		open = [];
		vi.unstubAllGlobals();
	});

	it('emits the event with its files once downloaded, and later events after it', async () => {
		const sub = await sim.admin.createWebSocketSubscription({
			events: ['team_chat.file_shared', 'team_chat.channel_message_posted'],
		});
		const run = triggerContext({
			parameters: {
				delivery: 'websocket',
				authentication: 'serverToServerOAuth',
				subscription: sub.endpointUrl,
				events: ['team_chat.file_shared', 'team_chat.channel_message_posted'],
				options: { downloadFiles: true },
			},
			credentials: credentialsFor(sim),
		});
		open.push(await triggerNode.trigger.call(run.context));
		const bytes = bytesOf(64_000, 9);
		const { file } = await share('over-socket.bin', bytes, 'application/octet-stream');
		await sim.admin.postMessage({ as: BLAKE, channel: channelId, text: 'after the file' });
		const started = Date.now();
		while (run.emittedItems.length < 3 && Date.now() - started < 10_000) await sleep(50);
		const events = run.emittedItems.map((items) => String(items[0]?.json.event));
		// The message that carried the file, the share, then the later message: Zoom's order.
		expect(events).toEqual([
			'team_chat.channel_message_posted',
			'team_chat.file_shared',
			'team_chat.channel_message_posted',
		]);
		for (const items of run.emittedItems.slice(0, 2)) {
			expect(items[0]?.binary?.file_0?.fileName).toBe('over-socket.bin');
			expect(Buffer.from(String(items[0]?.binary?.file_0?.data), 'base64').equals(bytes)).toBe(true);
			expect((items[0]?.json.downloaded_files as IDataObject[])[0]?.file_id).toBe(file.id);
		}
		expect(run.emittedItems[2]?.[0]?.binary).toBeUndefined();
	});
});
