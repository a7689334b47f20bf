// Acceptance of messages as people write them (issue 19) in a real n8n against the simulator:
// a version 2 node sends Markdown with a link, a list, a mention and bold, and the simulator holds
// the rich_text and at_items Zoom expects; a chatbot card from the card builder arrives as Zoom's
// JSON; a file goes into Zoom (File → Upload, File → Send) and comes back out byte for byte, by
// ID, as the files of a message, and through the trigger's Download Files option; a message sent
// with Schedule At is held by Zoom until its time, then posted once.
//
// Two file sizes: FILE_BYTES (4 MB) where File → Send is used (Zoom takes at most 20 MB there),
// and BIG_BYTES (50 MB of random bytes) for File → Upload, then File → Download by ID and the
// trigger's Download Files. n8n runs with binaries on disk (filesystem mode), where File →
// Download hands n8n the bytes as they arrive: the peak RSS growth of n8n's process during that
// download is printed and must stay well below the file's size.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { targets } from '@zoom-team-chat/testkit/n8n-install';
import { logPath, ownerSession, startN8n } from '@zoom-team-chat/testkit/n8n-host';
import { peakRssDuring } from '@zoom-team-chat/testkit/proc-mem';
import { deployCard } from '@zoom-team-chat/testkit/card-fixtures';
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
const MB = 1024 * 1024;
const BIG_BYTES = 50 * MB;
/**
 * What n8n's process may grow by while it downloads the 50 MB file. Gathered first, the whole file
 * sits in one array at once (the trigger's Download Files, which still does so, grew n8n by
 * 46-61 MB in these runs, less where a collection freed older garbage meanwhile). Streamed, the
 * growth is the 64 KB chunks V8 has not collected yet, whatever the file's size: 4-5 MB on n8n
 * 2.41 (Node 24), 21-32 MB on n8n 1.123 (Node 20, whose V8 collects Buffers' memory later).
 */
const BIG_RSS_BOUND = 0.8 * BIG_BYTES;
const BLAKE = 'blake.chen@example.com';
const CASEY = 'casey.diaz@example.com';
const PREFIX = 'CUSTOM';
/** The card-builder card, with n8n's own second field (the Node-RED runs send Service: api). */
const CARD = deployCard({ second: { label: 'Region', value: 'eu-west' } });

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

