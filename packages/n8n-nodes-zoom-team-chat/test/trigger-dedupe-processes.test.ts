// The trigger's de-dupe across n8n processes (queue mode: several webhook processes). Each
// "process" is its own copy of the trigger's modules (vi.resetModules), so each has its own memory;
// they share one "database" row of static data with n8n's semantics: a request reads a copy when it
// arrives and, if it changed it, writes the whole copy back when it ends (the last writer wins).
// Requests of a burst run concurrently, so writes drop each other's keys; a replay of every
// delivery to the *other* process afterwards must start nothing.
import { describe, expect, it, vi } from 'vitest';
import { signWebhook } from '@zoom-team-chat/core/portable';
import {
	sleep,
	type IDataObject,
	type IHttpRequestOptions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { ZoomTeamChatWebhookApi } from '../credentials/ZoomTeamChatWebhookApi.credentials';
import { webhookContext } from './helpers/contexts';

const SECRET = 'queue-secret-token';
const PUBLIC_URL = 'https://n8n.example.com/webhook/abc/webhook';
const credentials = {
	zoomTeamChatWebhookApi: { type: new ZoomTeamChatWebhookApi(), data: { webhookSecretToken: SECRET } },
};
const parameters = { authentication: 'webhookSecret', events: ['team_chat.channel_message_posted'], options: {} };
const clone = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

interface Process {
	webhook: (this: IWebhookFunctions) => Promise<IWebhookResponseData>;
	/** True while some key of this process has checks left to run. */
	open: (scope: string) => boolean;
	/** Keys due to be sent in a sync now. */
	due: (scope: string) => number;
}

/** Check ages shortened from minutes to fractions of a second (same order, same spacing idea). */
const TEST_CHECK_AGES_MS = [300, 1_500, 3_000];

async function startProcess(checkAges = TEST_CHECK_AGES_MS): Promise<Process> {
	vi.resetModules();
	const { handleDelivery } = await import('../nodes/ZoomTeamChatTrigger/delivery.js');
	const { CHECK_AGES_MS, nextCheckAt, pendingKeys } = await import('../nodes/ZoomTeamChatTrigger/delivery-dedupe.js');
	CHECK_AGES_MS.splice(0, CHECK_AGES_MS.length, ...checkAges);
	return {
		webhook: handleDelivery,
		open: (scope) => nextCheckAt(scope, Date.now()) !== undefined,
		due: (scope) => pendingKeys(scope, Date.now(), 10_000).length,
	};
}

async function settle(processes: Process[]): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (processes.some((p) => p.open(SCOPE)) && Date.now() < deadline) await sleep(100);
	expect(processes.map((p) => p.open(SCOPE))).toEqual(processes.map(() => false));
}

function event(i: number): { rawBody: Buffer; headers: Record<string, string> } {
	const body = {
		event: 'team_chat.channel_message_posted',
		event_ts: 1_700_000_000_000 + i,
		payload: {
			account_id: 'acc',
			operator: 'casey@example.com',
			operator_id: 'u-casey',
			object: { message_id: `msg-${i}`, channel_id: 'chan-1', message: `m${i}` },
		},
	};
	const rawBody = Buffer.from(JSON.stringify(body));
	return {
		rawBody,
		headers: {
			'content-type': 'application/json',
			'x-zm-request-id': `req-${i}`,
			...signWebhook({ secret: SECRET, rawBody }),
		},
	};
}

/** Two webhook processes behind a round-robin balancer, one database row, n8n's save semantics. */
function queueMode(processes: Process[], options: { sync: boolean }) {
	const db: { node: IDataObject } = { node: {} };
	const started: string[] = [];
	let turn = 0;

	/** Runs one request: reads the row now, returns a commit that writes it back if changed. */
	async function request(p: Process, rawBody: Buffer, headers: Record<string, string>) {
		const data = clone(db.node);
		const before = JSON.stringify(data);
		const context = webhookContext({
			parameters,
			credentials,
			headers,
			rawBody,
			staticData: data,
			workflowId: 'wf-queue',
			webhookUrl: options.sync ? PUBLIC_URL : undefined,
			httpRequest: balancer,
		});
		const result = await p.webhook.call(context);
		for (const item of result.workflowData?.[0] ?? []) {
			const payload = item.json.payload as { object: { message_id: string } };
			started.push(payload.object.message_id);
		}
		return {
			result,
			response: context.response,
			commit: () => {
				if (JSON.stringify(data) !== before) db.node = clone(data);
			},
		};
	}

	/** `helpers.httpRequest` to the public URL: the balancer picks the next process. */
	async function balancer(options: IHttpRequestOptions): Promise<unknown> {
		expect(options.url).toBe(PUBLIC_URL);
		const p = processes[turn++ % processes.length] as Process;
		const headers = options.headers as Record<string, string>;
		const r = await request(p, Buffer.from(String(options.body)), headers);
		r.commit();
		const status = r.result.noWebhookResponse ? r.response.statusCode : 200;
		const body = r.result.noWebhookResponse ? r.response.body : r.result.webhookResponse;
		return { statusCode: status, body: JSON.stringify(body) };
	}

	return { db, started, request };
}

