import { ZoomApiError, ZoomConfigError } from '../errors';
import type { OperationMeta } from '../spec/types';
import type { CallParams } from './prepare';

export interface PaginateOptions {
  /** Stop after this many items (default: all). */
  limit?: number;
  /** Items per request (default: the largest the spec allows, capped by `limit`). */
  pageSize?: number;
}

type CallPage = (params: CallParams) => Promise<unknown>;

/**
 * Walks `next_page_token` (or legacy `page_number`) pages lazily: one page in memory at a time,
 * so 20 000 messages cost what 50 do.
 */
export async function* paginateItems(
  op: OperationMeta,
  params: CallParams,
  callPage: CallPage,
  options: PaginateOptions = {},
): AsyncGenerator<unknown> {
  const { pagination } = op;
  if (!pagination) {
    throw new ZoomConfigError(`${op.operationId} is not a list operation; use call() instead of paginate()`);
  }
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new ZoomConfigError(`limit must be a positive number (got ${String(options.limit)})`);
  if (limit === 0) return;
  const max = pagination.maxPageSize ?? 300;
  const pageSize = Math.min(options.pageSize ?? max, max, Number.isFinite(limit) ? Math.max(limit, 1) : max);
  const hasPageSize = op.queryParams.some((p) => p.name === 'page_size');

  let yielded = 0;
  let token: string | undefined;
  let pageNumber = 1;
  const seenTokens = new Set<string>();
  for (;;) {
    const query: Record<string, unknown> = { ...(params.query ?? {}) };
    if (hasPageSize && query.page_size === undefined) query.page_size = pageSize;
    if (pagination.style === 'token' && token) query.next_page_token = token;
    if (pagination.style === 'page') query.page_number = pageNumber;

    const page = (await callPage({ ...params, query })) as Record<string, unknown> | undefined;
    const items = page?.[pagination.itemsKey];
    if (items !== undefined && !Array.isArray(items)) {
      throw new ZoomApiError({
        status: 200,
        message: `Expected an array in "${pagination.itemsKey}"`,
        operationId: op.operationId,
      });
    }
    for (const item of items ?? []) {
      yield item;
      if (++yielded >= limit) return;
    }
    if (pagination.style === 'token') {
      const next = typeof page?.next_page_token === 'string' ? page.next_page_token : '';
      if (!next || !items?.length) return;
      // A server that hands back a token it already gave would loop forever.
      if (seenTokens.has(next))
        throw new ZoomApiError({
          status: 200,
          message: 'Zoom repeated a next_page_token; stopping',
          operationId: op.operationId,
        });
      seenTokens.add(next);
      token = next;
    } else {
      const pageCount = Number(page?.page_count ?? 0);
      if (!items?.length || pageNumber >= pageCount) return;
      pageNumber++;
    }
  }
}
