import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZoomConfigError } from '../src/errors';
import {
  createDeduper,
  createMemoryDedupeStore,
  createRecordDedupeStore,
  DEFAULT_DEDUPE_TTL_MS,
  webhookDeliveryKey,
  type DedupeStore,
} from '../src/webhooks/index';

const event = { event: 'chat_message.sent', event_ts: 1_700_000_000_123, payload: { object: { id: 'm1' }, n: 1 } };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('webhookDeliveryKey', () => {
  it('uses x-zm-request-id when present, in any header shape', () => {
    expect(webhookDeliveryKey({ headers: { 'x-zm-request-id': 'req_1' }, event })).toBe('req_1');
    expect(webhookDeliveryKey({ headers: { 'X-ZM-Request-Id': 'req_2' }, event })).toBe('req_2');
    expect(webhookDeliveryKey({ headers: new Headers({ 'x-zm-request-id': 'req_3' }), event })).toBe('req_3');
  });

  it('falls back to event, event_ts and a hash of the payload', () => {
    const hash = createHash('sha256').update(JSON.stringify(event.payload)).digest('hex');
    const expected = `chat_message.sent:1700000000123:${hash}`;
    expect(webhookDeliveryKey({ headers: {}, event })).toBe(expected);
    expect(webhookDeliveryKey({ event })).toBe(expected);
    expect(webhookDeliveryKey({ headers: { 'x-zm-request-id': '' }, event })).toBe(expected);
    const other = { ...event, payload: { object: { id: 'm2' }, n: 1 } };
    expect(webhookDeliveryKey({ event: other })).not.toBe(expected);
    expect(webhookDeliveryKey({ event: { ...event, event_ts: 1 } })).not.toBe(expected);
  });

  it('refuses something that is not an event', () => {
    expect(() => webhookDeliveryKey({ event: {} as never })).toThrow(ZoomConfigError);
    expect(() => webhookDeliveryKey(undefined as never)).toThrow(/event/);
  });
});

