// Acceptance of "Send and Wait for Response" (human in the loop) in a real n8n against the
// simulator. Webhook-started workflows ask a question in a channel (approval) and in a DM (custom
// form): the run waits; the link is read from the message in the simulator; a GET shows the page
// and resumes nothing; the form's POST resumes with the answer and the message is edited; a second
// answer changes nothing. A question with a 1-minute limit times out: its input, with timedOut. A
// chatbot card's button, clicked in the simulator, reaches the Zoom Team Chat Trigger, which
// forwards it to the waiting execution (no execution of its own); forged clicks, and clicks by
// someone not among the card's Approvers, change nothing.
// Two chained workflows fill the rest of the matrix (each response type in a channel and in a DM,
// as the user and as the chatbot): each question is built from the answer before it, so every
// answer is seen to carry the run on; a link to a question the run has moved past changes nothing.
import { randomUUID } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

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

const PREFIX = 'CUSTOM';
const ASK = 'Ask';
/** n8n's WaitTracker looks for due executions once a minute, so a 1-minute limit fires within about 2. */
const TIMEOUT_WAIT_MS = 200_000;

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

/** The items a node (the "Ask" node by default) output in an execution. */
async function askOutput(call, executionId, node = ASK) {
	const execution = await call('GET', `/executions/${executionId}`);
	const data = unflatten(execution.data);
	const runs = data?.resultData?.runData?.[node] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[0] ?? []).map((item) => item.json);
}

function webhookNode(path) {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/** Webhook → Zoom Team Chat "Send and Wait for Response" with `parameters`. */
function askWorkflow({ name, path, credential, credentialType, parameters }) {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: ASK, type: 'main', index: 0 }]] } },
		nodes: [
			webhookNode(path),
			{
				id: randomUUID(),
				name: ASK,
				type: `${PREFIX}.zoomTeamChat`,
				typeVersion: 2,
				position: [250, 0],
				webhookId: randomUUID(),
				credentials: { [credentialType]: { id: credential.id, name: credential.name } },
				parameters: { operation: 'sendAndWait', ...parameters },
			},
		],
	};
}

/** Webhook → several Send and Wait nodes in a row (`steps`: { name, parameters }), one credential. */
function chainWorkflow({ name, path, credential, credentialType, steps }) {
	const connections = {};
	let previous = 'Webhook';
	for (const step of steps) {
		connections[previous] = { main: [[{ node: step.name, type: 'main', index: 0 }]] };
		previous = step.name;
	}
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections,
		nodes: [
			webhookNode(path),
			...steps.map((step, index) => ({
				id: randomUUID(),
				name: step.name,
				type: `${PREFIX}.zoomTeamChat`,
				typeVersion: 2,
				position: [250 * (index + 1), 0],
				webhookId: randomUUID(),
				credentials: { [credentialType]: { id: credential.id, name: credential.name } },
				parameters: { operation: 'sendAndWait', ...step.parameters },
			})),
		],
	};
}

