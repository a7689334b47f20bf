import { createHash } from 'node:crypto';
import { ZoomConfigError } from '../errors';
import { readHeader, REQUEST_ID_HEADER, SIGNATURE_HEADER } from './headers';
import type { WebhookHeaders } from './types';

type MaybePromise<T> = T | Promise<T>;

/**
 * Zoom retries an unanswered delivery 5, 25 and 85 minutes after the first attempt; two hours
 * covers the last retry plus slow answers. The WebSocket stream has its own, shorter default
 * (`DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS`): Zoom does not retry over a socket.
 */
export const DEFAULT_DEDUPE_TTL_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;
/** Persisted stores (n8n static data is rewritten on every execution) stay small. */
export const DEFAULT_RECORD_STORE_MAX_ENTRIES = 1_000;
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Where delivery keys live: memory by default, n8n workflow static data, a Node-RED context…
 * Values are expiry times in epoch ms. Sync or async.
 */
export interface DedupeStore {
  get(key: string): MaybePromise<number | null | undefined>;
  set(key: string, expiresAt: number): MaybePromise<unknown>;
  delete(key: string): MaybePromise<unknown>;
  /** Optional: drop every entry expired at `now`. Called at most once a minute. */
  prune?(now: number): MaybePromise<unknown>;
}

export interface DeduperOptions {
  /** How long a key counts as seen. Default 2 h. */
  ttlMs?: number;
  /** Bound of the default in-memory store (ignored when `store` is given). Default 10 000. */
  maxEntries?: number;
  store?: DedupeStore;
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
}

export interface Deduper {
  /** True if `key` was recorded within the TTL; otherwise records it and resolves false. */
  seen(key: string): Promise<boolean>;
  /** Drops a key, e.g. when processing failed and a retry should be let through. */
  forget(key: string): Promise<void>;
}

/**
 * Identifies one delivery across Zoom's retries: `x-zm-request-id` when present, otherwise
 * `event:event_ts:sha256(payload)` (the same event re-sent carries the same `event_ts`).
 */
export function webhookDeliveryKey(options: {
  headers?: WebhookHeaders | undefined;
  event: { event: string; event_ts?: unknown; payload?: unknown };
}): string {
  const { headers, event } = options ?? ({} as never);
  if (headers !== undefined && headers !== null && typeof headers === 'object') {
    const id = readHeader(headers, REQUEST_ID_HEADER);
    if (typeof id === 'string') return id;
  }
  if (event === null || typeof event !== 'object' || typeof event.event !== 'string') {
    throw new ZoomConfigError('webhookDeliveryKey: event must be a verified webhook event with a string "event"');
  }
  const digest = createHash('sha256')
    .update(JSON.stringify(event.payload) ?? '')
    .digest('hex');
  return `${event.event}:${String(event.event_ts)}:${digest}`;
}

/**
 * Every key that marks one webhook delivery as seen: its delivery key (above) and, when signed, its
 * signature. `x-zm-request-id` is not signed, so a captured delivery replayed within the 5-minute
 * window under a new request id keeps its signature; any one key already seen makes a duplicate.
 */
export function webhookDeliveryKeys(options: Parameters<typeof webhookDeliveryKey>[0]): string[] {
  const keys = [webhookDeliveryKey(options)];
  const signature = options.headers === undefined ? undefined : readHeader(options.headers, SIGNATURE_HEADER);
  if (typeof signature === 'string' && signature !== '') keys.push(`signature:${signature}`);
  return keys;
}

