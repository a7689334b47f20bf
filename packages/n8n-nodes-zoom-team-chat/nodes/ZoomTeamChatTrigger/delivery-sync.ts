import { createHmac } from 'crypto';
import type { IDataObject, IHttpRequestOptions, IWebhookFunctions, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { signWebhook, verifyWebhook, WebhookVerificationError, type RawBody } from '@zoom-team-chat/core/portable';

import { confirmKeys, learnKeys, nextCheckAt, pendingKeys } from './delivery-dedupe';

/**
 * Makes a webhook process's de-dupe keys reach the shared record, across n8n processes.
 *
 * In queue mode several webhook processes take Zoom's deliveries. n8n gives a community node no
 * shared store that it can update atomically there: static data is read when a request arrives and
 * written back whole when it ends, so one process's write can drop the keys another process wrote
 * meanwhile (delivery-dedupe.ts). Every write puts back what the writer knows, but the keys of the
 * last deliveries of a burst would be known to one process only, and a retry reaching another
 * process (Zoom retries after 5, 25 and 85 minutes; a load balancer picks any process) would start
 * the workflow twice.
 *
 * So after accepting deliveries, a process sends its keys to its own production webhook URL, signed
 * with a key derived from the Secret Token. Whichever process takes that request learns the keys,
 * tells which of them its copy of the record lacked, and writes the record. The sender repeats
 * (about once a second) until the record holds them, then sends each key again at the check ages
 * of CHECK_AGES_MS (2 s to 4 minutes after acceptance): a request that read the record before the
 * key was written and wrote its copy back after a check would have dropped it, and the next check
 * puts it back before Zoom's first retry. In a single n8n process this costs one request per
 * second of traffic and a few after it, answered without starting an execution.
 */

/** The header that marks a sync (its signature uses the derived key, not the Secret Token). */
export const SYNC_HEADER = 'x-zoom-team-chat-sync';
const SYNC_EVENT = 'n8n-nodes-zoom-team-chat.dedupe_sync';
const SYNC_KEY_PURPOSE = 'n8n-nodes-zoom-team-chat: de-dupe sync between webhook processes, v1';
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** Keys per sync request (each about 80 bytes of JSON). */
const MAX_KEYS_PER_SYNC = 1_000;
const SYNC_TIMEOUT_MS = 10_000;
/** A loop that cannot reach its URL stops after this long (its keys stay in memory for their TTL). */
const GIVE_UP_MS = 15 * 60_000;

/** The sync signing key: a sync can never pass as a Zoom event, nor an event as a sync. */
export function syncKey(secret: string): string {
	return createHmac('sha256', secret).update(SYNC_KEY_PURPOSE).digest('hex');
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface Loop {
	url: string;
	secret: string;
	request: HttpRequest;
	logger: Logger;
}

/** One loop per workflow node and process; a request arriving meanwhile refreshes what it uses. */
const loops = new Map<string, Loop>();
const warned = new Set<string>();

/**
 * Called after a delivery was accepted in a production (not test) webhook: starts this process's
 * sync loop for the node unless one is running.
 */
export function scheduleSync(context: IWebhookFunctions, scope: string, secret: string): void {
	const url = context.getNodeWebhookUrl('default');
	if (url === undefined || url === '') return;
	const loop: Loop = { url, secret, request: context.helpers.httpRequest, logger: context.logger };
	const running = loops.get(scope);
	loops.set(scope, loop);
	if (running !== undefined) return;
	runLoop(scope).catch((error: unknown) => {
		loops.delete(scope);
		loop.logger.warn(
			`Zoom Team Chat Trigger: de-dupe sync stopped (${error instanceof Error ? error.message : String(error)})`,
		);
	});
}

async function runLoop(scope: string): Promise<void> {
	let delay = FIRST_DELAY_MS;
	let failingSince: number | undefined;
	for (;;) {
		await sleep(delay);
		const loop = loops.get(scope);
		if (loop === undefined) return;
		const startedAt = Date.now();
		const pending = pendingKeys(scope, startedAt, MAX_KEYS_PER_SYNC);
		if (pending.length === 0) {
			const next = nextCheckAt(scope, startedAt);
			if (next === undefined) {
				loops.delete(scope);
				return;
			}
			// A delivery accepted meanwhile must not wait for the next check, so look again each second.
			delay = Math.min(Math.max(next - startedAt, FIRST_DELAY_MS), 1_000);
			continue;
		}
		try {
			const absent = new Set(
				await sendSync(
					loop,
					pending.map((p) => [p.key, p.expiresAt]),
				),
			);
			failingSince = undefined;
			confirmKeys(
				scope,
				pending.filter((p) => !absent.has(p.key)).map((p) => p.key),
				startedAt,
			);
			delay = absent.size > 0 ? FIRST_DELAY_MS : 1_000;
		} catch (error) {
			failingSince ??= startedAt;
			if (!warned.has(loop.url)) {
				warned.add(loop.url);
				loop.logger.warn(
					`Zoom Team Chat Trigger: could not reach its own webhook URL ${loop.url} to share de-dupe keys with other n8n processes (${
						error instanceof Error ? error.message : String(error)
					}). In queue mode, a Zoom retry of one of the last deliveries may then start the workflow again if another process takes it.`,
				);
			}
			if (startedAt - failingSince > GIVE_UP_MS) {
				loops.delete(scope);
				return;
			}
			delay = Math.min(delay * 2, MAX_DELAY_MS);
		}
	}
}

async function sendSync(loop: Loop, keys: Array<[string, number]>): Promise<string[]> {
	const body = JSON.stringify({ event: SYNC_EVENT, keys });
	const headers: IDataObject = {
		'content-type': 'application/json',
		[SYNC_HEADER]: '1',
		...signWebhook({ secret: syncKey(loop.secret), rawBody: body }),
	};
	const response = (await loop.request({
		method: 'POST',
		url: loop.url,
		headers,
		body,
		json: false,
		encoding: 'text',
		timeout: SYNC_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body?: unknown };
	if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
	const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
	const parsed = JSON.parse(text) as { absent?: unknown };
	if (!Array.isArray(parsed.absent)) throw new Error('the answer has no list of absent keys');
	return parsed.absent.filter((k): k is string => typeof k === 'string');
}

/** What a sync request gets back. */
export type SyncOutcome = { status: 200; absent: string[] } | { status: 400 | 401; reason: string };

/**
 * Handles a request carrying SYNC_HEADER: verified with the derived key over the raw body (a bad
 * one is refused like a forged event), then the keys are learnt and written (learnKeys).
 */
export function receiveSync(options: {
	rawBody: RawBody;
	headers: Record<string, string | string[] | undefined>;
	secret: string;
	data: IDataObject;
	scope: string;
	now: number;
}): SyncOutcome {
	let payload: { event?: unknown; keys?: unknown };
	try {
		payload = verifyWebhook<{ event?: unknown; keys?: unknown }>({
			rawBody: options.rawBody,
			headers: options.headers,
			secrets: [syncKey(options.secret)],
		});
	} catch (error) {
		// Anything else (a misuse of the core) is a bug, reported as a refusal rather than a crash.
		if (error instanceof WebhookVerificationError)
			return { status: error.status === 401 ? 401 : 400, reason: error.reason };
		return { status: 400, reason: error instanceof Error ? error.message : String(error) };
	}
	if (payload.event !== SYNC_EVENT || !Array.isArray(payload.keys))
		return { status: 400, reason: 'not a de-dupe sync' };
	const entries: Array<[string, number]> = [];
	for (const item of payload.keys.slice(0, MAX_KEYS_PER_SYNC)) {
		if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number' && Number.isFinite(item[1])) {
			entries.push([item[0], item[1]]);
		}
	}
	return { status: 200, absent: learnKeys({ data: options.data, scope: options.scope, entries, now: options.now }) };
}
