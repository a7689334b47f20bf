// Burst acceptance (issue 15) in a real n8n (regular mode) against the simulator, plan Pro, with
// Zoom's per-channel windows enforced. A burst of users' messages reaches the trigger as signed
// webhooks (the simulator's hub, as Zoom delivers them: up to 64 at once, retrying what is not
// acked within 3 s); each execution sends one message:
//  - N executions each send to a contact (N = 100; N8N_BURST_CONTACT=300 for the figure):
//    every message arrives exactly once; few 429s (see allowed429);
//  - N executions each send into ONE channel (N = 70, past the 60-in-100-s window; N8N_BURST_CHANNEL
//    sets it, e.g. 300 for the figure, about 7 minutes, with N8N_BURST_CHANNEL_DELIVERY=websocket
//    since regular n8n cannot take 300 webhook deliveries at once, see WS_BURST): the same, within
//    the channel windows.
// Before the account-wide budget, each execution paced alone: 200 at once lost 60 to "Gave up after
// 7 rate-limit retries".
import { randomUUID } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { targets } from '@zoom-team-chat/testkit/n8n-install';
import { logPath, ownerSession, startN8n } from '@zoom-team-chat/testkit/n8n-host';
import { assert, packageDir, packageJson, simulatorCredentialData, waitFor } from './harness.mjs';
import { freshPostgresDatabase } from '@zoom-team-chat/testkit/queue-mode-host';
import { allowed429, channelWindowMs, textsStartingWith } from '@zoom-team-chat/testkit/stats';

const EVENT = 'team_chat.channel_message_posted';
const CONTACT_BURST = Number(process.env.N8N_BURST_CONTACT ?? 100);
const CHANNEL_BURST = Number(process.env.N8N_BURST_CHANNEL ?? 70);
/**
 * Events at once over WebSocket delivery, each sending to a contact: the 300. Over webhooks
 * n8n in regular mode takes about 12 deliveries a second on these 2 cores; the rest of 300 at once
 * wait in its queue past Zoom's 3 s, Zoom hangs up, and n8n then fails to read their bodies ("stream
 * is not readable"): nothing runs, and Zoom's retries come back as one burst again. A WebSocket has
 * no such deadline (README: which delivery at which rate).
 */
const WS_BURST = Number(process.env.N8N_BURST_WS ?? 300);
const CHANNEL_OVER_WS = process.env.N8N_BURST_CHANNEL_DELIVERY === 'websocket';
/*
 * 429s tolerated: allowed429 (the 1 %, at least one). n8n under a
 * burst sends released requests late, by up to seconds at its start; the core paces each window from
 * when Zoom may have counted each request (its answer), not from its release. Measured with it on
 * 1.123: 0 of 100 to a contact, 0 of 300 over WebSocket, 0 of 70 into a channel (with pacing from
 * the release: 0 to 8 of 100, and 1 of 70, each time the 100-second window, tripped by the burst's
 * second message that left 4.7 s late). A 429 is waited out and sent once either way; pacing that
 * is not shared shows as hundreds (200 alone: 840 × 429).
 */

/**
 * Trigger on `source` → send "burst <mode> <message id>" to the contact or into `channel`; events
 * come as webhooks, or over the WebSocket `subscription` when given.
 */
export function burstWorkflow({ prefix, credential, webhookId, source, mode, contact, channel, subscription }) {
	const creds = { zoomTeamChatServerToServerOAuthApi: { id: credential.id, name: credential.name } };
	const trigger = 'Zoom Team Chat Trigger';
	const where =
		mode === 'channel'
			? { target: 'channel', channelId: { __rl: true, mode: 'id', value: channel } }
			: { target: 'contact', contactId: { __rl: true, mode: 'email', value: contact } };
	return {
		name: `Zoom burst ${mode}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { [trigger]: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: randomUUID(),
				name: trigger,
				type: `${prefix}.zoomTeamChatTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: creds,
				parameters: subscription
					? {
							delivery: 'websocket',
							authentication: 'serverToServerOAuth',
							subscription,
							events: [EVENT],
							options: { channelIds: source },
						}
					: {
							authentication: 'serverToServerOAuth',
							subscriptionSetup: 'automatic',
							events: [EVENT],
							options: { channelIds: source },
						},
			},
			{
				id: randomUUID(),
				name: 'Send',
				type: `${prefix}.zoomTeamChat`,
				typeVersion: 1,
				position: [250, 0],
				credentials: creds,
				parameters: {
					authentication: 'serverToServerOAuth',
					resource: 'message',
					operation: 'send',
					actAsUser: 'me',
					...where,
					message: `=burst ${mode} {{ $('${trigger}').item.json.payload.object.message_id }}`,
				},
			},
		],
	};
}