export function createDeduper(options: DeduperOptions = {}): Deduper {
  const { ttlMs = DEFAULT_DEDUPE_TTL_MS, maxEntries = DEFAULT_DEDUPE_MAX_ENTRIES, now = Date.now } = options;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ZoomConfigError('createDeduper: ttlMs must be a positive number of milliseconds');
  }
  if (typeof now !== 'function') {
    throw new ZoomConfigError('createDeduper: now must be a function returning epoch milliseconds');
  }
  const store = options.store ?? createMemoryDedupeStore({ maxEntries });
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof store[method] !== 'function') {
      throw new ZoomConfigError(`createDeduper: store.${method} must be a function`);
    }
  }
  // Two concurrent deliveries of one key must not both read "unseen" from an async store.
  const inFlight = new Set<string>();
  let lastPrune = -Infinity;

  return {
    async seen(key) {
      checkKey(key);
      if (inFlight.has(key)) return true;
      inFlight.add(key);
      try {
        const t = now();
        if (store.prune !== undefined && t - lastPrune >= PRUNE_INTERVAL_MS) {
          lastPrune = t;
          await store.prune(t);
        }
        const expiresAt = await store.get(key);
        if (typeof expiresAt === 'number' && expiresAt > t) return true;
        await store.set(key, t + ttlMs);
        return false;
      } finally {
        inFlight.delete(key);
      }
    },
    async forget(key) {
      checkKey(key);
      await store.delete(key);
    },
  };
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new ZoomConfigError('deduper: key must be a non-empty string (see webhookDeliveryKey)');
  }
}

function checkMax(maxEntries: unknown, where: string): number {
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new ZoomConfigError(`${where}: maxEntries must be a whole number ≥ 1`);
  }
  return maxEntries;
}

/** A bounded in-memory store: past `maxEntries`, the oldest recorded key is dropped. */
export function createMemoryDedupeStore(options: { maxEntries?: number } = {}): DedupeStore {
  const max = checkMax(options.maxEntries ?? DEFAULT_DEDUPE_MAX_ENTRIES, 'createMemoryDedupeStore');
  const map = new Map<string, number>();
  return {
    get: (key) => map.get(key),
    set(key, expiresAt) {
      map.delete(key); // re-insert so insertion order stays oldest-first
      map.set(key, expiresAt);
      if (map.size > max) {
        const oldest = map.keys().next();
        if (oldest.done !== true) map.delete(oldest.value);
      }
    },
    delete: (key) => map.delete(key),
    prune(t) {
      for (const [key, expiresAt] of map) if (expiresAt <= t) map.delete(key);
    },
  };
}

/**
 * A store over a plain object the host persists (n8n workflow static data): keys map to
 * expiry times, so it survives JSON round-trips. Past `maxEntries` the oldest key is dropped.
 */
export function createRecordDedupeStore(
  record: Record<string, unknown>,
  options: { maxEntries?: number } = {},
): DedupeStore {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new ZoomConfigError('createRecordDedupeStore: record must be a plain object');
  }
  const max = checkMax(options.maxEntries ?? DEFAULT_RECORD_STORE_MAX_ENTRIES, 'createRecordDedupeStore');
  const has = (key: string) => Object.prototype.hasOwnProperty.call(record, key);
  // Insertion order of the keys, oldest first, kept beside the record: finding the oldest key with
  // for…in is O(n log n) once deletes have turned the object into a dictionary (a hot spot at 1 000
  // entries and hundreds of deliveries a second).
  const order = new Map<string, true>();
  for (const key of Object.keys(record)) order.set(key, true);
  let size = order.size;
  return {
    get(key) {
      const value = has(key) ? record[key] : undefined;
      return typeof value === 'number' ? value : undefined;
    },
    set(key, expiresAt) {
      if (has(key)) delete record[key];
      else size++;
      order.delete(key);
      order.set(key, true);
      record[key] = expiresAt;
      while (size > max) {
        const oldest = order.keys().next();
        if (oldest.done === true) break;
        order.delete(oldest.value);
        if (!has(oldest.value)) continue;
        delete record[oldest.value];
        size--;
      }
    },
    delete(key) {
      order.delete(key);
      if (has(key)) {
        delete record[key];
        size--;
      }
    },
    prune(t) {
      for (const key of Object.keys(record)) {
        const value = record[key];
        if (typeof value !== 'number' || value <= t) {
          delete record[key];
          order.delete(key);
          size--;
        }
      }
    },
  };
}
