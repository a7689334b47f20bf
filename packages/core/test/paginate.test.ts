import { describe, expect, it } from 'vitest';
import { paginateItems } from '../src/client/paginate';
import { operations } from '../src/index';
import type { OperationMeta } from '../src/index';

const legacy: OperationMeta = {
  ...operations.getChannels,
  operationId: 'legacyList',
  queryParams: [
    { name: 'page_size', required: false, schema: { type: 'integer', maximum: 2 } },
    { name: 'page_number', required: false, schema: { type: 'integer' } },
  ],
  pagination: { style: 'page', itemsKey: 'users', maxPageSize: 2 },
};

describe('paginateItems', () => {
  it('walks legacy page_number pages up to page_count', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const pages: Record<number, string[]> = { 1: ['a', 'b'], 2: ['c', 'd'], 3: ['e'] };
    const items: unknown[] = [];
    for await (const item of paginateItems(legacy, {}, async (p) => {
      seen.push(p.query!);
      const n = Number(p.query!.page_number);
      return { users: pages[n], page_count: 3, page_number: n };
    }))
      items.push(item);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seen.map((q) => [q.page_number, q.page_size])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
  });

  it('stops when a server repeats a next_page_token', async () => {
    const walk = async () => {
      for await (const _ of paginateItems(operations.getChannels, { path: { userId: 'me' } }, async () => ({
        channels: [{ id: 1 }],
        next_page_token: 'same',
      })))
        void _;
    };
    await expect(walk()).rejects.toThrow(/repeated a next_page_token/);
  });

  it('refuses paginate() on an operation that is not a list', async () => {
    const gen = paginateItems(operations.sendaChatMessage, {}, async () => ({}));
    await expect(gen.next()).rejects.toThrow(/not a list operation; use call\(\)/);
  });

  it('yields nothing for limit 0 and asks for no more than the limit per page', async () => {
    const sizes: unknown[] = [];
    const call = async (p: { query?: Record<string, unknown> }) => {
      sizes.push(p.query!.page_size);
      return { channels: [{ id: 1 }, { id: 2 }], next_page_token: '' };
    };
    const none: unknown[] = [];
    for await (const x of paginateItems(operations.getChannels, {}, call, { limit: 0 })) none.push(x);
    expect(none).toEqual([]);
    expect(sizes).toEqual([]);
    for await (const x of paginateItems(operations.getChannels, {}, call, { limit: 1 })) none.push(x);
    expect(none).toEqual([{ id: 1 }]);
    expect(sizes).toEqual([1]);
  });
});