export async function runBurst({ suite, target, runDir, startSimulator }) {
	const { check } = suite;
	const label = `n8n ${targets[target].version} burst`;
	const sends = [];
	const sim = await startSimulator({
		plan: 'pro',
		fileStorage: 'memory',
		// n8n acks only so many deliveries within Zoom's 3 s (about 12/s here): the rest time out and
		// Zoom sends them again after 5, 20 and 60 min. Scaled by 20 here (15 s, 60 s, 180 s), so the
		// suite sees the retries; the trigger must run each event once, however often it comes.
		timeScale: 20,
		onRequest: (e) => {
			if (e.server === 'api' && e.method === 'POST' && /^\/v2\/chat\/users\/[^/]+\/messages$/.test(e.path))
				sends.push({ status: e.status, at: Date.now() });
		},
	});
	const userFolder = join(runDir, `${target}-burst`);
	rmSync(userFolder, { recursive: true, force: true });
	const customExtensions = join(userFolder, 'custom-extensions', packageJson.name);
	cpSync(join(packageDir, 'dist'), customExtensions, { recursive: true });
	// PostgreSQL, as anyone taking bursts runs n8n: on SQLite, n8n 1.123 timed out its own database
	// ("Database is not ready", 503) under 300 deliveries, 64 at a time, and executed 11 of them.
	let db;
	try {
		db = await freshPostgresDatabase(target);
	} catch (error) {
		await sim.close();
		if (process.env.CI === 'true') throw new Error(`the burst suite ${error.message}`);
		suite.record(`${label}: skipped, this machine has no PostgreSQL (${error.message})`, true);
		return;
	}
	const n8n = await startN8n({
		target,
		userFolder,
		customExtensions,
		log: logPath(runDir, `${target}-burst`),
		extraEnv: {
			...db.env,
			...(String(target) === '1' ? { NODE_OPTIONS: '--experimental-websocket' } : {}),
			...(process.env.N8N_BURST_DEBUG ? { N8N_LOG_LEVEL: 'debug' } : {}),
		},
	});
	try {
		const { call } = await ownerSession(n8n.base);
		const users = await sim.admin.users();
		const owner = users.find((u) => u.role === 'owner');
		const channels = await sim.admin.channels();
		const source = channels.find(
			(c) => !c.archived && c.members.some((m) => m.userId === owner.id) && c.members.length > 1,
		);
		const channel = channels.find(
			(c) => !c.archived && c.id !== source.id && c.members.some((m) => m.userId === owner.id),
		);
		const poster = users.find((u) => source.members.some((m) => m.userId === u.id) && u.id !== owner.id && !u.external);
		const credential = await call('POST', '/credentials', {
			name: 'Zoom simulator (burst)',
			type: 'zoomTeamChatServerToServerOAuthApi',
			data: simulatorCredentialData(sim, { plan: 'pro', rateLimitShare: 1 }),
		});

		/** Activates the mode's workflow, posts `n` messages at once, waits for `n` sends; counts. */
		async function burst(mode, n, sentOf, timeoutMs, { websocket = false } = {}) {
			const webhookId = randomUUID();
			const sub = websocket
				? await sim.admin.createWebSocketSubscription({ events: [EVENT], name: 'burst' })
				: undefined;
			const workflow = await call(
				'POST',
				'/workflows',
				burstWorkflow({
					prefix: 'CUSTOM',
					credential,
					webhookId,
					source: source.id,
					mode,
					contact: poster.email,
					channel: channel.id,
					subscription: sub?.endpointUrl,
				}),
			);
			await call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
			const url = `${n8n.base}/webhook/${webhookId}/webhook`;
			if (sub)
				await waitFor(
					'an open socket',
					async () =>
						((await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length ?? 0) >= 1,
					60_000,
				);
			else
				await waitFor(
					'the event subscription',
					async () => (await sim.admin.request('GET', '/webhooks')).some((s) => s.url === url),
					15_000,
				);
			await delay(1000);
			const before = sends.length;
			const t0 = Date.now();
			const posted = await Promise.all(
				Array.from({ length: n }, (_, i) =>
					sim.admin.postMessage({ as: poster.email, channel: source.id, text: `event ${mode} ${i}` }),
				),
			);
			await waitFor(`${n} messages`, async () => (await sentOf()).length >= n, timeoutMs).catch(() => undefined);
			const seconds = ((Date.now() - t0) / 1000).toFixed(1);
			// Retries still due (of deliveries n8n ran but acked late) must start nothing more.
			await sim.admin.settleWebhooks(true);
			await delay(3000);
			const deliveries = (await sim.admin.deliveries()).filter((d) => d.url === url);
			const retried = deliveries.filter((d) => d.attempt > 1).length;
			const timedOut = deliveries.filter((d) => d.outcome === 'retrying').length;
			const texts = await sentOf();
			const count = new Map();
			for (const t of texts) count.set(t, (count.get(t) ?? 0) + 1);
			const missing = posted.filter((m) => !count.has(`burst ${mode} ${m.id}`)).length;
			const twice = [...count.values()].filter((c) => c > 1).length;
			const mine = sends.slice(before);
			const refused = mine.filter((s) => s.status === 429).length;
			if (process.env.N8N_BURST_DEBUG) {
				const t = mine[0]?.at ?? 0;
				console.log(mine.map((s) => `${s.at - t}${s.status === 429 ? '!' : ''}`).join(' '));
			}
			await call('POST', `/workflows/${workflow.id}/deactivate`, {});
			const over = sub
				? `${(await sim.admin.webSocketDeliveries(sub.id)).length} events over one WebSocket`
				: `${timedOut} deliveries not acked within 3 s, ${retried} retried by the hub`;
			const text = `${texts.length} arrived of ${n}, ${missing} missing, ${twice} twice; ${mine.length} sends, ${refused} × 429 (${((100 * refused) / n).toFixed(1)} %) in ${seconds} s; ${over}`;
			return { ok: texts.length === n && missing === 0 && twice === 0 && refused <= allowed429(n), text };
		}

		await check(
			`${label}: ${CONTACT_BURST} executions at once each send to a contact: none lost, none twice, 429s ≤ 1 % (at least 1 allowed)`,
			async () => {
				const r = await burst(
					'dm',
					CONTACT_BURST,
					async () => textsStartingWith(await sim.admin.directMessages(owner.email, poster.email), 'burst dm '),
					240_000,
				);
				assert(r.ok, r.text);
				return r.text;
			},
		);
		await check(
			`${label}: ${WS_BURST} events at once over WebSocket delivery, each run sends to a contact: none lost, none twice, 429s ≤ 1 % (at least 1 allowed)`,
			async () => {
				const r = await burst(
					'ws',
					WS_BURST,
					async () => textsStartingWith(await sim.admin.directMessages(owner.email, poster.email), 'burst ws '),
					300_000,
					{ websocket: true },
				);
				assert(r.ok, r.text);
				return r.text;
			},
		);
		await check(
			`${label}: ${CHANNEL_BURST} ${CHANNEL_OVER_WS ? 'events at once over WebSocket delivery, each run sends' : 'executions at once each send'} into ONE channel: none lost, none twice, within Zoom's channel windows (429s ≤ 1 %, at least 1 allowed)`,
			async () => {
				const allowMs = channelWindowMs(CHANNEL_BURST) + 120_000;
				const r = await burst(
					'channel',
					CHANNEL_BURST,
					async () => textsStartingWith(await sim.admin.channelMessages(channel.id), 'burst channel '),
					allowMs,
					{ websocket: CHANNEL_OVER_WS },
				);
				assert(r.ok, r.text);
				return r.text;
			},
		);
	} finally {
		await n8n.stop();
		await sim.close();
		await db.drop();
	}
}
