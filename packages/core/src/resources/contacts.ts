import type { ListOptions, Query, ResourceContext } from './types';
import type { RequestOptions } from '../http/pipeline';

export function contacts(ctx: ResourceContext) {
  return {
    /** The token user's contacts (`type`: company or external). */
    list: (query: Query = {}, o?: ListOptions) => ctx.collect('getUserContacts', { query }, o),
    iterate: (query: Query = {}, o?: ListOptions) => ctx.paginate('getUserContacts', { query }, o),
    get: (identifier: string, query: Query = {}, o?: RequestOptions) =>
      ctx.call('getUserContact', { path: { identifier }, query }, o),
    /** Company directory search by name or email (`search_key`). */
    search: (query: Query, o?: ListOptions) => ctx.collect('searchCompanyContacts', { query }, o),
    iterateSearch: (query: Query, o?: ListOptions) => ctx.paginate('searchCompanyContacts', { query }, o),
    /** One page of `list` or `search` as Zoom answers it (`contacts`, `next_page_token`), for pickers. */
    page: (query: Query = {}, o?: RequestOptions) => ctx.call('getUserContacts', { query }, o),
    searchPage: (query: Query, o?: RequestOptions) => ctx.call('searchCompanyContacts', { query }, o),
  };
}
