#!/usr/bin/env node
// Probe of queue mode in a real n8n (queue-mode-host.mjs): 2 webhook processes, 2 workers. A plain
// Webhook → Set workflow is called on each webhook process's production URL (the Set node reports
// which worker ran it); then the package's Zoom Team Chat Trigger (Secret Token only, manual
// subscription) gets Zoom's URL check, signed events, a forged one and replays across the two
// webhook processes. Prints timings and what it saw; exits 1 if a check failed.
//
// Usage: node test/acceptance/queue-mode-probe.mjs [1|2]   (PostgreSQL and Redis on 127.0.0.1)
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { signWebhook } from '@zoom-team-chat/core';

import { install, targets, toolsDir } from './install-n8n.mjs';
import { startQueueMode } from './queue-mode-host.mjs';
import { build, executionsOf, pack, packageDir, packageJson, pruneOldRuns, waitFor } from './harness.mjs';

const target = process.argv[2] ?? '1';
const EVENT = 'team_chat.channel_message_posted';
const TRIGGER = 'Zoom Team Chat Trigger';
const SECRET = 'queue-probe-secret';
const failures = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function check(name, fn) {
	try {
		const detail = await fn();
		console.log(`ok   ${name}${detail ? ` — ${detail}` : ''}`);
	} catch (error) {
		failures.push(name);
		console.log(`FAIL ${name} — ${error instanceof Error ? error.message : String(error)}`);
	}
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

async function post(url, body, headers = {}) {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw, signal: AbortSignal.timeout(30_000) });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json };
}

/** Which worker log says it started execution `id`. */
function workerOf(q, id) {
	for (const w of q.workers) {
		if (new RegExp(`Worker started execution ${id} \\(`).test(readFileSync(w.log, 'utf8'))) return w.role;
	}
	return undefined;
}

