// Acceptance of the trigger's WebSocket delivery in a real n8n against the simulator's /ws: no
// inbound HTTP to n8n. Node 24 (2.41) has a global WebSocket; Node 20 (1.123) gets it from
// NODE_OPTIONS=--experimental-websocket, and without the flag activation must say so.
//
// The drop run lasts N8N_WS_SOAK_SECONDS (default 24; the 60 s variant:
// N8N_WS_SOAK_SECONDS=60 node test/acceptance/run.mjs --suite=websocket). During it a user posts
// every 400 ms and the simulator drops the socket 5 times; the simulator's ledger then says which
// events went out while a socket was open, and each of those must have started exactly one
// execution (compared by the SHA-256 of the event JSON), and nothing else may have.
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { signWebhook } from '@zoom-team-chat/core';

import { targets } from '@zoom-team-chat/testkit/n8n-install';
import { logPath, ownerSession, startN8n } from '@zoom-team-chat/testkit/n8n-host';
import { assert, packageDir, packageJson, simulatorCredentialData, waitFor } from './harness.mjs';

const EVENT = 'team_chat.channel_message_posted';
const TRIGGER = 'Zoom Team Chat Trigger';
const DROPS = 5;
const NO_WEBSOCKET = /Node\.js 22 or newer.*NODE_OPTIONS=--experimental-websocket/s;

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

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

/** Every execution of a workflow with the items its trigger produced. */
async function triggerOutputs(call, workflowId) {
	// At most 100 per page, newest first: 2.x pages with `cursor` (`nextCursor`), 1.x with `lastId`.
	const executions = [];
	for (let next = ''; ; ) {
		const page = await call(
			'GET',
			`/executions?limit=100&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}${next}`,
		);
		const rows = page.results ?? page;
		executions.push(...rows);
		if (typeof page.nextCursor === 'string' && page.nextCursor) next = `&cursor=${encodeURIComponent(page.nextCursor)}`;
		else if (page.nextCursor === undefined && rows.length === 100) next = `&lastId=${rows[rows.length - 1].id}`;
		else break;
	}
	const out = [];
	for (const summary of executions) {
		const execution = await call('GET', `/executions/${summary.id}`);
		const data = unflatten(execution.data);
		const items = data?.resultData?.runData?.[TRIGGER]?.[0]?.data?.main?.[0] ?? [];
		out.push({ id: summary.id, status: summary.status, mode: summary.mode, items: items.map((i) => i.json) });
	}
	return out;
}

/** Trigger with WebSocket delivery on `subscription`, ignoring the owner's own messages. */
export function websocketWorkflow({ prefix, credential, subscription, ownerEmail, name }) {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: `${prefix}.zoomTeamChatTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: randomUUID(),
				credentials: { zoomTeamChatServerToServerOAuthApi: { id: credential.id, name: credential.name } },
				parameters: {
					delivery: 'websocket',
					authentication: 'serverToServerOAuth',
					subscription,
					events: [EVENT],
					options: { ownUsers: ownerEmail, ignoreOwnMessages: true },
				},
			},
		],
	};
}

function webhookTestWorkflow({ prefix, credential, webhookId }) {
	return {
		name: 'Zoom webhook test event',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: `${prefix}.zoomTeamChatTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: { zoomTeamChatWebhookApi: { id: credential.id, name: credential.name } },
				parameters: { authentication: 'webhookSecret', events: [EVENT], options: {} },
			},
		],
	};
}

/**
 * Why activation failed. n8n 1.x activates during the request and answers with the error; 2.x
 * publishes in the background and reports per-trigger status at /publication-status.
 */
async function activationFailure(call, workflow, { inBackground }) {
	const error = await activate(call, workflow).then(
		() => undefined,
		(e) => e,
	);
	if (error) return error.message;
	assert(inBackground, 'activation succeeded');
	const status = await waitFor(
		'the publication to fail',
		async () => {
			const s = await call('GET', `/workflows/${workflow.id}/publication-status`);
			return s.status === 'failed' || s.status === 'published' ? s : undefined;
		},
		180_000,
	);
	assert(status.status === 'failed', `publication ${status.status}`);
	return status.triggers.map((t) => t.errorMessage ?? '').join('; ');
}

async function activate(call, workflow) {
	return await call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
}

/** "Listen for test event" as the editor asks for it (1.x wants the workflow, 2.x reads it). */
async function runManually(call, workflow) {
	return await call('POST', `/workflows/${workflow.id}/run`, {
		workflowData: workflow,
		triggerToStartFrom: { name: TRIGGER },
	});
}

