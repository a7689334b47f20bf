// The trigger's per-event shortcuts: de-duplication kept in memory with the static data written
// at most once a second, and the credential's secret reused for a few seconds. n8n gives every
// webhook request its own copy of the static data, read from the database when the request
// arrived; these tests hand out copies the same way.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '@zoom-team-chat/core/portable';
import { sleep, type IDataObject } from 'n8n-workflow';

import { ZoomTeamChatWebhookApi } from '../credentials/ZoomTeamChatWebhookApi.credentials';
import { handleDelivery } from '../nodes/ZoomTeamChatTrigger/delivery';
import {
	PERSIST_INTERVAL_MS,
	PERSISTED_MAX_KEYS,
	recordKey,
	seenDelivery,
} from '../nodes/ZoomTeamChatTrigger/delivery-dedupe';
import { SECRET_CACHE_MS } from '../nodes/ZoomTeamChatTrigger/secret';
import { webhookContext } from './helpers/contexts';

const TTL = 60_000;
let scopeSeq = 0;
const newScope = () => `wf-cache-${++scopeSeq}\u0000node\u0000webhook`;
/** What n8n's database holds: the static data as last saved. */
const copy = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

describe('trigger de-duplication across requests', () => {
	it('drops a retry racing the original (both requests read the static data before either saved)', () => {
		const scope = newScope();
		// A workflow that has received events before (its record was saved once).
		const db: IDataObject = { deliveries: {}, deliveriesSavedAt: 0 };
		const first = copy(db);
		const second = copy(db);
		expect(seenDelivery({ data: first, scope, keys: ['req-a'], ttlMs: TTL, now: 1_000 })).toBe(false);
		expect(seenDelivery({ data: second, scope, keys: ['req-a'], ttlMs: TTL, now: 1_001 })).toBe(true);
	});

	it('drops a retry whose copy of the static data predates the save that recorded the original', () => {
		const scope = newScope();
		let db: IDataObject = {};
		const a = copy(db);
		seenDelivery({ data: a, scope, keys: ['req-0'], ttlMs: TTL, now: 1_000 });
		db = copy(a); // saved at 1 000
		const stale = copy(db);
		const b = copy(db);
		seenDelivery({ data: b, scope, keys: ['req-b'], ttlMs: TTL, now: 2_500 });
		expect(b.deliveries).toHaveProperty(recordKey('req-b'));
		db = copy(b);
		// Read before b's save: lacks req-b, older deliveriesSavedAt.
		expect(seenDelivery({ data: stale, scope, keys: ['req-b'], ttlMs: TTL, now: 2_600 })).toBe(true);
	});

	it('writes the static data at most once a second under load, each write carrying every key since', () => {
		const scope = newScope();
		let db: IDataObject = {};
		const changed: number[] = [];
		for (let i = 0; i < 50; i++) {
			const data = copy(db);
			const before = JSON.stringify(data);
			expect(seenDelivery({ data, scope, keys: [`req-${i}`], ttlMs: TTL, now: 10_000 + i * 50 })).toBe(false);
			if (JSON.stringify(data) !== before) {
				changed.push(i);
				db = data;
			}
		}
		// 50 events over 2.5 s: written at the first, then once PERSIST_INTERVAL_MS had passed.
		expect(PERSIST_INTERVAL_MS).toBe(1_000);
		expect(changed).toEqual([0, 20, 40]);
		expect(Object.keys(db.deliveries as IDataObject)).toEqual(
			Array.from({ length: 41 }, (_, i) => recordKey(`req-${i}`)),
		);
		// A retry of a key written only to memory is still caught in this process.
		expect(seenDelivery({ data: copy(db), scope, keys: ['req-49'], ttlMs: TTL, now: 12_500 })).toBe(true);
	});

	it('catches a retry after a restart when the original was saved (memory is empty, the record is not)', () => {
		const saved: IDataObject = {};
		seenDelivery({ data: saved, scope: newScope(), keys: ['req-r'], ttlMs: TTL, now: 1_000 });
		// Another process (a restarted n8n): nothing in memory for this scope.
		expect(seenDelivery({ data: copy(saved), scope: newScope(), keys: ['req-r'], ttlMs: TTL, now: 30_000 })).toBe(true);
		expect(
			seenDelivery({ data: copy(saved), scope: newScope(), keys: ['req-r'], ttlMs: TTL, now: 1_000 + TTL + 1 }),
		).toBe(false);
	});

	it('matches on any of the keys (request id or signature)', () => {
		const scope = newScope();
		seenDelivery({ data: {}, scope, keys: ['req-k', 'signature:v0=aa'], ttlMs: TTL, now: 1_000 });
		const db: IDataObject = {};
		seenDelivery({ data: db, scope: newScope(), keys: ['req-x', 'signature:v0=bb'], ttlMs: TTL, now: 1_000 });
		expect(
			seenDelivery({ data: copy(db), scope, keys: ['req-other', 'signature:v0=aa'], ttlMs: TTL, now: 1_500 }),
		).toBe(true);
	});

	it(`keeps the ${PERSISTED_MAX_KEYS} newest keys in the record and drops expired ones`, () => {
		const scope = newScope();
		let db: IDataObject = { deliveries: { old: 500 }, deliveriesSavedAt: 0 };
		for (let i = 0; i < PERSISTED_MAX_KEYS + 200; i++) {
			// A shallow copy stands for the database read: a write replaces `deliveries`, never edits
			// it (a deep copy of up to 6 000 keys per event took 30 s on a loaded CI machine).
			const data = { ...db };
			seenDelivery({ data, scope, keys: [`k${i}`], ttlMs: TTL, now: 1_000 + i });
			db = data;
		}
		// One more event, PERSIST_INTERVAL_MS after the last write, writes them all.
		const lastAt = 1_000 + PERSISTED_MAX_KEYS + 200 + PERSIST_INTERVAL_MS;
		const data = copy(db);
		seenDelivery({ data, scope, keys: ['last'], ttlMs: TTL, now: lastAt });
		const keys = Object.keys(data.deliveries as IDataObject);
		expect(keys).toHaveLength(PERSISTED_MAX_KEYS);
		expect(keys).not.toContain('old');
		expect(keys.at(-1)).toBe(recordKey('last'));
		expect(keys[0]).toBe(recordKey(`k${200 + 1}`));
		// Dropped from the record to keep it small, still known to this process.
		expect(seenDelivery({ data: copy(data), scope, keys: ['k5'], ttlMs: TTL, now: lastAt + 100 })).toBe(true);
	});
});