function chatbotTriggerWorkflow({ credential }) {
	return {
		name: 'Chatbot clicks',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: 'Zoom Team Chat Trigger',
				type: `${PREFIX}.zoomTeamChatTrigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				credentials: { zoomChatbotApi: { id: credential.id, name: credential.name } },
				parameters: {
					authentication: 'chatbot',
					delivery: 'webhook',
					subscriptionSetup: 'manual',
					events: ['interactive_message_actions'],
					options: {},
				},
			},
		],
	};
}

function linkIn(text) {
	const match = /(https?:\/\/\S+)/.exec(text ?? '');
	if (!match) throw new Error(`no link in ${JSON.stringify(text)}`);
	return match[1];
}

/** What a browser sends for the page's form (multipart, as the form asks). */
async function postForm(url, fields) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	const res = await fetch(url, { method: 'POST', body: form });
	return { status: res.status, text: await res.text(), headers: res.headers };
}

export async function runApprovals({ suite, target, runDir, startSimulator }) {
	const { check } = suite;
	const version = targets[target].version;
	const label = (what) => `n8n ${version} approvals: ${what}`;
	const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
	let n8n;
	try {
		const userFolder = join(runDir, `${target}-approvals`);
		rmSync(userFolder, { recursive: true, force: true });
		const customExtensions = join(userFolder, 'custom-extensions', packageJson.name);
		cpSync(join(packageDir, 'dist'), customExtensions, { recursive: true });
		const log = logPath(runDir, `${target}-approvals`);
		const started = await check(label('n8n starts with the package'), async () => {
			n8n = await startN8n({ target, userFolder, customExtensions, log });
			return `port ${n8n.port}, log ${log}`;
		});
		if (!started) return;
		const { call, getJson } = await ownerSession(n8n.base);

		await check(label('the action node offers Send and Wait for Response under Human in the Loop'), async () => {
			const types = await getJson('/types/nodes.json');
			const node = types.find((t) => t.name === `${PREFIX}.zoomTeamChat`);
			const operations = node.properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) => p.options.map((o) => o.value));
			assert(operations.filter((v) => v === 'sendAndWait').length === 2, `operations ${operations.join(', ')}`);
			assert(node.webhooks?.length === 2, `${node.webhooks?.length} webhooks`);
			const categories = node.codex?.categories ?? [];
			assert(categories.includes('HITL'), `codex categories ${JSON.stringify(categories)}`);
			const hitlTool = types.some((t) => t.name === `${PREFIX}.zoomTeamChatHitlTool`);
			return `codex ${JSON.stringify(node.codex?.subcategories ?? {})}; n8n ${hitlTool ? 'also generated' : 'generated no'} zoomTeamChatHitlTool`;
		});

		const users = await sim.admin.users();
		const owner = users.find((u) => u.role === 'owner');
		const blake = users.find((u) => u.email.startsWith('blake'));
		const general = (await sim.admin.channels()).find((c) => c.name === 'general');
		const s2s = await call('POST', '/credentials', {
			name: 'Zoom simulator',
			type: 'zoomTeamChatServerToServerOAuthApi',
			data: simulatorCredentialData(sim),
		});
		const bot = await call('POST', '/credentials', {
			name: 'Zoom chatbot',
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
		const common = { authentication: 'serverToServerOAuth', resource: 'message', actAsUser: 'me' };
		const definitions = {
			channel: askWorkflow({
				name: 'Approve in a channel',
				path: 'approve-in-channel',
				credential: s2s,
				credentialType: 'zoomTeamChatServerToServerOAuthApi',
				parameters: {
					...common,
					target: 'channel',
					channelId: { __rl: true, mode: 'id', value: general.id },
					message: '=Approve the budget of {{ $json.body.team }}?',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' } },
					options: {},
				},
			}),
			dm: askWorkflow({
				name: 'Form in a DM',
				path: 'form-in-dm',
				credential: s2s,
				credentialType: 'zoomTeamChatServerToServerOAuthApi',
				parameters: {
					...common,
					target: 'contact',
					contactId: { __rl: true, mode: 'email', value: blake.email },
					message: 'Your expense details, please',
					responseType: 'customForm',
					defineForm: 'fields',
					formFields: {
						values: [
							{ fieldLabel: 'Cost center', fieldType: 'text', requiredField: true },
							{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
							{
								fieldLabel: 'Priority',
								fieldType: 'dropdown',
								fieldOptions: { values: [{ option: 'Low' }, { option: 'High' }] },
							},
						],
					},
					options: { appendAttribution: false },
				},
			}),
			timeout: askWorkflow({
				name: 'Times out',
				path: 'times-out',
				credential: s2s,
				credentialType: 'zoomTeamChatServerToServerOAuthApi',
				parameters: {
					...common,
					target: 'channel',
					channelId: { __rl: true, mode: 'id', value: general.id },
					message: 'Nobody will answer this',
					responseType: 'freeText',
					options: {
						limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'minutes' } },
					},
				},
			}),
			card: askWorkflow({
				name: 'Chatbot card',
				path: 'chatbot-card',
				credential: bot,
				credentialType: 'zoomChatbotApi',
				parameters: {
					authentication: 'chatbot',
					resource: 'chatbotMessage',
					toJid: general.jid,
					userJid: owner.jid,
					message: 'Deploy to production?',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double' } },
					options: { title: 'Deploy gate', approvers: blake.id },
				},
			}),
			matrix: chainWorkflow({
				name: 'Every answer as the user',
				path: 'matrix-as-user',
				credential: s2s,
				credentialType: 'zoomTeamChatServerToServerOAuthApi',
				steps: [
					{
						name: 'Approve in DM',
						parameters: {
							...common,
							target: 'contact',
							contactId: { __rl: true, mode: 'email', value: blake.email },
							message: '=Approve the trip of {{ $json.body.who }} to Lisbon?',
							responseType: 'approval',
							approvalOptions: { values: { approvalType: 'double' } },
							options: { title: 'Travel' },
						},
					},
					{
						name: 'Why in channel',
						parameters: {
							...common,
							target: 'channel',
							channelId: { __rl: true, mode: 'id', value: general.id },
							message: "={{ $json.approved ? 'Approved' : 'Declined' }}: the trip to Lisbon. Why?",
							responseType: 'freeText',
							options: { messageButtonLabel: 'Explain' },
						},
					},
					{
						name: 'Text in DM',
						parameters: {
							...common,
							target: 'contact',
							contactId: { __rl: true, mode: 'email', value: blake.email },
							message: '=Noted ({{ $json.text.length }} characters). Anything to add, Blake?',
							responseType: 'freeText',
							options: { appendAttribution: false },
						},
					},
					{
						name: 'Form in channel',
						parameters: {
							...common,
							target: 'channel',
							channelId: { __rl: true, mode: 'id', value: general.id },
							message: '=Last step after "{{ $json.text }}": your details',
							responseType: 'customForm',
							defineForm: 'json',
							jsonOutput: JSON.stringify([
								{ fieldLabel: 'Email', fieldType: 'email', requiredField: true },
								{ fieldLabel: 'Nights', fieldType: 'number' },
								{ fieldLabel: 'Notes', fieldType: 'textarea' },
							]),
							options: {},
						},
					},
				],
			}),
			botMatrix: chainWorkflow({
				name: 'Every answer as the chatbot',
				path: 'matrix-as-bot',
				credential: bot,
				credentialType: 'zoomChatbotApi',
				steps: [
					{
						name: 'Bot approve in DM',
						parameters: {
							authentication: 'chatbot',
							resource: 'chatbotMessage',
							toJid: blake.jid,
							userJid: blake.jid,
							message: 'Ship the hotfix, Blake?',
							responseType: 'approval',
							approvalOptions: { values: { approvalType: 'single', approveLabel: 'Ship it' } },
							options: { title: 'Hotfix' },
						},
					},
					{
						name: 'Bot text in channel',
						parameters: {
							authentication: 'chatbot',
							resource: 'chatbotMessage',
							toJid: general.jid,
							userJid: owner.jid,
							message: '=Shipped by {{ $json.respondedBy.userName }}. Release notes?',
							responseType: 'freeText',
							options: { title: 'Release notes' },
						},
					},
					{
						name: 'Bot form in DM',
						parameters: {
							authentication: 'chatbot',
							resource: 'chatbotMessage',
							toJid: blake.jid,
							userJid: blake.jid,
							message: '=Notes taken ({{ $json.text }}). Rate the release:',
							responseType: 'customForm',
							defineForm: 'fields',
							formFields: {
								values: [
									{ fieldLabel: 'Version', fieldType: 'text', requiredField: true },
									{
										fieldLabel: 'Risk',
										fieldType: 'dropdown',
										fieldOptions: { values: [{ option: 'Low' }, { option: 'High' }] },
									},
								],
							},
							options: { title: 'Release form', appendAttribution: false },
						},
					},
					{
						name: 'Bot text in DM',
						parameters: {
							authentication: 'chatbot',
							resource: 'chatbotMessage',
							toJid: blake.jid,
							userJid: blake.jid,
							message: '=Risk {{ $json.fields.Risk }}. Anything for the changelog?',
							responseType: 'freeText',
							options: { title: 'Changelog' },
						},
					},
					{
						name: 'Bot form in channel',
						parameters: {
							authentication: 'chatbot',
							resource: 'chatbotMessage',
							toJid: general.jid,
							userJid: owner.jid,
							message: '=Changelog: {{ $json.text }}. Who signs off?',
							responseType: 'customForm',
							defineForm: 'json',
							jsonOutput: JSON.stringify([
								{ fieldLabel: 'Name', requiredField: true },
								{ fieldLabel: 'Hours spent', fieldType: 'number' },
							]),
							options: { title: 'Sign-off' },
						},
					},
				],
			}),
			trigger: chatbotTriggerWorkflow({ credential: bot }),
		};
		const workflows = {};
		const ready = await check(label('the workflows import and activate'), async () => {
			for (const [key, definition] of Object.entries(definitions)) {
				const created = await call('POST', '/workflows', definition);
				await call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
				workflows[key] = created;
			}
			await delay(1500);
			const trigger = workflows.trigger.nodes[0];
			await sim.admin.subscribe({
				url: `${n8n.base}/webhook/${trigger.webhookId}/webhook`,
				events: ['interactive_message_actions'],
				secretToken: sim.credentials.webhookSecretToken,
			});
		});
		if (!ready) return;
		const triggerUrl = `${n8n.base}/webhook/${workflows.trigger.nodes[0].webhookId}/webhook`;

		const start = async (key, path, body = {}) => {
			const res = await fetch(`${n8n.base}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			assert(res.status === 200, `the webhook answered ${res.status}`);
			return await waitFor(`a waiting execution of ${key}`, async () => {
				const list = await executionsOf(call, workflows[key].id);
				if (list.some((e) => e.status === 'error'))
					throw new Error(await executionError(call, list.find((e) => e.status === 'error').id));
				return list.find((e) => e.status === 'waiting');
			});
		};
		const statusOf = async (key, id) => (await executionsOf(call, workflows[key].id)).find((e) => e.id === id)?.status;
		const finished = async (key, id) =>
			await waitFor(
				`execution ${id} to finish`,
				async () => {
					const status = await statusOf(key, id);
					if (status === 'error' || status === 'crashed')
						throw new Error(`execution ${status}: ${await executionError(call, id)}`);
					return status === 'success';
				},
				60_000,
			);

		/** The run has answered everything before `node` and now waits there. */
		const waitingAt = async (id, node) =>
			await waitFor(`execution ${id} to wait at ${node}`, async () => {
				const execution = await call('GET', `/executions/${id}`);
				if (execution.status === 'error' || execution.status === 'crashed')
					throw new Error(`execution ${execution.status}: ${await executionError(call, id)}`);
				return execution.status === 'waiting' && unflatten(execution.data)?.resultData?.lastNodeExecuted === node;
			});
		const dmQuestion = async (start) =>
			await waitFor(`the question "${start}" in the DM`, async () =>
				(await sim.admin.directMessages(owner.email, blake.email)).find(
					(m) => m.text.startsWith(start) && m.text.includes('/webhook-waiting/'),
				),
			);
		const channelQuestion = async (start) =>
			await waitFor(`the question "${start}" in the channel`, async () =>
				(await sim.admin.channelMessages(general.id)).find(
					(m) => m.text.startsWith(start) && m.text.includes('/webhook-waiting/'),
				),
			);
		const botCard = async (title) =>
			await waitFor(`the card "${title}"`, async () =>
				(await sim.admin.botMessages()).find(
					(m) => m.content?.head?.text === title && JSON.stringify(m.content).includes('/webhook-waiting/'),
				),
			);
		const botContent = async (id) => (await sim.admin.botMessages()).find((m) => m.id === id)?.content;
		/** The answer-page link of a card (a message item with a link). */
		const cardLink = (content) => content.body.find((b) => b.type === 'message' && b.link)?.link;

		// Started first: n8n's WaitTracker takes one to two minutes to time it out, the rest runs meanwhile.
		let timeoutRun;
		await check(label('a question with a 1-minute limit waits'), async () => {
			timeoutRun = await start('timeout', 'times-out', { ticket: 7 });
		});

		await check(label('channel: the question is posted with a signed link and the run waits'), async () => {
			const run = await start('channel', 'approve-in-channel', { team: 'Platform' });
			const message = await waitFor('the question in the channel', async () =>
				(await sim.admin.channelMessages(general.id)).find(
					(m) => m.text.startsWith('Approve the budget of Platform?') && m.text.includes('/webhook-waiting/'),
				),
			);
			const url = linkIn(message.text);
			assert(
				url.startsWith(`${n8n.base}/webhook-waiting/${run.id}/`) && /[?&]signature=[0-9a-f]{64}/.test(url),
				`link ${url}`,
			);
			assert(message.sender === owner.email, `sent by ${message.sender}`);
			Object.assign(definitions.channel, { run, message, url });
			return url.replace(/signature=[0-9a-f]+/, 'signature=…');
		});

		await check(label('channel: GET (a person or a link preview) shows the page and resumes nothing'), async () => {
			const { run, url, message } = definitions.channel;
			for (const agent of [
				'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
				'Slackbot-LinkExpanding 1.0',
				'Zoom',
			]) {
				const res = await fetch(url, { headers: { 'user-agent': agent } });
				const html = await res.text();
				assert(res.status === 200, `GET answered ${res.status}`);
				assert(
					html.includes('Approve the budget of Platform?') && html.includes('name="decision" value="decline"'),
					`page ${html.slice(0, 300)}`,
				);
				assert(
					/default-src 'none'/.test(res.headers.get('content-security-policy') ?? ''),
					`CSP ${res.headers.get('content-security-policy')}`,
				);
			}
			// Some previewers probe with HEAD first.
			const head = await fetch(url, { method: 'HEAD', headers: { 'user-agent': 'facebookexternalhit/1.1' } });
			await delay(1500);
			assert((await statusOf('channel', run.id)) === 'waiting', 'the execution did not keep waiting');
			assert((await sim.admin.message(message.id)).text === message.text, 'the message changed');
			return `3 GETs: 200 with the page; HEAD: ${head.status}`;
		});

		await check(label('channel: a URL with a changed query gets 401 and resumes nothing'), async () => {
			const { run, url } = definitions.channel;
			const tampered = url.replace(/([?&]zs=)([^&]+)/, (_m, key, value) => `${key}${value.slice(0, -2)}AA`);
			const res = await postForm(tampered, { decision: 'approve' });
			assert(res.status === 401, `answered ${res.status}`);
			await delay(500);
			assert((await statusOf('channel', run.id)) === 'waiting', 'the execution resumed');
		});

		await check(
			label('channel: the form POST resumes with { approved: true } and the message shows the outcome'),
			async () => {
				const { run, url, message } = definitions.channel;
				const res = await postForm(url, { decision: 'approve' });
				assert(
					res.status === 200 && res.text.includes('✅ Approved at'),
					`answered ${res.status}: ${res.text.slice(0, 300)}`,
				);
				await finished('channel', run.id);
				const [json] = await askOutput(call, run.id);
				assert(
					json?.approved === true &&
						json.timedOut === false &&
						json.messageId === message.id &&
						!Number.isNaN(Date.parse(json.respondedAt)),
					`output ${JSON.stringify(json)}`,
				);
				const edited = await sim.admin.message(message.id);
				assert(
					/^Approve the budget of Platform\?\n\n✅ Approved at \d\d:\d\d UTC on \d{4}-\d\d-\d\d$/.test(edited.text),
					`message ${JSON.stringify(edited.text)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(label("channel: a second answer gets n8n's own page and changes nothing"), async () => {
			const { run, url, message } = definitions.channel;
			const before = (await sim.admin.message(message.id)).text;
			const res = await postForm(url, { decision: 'decline' });
			assert(
				!res.text.includes('Approved at') && !res.text.includes('Declined'),
				`answered ${res.status}: ${res.text.slice(0, 200)}`,
			);
			await delay(1000);
			const list = await executionsOf(call, workflows.channel.id);
			assert(
				list.length === 1 && list[0].status === 'success',
				`executions ${JSON.stringify(list.map((e) => e.status))}`,
			);
			const [json] = await askOutput(call, run.id);
			assert(json.approved === true, 'the output changed');
			assert((await sim.admin.message(message.id)).text === before, 'the message changed');
			return `HTTP ${res.status}`;
		});

		await check(label('DM: a custom form, checked on POST; the valid one resumes with { fields }'), async () => {
			const run = await start('dm', 'form-in-dm');
			const message = await waitFor('the question in the DM', async () =>
				(await sim.admin.directMessages(owner.email, blake.email)).find((m) => m.text.includes('/webhook-waiting/')),
			);
			const url = linkIn(message.text);
			const page = await (await fetch(url)).text();
			assert(
				page.includes('Cost center') && page.includes('type="number"') && page.includes('<option value="High">'),
				`page ${page.slice(0, 300)}`,
			);
			const bad = await postForm(url, { 'field-0': '', 'field-1': 'lots' });
			assert(
				bad.status === 400 && bad.text.includes('This field is required.') && bad.text.includes('Enter a number.'),
				`invalid form answered ${bad.status}`,
			);
			await delay(1000);
			assert((await statusOf('dm', run.id)) === 'waiting', 'an invalid form resumed the execution');
			const good = await postForm(url, { 'field-0': 'CC-7', 'field-1': '12.5', 'field-2': 'High' });
			assert(good.status === 200, `answered ${good.status}`);
			await finished('dm', run.id);
			const [json] = await askOutput(call, run.id);
			assert(
				JSON.stringify(json.fields) === JSON.stringify({ 'Cost center': 'CC-7', Amount: 12.5, Priority: 'High' }) &&
					json.timedOut === false,
				`output ${JSON.stringify(json)}`,
			);
			const edited = await sim.admin.message(message.id);
			assert(
				edited.text.includes('💬 Answered at') &&
					edited.text.includes('Cost center: CC-7') &&
					!edited.text.includes('http'),
				`message ${JSON.stringify(edited.text)}`,
			);
			return JSON.stringify(json);
		});

		const matrix = {};
		await check(
			label('DM: approval, declined on the page; the run goes on with { approved: false }; the DM shows it'),
			async () => {
				matrix.run = await start('matrix', 'matrix-as-user', { who: 'Robin' });
				const message = await dmQuestion('Approve the trip of Robin to Lisbon?');
				assert(message.sender === owner.email, `sent by ${message.sender}`);
				matrix.approveUrl = linkIn(message.text);
				matrix.approveMessage = message;
				const page = await (await fetch(matrix.approveUrl)).text();
				assert(page.includes('name="decision" value="decline"'), `page ${page.slice(0, 300)}`);
				const res = await postForm(matrix.approveUrl, { decision: 'decline' });
				assert(res.status === 200 && res.text.includes('❌ Declined at'), `answered ${res.status}`);
				await waitingAt(matrix.run.id, 'Why in channel');
				const [json] = await askOutput(call, matrix.run.id, 'Approve in DM');
				assert(
					json?.approved === false && json.timedOut === false && json.messageId === message.id,
					`output ${JSON.stringify(json)}`,
				);
				const edited = await sim.admin.message(message.id);
				assert(
					/^Approve the trip of Robin to Lisbon\?\n\n❌ Declined at \d\d:\d\d UTC on \d{4}-\d\d-\d\d$/.test(
						edited.text,
					),
					`message ${JSON.stringify(edited.text)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(
			label('DM: answering again, once the run has moved on to the next question, changes nothing'),
			async () => {
				const res = await postForm(matrix.approveUrl, { decision: 'approve' });
				assert(
					!res.text.includes('Approved at') && !res.text.includes('Answered at'),
					`answered ${res.status}: ${res.text.slice(0, 200)}`,
				);
				await delay(1000);
				await waitingAt(matrix.run.id, 'Why in channel');
				const [json] = await askOutput(call, matrix.run.id, 'Approve in DM');
				assert(json?.approved === false, `output ${JSON.stringify(json)}`);
				assert((await sim.admin.message(matrix.approveMessage.id)).text.includes('❌ Declined at'), 'the DM changed');
				return `HTTP ${res.status}`;
			},
		);

		await check(
			label('channel: free text, asked from the previous answer; resumes with { text }; the message shows it'),
			async () => {
				const message = await channelQuestion('Declined: the trip to Lisbon. Why?');
				assert(message.text.includes('👉 Explain: '), `message ${JSON.stringify(message.text)}`);
				const url = linkIn(message.text);
				const page = await (await fetch(url)).text();
				assert(page.includes('<textarea id="field-0"'), `page ${page.slice(0, 300)}`);
				const empty = await postForm(url, { 'field-0': '  ' });
				assert(empty.status === 400 && empty.text.includes('Write an answer.'), `empty answer: ${empty.status}`);
				const answer = 'Budget is frozen\nuntil Q3';
				const res = await postForm(url, { 'field-0': answer });
				assert(res.status === 200 && res.text.includes('💬 Answered at'), `answered ${res.status}`);
				await waitingAt(matrix.run.id, 'Text in DM');
				const [json] = await askOutput(call, matrix.run.id, 'Why in channel');
				assert(json?.text === answer && json.messageId === message.id, `output ${JSON.stringify(json)}`);
				const edited = (await sim.admin.message(message.id)).text;
				assert(
					edited.includes('💬 Answered at') && edited.endsWith(`:\n${answer}`) && !edited.includes('http'),
					`message ${JSON.stringify(edited)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(label('DM: free text resumes with { text }; the DM shows it'), async () => {
			const message = await dmQuestion('Noted (25 characters). Anything to add, Blake?');
			const url = linkIn(message.text);
			const res = await postForm(url, { 'field-0': 'Book the 9:40 train' });
			assert(res.status === 200, `answered ${res.status}`);
			await waitingAt(matrix.run.id, 'Form in channel');
			const [json] = await askOutput(call, matrix.run.id, 'Text in DM');
			assert(json?.text === 'Book the 9:40 train' && json.messageId === message.id, `output ${JSON.stringify(json)}`);
			const edited = (await sim.admin.message(message.id)).text;
			assert(
				edited.includes('💬 Answered at') && edited.endsWith(':\nBook the 9:40 train') && !edited.includes('http'),
				`message ${JSON.stringify(edited)}`,
			);
			return JSON.stringify(json);
		});

		await check(
			label('channel: a custom form (JSON fields), checked on POST; resumes with { fields }; the run finishes'),
			async () => {
				const message = await channelQuestion('Last step after "Book the 9:40 train": your details');
				const url = linkIn(message.text);
				const bad = await postForm(url, { 'field-0': 'not-an-email', 'field-1': '2' });
				assert(bad.status === 400 && bad.text.includes('Enter an email address.'), `invalid form: ${bad.status}`);
				const res = await postForm(url, { 'field-0': 'blake@example.com', 'field-1': '2', 'field-2': '' });
				assert(res.status === 200, `answered ${res.status}`);
				await finished('matrix', matrix.run.id);
				const [json] = await askOutput(call, matrix.run.id, 'Form in channel');
				assert(
					JSON.stringify(json?.fields) === JSON.stringify({ Email: 'blake@example.com', Nights: 2, Notes: '' }) &&
						json.messageId === message.id,
					`output ${JSON.stringify(json)}`,
				);
				const edited = (await sim.admin.message(message.id)).text;
				assert(
					edited.includes('💬 Answered at') &&
						edited.includes('Email: blake@example.com\nNights: 2\nNotes: –') &&
						!edited.includes('/webhook-waiting/'),
					`message ${JSON.stringify(edited)}`,
				);
				return JSON.stringify(json);
			},
		);

		const card = {};
		await check(
			label('chatbot: the card has Approve/Decline buttons carrying signed resume URLs, no page link (Approvers set)'),
			async () => {
				card.run = await start('card', 'chatbot-card');
				card.message = await waitFor('the card', async () =>
					(await sim.admin.botMessages()).find(
						(m) => m.content?.head?.text === 'Deploy gate' && JSON.stringify(m.content).includes('"actions"'),
					),
				);
				const actions = card.message.content.body.find((b) => b.type === 'actions').items;
				card.approve = actions[0].value;
				assert(
					actions.length === 2 && card.approve.startsWith(`${n8n.base}/webhook-waiting/${card.run.id}/`),
					`buttons ${JSON.stringify(actions)}`,
				);
				// With Approvers, a browser page could not tell who answers: the card links none.
				assert(cardLink(card.message.content) === undefined, `card ${JSON.stringify(card.message.content)}`);
				const page = await fetch(card.approve);
				const html = await page.text();
				assert(page.status === 200 && html.includes('only the approvers'), `GET answered ${page.status}`);
				const posted = await postForm(card.approve, { decision: 'approve' });
				assert(posted.status === 403, `a page POST answered ${posted.status}`);
				return `button values of ${actions.map((a) => a.value.length).join(' and ')} characters`;
			},
		);

		await check(
			label('chatbot: a forged click (bad signature) to the trigger gets 401 and changes nothing'),
			async () => {
				const body = JSON.stringify({
					event: 'interactive_message_actions',
					event_ts: Date.now(),
					payload: {
						accountId: sim.credentials.chatbot.accountId,
						robotJid: sim.credentials.chatbot.botJid,
						messageId: card.message.id,
						userId: blake.id,
						userJid: blake.jid,
						userName: 'Mallory',
						toJid: general.jid,
						actionItem: { text: 'Approve', value: card.approve },
					},
				});
				const res = await fetch(triggerUrl, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)),
						'x-zm-signature': `v0=${'0'.repeat(64)}`,
					},
					body,
				});
				assert(res.status === 401, `the trigger answered ${res.status}`);
				// The same, posted straight to the resume URL as if the trigger had forwarded it.
				const direct = await fetch(card.approve, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						zoomTeamChatClick: {
							body,
							signature: `v0=${'0'.repeat(64)}`,
							timestamp: String(Math.floor(Date.now() / 1000)),
						},
					}),
				});
				assert(direct.status === 401, `the resume URL answered ${direct.status}`);
				await delay(1000);
				assert((await statusOf('card', card.run.id)) === 'waiting', 'the execution resumed');
				assert(
					JSON.stringify((await sim.admin.botMessages()).find((m) => m.id === card.message.id).content).includes(
						'"actions"',
					),
					'the card changed',
				);
				assert((await executionsOf(call, workflows.trigger.id)).length === 0, 'the trigger started an execution');
			},
		);

		await check(
			label('chatbot: a click by someone not among the Approvers is refused, told only to them; nothing changes'),
			async () => {
				await sim.admin.click({ as: owner.email, messageId: card.message.id, index: 0 });
				const told = await waitFor('the note to the user who clicked', async () =>
					(await sim.admin.botMessages()).find(
						(m) => m.visibleToUser === owner.jid && JSON.stringify(m.content).includes('Only the approvers'),
					),
				);
				assert(told.toJid === general.jid, `told in ${told.toJid}`);
				await delay(1000);
				assert((await statusOf('card', card.run.id)) === 'waiting', 'the execution resumed');
				assert(JSON.stringify(await botContent(card.message.id)).includes('"actions"'), 'the card changed');
			},
		);

		await check(
			label(
				'chatbot: a click in Zoom reaches the trigger, which forwards it; the run resumes with respondedBy; card edited',
			),
			async () => {
				await sim.admin.click({ as: blake.email, messageId: card.message.id, index: 0 });
				await finished('card', card.run.id);
				const [json] = await askOutput(call, card.run.id);
				assert(
					json?.approved === true &&
						json.respondedBy?.userId === blake.id &&
						json.respondedBy?.userName === blake.display_name,
					`output ${JSON.stringify(json)}`,
				);
				const edited = JSON.stringify((await sim.admin.botMessages()).find((m) => m.id === card.message.id).content);
				assert(
					edited.includes(`✅ Approved by ${blake.display_name} at`) && !edited.includes('"actions"'),
					`card ${edited.slice(0, 300)}`,
				);
				await sim.admin.settleWebhooks();
				assert((await executionsOf(call, workflows.trigger.id)).length === 0, 'the trigger started an execution');
				return JSON.stringify(json);
			},
		);

		const botRun = {};
		await check(
			label('chatbot DM: approval, clicked in the 1:1 chat; resumes with { approved, respondedBy }; card edited'),
			async () => {
				botRun.run = await start('botMatrix', 'matrix-as-bot');
				const message = await botCard('Hotfix');
				assert(message.toJid === blake.jid, `card sent to ${message.toJid}`);
				const actions = message.content.body.find((b) => b.type === 'actions').items;
				assert(actions.length === 1 && actions[0].text === 'Ship it', `buttons ${JSON.stringify(actions)}`);
				assert(cardLink(message.content)?.startsWith(`${n8n.base}/webhook-waiting/`), 'no answer-page link');
				await sim.admin.click({ as: blake.email, messageId: message.id, index: 0 });
				await waitingAt(botRun.run.id, 'Bot text in channel');
				const [json] = await askOutput(call, botRun.run.id, 'Bot approve in DM');
				assert(
					json?.approved === true && json.respondedBy?.userId === blake.id && json.messageId === message.id,
					`output ${JSON.stringify(json)}`,
				);
				const edited = JSON.stringify(await botContent(message.id));
				assert(
					edited.includes(`✅ Approved by ${blake.display_name} at`) &&
						!edited.includes('"actions"') &&
						!edited.includes('/webhook-waiting/'),
					`card ${edited.slice(0, 300)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(
			label("chatbot channel: free text on the card's answer page, asked from the click; card shows the answer"),
			async () => {
				const message = await botCard('Release notes');
				assert(message.toJid === general.jid, `card sent to ${message.toJid}`);
				const question = message.content.body[0].text;
				assert(question === `Shipped by ${blake.display_name}. Release notes?`, `question ${JSON.stringify(question)}`);
				assert(!JSON.stringify(message.content).includes('"actions"'), 'a free-text card has buttons');
				const url = cardLink(message.content);
				const res = await postForm(url, { 'field-0': 'Fixes the login loop' });
				assert(res.status === 200 && res.text.includes('💬 Answered at'), `answered ${res.status}`);
				await waitingAt(botRun.run.id, 'Bot form in DM');
				const [json] = await askOutput(call, botRun.run.id, 'Bot text in channel');
				assert(
					json?.text === 'Fixes the login loop' && json.respondedBy === undefined,
					`output ${JSON.stringify(json)}`,
				);
				const edited = JSON.stringify(await botContent(message.id));
				assert(
					edited.includes('💬 Answered at') &&
						edited.includes('Fixes the login loop') &&
						!edited.includes('/webhook-waiting/'),
					`card ${edited.slice(0, 300)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(
			label("chatbot DM: a custom form on the card's answer page, checked on POST; card shows the fields"),
			async () => {
				const message = await botCard('Release form');
				assert(message.toJid === blake.jid, `card sent to ${message.toJid}`);
				const url = cardLink(message.content);
				const bad = await postForm(url, { 'field-0': 'v2.4.1', 'field-1': 'Medium' });
				assert(bad.status === 400 && bad.text.includes('Choose one of the options.'), `invalid form: ${bad.status}`);
				const res = await postForm(url, { 'field-0': 'v2.4.1', 'field-1': 'Low' });
				assert(res.status === 200, `answered ${res.status}`);
				await waitingAt(botRun.run.id, 'Bot text in DM');
				const [json] = await askOutput(call, botRun.run.id, 'Bot form in DM');
				assert(
					JSON.stringify(json?.fields) === JSON.stringify({ Version: 'v2.4.1', Risk: 'Low' }),
					`output ${JSON.stringify(json)}`,
				);
				const edited = await botContent(message.id);
				const fields = edited.body.find((b) => b.type === 'fields')?.items ?? [];
				assert(
					JSON.stringify(fields.map((f) => [f.key, f.value])) ===
						JSON.stringify([
							['Version', 'v2.4.1'],
							['Risk', 'Low'],
						]) && !JSON.stringify(edited).includes('/webhook-waiting/'),
					`card ${JSON.stringify(edited).slice(0, 300)}`,
				);
				return JSON.stringify(json);
			},
		);

		await check(label("chatbot DM: free text on the card's answer page; card shows the answer"), async () => {
			const message = await botCard('Changelog');
			assert(
				message.toJid === blake.jid && message.content.body[0].text === 'Risk Low. Anything for the changelog?',
				`card ${JSON.stringify(message.content).slice(0, 300)}`,
			);
			const res = await postForm(cardLink(message.content), { 'field-0': 'Login loop fixed' });
			assert(res.status === 200, `answered ${res.status}`);
			await waitingAt(botRun.run.id, 'Bot form in channel');
			const [json] = await askOutput(call, botRun.run.id, 'Bot text in DM');
			assert(json?.text === 'Login loop fixed' && json.messageId === message.id, `output ${JSON.stringify(json)}`);
			const edited = JSON.stringify(await botContent(message.id));
			assert(
				edited.includes('💬 Answered at') &&
					edited.includes('Login loop fixed') &&
					!edited.includes('/webhook-waiting/'),
				`card ${edited.slice(0, 300)}`,
			);
			return JSON.stringify(json);
		});

		await check(
			label("chatbot channel: a custom form (JSON fields) on the card's answer page; the run finishes"),
			async () => {
				const message = await botCard('Sign-off');
				assert(message.toJid === general.jid, `card sent to ${message.toJid}`);
				const res = await postForm(cardLink(message.content), { 'field-0': 'Jill Chill', 'field-1': '1.5' });
				assert(res.status === 200, `answered ${res.status}`);
				await finished('botMatrix', botRun.run.id);
				const [json] = await askOutput(call, botRun.run.id, 'Bot form in channel');
				assert(
					JSON.stringify(json?.fields) === JSON.stringify({ Name: 'Jill Chill', 'Hours spent': 1.5 }),
					`output ${JSON.stringify(json)}`,
				);
				const edited = await botContent(message.id);
				const fields = edited.body.find((b) => b.type === 'fields')?.items ?? [];
				assert(
					JSON.stringify(fields.map((f) => [f.key, f.value])) ===
						JSON.stringify([
							['Name', 'Jill Chill'],
							['Hours spent', '1.5'],
						]) && !JSON.stringify(edited).includes('/webhook-waiting/'),
					`card ${JSON.stringify(edited).slice(0, 300)}`,
				);
				await sim.admin.settleWebhooks();
				assert((await executionsOf(call, workflows.trigger.id)).length === 0, 'the trigger started an execution');
				return JSON.stringify(json);
			},
		);

		await check(
			label('timeout: after the 1-minute limit the run goes on with the input flagged { timedOut: true }'),
			async () => {
				const run = timeoutRun;
				assert(run, 'the run did not start');
				const since = Date.now();
				await waitFor(
					'the timed-out execution to finish',
					async () => {
						const status = await statusOf('timeout', run.id);
						if (status === 'error' || status === 'crashed')
							throw new Error(`execution ${status}: ${await executionError(call, run.id)}`);
						return status === 'success';
					},
					TIMEOUT_WAIT_MS,
				);
				const output = await askOutput(call, run.id);
				const message = (await sim.admin.channelMessages(general.id)).find((m) =>
					m.text.startsWith('Nobody will answer this'),
				);
				assert(
					output.length === 1 && output[0].timedOut === true && output[0].messageId === message?.id,
					`output ${JSON.stringify(output)}`,
				);
				// The input passes on (n8n's behaviour on a timeout), flagged.
				assert(output[0].body?.ticket === 7 && output[0].respondedAt === undefined, `output ${JSON.stringify(output)}`);
				return `timedOut ${output[0].timedOut}, messageId, and the input's body ${JSON.stringify(output[0].body)} (${Math.round((Date.now() - since) / 1000)} s after the other checks)`;
			},
		);
	} finally {
		await n8n?.stop();
		await sim.close();
	}
}