function simulatorCounters() {
	const counters = { upgrades: [], tokenMints: 0 };
	const onRequest = (entry) => {
		if (entry.server === 'ws') counters.upgrades.push(entry.status);
		if (entry.server === 'oauth' && entry.path === '/oauth/token') counters.tokenMints++;
	};
	return { counters, onRequest };
}

async function openSockets(sim, subscriptionId) {
	return (await sim.admin.webSocketSubscriptions()).find((s) => s.id === subscriptionId)?.sockets.length ?? 0;
}

async function bootN8n({ target, userFolder, log, flag }) {
	rmSync(userFolder, { recursive: true, force: true });
	const customExtensions = join(userFolder, 'custom-extensions', packageJson.name);
	cpSync(join(packageDir, 'dist'), customExtensions, { recursive: true });
	const extraEnv = { N8N_LOG_LEVEL: 'debug', ...(flag ? { NODE_OPTIONS: '--experimental-websocket' } : {}) };
	const n8n = await startN8n({ target, userFolder, customExtensions, log, extraEnv });
	const session = await ownerSession(n8n.base);
	return { n8n, ...session };
}

export async function runWebSocket({ suite, target, runDir, startSimulator }) {
	const { check } = suite;
	const version = targets[target].version;
	const needsFlag = String(target) === '1';
	const label = `n8n ${version} websocket`;
	const soakSeconds = Math.max(10, Number(process.env.N8N_WS_SOAK_SECONDS ?? 24));

	if (needsFlag) {
		// Node 20 without --experimental-websocket: activation must fail and say what to do.
		const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
		let host;
		try {
			await check(
				`${label}: without --experimental-websocket on Node 20, activation fails and says to use Node.js 22+ or the flag`,
				async () => {
					host = await bootN8n({
						target,
						userFolder: join(runDir, `${target}-websocket-noflag`),
						log: logPath(runDir, `${target}-websocket-noflag`),
						flag: false,
					});
					const credential = await host.call('POST', '/credentials', {
						name: 'Zoom simulator',
						type: 'zoomTeamChatServerToServerOAuthApi',
						data: simulatorCredentialData(sim),
					});
					const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
					const workflow = await host.call(
						'POST',
						'/workflows',
						websocketWorkflow({
							prefix: 'CUSTOM',
							credential,
							subscription: sub.endpointUrl,
							ownerEmail: 'nobody@example.com',
							name: 'no flag',
						}),
					);
					const error = await activate(host.call, workflow).then(
						() => undefined,
						(e) => e,
					);
					assert(error, 'activation succeeded without a WebSocket client');
					assert(NO_WEBSOCKET.test(error.message), `activation error: ${error.message}`);
					return error.message.slice(0, 200);
				},
			);
		} finally {
			await host?.n8n.stop();
			await sim.close();
		}
	}

	const { counters, onRequest } = simulatorCounters();
	const sim = await startSimulator({
		plan: 'pro',
		fileStorage: 'memory',
		onRequest,
		webSocket: { closeOnTokenExpiry: true },
	});
	let host;
	try {
		const booted = await check(
			`${label}: n8n starts${needsFlag ? ' with NODE_OPTIONS=--experimental-websocket' : ''}`,
			async () => {
				host = await bootN8n({
					target,
					userFolder: join(runDir, `${target}-websocket`),
					log: logPath(runDir, `${target}-websocket`),
					flag: needsFlag,
				});
				return `port ${host.n8n.port}`;
			},
		);
		if (!booted) return;
		const { call, n8n } = host;
		const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
		const channel = (await sim.admin.channels()).find(
			(c) => !c.archived && c.members.some((m) => m.userId === owner.id) && c.members.length > 1,
		);
		const author = (await sim.admin.users()).find(
			(u) => channel.members.some((m) => m.userId === u.id) && u.id !== owner.id && !u.external,
		);
		const post = (text) => sim.admin.postMessage({ as: author.email, channel: channel.id, text });
		const credential = await call('POST', '/credentials', {
			name: 'Zoom simulator',
			type: 'zoomTeamChatServerToServerOAuthApi',
			data: simulatorCredentialData(sim),
		});
		const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT], name: 'n8n acceptance' });
		const workflow = await call(
			'POST',
			'/workflows',
			websocketWorkflow({
				prefix: 'CUSTOM',
				credential,
				subscription: sub.endpointUrl,
				ownerEmail: owner.email,
				name: 'Zoom over WebSocket',
			}),
		);
		const webhookId = workflow.nodes[0].webhookId;

		const activated = await check(
			`${label}: activating connects to the subscription's socket and registers no webhook`,
			async () => {
				await activate(call, workflow);
				await waitFor('an open socket', async () => (await openSockets(sim, sub.id)) === 1, 15_000);
				const res = await fetch(`${n8n.base}/webhook/${webhookId}/webhook`, {
					method: 'POST',
					body: '{}',
					headers: { 'content-type': 'application/json' },
				});
				assert(res.status === 404, `the webhook URL answered ${res.status}`);
				const subs = await sim.admin.request('GET', '/webhooks');
				assert(subs.length === 0, `${subs.length} webhook subscriptions at Zoom`);
				return `${counters.upgrades.length} upgrade(s), ${counters.tokenMints} token(s)`;
			},
		);
		if (!activated) return;

		await check(
			`${label}: a user's message starts one execution with the event (same shape as a webhook)`,
			async () => {
				const posted = await post('hello over the socket');
				const runs = await waitFor('an execution', async () => {
					const list = await triggerOutputs(call, workflow.id);
					return list.length >= 1 && list.every((e) => e.status === 'success') ? list : undefined;
				});
				assert(runs.length === 1, `${runs.length} executions`);
				const [event] = runs[0].items;
				assert(
					event?.event === EVENT && event.payload?.object?.message_id === posted.id,
					`items ${JSON.stringify(runs[0].items).slice(0, 300)}`,
				);
				const ledger = await sim.admin.webSocketDeliveries(sub.id);
				assert(
					ledger.length === 1 && ledger[0].contentSha256 === sha256(JSON.stringify(event)),
					'the output differs from what Zoom sent',
				);
			},
		);

		await check(
			`${label}: ${DROPS} drops in ${soakSeconds} s: every event sent while connected started exactly one execution`,
			async () => {
				await sim.admin.clearWebSocketDeliveries();
				const before = new Set((await triggerOutputs(call, workflow.id)).map((e) => e.id));
				const started = Date.now();
				const end = started + soakSeconds * 1000;
				let drops = 0;
				let posts = 0;
				while (Date.now() < end) {
					const nextDrop = started + ((drops + 0.5) * soakSeconds * 1000) / DROPS;
					if (drops < DROPS && Date.now() >= nextDrop) {
						await waitFor('the socket before a drop', async () => (await openSockets(sim, sub.id)) === 1, 15_000);
						// Alternate a network failure (no close frame) and Zoom closing the socket.
						const { dropped } = await sim.admin.dropWebSockets({
							subscriptionId: sub.id,
							...(drops % 2 ? { code: 1001, reason: 'going away' } : {}),
						});
						assert(dropped === 1, `drop ${drops + 1} closed ${dropped} sockets`);
						drops++;
					}
					await post(`soak ${posts++}`);
					await delay(400);
				}
				assert(drops === DROPS, `${drops} drops`);
				await waitFor('the socket after the run', async () => (await openSockets(sim, sub.id)) === 1, 15_000);
				const ledger = await sim.admin.webSocketDeliveries(sub.id);
				const delivered = ledger.filter((d) => d.delivered).map((d) => d.contentSha256);
				const missed = ledger.length - delivered.length;
				let outputs;
				await waitFor(
					'an execution per delivered event',
					async () => {
						outputs = (await triggerOutputs(call, workflow.id)).filter((e) => !before.has(e.id));
						return outputs.length >= delivered.length && outputs.every((e) => e.status === 'success');
					},
					60_000,
				);
				await delay(2000);
				outputs = (await triggerOutputs(call, workflow.id)).filter((e) => !before.has(e.id));
				const received = outputs.map((e) => sha256(JSON.stringify(e.items[0])));
				const want = new Map();
				for (const h of delivered) want.set(h, (want.get(h) ?? 0) + 1);
				const got = new Map();
				for (const h of received) got.set(h, (got.get(h) ?? 0) + 1);
				const wrong = [...new Set([...want.keys(), ...got.keys()])].filter(
					(h) => want.get(h) !== got.get(h) || got.get(h) !== 1,
				);
				assert(
					wrong.length === 0,
					`${wrong.length} events arrived not exactly once (delivered ${delivered.length}, executions ${received.length})`,
				);
				assert(
					outputs.every((e) => e.items.length === 1),
					'an execution with more than one item',
				);
				return `${posts} posted, ${delivered.length} sent while connected (each once), ${missed} sent while disconnected (dropped by Zoom, as documented)`;
			},
		);

		await check(
			`${label}: an expired token: Zoom closes the socket, the trigger reconnects with a fresh token`,
			async () => {
				const mints = counters.tokenMints;
				const from = counters.upgrades.length;
				const { closedWebSockets } = await sim.admin.expireTokens();
				assert(closedWebSockets === 1, `${closedWebSockets} sockets closed on expiry`);
				// The close frame takes a moment: wait for the new upgrade, not for the socket count.
				await waitFor(
					'a new connection',
					async () => counters.upgrades.slice(from).includes(101) && (await openSockets(sim, sub.id)) === 1,
					20_000,
				);
				assert(
					counters.tokenMints > mints,
					`no new token was minted (upgrades since: ${counters.upgrades.slice(from).join(', ')})`,
				);
				const before = (await triggerOutputs(call, workflow.id)).length;
				const posted = await post('after a new token');
				const runs = await waitFor('the execution', async () => {
					const list = await triggerOutputs(call, workflow.id);
					return list.length > before ? list : undefined;
				});
				assert(
					runs.some((e) => e.items[0]?.payload?.object?.message_id === posted.id),
					'the event did not start the workflow',
				);
				return `${counters.tokenMints - mints} new token(s)`;
			},
		);

		await check(`${label}: deactivating closes the socket`, async () => {
			await call('POST', `/workflows/${workflow.id}/deactivate`, {});
			await waitFor('no open socket', async () => (await openSockets(sim, sub.id)) === 0, 15_000);
		});

		await check(
			`${label}: a wrong subscription ID: activation fails with a clear message after a bounded number of attempts, no loop`,
			async () => {
				const wrong = await call(
					'POST',
					'/workflows',
					websocketWorkflow({
						prefix: 'CUSTOM',
						credential,
						subscription: `${sim.urls.ws}?subscriptionId=no-such-subscription`,
						ownerEmail: owner.email,
						name: 'Wrong subscription',
					}),
				);
				const from = counters.upgrades.length;
				const started = Date.now();
				const message = await activationFailure(call, wrong, { inBackground: !needsFlag });
				const seconds = Math.round((Date.now() - started) / 1000);
				assert(
					/WebSocket delivery stopped/.test(message) && /no-such-subscription/.test(message),
					`activation error: ${message.slice(0, 400)}`,
				);
				assert(!/access_token=(?!\*\*\*)/.test(message), 'the token appears in the error');
				const attempts = counters.upgrades.length - from;
				// Each activation gives up after the core's 1 + 5 refused upgrades; n8n 1.x activates
				// once, 2.x tries an activation 5 times (1, 2, 4, 8 s apart) before reporting it failed.
				const limit = needsFlag ? 6 : 30;
				assert(attempts >= 1 && attempts <= limit, `${attempts} upgrade attempts (limit ${limit})`);
				await delay(8000);
				const later = counters.upgrades.length - from - attempts;
				assert(later === 0, `${later} more attempts after the activation failed`);
				return `${attempts} refused upgrades in ${seconds} s (HTTP ${[...new Set(counters.upgrades.slice(from))].join('/')}), then none in 8 s; "${message.slice(0, 160)}…"`;
			},
		);

		await check(`${label}: "Listen for test event" in WebSocket mode returns the first event`, async () => {
			const manual = await call(
				'POST',
				'/workflows',
				websocketWorkflow({
					prefix: 'CUSTOM',
					credential,
					subscription: sub.endpointUrl,
					ownerEmail: owner.email,
					name: 'Manual WebSocket test',
				}),
			);
			const started = await runManually(call, manual);
			assert(!started?.waitingForWebhook, 'n8n waits for a webhook in WebSocket mode');
			await waitFor('the test socket', async () => (await openSockets(sim, sub.id)) === 1, 15_000);
			const posted = await post('a test event');
			const runs = await waitFor('the manual execution', async () => {
				const list = await triggerOutputs(call, manual.id);
				return list.find((e) => e.status === 'success') ? list : undefined;
			});
			assert(
				runs[0].items[0]?.payload?.object?.message_id === posted.id,
				`items ${JSON.stringify(runs[0].items).slice(0, 200)}`,
			);
			await waitFor('the test socket to close', async () => (await openSockets(sim, sub.id)) === 0, 15_000);
		});

		await check(
			`${label}: Webhook mode's "Listen for test event" still gets the webhook's event (trigger() hands it over)`,
			async () => {
				const secret = 'test-webhook-secret';
				const webhookCredential = await call('POST', '/credentials', {
					name: 'Zoom secret',
					type: 'zoomTeamChatWebhookApi',
					data: { webhookSecretToken: secret },
				});
				const testWebhookId = randomUUID();
				const wf = await call(
					'POST',
					'/workflows',
					webhookTestWorkflow({ prefix: 'CUSTOM', credential: webhookCredential, webhookId: testWebhookId }),
				);
				const started = await runManually(call, wf);
				assert(started?.waitingForWebhook === true, `n8n answered ${JSON.stringify(started)}`);
				const event = {
					event: EVENT,
					event_ts: Date.now(),
					payload: {
						account_id: 'a',
						operator: 'x@example.com',
						object: { message_id: 'test-1', channel_id: channel.id, message: 'via the test URL' },
					},
				};
				const rawBody = JSON.stringify(event);
				const res = await fetch(`${n8n.base}/webhook-test/${testWebhookId}/webhook`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...signWebhook({ secret, rawBody: Buffer.from(rawBody) }) },
					body: rawBody,
				});
				assert(res.status === 200, `test webhook answered ${res.status}`);
				const runs = await waitFor('the manual execution', async () => {
					const list = await triggerOutputs(call, wf.id);
					return list.find((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
				});
				assert(runs[0].status === 'success', `execution ${runs[0].status}`);
				assert(
					JSON.stringify(runs[0].items) === JSON.stringify([event]),
					`items ${JSON.stringify(runs[0].items).slice(0, 300)}`,
				);
			},
		);

		await check(
			`${label}: a chatbot card's button clicked in Zoom reaches the WebSocket trigger, which forwards it; the waiting run resumes`,
			async () => {
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
				const general = (await sim.admin.channels()).find((c) => c.name === 'general');
				const path = `ws-card-${randomUUID().slice(0, 8)}`;
				const askNode = {
					id: randomUUID(),
					name: 'Ask',
					type: 'CUSTOM.zoomTeamChat',
					typeVersion: 2,
					position: [250, 0],
					webhookId: randomUUID(),
					credentials: { zoomChatbotApi: { id: bot.id, name: bot.name } },
					parameters: {
						operation: 'sendAndWait',
						authentication: 'chatbot',
						resource: 'chatbotMessage',
						toJid: general.jid,
						userJid: owner.jid,
						message: 'Ship it?',
						responseType: 'approval',
						approvalOptions: { values: { approvalType: 'double' } },
						options: { title: 'WebSocket gate' },
					},
				};
				const webhookNode = {
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				};
				const card = await call('POST', '/workflows', {
					name: 'Card over WebSocket',
					active: false,
					settings: { executionOrder: 'v1' },
					connections: { Webhook: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
					nodes: [webhookNode, askNode],
				});
				const clickSub = await sim.admin.createWebSocketSubscription({ events: ['interactive_message_actions'] });
				const clicks = websocketWorkflow({
					prefix: 'CUSTOM',
					credential,
					subscription: clickSub.endpointUrl,
					ownerEmail: owner.email,
					name: 'Clicks over WebSocket',
				});
				clicks.nodes[0].parameters.events = ['interactive_message_actions'];
				const clickWorkflow = await call('POST', '/workflows', clicks);
				await activate(call, card);
				await activate(call, clickWorkflow);
				await waitFor('the click socket', async () => (await openSockets(sim, clickSub.id)) === 1, 15_000);
				const res = await fetch(`${n8n.base}/webhook/${path}`, {
					method: 'POST',
					body: '{}',
					headers: { 'content-type': 'application/json' },
				});
				assert(res.status === 200, `the card workflow's webhook answered ${res.status}`);
				const run = await waitFor('a waiting execution', async () =>
					(await triggerOutputs(call, card.id)).find((e) => e.status === 'waiting'),
				);
				const message = await waitFor('the card with its buttons', async () =>
					(await sim.admin.botMessages()).find((m) =>
						JSON.stringify(m.content).includes(`/webhook-waiting/${run.id}/`),
					),
				);
				await sim.admin.click({ as: owner.email, messageId: message.id, index: 0 });
				const done = await waitFor(
					'the run to resume',
					async () => (await triggerOutputs(call, card.id)).find((e) => e.id === run.id && e.status === 'success'),
					30_000,
				);
				const execution = unflatten((await call('GET', `/executions/${done.id}`)).data);
				const json = execution.resultData.runData.Ask.at(-1).data.main[0][0].json;
				assert(
					json.approved === true && json.respondedBy?.userId === owner.id,
					`output ${JSON.stringify(json).slice(0, 300)}`,
				);
				await delay(1000);
				const own = await triggerOutputs(call, clickWorkflow.id);
				assert(own.length === 0, `the trigger started ${own.length} execution(s)`);
				await call('POST', `/workflows/${clickWorkflow.id}/deactivate`, {});
				await call('POST', `/workflows/${card.id}/deactivate`, {});
				return `approved by ${json.respondedBy.userName}; the trigger started no execution`;
			},
		);
	} finally {
		await host?.n8n.stop();
		await sim.close();
	}
}
