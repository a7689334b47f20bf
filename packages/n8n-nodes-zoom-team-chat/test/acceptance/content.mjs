// Acceptance of messages as people write them (issue 19) in a real n8n against the simulator:
// a version 2 node sends Markdown with a link, a list, a mention and bold, and the simulator holds
// the rich_text and at_items Zoom expects; a chatbot card from the card builder arrives as Zoom's
// JSON; a file goes into Zoom (File → Upload, File → Send) and comes back out byte for byte, by
// ID, as the files of a message, and through the trigger's Download Files option.
//
// The file is FILE_BYTES (4 MB), not 50 MB: the node gathers a download in memory (community
// nodes may not import `stream`, so n8n gets a Buffer), so a 50 MB file would hold 50 MB per
// download in n8n's process rather than show bounded memory.
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { targets } from '@zoom-team-chat/testkit/n8n-install';
import { logPath, ownerSession, startN8n } from '@zoom-team-chat/testkit/n8n-host';
import {
	assert,
	executionError,
	executionsOf,
	packageDir,
	packageJson,
	simulatorCredentialData,
	waitFor,
} from './harness.mjs';

const FILE_BYTES = 4 * 1024 * 1024;
const BLAKE = 'blake.chen@example.com';
const CASEY = 'casey.diaz@example.com';
const PREFIX = 'CUSTOM';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes that are not text (every byte value occurs). */
function fileBytes(length) {
	const bytes = Buffer.alloc(length);
	let x = 2463534242;
	for (let n = 0; n < length; n++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		bytes[n] = x & 0xff;
	}
	return bytes;
}