describe('trigger credential reads', () => {
	const node = {
		id: 'node-c',
		name: 'Zoom Team Chat Trigger',
		type: 'CUSTOM.zoomTeamChatTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	let credentialSeq = 0;

	function setup() {
		const credentialId = `cred-${++credentialSeq}`;
		const state = { secret: 'first-secret-token', reads: 0, readDelayMs: 0 };
		const request = (secret: string, requestId: string) => {
			const rawBody = Buffer.from(
				JSON.stringify({
					event: 'team_chat.channel_message_posted',
					event_ts: Date.now(),
					payload: { object: { message_id: requestId } },
				}),
			);
			const context = webhookContext({
				parameters: { authentication: 'webhookSecret', events: ['team_chat.channel_message_posted'], options: {} },
				credentials: { zoomTeamChatWebhookApi: { type: new ZoomTeamChatWebhookApi(), data: {} } },
				headers: {
					'content-type': 'application/json',
					'x-zm-request-id': requestId,
					...signWebhook({ secret, rawBody }),
				},
				rawBody,
			}) as unknown as Record<string, unknown> & { response: { statusCode: number } };
			context.getNode = () => ({
				...node,
				credentials: { zoomTeamChatWebhookApi: { id: credentialId, name: 'webhook' } },
			});
			context.getWorkflow = () => ({ id: `wf-${credentialId}`, name: 'w', active: true });
			context.getCredentials = async () => {
				state.reads++;
				const secret = state.secret;
				if (state.readDelayMs > 0) await sleep(state.readDelayMs);
				return { webhookSecretToken: secret };
			};
			return context;
		};
		const send = async (secret: string, requestId: string) => {
			const context = request(secret, requestId);
			const result = await handleDelivery.call(context as never);
			return result.noWebhookResponse ? context.response.statusCode : 200;
		};
		return { state, send };
	}

	afterEach(() => {
		vi.restoreAllMocks();
	});

	it(`reads the credential once per ${SECRET_CACHE_MS / 1000} s, not once per event`, async () => {
		const { state, send } = setup();
		for (let i = 0; i < 5; i++) expect(await send(state.secret, `r${i}`)).toBe(200);
		expect(state.reads).toBe(1);
		const now = Date.now();
		vi.spyOn(Date, 'now').mockReturnValue(now + SECRET_CACHE_MS + 1);
		expect(await send(state.secret, 'r-later')).toBe(200);
		expect(state.reads).toBe(2);
	});

	it('reads the credential once for many requests arriving together while it is not cached', async () => {
		const { state, send } = setup();
		state.readDelayMs = 50;
		const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => send(state.secret, `together-${i}`)));
		expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
		expect(state.reads).toBe(1);
	});

	it('accepts a request signed with a rotated secret at once, and re-reads at most once a second for bad signatures', async () => {
		const { state, send } = setup();
		expect(await send(state.secret, 'a')).toBe(200);
		const now = Date.now();
		vi.spyOn(Date, 'now').mockReturnValue(now + 1_500);
		state.secret = 'rotated-secret-token';
		expect(await send('rotated-secret-token', 'b')).toBe(200);
		expect(state.reads).toBe(2);
		// The old secret is gone from the cache with that re-read.
		expect(await send('first-secret-token', 'c')).toBe(401);
		// Forged requests: refused, and within a second of the last read the credential is not read again.
		for (let i = 0; i < 5; i++) expect(await send('forged-secret', `f${i}`)).toBe(401);
		expect(state.reads).toBe(2);
	});
});
