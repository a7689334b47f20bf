import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * De-duplication of webhook deliveries across n8n executions and processes.
 *
 * n8n hands every webhook request a fresh copy of the workflow's static data, read from the
 * database when the request arrived, and writes the whole object back when a request changed it:
 * the last writer wins. Relying on that alone had two faults under load: every accepted event
 * rewrote the workflow row (up to 2 000 keys of JSON, about half of this trigger's cost per event),
 * and two requests in flight at once both saw the key missing (or one's save dropped the other's
 * key), so retries that raced or followed within a second ran the workflow twice. In queue mode
 * the requests are spread over several webhook processes, so the same happens across processes.
 *
 * So keys live in two places:
 * - memory (this process, per workflow + node): authoritative for what this process accepted;
 *   consulted synchronously, so concurrent requests in one process cannot both pass.
 * - the static data record `deliveries` (key → expiry, epoch ms): shared by every process and
 *   kept over restarts. It is written at most once a second while events keep coming
 *   (`deliveriesSavedAt` tells when); every write merges the record with each key this process
 *   holds that the record lacks, so a key another process's write dropped comes back.
 * Keys of the last second of a burst, or dropped by another process's last write, would still be
 * known to one process only; delivery-sync.ts makes each process write its keys through its own
 * webhook URL until it has read them back from the record (`pendingKeys`, `learnKeys`).
 *
 * Keys are kept as 12-character hashes (`recordKey`): a signature key is 80 characters, and the
 * record is rewritten whole, so short keys let it hold three times as many deliveries for the same
 * bytes (Zoom's first retry comes 5 minutes after a late ack: 3 000 deliveries cover 10 a second).
 */

/** Keys kept in memory per workflow node (bounded; the oldest go first). */
const MEMORY_MAX_KEYS = 10_000;
/** Workflow nodes tracked in memory (bounded; the least recently used go first). */
const MEMORY_MAX_NODES = 500;
/** Keys kept in the persisted record: n8n rewrites the whole static data object on each save. */
export const PERSISTED_MAX_KEYS = 6_000;
/**
 * The key as stored: 72 bits of its SHA-256, base64url. Among the record's keys a collision (which
 * would drop one new event as a duplicate) has a chance of about 1 in 10^14.
 */
export function recordKey(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

/** At most one write of the record per this many ms while events keep coming. */
export const PERSIST_INTERVAL_MS = 1_000;

/**
 * Ages (ms after acceptance) at which a process reads its own key back from the record. One check
 * is not enough: a request that read the record before the key was written may write its copy
 * back later (n8n saves static data when a request ends, and a loaded process or a queued database
 * pool can take seconds), dropping the key after it was seen. Each later check that finds it
 * missing writes it again; the last comes before Zoom's first retry (5 minutes).
 * Mutable only so that tests can shorten it.
 */
export const CHECK_AGES_MS = [2_000, 15_000, 60_000, 240_000];

interface Entry {
	expiresAt: number;
	/** When this key was written to the record by this process (undefined: not yet). */
	savedAt?: number;
	/** When this process accepted the delivery (undefined: learnt from another process). */
	acceptedAt?: number;
	/**
	 * How many of CHECK_AGES_MS this key has passed: read back from the shared record by a sync that
	 * started at least that long after it was accepted. Learnt keys count as done (their own
	 * process checks them).
	 */
	checks: number;
}

interface NodeMemory {
	keys: Map<string, Entry>;
	lastSave: number;
}

const memories = new Map<string, NodeMemory>();

function memoryFor(scope: string): NodeMemory {
	let memory = memories.get(scope);
	if (memory === undefined) {
		memory = { keys: new Map(), lastSave: -Infinity };
		if (memories.size >= MEMORY_MAX_NODES) {
			const oldest = memories.keys().next();
			if (oldest.done !== true) memories.delete(oldest.value);
		}
	} else {
		memories.delete(scope);
	}
	memories.set(scope, memory);
	return memory;
}

function ownNumber(record: IDataObject | undefined, key: string): number | undefined {
	if (record === undefined || !Object.prototype.hasOwnProperty.call(record, key)) return undefined;
	const value = record[key];
	return typeof value === 'number' ? value : undefined;
}

function recordOf(data: IDataObject): IDataObject | undefined {
	const record = data.deliveries;
	return record !== null && typeof record === 'object' && !Array.isArray(record) ? (record as IDataObject) : undefined;
}

/**
 * True when any of `keys` (one delivery's identities) was accepted within the TTL: a duplicate.
 * Otherwise records them all and returns false. `data` is the node's static data for this
 * request; `scope` names the workflow node (workflow id + node id); `now` is epoch ms.
 * Synchronous on purpose: no other request can interleave between the check and the record.
 */
export function seenDelivery(options: {
	data: IDataObject;
	scope: string;
	keys: string[];
	ttlMs: number;
	now: number;
}): boolean {
	const { data, scope, ttlMs, now } = options;
	const keys = options.keys.map(recordKey);
	const record = recordOf(data);
	const savedAtRaw = data.deliveriesSavedAt;
	const recordSavedAt = typeof savedAtRaw === 'number' ? savedAtRaw : undefined;
	const memory = memoryFor(scope);

	for (const key of keys) {
		const persisted = ownNumber(record, key);
		if (persisted !== undefined) {
			// The record knows this key: its expiry decides.
			if (persisted > now) return true;
			continue;
		}
		const entry = memory.keys.get(key);
		// A record never written by any process (a new workflow, or static data reset) knows
		// nothing older; otherwise a key this process accepted counts even when this request's
		// copy of the record predates its write or the record dropped it to stay small.
		if (entry !== undefined && entry.expiresAt > now && (entry.savedAt === undefined || recordSavedAt !== undefined))
			return true;
	}

	for (const key of keys) {
		remember(memory, key, { expiresAt: now + ttlMs, acceptedAt: now, checks: 0 });
	}

	const due =
		recordSavedAt === undefined ||
		recordSavedAt > now ||
		(now - recordSavedAt >= PERSIST_INTERVAL_MS && now - memory.lastSave >= PERSIST_INTERVAL_MS);
	if (due) persist(data, record, recordSavedAt, memory, now);
	return false;
}

function remember(memory: NodeMemory, key: string, entry: Entry): void {
	memory.keys.delete(key);
	memory.keys.set(key, entry);
	if (memory.keys.size > MEMORY_MAX_KEYS) {
		const oldest = memory.keys.keys().next();
		if (oldest.done !== true) memory.keys.delete(oldest.value);
	}
}

/**
 * Writes the record: its live keys plus every live key of this process it lacks, newest kept.
 * A key this process wrote before is added again when another process's write dropped it; not
 * when the record was reset (no `deliveriesSavedAt`), which forgets what it held.
 */
function persist(
	data: IDataObject,
	record: IDataObject | undefined,
	recordSavedAt: number | undefined,
	memory: NodeMemory,
	now: number,
): void {
	const merged = new Map<string, number>();
	if (record !== undefined) {
		for (const k of Object.keys(record)) {
			const v = record[k];
			if (typeof v === 'number' && v > now) merged.set(k, v);
		}
	}
	for (const [k, entry] of memory.keys) {
		if (entry.expiresAt <= now) {
			memory.keys.delete(k);
			continue;
		}
		if (entry.savedAt !== undefined && recordSavedAt === undefined) continue;
		if ((merged.get(k) ?? 0) < entry.expiresAt) merged.set(k, entry.expiresAt);
	}
	let entries = [...merged];
	if (entries.length > PERSISTED_MAX_KEYS) entries = entries.sort((a, b) => a[1] - b[1]).slice(-PERSISTED_MAX_KEYS);
	const next: IDataObject = {};
	for (const [k, v] of entries) next[k] = v;
	data.deliveries = next;
	data.deliveriesSavedAt = now;
	memory.lastSave = now;
	for (const entry of memory.keys.values()) entry.savedAt ??= now;
}

/** A key this process accepted whose checks are not all done. */
export interface PendingKey {
	key: string;
	expiresAt: number;
	acceptedAt: number;
}

/** When an open key should next be sent: at once until first read back, then at its next check age. */
function dueAt(entry: Entry & { acceptedAt: number }): number {
	return entry.checks === 0 ? entry.acceptedAt : entry.acceptedAt + (CHECK_AGES_MS[entry.checks] ?? 0);
}

function isOpen(entry: Entry, now: number): entry is Entry & { acceptedAt: number } {
	return entry.acceptedAt !== undefined && entry.checks < CHECK_AGES_MS.length && entry.expiresAt > now;
}

/** Up to `max` of this process's keys for `scope` due to be sent in a sync now, oldest first. */
export function pendingKeys(scope: string, now: number, max: number): PendingKey[] {
	const memory = memories.get(scope);
	if (memory === undefined) return [];
	const pending: PendingKey[] = [];
	for (const [key, entry] of memory.keys) {
		if (!isOpen(entry, now) || dueAt(entry) > now) continue;
		pending.push({ key, expiresAt: entry.expiresAt, acceptedAt: entry.acceptedAt });
		if (pending.length >= max) break;
	}
	return pending;
}

/** When the next key of `scope` falls due (undefined: every check is done). */
export function nextCheckAt(scope: string, now: number): number | undefined {
	const memory = memories.get(scope);
	if (memory === undefined) return undefined;
	let next: number | undefined;
	for (const entry of memory.keys.values()) {
		if (isOpen(entry, now)) next = Math.min(next ?? Infinity, dueAt(entry));
	}
	return next;
}

/**
 * Keys a sync that started at `startedAt` found in the record: each passes the checks whose age
 * had been reached when that sync started.
 */
export function confirmKeys(scope: string, keys: Iterable<string>, startedAt: number): void {
	const memory = memories.get(scope);
	if (memory === undefined) return;
	for (const key of keys) {
		const entry = memory.keys.get(key);
		if (entry?.acceptedAt === undefined) continue;
		while (entry.checks < CHECK_AGES_MS.length && startedAt - entry.acceptedAt >= (CHECK_AGES_MS[entry.checks] ?? 0))
			entry.checks += 1;
	}
}

/**
 * Handles another process's sync: tells which of its keys this request's copy of the record
 * lacks (read from the database when the request arrived), learns them all, and writes the record
 * with them and every key of this process. Returns the keys that were absent.
 */
export function learnKeys(options: {
	data: IDataObject;
	scope: string;
	entries: Array<[string, number]>;
	now: number;
}): string[] {
	const { data, scope, entries, now } = options;
	const record = recordOf(data);
	const savedAtRaw = data.deliveriesSavedAt;
	const recordSavedAt = typeof savedAtRaw === 'number' ? savedAtRaw : undefined;
	const memory = memoryFor(scope);
	const absent: string[] = [];
	for (const [key, expiresAt] of entries) {
		if (expiresAt <= now) continue;
		const persisted = ownNumber(record, key);
		if (persisted === undefined || persisted < expiresAt) absent.push(key);
		const known = memory.keys.get(key);
		if (known === undefined || known.expiresAt < expiresAt)
			remember(memory, key, { expiresAt, checks: CHECK_AGES_MS.length });
	}
	// Written even when nothing was absent: the write also puts back every key this process holds
	// that another's write dropped. A version that skipped it (to spare the workflow's own static
	// data a rewrite) saw 12 retries of a 100-burst run twice in queue mode on a heavily loaded
	// machine; not proven the cause, but this is the behaviour the queue suite has always passed with.
	persist(data, record, recordSavedAt, memory, now);
	return absent;
}