/** Serves the file n8n fetches (GET /file.bin) and keeps what the trigger's workflow POSTs back. */
async function startFileServer(bytes) {
	const received = [];
	const server = createServer((req, res) => {
		if (req.method === 'GET' && req.url === '/file.bin') {
			res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
			return;
		}
		if (req.method === 'POST' && req.url === '/received') {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks) });
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			});
			return;
		}
		res.writeHead(404).end();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}`;
	return { base, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position,
	parameters,
	...extra,
});
const zoom = (name, position, parameters, credentials, typeVersion = 2) =>
	node(name, `${PREFIX}.zoomTeamChat`, typeVersion, position, parameters, { credentials });

/** A workflow a POST to /webhook/<path> runs; n8n answers with the last node's first item (JSON or binary). */
function webhookWorkflow(name, path, chain, { binary } = {}) {
	const webhook = node(
		'Request',
		'n8n-nodes-base.webhook',
		2,
		[0, 0],
		{
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			...(binary ? { responseData: 'firstEntryBinary', responseBinaryPropertyName: binary } : {}),
			options: {},
		},
		{ webhookId: randomUUID() },
	);
	const nodes = [webhook, ...chain];
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++)
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

const fetchFile = (url) =>
	node('Fetch file', 'n8n-nodes-base.httpRequest', 4.2, [200, 0], {
		url,
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
	});

/** n8n keeps run data "flatted": every object and string sits in one array, referred to by index. */
function unflatten(text) {
	const table = JSON.parse(text);
	const done = new Map();
	const revive = (index) => {
		if (done.has(index)) return done.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') return value;
		const out = Array.isArray(value) ? [] : {};
		done.set(index, out);
		for (const [key, item] of Object.entries(value)) out[key] = typeof item === 'string' ? revive(Number(item)) : item;
		return out;
	};
	return revive(0);
}

/** The first output item of a node in the newest execution of a workflow. */
async function nodeOutput(call, workflowId, nodeName) {
	const [latest] = await executionsOf(call, workflowId);
	assert(latest, 'no execution');
	const execution = await call('GET', `/executions/${latest.id}`);
	return unflatten(execution.data)?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0]?.[0];
}

async function post(url, body) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export async function runContent({ suite, target, runDir, startSimulator }) {
	const { check } = suite;
	const version = targets[target].version;
	const label = (what) => `n8n ${version} content: ${what}`;
	const bytes = fileBytes(FILE_BYTES);
	const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
	const files = await startFileServer(bytes);
	const userFolder = join(runDir, `${target}-content`);
	rmSync(userFolder, { recursive: true, force: true });
	const customExtensions = join(userFolder, 'custom-extensions', packageJson.name);
	cpSync(join(packageDir, 'dist'), customExtensions, { recursive: true });
	const log = logPath(runDir, `${target}-content`);
	let n8n;
	try {
		const started = await check(label('n8n starts with the package'), async () => {
			n8n = await startN8n({ target, userFolder, customExtensions, log });
			return `port ${n8n.port}, log ${log}`;
		});
		if (!started) return;
		const { call } = await ownerSession(n8n.base);
		const users = await sim.admin.users();
		const owner = users.find((u) => u.role === 'owner');
		const channel = await sim.admin.createChannel({ as: owner.email, name: 'content', members: [BLAKE, CASEY] });
		const blake = users.find((u) => u.email === BLAKE);
		const s2s = await call('POST', '/credentials', {
			name: 'Zoom simulator',
			type: 'zoomTeamChatServerToServerOAuthApi',
			data: simulatorCredentialData(sim),
		});
		const bot = await call('POST', '/credentials', {
			name: 'Zoom bot',
			type: 'zoomChatbotApi',
			data: {
				clientId: sim.credentials.chatbot.clientId,
				clientSecret: sim.credentials.chatbot.clientSecret,
				botJid: sim.credentials.chatbot.botJid,
				accountId: sim.credentials.chatbot.accountId,
				webhookSecretToken: sim.credentials.webhookSecretToken,
				cloud: 'custom',
				apiBaseUrl: sim.urls.api,
				fileBaseUrl: sim.urls.file,
				oauthBaseUrl: sim.urls.oauth,
			},
		});
		const s2sRef = { zoomTeamChatServerToServerOAuthApi: { id: s2s.id, name: s2s.name } };
		const botRef = { zoomChatbotApi: { id: bot.id, name: bot.name } };
		const channelParam = { __rl: true, mode: 'id', value: channel.id };
		const fileTarget = {
			authentication: 'serverToServerOAuth',
			actAsUser: 'me',
			target: 'channel',
			channelId: channelParam,
		};

		const workflows = [
			webhookWorkflow('content: markdown', 'content-markdown', [
				// Version 2 and no Text Format set: a new node's default, Markdown.
				zoom(
					'Send',
					[200, 0],
					{
						...fileTarget,
						resource: 'message',
						operation: 'send',
						message: '={{ $json.body.text }}',
						additionalFields: {},
					},
					s2sRef,
				),
			]),
			webhookWorkflow('content: card', 'content-card', [
				zoom(
					'Send card',
					[200, 0],
					{
						authentication: 'chatbot',
						resource: 'chatbotMessage',
						operation: 'send',
						toJid: '={{ $json.body.toJid }}',
						userJid: '={{ $json.body.userJid }}',
						contentType: 'cardBuilder',
						cardTitle: 'Deploy 2.4.1?',
						cardSubtitle: 'api · production',
						cardText: '=Requested by **{{ $json.body.who }}**',
						cardFields: {
							field: [
								{ label: 'Version', value: '2.4.1', short: true },
								{ label: 'Region', value: 'eu-west', short: true },
							],
						},
						cardButtons: {
							button: [
								{ text: 'Approve', value: 'approve', style: 'Primary' },
								{ text: 'Reject', value: 'reject', style: 'Danger' },
							],
						},
						cardOptions: { linkUrl: 'https://ci.example.com/builds/42', linkText: 'Build 42', divider: true },
						options: {},
					},
					botRef,
				),
			]),
			webhookWorkflow(
				'content: upload, download by ID',
				'content-by-id',
				[
					fetchFile(`${files.base}/file.bin`),
					zoom(
						'Upload',
						[400, 0],
						{
							...fileTarget,
							resource: 'file',
							operation: 'upload',
							binaryPropertyName: 'data',
							options: { fileName: 'by-id.bin', postToPersonalChat: false },
						},
						s2sRef,
					),
					zoom(
						'Download',
						[600, 0],
						{
							...fileTarget,
							resource: 'file',
							operation: 'download',
							source: 'fileId',
							fileId: '={{ $json.id }}',
							binaryPropertyName: 'downloaded',
							options: {},
						},
						s2sRef,
					),
				],
				{ binary: 'downloaded' },
			),
			webhookWorkflow(
				'content: send, download the files of the message',
				'content-of-message',
				[
					fetchFile(`${files.base}/file.bin`),
					zoom(
						'Send file',
						[400, 0],
						{
							...fileTarget,
							resource: 'file',
							operation: 'send',
							binaryPropertyName: 'data',
							options: { fileName: 'shared.bin' },
						},
						s2sRef,
					),
					zoom(
						'Download',
						[600, 0],
						{
							...fileTarget,
							resource: 'file',
							operation: 'download',
							source: 'message',
							messageId: '={{ $json.id }}',
							binaryPropertyName: 'data',
							options: { maxSizeMb: 10 },
						},
						s2sRef,
					),
				],
				{ binary: 'data' },
			),
		];
		const triggerWebhookId = randomUUID();
		workflows.push({
			name: 'content: trigger downloads shared files',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				node(
					'Zoom Team Chat Trigger',
					`${PREFIX}.zoomTeamChatTrigger`,
					2,
					[0, 0],
					{
						authentication: 'serverToServerOAuth',
						events: ['team_chat.file_shared'],
						options: { downloadFiles: true },
					},
					{ webhookId: triggerWebhookId, credentials: s2sRef },
				),
				node('Pass the file on', 'n8n-nodes-base.httpRequest', 4.2, [250, 0], {
					method: 'POST',
					url: `${files.base}/received`,
					sendHeaders: true,
					headerParameters: {
						parameters: [{ name: 'x-file-name', value: '={{ $json.downloaded_files[0].file_name }}' }],
					},
					sendBody: true,
					contentType: 'binaryData',
					inputDataFieldName: 'file_0',
					options: {},
				}),
			],
			connections: { 'Zoom Team Chat Trigger': { main: [[{ node: 'Pass the file on', type: 'main', index: 0 }]] } },
		});

		const created = {};
		const ready = await check(
			label('the workflows import and activate; the trigger registers its subscription'),
			async () => {
				for (const wf of workflows) {
					const saved = await call('POST', '/workflows', wf);
					created[wf.name] = await call('POST', `/workflows/${saved.id}/activate`, { versionId: saved.versionId });
				}
				const url = `${n8n.base}/webhook/${triggerWebhookId}/webhook`;
				await waitFor(
					'the trigger subscription',
					async () => (await sim.admin.webhooks()).some((s) => s.url === url),
					15_000,
				);
			},
		);
		if (!ready) return;
		// n8n 2.x finishes registering webhooks shortly after answering.
		await new Promise((resolve) => setTimeout(resolve, 1000));

		await check(
			label('Markdown with bold, a link, a list and a mention: Zoom gets the rich_text and at_items'),
			async () => {
				const text =
					'**Release 2.4** is out: see [the notes](https://example.com/notes)\n- faster search\n- dark mode\n@casey.diaz@example.com please verify';
				const answer = await post(`${n8n.base}/webhook/content-markdown`, { text });
				const sent = JSON.parse(answer.body.toString('utf8'));
				assert(
					answer.status === 200 && typeof sent.id === 'string',
					`answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`,
				);
				const message = await sim.admin.message(sent.id);
				assert(
					message.text === 'Release 2.4 is out: see the notes\nfaster search\ndark mode\n@Casey Diaz please verify',
					`text ${JSON.stringify(message.text)}`,
				);
				const slice = (r) => message.text.slice(r.start_position, r.end_position + 1);
				const formats = (message.richText ?? []).map((r) => [r.format_type, slice(r), r.format_attr ?? null]);
				const want = [
					['Bold', 'Release 2.4', null],
					['AddLink', 'the notes', 'https://example.com/notes'],
					['BulletedList', 'faster search\ndark mode', null],
				];
				assert(JSON.stringify(formats) === JSON.stringify(want), `rich_text ${JSON.stringify(message.richText)}`);
				const mentions = (message.atItems ?? []).map((a) => [a.at_type, a.at_contact, slice(a)]);
				assert(
					JSON.stringify(mentions) === JSON.stringify([[1, CASEY, '@Casey Diaz']]),
					`at_items ${JSON.stringify(message.atItems)}`,
				);
				return JSON.stringify({ rich_text: message.richText, at_items: message.atItems });
			},
		);

		await check(label('a card from the card builder arrives as the JSON Zoom expects'), async () => {
			const before = (await sim.admin.botMessages()).length;
			const answer = await post(`${n8n.base}/webhook/content-card`, {
				toJid: channel.jid,
				userJid: blake.jid,
				who: 'Blake',
			});
			assert(answer.status === 200, `answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
			const sent = (await sim.admin.botMessages()).slice(before);
			assert(sent.length === 1, `${sent.length} bot messages`);
			const want = {
				head: { text: 'Deploy 2.4.1?', sub_head: { text: 'api · production' } },
				body: [
					{ type: 'message', text: 'Requested by **Blake**', is_markdown_support: true },
					{ type: 'divider' },
					{
						type: 'fields',
						items: [
							{ key: 'Version', value: '2.4.1', short: true },
							{ key: 'Region', value: 'eu-west', short: true },
						],
					},
					{ type: 'message', text: 'Build 42', link: 'https://ci.example.com/builds/42' },
					{
						type: 'actions',
						items: [
							{ text: 'Approve', value: 'approve', style: 'Primary' },
							{ text: 'Reject', value: 'reject', style: 'Danger' },
						],
					},
				],
			};
			assert(JSON.stringify(sent[0].content) === JSON.stringify(want), `content ${JSON.stringify(sent[0].content)}`);
		});

		const mb = `${(FILE_BYTES / 1024 / 1024).toFixed(0)} MB`;
		await check(
			label(`a ${mb} file: File → Upload, then File → Download by ID gives it back byte for byte, with its name`),
			async () => {
				const answer = await post(`${n8n.base}/webhook/content-by-id`, {});
				assert(answer.status === 200, `answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
				assert(
					answer.body.length === bytes.length && sha256(answer.body) === sha256(bytes),
					`got ${answer.body.length} bytes, sha256 ${sha256(answer.body)}`,
				);
				const stored = (await sim.admin.files()).find((f) => f.name === 'by-id.bin');
				assert(stored?.sha256 === sha256(bytes), `Zoom holds ${JSON.stringify(stored)}`);
				const item = await nodeOutput(call, created['content: upload, download by ID'].id, 'Download');
				const binary = item?.binary?.downloaded;
				assert(
					item?.json?.file_name === 'by-id.bin' && binary?.fileName === 'by-id.bin',
					`output ${JSON.stringify(item?.json)} ${JSON.stringify(binary)}`,
				);
				assert(
					binary?.mimeType === 'application/octet-stream' && item.json.file_size === bytes.length,
					`output ${JSON.stringify(item?.json)} ${JSON.stringify(binary)}`,
				);
			},
		);

		await check(
			label(`a ${mb} file: File → Send, then File → Download of the message's files gives it back byte for byte`),
			async () => {
				const answer = await post(`${n8n.base}/webhook/content-of-message`, {});
				assert(answer.status === 200, `answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
				assert(
					answer.body.length === bytes.length && sha256(answer.body) === sha256(bytes),
					`got ${answer.body.length} bytes`,
				);
				const item = await nodeOutput(call, created['content: send, download the files of the message'].id, 'Download');
				assert(
					item?.json?.file_name === 'shared.bin' && item?.binary?.data?.fileName === 'shared.bin',
					`output ${JSON.stringify(item?.json)}`,
				);
			},
		);

		await check(
			label("the file shared by File → Send reaches the trigger's Download Files as binary, byte for byte"),
			async () => {
				const got = await waitFor(
					'the file posted on by the trigger workflow',
					async () => files.received.find((r) => r.headers['x-file-name'] === 'shared.bin'),
					30_000,
				);
				assert(got.body.length === bytes.length && sha256(got.body) === sha256(bytes), `got ${got.body.length} bytes`);
			},
		);

		await check(label('no execution failed'), async () => {
			const failed = [];
			for (const wf of Object.values(created)) {
				for (const execution of await executionsOf(call, wf.id)) {
					if (execution.status !== 'success')
						failed.push(
							`${wf.name} #${execution.id}: ${execution.status}: ${await executionError(call, execution.id)}`,
						);
				}
			}
			assert(failed.length === 0, failed.join('; '));
		});
	} finally {
		await n8n?.stop();
		await files.close();
		await sim.close();
	}
}