describe('createDeduper with the default memory store', () => {
  it('keeps keys long enough for Zoom’s retries (≥ 90 min)', () => {
    expect(DEFAULT_DEDUPE_TTL_MS).toBeGreaterThanOrEqual(90 * 60 * 1000);
  });

  it('reports a key as seen within the TTL and forgets it after', async () => {
    const c = clock();
    const dedupe = createDeduper({ ttlMs: 1000, now: c.now });
    expect(await dedupe.seen('a')).toBe(false);
    expect(await dedupe.seen('a')).toBe(true);
    expect(await dedupe.seen('b')).toBe(false);
    c.advance(999);
    expect(await dedupe.seen('a')).toBe(true);
    c.advance(1);
    expect(await dedupe.seen('a')).toBe(false);
    expect(await dedupe.seen('a')).toBe(true);
  });

  it('does not extend the window on a repeat', async () => {
    const c = clock();
    const dedupe = createDeduper({ ttlMs: 1000, now: c.now });
    await dedupe.seen('a');
    c.advance(600);
    expect(await dedupe.seen('a')).toBe(true);
    c.advance(400);
    expect(await dedupe.seen('a')).toBe(false);
  });

  it('uses the default TTL', async () => {
    const c = clock();
    const dedupe = createDeduper({ now: c.now });
    await dedupe.seen('a');
    c.advance(DEFAULT_DEDUPE_TTL_MS - 1);
    expect(await dedupe.seen('a')).toBe(true);
    c.advance(1);
    expect(await dedupe.seen('a')).toBe(false);
  });

  it('stays bounded by maxEntries, dropping the oldest key', async () => {
    const c = clock();
    const dedupe = createDeduper({ maxEntries: 2, now: c.now });
    await dedupe.seen('a');
    await dedupe.seen('b');
    await dedupe.seen('c');
    expect(await dedupe.seen('c')).toBe(true);
    expect(await dedupe.seen('b')).toBe(true);
    expect(await dedupe.seen('a')).toBe(false);
  });

  it('lets a key through again after forget', async () => {
    const dedupe = createDeduper();
    await dedupe.seen('a');
    await dedupe.forget('a');
    expect(await dedupe.seen('a')).toBe(false);
  });

  it('refuses bad options and keys', async () => {
    expect(() => createDeduper({ ttlMs: 0 })).toThrow(ZoomConfigError);
    expect(() => createDeduper({ ttlMs: Number.POSITIVE_INFINITY })).toThrow(/ttlMs/);
    expect(() => createDeduper({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createDeduper({ maxEntries: 1.5 })).toThrow(/maxEntries/);
    expect(() => createDeduper({ now: 1 as never })).toThrow(/now/);
    expect(() => createDeduper({ store: { get: () => undefined } as never })).toThrow(/store\.set/);
    await expect(createDeduper().seen('')).rejects.toThrow(/key/);
  });
});

/** An async store over a Map that answers on a later tick, as a remote store would. */
function asyncStore() {
  const map = new Map<string, number>();
  const calls: string[] = [];
  const tick = () => new Promise<void>((r) => setTimeout(r, 1));
  const store: DedupeStore = {
    async get(key) {
      calls.push(`get ${key}`);
      await tick();
      return map.get(key);
    },
    async set(key, expiresAt) {
      calls.push(`set ${key}`);
      await tick();
      map.set(key, expiresAt);
    },
    async delete(key) {
      calls.push(`delete ${key}`);
      await tick();
      map.delete(key);
    },
    async prune(t) {
      calls.push(`prune ${t}`);
      for (const [k, v] of map) if (v <= t) map.delete(k);
    },
  };
  return { map, calls, store };
}

describe('createDeduper with a custom async store', () => {
  it('records expiry times in the store and honours them', async () => {
    const c = clock(5_000);
    const { map, store } = asyncStore();
    const dedupe = createDeduper({ ttlMs: 1000, store, now: c.now });
    expect(await dedupe.seen('k')).toBe(false);
    expect(map.get('k')).toBe(6_000);
    expect(await dedupe.seen('k')).toBe(true);
    c.advance(1000);
    expect(await dedupe.seen('k')).toBe(false);
    expect(map.get('k')).toBe(7_000);
    await dedupe.forget('k');
    expect(map.has('k')).toBe(false);
  });

  it('lets exactly one of two concurrent deliveries through', async () => {
    const { store } = asyncStore();
    const dedupe = createDeduper({ store });
    const results = await Promise.all([dedupe.seen('k'), dedupe.seen('k'), dedupe.seen('k')]);
    expect(results.filter((r) => !r)).toHaveLength(1);
    expect(await dedupe.seen('k')).toBe(true);
  });

  it('prunes at most once a minute', async () => {
    const c = clock(0);
    const { calls, store } = asyncStore();
    const dedupe = createDeduper({ ttlMs: 1000, store, now: c.now });
    await dedupe.seen('a');
    c.advance(30_000);
    await dedupe.seen('b');
    c.advance(30_000);
    await dedupe.seen('c');
    expect(calls.filter((x) => x.startsWith('prune'))).toEqual(['prune 0', 'prune 60000']);
  });

  it('treats a non-number in the store as unseen', async () => {
    const store: DedupeStore = { get: () => 'junk' as never, set: () => undefined, delete: () => undefined };
    expect(await createDeduper({ store }).seen('k')).toBe(false);
  });
});

describe('createMemoryDedupeStore / createRecordDedupeStore', () => {
  it('memory store prunes expired keys', () => {
    const store = createMemoryDedupeStore({ maxEntries: 10 });
    store.set('a', 10);
    store.set('b', 20);
    store.prune?.(10);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe(20);
  });

  it('record store survives a JSON round-trip (n8n static data) and stays bounded', async () => {
    const c = clock(0);
    const data: Record<string, unknown> = {};
    const first = createDeduper({ ttlMs: 1000, store: createRecordDedupeStore(data, { maxEntries: 3 }), now: c.now });
    for (const k of ['a', 'b', 'c', 'd']) expect(await first.seen(k)).toBe(false);
    expect(Object.keys(data)).toEqual(['b', 'c', 'd']);

    const restored = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    const second = createDeduper({
      ttlMs: 1000,
      store: createRecordDedupeStore(restored, { maxEntries: 3 }),
      now: c.now,
    });
    expect(await second.seen('d')).toBe(true);
    expect(await second.seen('e')).toBe(false);
    expect(Object.keys(restored)).toEqual(['c', 'd', 'e']);
  });

  it('record store prunes expired and corrupt entries', () => {
    const data: Record<string, unknown> = { old: 5, junk: 'x', live: 50 };
    const store = createRecordDedupeStore(data);
    store.prune?.(10);
    expect(data).toEqual({ live: 50 });
    store.delete('live');
    expect(data).toEqual({});
    expect(() => createRecordDedupeStore(null as never)).toThrow(/record/);
  });
});