/** Serves the files n8n fetches (GET /file.bin, /big.bin) and keeps what the trigger's workflow POSTs back. */
async function startFileServer(bytes, big) {
	const received = [];
	const server = createServer((req, res) => {
		const served = req.url === '/file.bin' ? bytes : req.url === '/big.bin' ? big : undefined;
		if (req.method === 'GET' && served) {
			res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': served.length }).end(served);
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

/**
 * The bytes n8n stored for a binary kept on disk. Its ID is "<mode>:<path under n8n's binary data
 * folder>", and that folder differs between n8n 1.x and 2.x, so the path is looked up under the
 * instance's user folder.
 */
function storedBinary(userFolder, id) {
	assert(typeof id === 'string' && id.includes(':'), `binary data ID ${JSON.stringify(id)}: not kept on disk`);
	const key = id.slice(id.indexOf(':') + 1);
	const found = readdirSync(userFolder, { recursive: true }).filter(
		(p) => String(p).replaceAll('\\', '/').endsWith(key) && !String(p).endsWith('.metadata'),
	);
	assert(found.length === 1, `${found.length} files for binary ${id} under the user folder`);
	return readFileSync(join(userFolder, String(found[0])));
}

const megabytes = (n) => `${(n / MB).toFixed(1)} MB`;

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
	const big = randomBytes(BIG_BYTES);
	const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
	const files = await startFileServer(bytes, big);
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
		const bigChannel = await sim.admin.createChannel({ as: owner.email, name: 'content-big', members: [BLAKE] });
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
						cardTitle: CARD.parts.title,
						cardSubtitle: CARD.parts.subtitle,
						// An expression: the text the fixture expects ("Requested by **Blake**") once the run gives `who`.
						cardText: '=Requested by **{{ $json.body.who }}**',
						cardFields: { field: CARD.parts.fields },
						cardButtons: { button: CARD.parts.buttons },
						cardOptions: { linkUrl: CARD.parts.linkUrl, linkText: CARD.parts.linkText, divider: CARD.parts.divider },
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
		workflows.push(
			webhookWorkflow('content: schedule', 'content-schedule', [
				zoom(
					'Send later',
					[200, 0],
					{
						...fileTarget,
						resource: 'message',
						operation: 'send',
						message: '={{ $json.body.text }}',
						additionalFields: { scheduledTime: '={{ $json.body.at }}' },
					},
					s2sRef,
				),
			]),
			webhookWorkflow('content: upload 50 MB', 'content-big-upload', [
				fetchFile(`${files.base}/big.bin`),
				zoom(
					'Upload',
					[400, 0],
					{
						...fileTarget,
						resource: 'file',
						operation: 'upload',
						binaryPropertyName: 'data',
						options: { fileName: 'big.bin', postToPersonalChat: false },
					},
					s2sRef,
				),
			]),
			// Answers with the Download node's JSON: the bytes are read from n8n's binary data on
			// disk, so the measured memory is the download's, not a webhook response's.
			webhookWorkflow('content: download 50 MB by ID', 'content-big-download', [
				zoom(
					'Download',
					[200, 0],
					{
						...fileTarget,
						resource: 'file',
						operation: 'download',
						source: 'fileId',
						fileId: '={{ $json.body.fileId }}',
						binaryPropertyName: 'data',
						options: { maxSizeMb: 60 },
					},
					s2sRef,
				),
			]),
		);
		const bigTriggerWebhookId = randomUUID();
		workflows.push({
			name: 'content: trigger downloads the 50 MB file',
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
						events: ['team_chat.channel_message_posted'],
						options: {
							downloadFiles: true,
							maxFileSizeMb: 60,
							channelIds: bigChannel.id,
							// The test posts as the credential's own user.
							ignoreOwnMessages: false,
						},
					},
					{ webhookId: bigTriggerWebhookId, credentials: s2sRef },
				),
			],
			connections: {},
		});
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
						// Only the channel File → Send shares into: the 50 MB file is shared in another.
						options: { downloadFiles: true, channelIds: channel.id },
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
				for (const id of [triggerWebhookId, bigTriggerWebhookId]) {
					const url = `${n8n.base}/webhook/${id}/webhook`;
					await waitFor(
						'the trigger subscriptions',
						async () => (await sim.admin.webhooks()).some((s) => s.url === url),
						15_000,
					);
				}
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
			const want = CARD.zoom;
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

		await check(
			label('a message sent with Schedule At is held by Zoom, then posted exactly once when its time comes'),
			async () => {
				const text = `Scheduled ${randomUUID()}`;
				const at = new Date(Date.now() + 2 * 60 * 60 * 1000);
				const answer = await post(`${n8n.base}/webhook/content-schedule`, { text, at: at.toISOString() });
				const sent = JSON.parse(answer.body.toString('utf8'));
				const want = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
				assert(
					answer.status === 200 && sent.scheduled === true && sent.scheduled_time === want && sent.draft_id === sent.id,
					`answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`,
				);
				const posted = async () => (await sim.admin.channelMessages(channel.id)).filter((m) => m.text === text);
				const held = (await sim.admin.scheduledMessages()).filter((d) => d.draftId === sent.id);
				assert(
					held.length === 1 && held[0].state === 'scheduled' && Date.parse(held[0].scheduledTime) === Date.parse(want),
					`Zoom holds ${JSON.stringify(held)}`,
				);
				assert((await posted()).length === 0, 'posted before its time');
				// The simulator's clock would post it in 2 hours; running the schedule is the time coming.
				await sim.admin.runScheduled({});
				await sim.admin.runScheduled({});
				const after = await posted();
				const draft = (await sim.admin.scheduledMessages()).find((d) => d.draftId === sent.id);
				assert(after.length === 1, `${after.length} messages posted`);
				assert(draft?.state === 'sent' && draft.messageId === after[0].id, `the draft is now ${JSON.stringify(draft)}`);
				return `draft ${sent.id} → message ${after[0].id}`;
			},
		);

		let bigFileId;
		await check(label('a 50 MB random file: File → Upload puts it into Zoom byte for byte'), async () => {
			const answer = await post(`${n8n.base}/webhook/content-big-upload`, {});
			const uploaded = JSON.parse(answer.body.toString('utf8'));
			assert(
				answer.status === 200 && typeof uploaded.id === 'string',
				`answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`,
			);
			const stored = (await sim.admin.files()).find((f) => f.id === uploaded.id);
			assert(stored?.sha256 === sha256(big) && stored.size === BIG_BYTES, `Zoom holds ${JSON.stringify(stored)}`);
			bigFileId = uploaded.id;
		});

		if (bigFileId) {
			await check(
				label(
					`the 50 MB file: File → Download by ID stores it byte for byte, n8n's memory growing by under ${megabytes(BIG_RSS_BOUND)}`,
				),
				async () => {
					const measured = await peakRssDuring(n8n.pid, () =>
						post(`${n8n.base}/webhook/content-big-download`, { fileId: bigFileId }),
					);
					const answer = measured.result;
					assert(answer.status === 200, `answer ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
					const item = await nodeOutput(call, created['content: download 50 MB by ID'].id, 'Download');
					assert(
						item?.json?.file_size === BIG_BYTES && item.json.file_name === 'big.bin',
						`output ${JSON.stringify(item?.json)}`,
					);
					const kept = storedBinary(userFolder, item.binary?.data?.id);
					assert(
						kept.length === BIG_BYTES && sha256(kept) === sha256(big),
						`n8n stored ${kept.length} bytes, sha256 ${sha256(kept)}`,
					);
					const figure = `peak RSS growth ${megabytes(measured.growth)} for a ${megabytes(BIG_BYTES)} file (${measured.exact ? 'kernel high-water mark' : 'sampled'})`;
					console.log(`    n8n ${version}: File → Download by ID: ${figure}`);
					assert(measured.growth < BIG_RSS_BOUND, `${figure}: the file is held in memory, not streamed`);
					return figure;
				},
			);

			await check(label("the 50 MB file: the trigger's Download Files gives the workflow the same bytes"), async () => {
				const workflowId = created['content: trigger downloads the 50 MB file'].id;
				const measured = await peakRssDuring(n8n.pid, async () => {
					const message = await sim.admin.postMessage({
						as: owner.email,
						channel: bigChannel.id,
						text: 'the big file',
						fileIds: [bigFileId],
					});
					await waitFor(
						'the trigger execution with the file',
						async () => (await executionsOf(call, workflowId)).some((e) => e.status === 'success'),
						60_000,
					);
					return message;
				});
				const item = await nodeOutput(call, workflowId, 'Zoom Team Chat Trigger');
				const listed = item?.json?.downloaded_files?.[0];
				assert(
					listed?.file_size === BIG_BYTES && listed.file_name === 'big.bin',
					`output ${JSON.stringify(item?.json?.downloaded_files ?? item?.json?.files_not_downloaded)}`,
				);
				const kept = storedBinary(userFolder, item.binary?.file_0?.id);
				assert(
					kept.length === BIG_BYTES && sha256(kept) === sha256(big),
					`n8n stored ${kept.length} bytes, sha256 ${sha256(kept)}`,
				);
				// Reported, not bounded: the trigger's downloads are another node's to stream.
				const figure = `peak RSS growth ${megabytes(measured.growth)} while the trigger downloaded it (${measured.exact ? 'kernel high-water mark' : 'sampled'})`;
				console.log(`    n8n ${version}: trigger Download Files: ${figure}`);
				return figure;
			});
		}

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
