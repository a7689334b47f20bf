// Acceptance of "Send and Wait for Response" (human in the loop) in a real n8n against the
// simulator. Webhook-started workflows ask a question in a channel (approval) and in a DM (custom
// form): the run waits; the link is read from the message in the simulator; a GET shows the page
// and resumes nothing; the form's POST resumes with the answer and the message is edited; a second
// answer changes nothing. A question with a 1-minute limit times out: its input, with timedOut. A
// chatbot card's button, clicked in the simulator, reaches the Zoom Team Chat Trigger, which
// forwards it to the waiting execution (no execution of its own); forged clicks change nothing.
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

/** The items the "Ask" node output in an execution. */
async function askOutput(call, executionId) {
	const execution = await call('GET', `/executions/${executionId}`);
	const data = unflatten(execution.data);
	const runs = data?.resultData?.runData?.[ASK] ?? [];
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
					options: { title: 'Deploy gate' },
				},
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
			await delay(1500);
			assert((await statusOf('channel', run.id)) === 'waiting', 'the execution did not keep waiting');
			assert((await sim.admin.message(message.id)).text === message.text, 'the message changed');
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

		const card = {};
		await check(label('chatbot: the card has Approve/Decline buttons carrying signed resume URLs'), async () => {
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
		});

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