function probeWorkflow() {
	return {
		name: 'Queue probe',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: 'qprobe', responseMode: 'lastNode', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Where',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [250, 0],
				parameters: {
					mode: 'manual',
					includeOtherFields: false,
					assignments: {
						assignments: [
							{ id: randomUUID(), name: 'process', type: 'string', value: '={{ $env.N8N_QUEUE_PROCESS }}' },
							{ id: randomUUID(), name: 'n', type: 'number', value: '={{ $json.body.n }}' },
							{ id: randomUUID(), name: 'execution', type: 'string', value: '={{ $execution.id }}' },
						],
					},
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Where', type: 'main', index: 0 }]] } },
	};
}

function triggerWorkflow(credential, webhookId) {
	return {
		name: 'Queue probe trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: `${packageJson.name}.zoomTeamChatTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: { zoomTeamChatWebhookApi: { id: credential.id, name: credential.name } },
				parameters: { authentication: 'webhookSecret', events: [EVENT], options: {} },
			},
			{
				id: randomUUID(),
				name: 'Where',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [250, 0],
				parameters: {
					mode: 'manual',
					includeOtherFields: true,
					assignments: { assignments: [{ id: randomUUID(), name: 'process', type: 'string', value: '={{ $env.N8N_QUEUE_PROCESS }}' }] },
					options: {},
				},
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Where', type: 'main', index: 0 }]] } },
	};
}

const zoomEvent = (messageId) => ({
	event: EVENT,
	event_ts: Date.now(),
	payload: { account_id: 'acct', operator: 'someone@example.com', object: { message_id: messageId, channel_id: 'chan-1', message: `hello ${messageId}` } },
});

/** Signed bytes and headers, sent as is (a replay sends the very same). */
function signed(body) {
	const raw = JSON.stringify(body);
	return { raw, headers: { ...signWebhook({ secret: SECRET, rawBody: Buffer.from(raw) }), 'x-zm-request-id': randomUUID() } };
}

async function staticDeliveries(q, workflowId) {
	const [row] = await q.query('SELECT "staticData" AS data FROM workflow_entity WHERE id = $1', [workflowId]);
	const data = typeof row?.data === 'string' ? JSON.parse(row.data) : row?.data;
	const node = data?.[`node:${TRIGGER}`];
	return { keys: Object.keys(node?.deliveries ?? {}), savedAt: node?.deliveriesSavedAt, raw: data };
}

async function activate(q, workflow) {
	return await q.call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
}

/** Time until a production URL stops answering 404 (2.x publishes in the background). */
async function untilLive(url, body, timeoutMs = 60_000) {
	const started = Date.now();
	for (;;) {
		const res = await post(url, body).catch(() => ({ status: 0 }));
		if (res.status !== 404 && res.status !== 0) return { ms: Date.now() - started, res };
		if (Date.now() - started > timeoutMs) throw new Error(`${url} still ${res.status} after ${timeoutMs / 1000} s`);
		await delay(200);
	}
}

async function main() {
	if (!targets[target]) throw new Error(`unknown target ${target}`);
	install(target);
	if (!existsSync(join(packageDir, 'dist', 'nodes', 'ZoomTeamChatTrigger', 'ZoomTeamChatTrigger.node.js'))) build();
	const root = join(toolsDir, 'queue-mode');
	pruneOldRuns(root, 3);
	const runDir = join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}-n8n-${target}`);
	mkdirSync(runDir, { recursive: true });
	const tarball = pack(join(runDir, 'pack'));
	console.log(`n8n ${targets[target].version} queue mode, run folder ${runDir}`);

	const started = Date.now();
	const q = await startQueueMode({
		target,
		runDir,
		packageTarball: tarball,
		webhookProcesses: 2,
		workers: 2,
		workerConcurrency: 10,
		log: (line) => console.log(`  ${line}`),
		// The Set node reports N8N_QUEUE_PROCESS; 2.x blocks $env unless told otherwise.
		extraEnv: { N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false' },
	});
	const stopOnSignal = async () => {
		await q.stop();
		process.exit(130);
	};
	process.once('SIGINT', stopOnSignal);
	process.once('SIGTERM', stopOnSignal);
	console.log(`started in ${seconds(Date.now() - started)}: main ${q.main.base} pid ${q.main.pid}; webhooks ${q.webhooks.map((w) => `${w.base} pid ${w.pid}`).join(', ')}; workers pids ${q.workers.map((w) => w.pid).join(', ')}; balancer ${q.balancer.base}`);
	console.log(`boot: ${[q.main, ...q.webhooks, ...q.workers].map((p) => `${p.role} ${seconds(p.bootMs)}`).join(', ')}`);
	try {
		await check('node types of the package are registered on main', async () => {
			const types = await q.getJson('/types/nodes.json');
			assert(types.some((t) => t.name === `${packageJson.name}.zoomTeamChatTrigger`), 'trigger type missing');
		});

		// Plain Webhook → Set.
		const wf = await q.call('POST', '/workflows', probeWorkflow());
		const activatedAt = Date.now();
		await activate(q, wf);
		console.log(`activation request answered in ${seconds(Date.now() - activatedAt)}`);
		let sent = 0;
		for (const hook of q.webhooks) {
			await check(`${hook.role}: production URL answers`, async () => {
				const { ms, res } = await untilLive(`${hook.base}/webhook/qprobe`, { n: -1 });
				sent++;
				return `non-404 ${seconds(Date.now() - activatedAt)} after activation (${seconds(ms)} polling), status ${res.status}, body ${res.text.slice(0, 120)}`;
			});
		}
		await check('main answers 404 on the production URL (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)', async () => {
			const res = await post(`${q.main.base}/webhook/qprobe`, { n: -2 });
			assert(res.status === 404, `status ${res.status} ${res.text.slice(0, 200)}`);
			return `${res.status} ${res.text.slice(0, 100)}`;
		});
		const answers = [];
		await check('6 concurrent calls (3 per webhook process) answer from workers (responseMode lastNode)', async () => {
			const calls = [];
			for (let n = 0; n < 6; n++) {
				const hook = q.webhooks[n % q.webhooks.length];
				const t = Date.now();
				calls.push(post(`${hook.base}/webhook/qprobe`, { n }).then((r) => ({ ...r, via: hook.role, ms: Date.now() - t })));
			}
			for (const r of await Promise.all(calls)) answers.push(r);
			sent += 6;
			for (const r of answers) assert(r.status === 200, `${r.via}: ${r.status} ${r.text.slice(0, 200)}`);
			const by = answers.map((r) => `${r.via}→${r.json?.process}(#${r.json?.execution}, ${r.ms} ms)`);
			assert(answers.every((r) => String(r.json?.process).startsWith('worker-')), `ran on ${by.join(', ')}`);
			return by.join(' ');
		});
		await check('through the balancer (the instance URL n8n was given)', async () => {
			const res = await post(`${q.balancer.base}/webhook/qprobe`, { n: 100 });
			sent++;
			assert(res.status === 200, `${res.status} ${res.text.slice(0, 200)}`);
			return `ran on ${res.json?.process}`;
		});
		await check('executions listed on main, all successful, each started by a worker (worker logs)', async () => {
			const list = await waitFor('the executions to finish', async () => {
				const l = await executionsOf(q.call, wf.id);
				return l.length >= sent && l.every((e) => e.status === 'success' || e.status === 'error' || e.status === 'crashed') ? l : undefined;
			}, 60_000);
			const where = list.map((e) => `#${e.id} ${e.mode}/${e.status}@${workerOf(q, e.id) ?? '?'}`);
			assert(list.length === sent, `${list.length} executions for ${sent} calls: ${where.join(', ')}`);
			assert(list.every((e) => e.status === 'success'), where.join(', '));
			assert(list.every((e) => workerOf(q, e.id)), `not all in worker logs: ${where.join(', ')}`);
			const perWorker = q.workers.map((w) => `${w.role}: ${list.filter((e) => workerOf(q, e.id) === w.role).length}`);
			return `${list.length} executions; ${perWorker.join(', ')}`;
		});

		// The package's trigger.
		const credential = await q.call('POST', '/credentials', { name: 'Zoom secret', type: 'zoomTeamChatWebhookApi', data: { webhookSecretToken: SECRET } });
		const webhookId = randomUUID();
		const twf = await q.call('POST', '/workflows', triggerWorkflow(credential, webhookId));
		const tActivated = Date.now();
		await check('trigger workflow activates (create() runs on main)', async () => {
			await activate(q, twf);
			return `answered in ${seconds(Date.now() - tActivated)}`;
		});
		const urlOf = (hook) => `${hook.base}/webhook/${webhookId}/webhook`;
		const [a, b] = q.webhooks;
		await check(`${a.role}: Zoom's signed URL validation is answered`, async () => {
			const validation = signed({ event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken: 'plain-123' } });
			const { ms, res } = await untilLive(urlOf(a), validation.raw);
			// untilLive sent it unsigned: it must have been refused; now the signed one.
			assert(res.status === 401, `unsigned validation answered ${res.status} ${res.text.slice(0, 200)}`);
			const ok = await post(urlOf(a), validation.raw, validation.headers);
			assert(ok.status === 200 && ok.json?.plainToken === 'plain-123' && /^[0-9a-f]{64}$/.test(ok.json?.encryptedToken ?? ''), `${ok.status} ${ok.text.slice(0, 200)}`);
			return `live ${seconds(Date.now() - tActivated)} after activation (${seconds(ms)} polling); ${ok.text}`;
		});
		await check(`${b.role}: forged signature gets 401 (webhook() runs in the webhook process)`, async () => {
			await untilLive(urlOf(b), '{}');
			const forged = await post(urlOf(b), zoomEvent('forged'), { 'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-zm-signature': `v0=${'0'.repeat(64)}` });
			assert(forged.status === 401, `${forged.status} ${forged.text.slice(0, 200)}`);
			const refusedIn = [a, b].filter((h) => /Zoom Team Chat Trigger: request refused/.test(readFileSync(h.log, 'utf8'))).map((h) => h.role);
			const inMain = /Zoom Team Chat Trigger: request refused/.test(readFileSync(q.main.log, 'utf8'));
			return `refusals logged by ${refusedIn.join(', ') || 'nobody'}; main logged one: ${inMain}`;
		});
		const e1 = signed(zoomEvent('m-1'));
		const e2 = signed(zoomEvent('m-2'));
		const e3 = signed(zoomEvent('m-3'));
		const acks = [];
		await check(`${a.role}: signed event is acked`, async () => {
			const res = await post(urlOf(a), e1.raw, e1.headers);
			acks.push(`${a.role} m-1: ${res.status} ${res.text.slice(0, 80)}`);
			assert(res.status === 200, `${res.status} ${res.text}`);
			return res.text.slice(0, 120);
		});
		await delay(300);
		let afterFirst;
		await check('static data after one event (webhook process saves it)', async () => {
			afterFirst = await staticDeliveries(q, twf.id);
			return `${afterFirst.keys.length} keys persisted, deliveriesSavedAt=${afterFirst.savedAt ?? 'none'}`;
		});
		await check(`replay of m-1 to ${b.role} 1.5 s later (another process: only the persisted record can tell)`, async () => {
			await delay(1500);
			const res = await post(urlOf(b), e1.raw, e1.headers);
			acks.push(`${b.role} m-1 replay: ${res.status} ${res.text.slice(0, 80)}`);
			assert(res.status === 200, `${res.status} ${res.text}`);
			assert(/duplicate/.test(res.text), `not seen as duplicate: ${res.text}`);
			return res.text;
		});
		await check('two events at once, one per webhook process (last writer of static data wins?)', async () => {
			const [r2, r3] = await Promise.all([post(urlOf(a), e2.raw, e2.headers), post(urlOf(b), e3.raw, e3.headers)]);
			acks.push(`${a.role} m-2: ${r2.status} ${r2.text.slice(0, 60)}`, `${b.role} m-3: ${r3.status} ${r3.text.slice(0, 60)}`);
			assert(r2.status === 200 && r3.status === 200, `${r2.status} ${r3.status}`);
			await delay(500);
			const now = await staticDeliveries(q, twf.id);
			return `persisted keys now ${now.keys.length} (m-1 had ${afterFirst?.keys.length ?? '?'}; m-2 and m-3 add 2 each if both saves kept)`;
		});
		await check('replays of m-2 to b and m-3 to a (cross-process, 1.5 s later)', async () => {
			await delay(1500);
			const [r2, r3] = await Promise.all([post(urlOf(b), e2.raw, e2.headers), post(urlOf(a), e3.raw, e3.headers)]);
			const verdict = (r) => (/duplicate/.test(r.text) ? 'duplicate' : `ACCEPTED AGAIN (${r.status} ${r.text.slice(0, 60)})`);
			return `m-2 at ${b.role}: ${verdict(r2)}; m-3 at ${a.role}: ${verdict(r3)}`;
		});
		await check('trigger executions ran on workers', async () => {
			await delay(1500);
			const list = await waitFor('the trigger executions to finish', async () => {
				const l = await executionsOf(q.call, twf.id);
				return l.length > 0 && l.every((e) => e.status === 'success' || e.status === 'error' || e.status === 'crashed') ? l : undefined;
			}, 60_000);
			const where = list.map((e) => `#${e.id} ${e.mode}/${e.status}@${workerOf(q, e.id) ?? '?'}`);
			assert(list.every((e) => e.status === 'success' && workerOf(q, e.id)), where.join(', '));
			return `${list.length} executions (3 distinct events sent): ${where.join(', ')}`;
		});
		console.log(`acks: ${acks.join(' | ')}`);
		const finalStatic = await staticDeliveries(q, twf.id);
		console.log(`static data at the end: ${JSON.stringify(finalStatic.raw).slice(0, 600)}`);
		console.log(`balancer spread: ${q.balancer.served().join(' / ')}`);
		const redisKeys = await redisKeySample(q);
		console.log(`Redis keys of this run: ${redisKeys}`);
	} finally {
		const t = Date.now();
		await q.stop();
		console.log(`stopped in ${seconds(Date.now() - t)}; database ${q.database} dropped`);
	}
	console.log(failures.length ? `${failures.length} check(s) failed: ${failures.join('; ')}` : 'all checks passed');
	process.exitCode = failures.length ? 1 : 0;
}

/** Which keys the run left in Redis (by prefix), for the report. */
async function redisKeySample(q) {
	const { execFileSync } = await import('node:child_process');
	try {
		const out = (prefix) => execFileSync('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', `${prefix}*`], { encoding: 'utf8' }).split('\n').filter(Boolean);
		const bull = out(q.bullPrefix);
		const cache = out(q.redisPrefix);
		const legacy = out('n8n:');
		return `${bull.length} under ${q.bullPrefix} (${bull.slice(0, 3).join(', ')}…), ${cache.length} under ${q.redisPrefix} (${cache.slice(0, 3).join(', ')}), ${legacy.length} under n8n:`;
	} catch (error) {
		return `redis-cli unavailable (${error.message})`;
	}
}

await main();