/** A burst where each pair of requests (one per process) overlaps: both read, then both write. */
async function burst(q: ReturnType<typeof queueMode>, [first, second]: [Process, Process], count: number) {
	const sent = [];
	for (let i = 0; i < count; i += 2) {
		const a = event(i);
		const b = event(i + 1);
		sent.push(a, b);
		const ra = await q.request(first, a.rawBody, a.headers);
		const rb = await q.request(second, b.rawBody, b.headers);
		// The first to finish writes first; the second's older copy then drops the first's key.
		if (i % 4 === 0) {
			ra.commit();
			rb.commit();
		} else {
			rb.commit();
			ra.commit();
		}
	}
	return sent;
}

async function replayToOther(
	q: ReturnType<typeof queueMode>,
	processes: [Process, Process],
	sent: Array<ReturnType<typeof event>>,
) {
	for (const [i, s] of sent.entries()) {
		// Event i went to process i % 2; its retry goes to the other one.
		const r = await q.request(processes[(i + 1) % 2] as Process, s.rawBody, s.headers);
		r.commit();
	}
}

const SCOPE = 'wf-queue\u0000node-1\u0000webhook';

describe('trigger de-dupe across webhook processes (queue mode)', () => {
	it('a retry of any delivery of a burst, sent later to the other process, starts nothing', async () => {
		const processes: [Process, Process] = [await startProcess(), await startProcess()];
		const q = queueMode(processes, { sync: true });
		const sent = await burst(q, processes, 40);
		expect(new Set(q.started).size).toBe(40);
		// Each process writes its keys through the public URL until it has read them back.
		await settle(processes);
		expect(Object.keys(q.db.node.deliveries as IDataObject)).toHaveLength(80);

		await replayToOther(q, processes, sent);
		expect(q.started).toHaveLength(40);
		// A fresh process (a restart, or a third webhook process) knows them all from the record.
		const fresh = await startProcess();
		for (const s of sent.slice(-4)) {
			const r = await q.request(fresh, s.rawBody, s.headers);
			expect(r.result.webhookResponse).toEqual({ received: true, skipped: 'duplicate delivery' });
		}
		expect(q.started).toHaveLength(40);
	}, 30_000);

	// A request that read the record before a key was written, and writes its copy back only after
	// the key's first check found it, drops it. Later checks put it back; with one check, a retry
	// then reaching a process that never saw the key ran the workflow twice.
	for (const [name, ages, twice] of [
		['checks at several ages put back a key a late write dropped', TEST_CHECK_AGES_MS, false],
		['one check alone leaves that key lost (what the later checks are for)', [300], true],
	] as const) {
		it(
			name,
			async () => {
				const accepting = await startProcess([...ages]);
				const slow = await startProcess([...ages]);
				const q = queueMode([accepting], { sync: true });
				const late = event(1);
				const stale = await q.request(slow, late.rawBody, late.headers);
				const first = event(0);
				(await q.request(accepting, first.rawBody, first.headers)).commit();
				// Past the first check: the key is in the record and a sync read it back from there.
				const deadline = Date.now() + 10_000;
				while (accepting.due(SCOPE) > 0 && Date.now() < deadline) await sleep(20);
				expect(accepting.due(SCOPE)).toBe(0);
				stale.commit();
				await settle([accepting]);
				// The retry reaches a process that knows only the record (a restart, or a third one).
				const fresh = await startProcess([...ages]);
				const retry = await q.request(fresh, first.rawBody, first.headers);
				retry.commit();
				expect(q.started.filter((id) => id === 'msg-0')).toHaveLength(twice ? 2 : 1);
			},
			30_000,
		);
	}

	it('without the sync, the same burst runs some retries twice (what the sync is for)', async () => {
		const processes: [Process, Process] = [await startProcess(), await startProcess()];
		const q = queueMode(processes, { sync: false });
		const sent = await burst(q, processes, 40);
		await replayToOther(q, processes, sent);
		expect(q.started.length).toBeGreaterThan(40);
	});

	it('refuses a sync that is not signed with the key derived from the Secret Token', async () => {
		const p = await startProcess();
		const q = queueMode([p], { sync: false });
		const body = Buffer.from(
			JSON.stringify({ event: 'n8n-nodes-zoom-team-chat.dedupe_sync', keys: [['req-x', Date.now() + 60_000]] }),
		);
		// Signed with the Secret Token itself, as a Zoom event would be: not a valid sync.
		const forged = await q.request(p, body, {
			'content-type': 'application/json',
			'x-zoom-team-chat-sync': '1',
			...signWebhook({ secret: SECRET, rawBody: body }),
		});
		forged.commit();
		expect(forged.response.statusCode).toBe(401);
		expect(q.db.node.deliveries).toBeUndefined();
		// The Zoom event path is not affected by the header's absence: a delivery with that id runs.
		const e = event(7);
		const r = await q.request(p, e.rawBody, { ...e.headers, 'x-zm-request-id': 'req-x' });
		expect(r.result.workflowData).toBeDefined();
	});
});
