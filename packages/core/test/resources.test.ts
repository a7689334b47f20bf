import { describe, expect, it } from 'vitest';
import { createResources, type ResourceContext } from '../src/resources';

function recordingContext() {
  const calls: Array<{ how: string; operationId: string; params: unknown }> = [];
  const ctx: ResourceContext = {
    call: async (operationId, params) => (calls.push({ how: 'call', operationId, params }), undefined as never),
    collect: async (operationId, params) => (calls.push({ how: 'collect', operationId, params }), []),
    // eslint-disable-next-line require-yield
    paginate: async function* (operationId, params) {
      calls.push({ how: 'paginate', operationId, params });
    },
  };
  return { calls, resources: createResources(ctx) };
}

describe('channels resource', () => {
  it('lists members account-level for a userId and user-level without one, passing extra query', async () => {
    const { calls, resources } = recordingContext();
    await resources.channels.members.list('c1', { userId: 'u1', query: { page_size: 5 } });
    await resources.channels.members.list('c1');
    for await (const _ of resources.channels.members.iterate('c2', { query: { next_page_token: 't' } })) void _;
    await resources.channels.list({ query: { page_size: 7 } });
    expect(calls).toEqual([
      {
        how: 'collect',
        operationId: 'listChannelMembers',
        params: { path: { userId: 'u1', channelId: 'c1' }, query: { page_size: 5 } },
      },
      {
        how: 'collect',
        operationId: 'listUserLevelChannelMembers',
        params: { path: { channelId: 'c1' }, query: undefined },
      },
      {
        how: 'paginate',
        operationId: 'listUserLevelChannelMembers',
        params: { path: { channelId: 'c2' }, query: { next_page_token: 't' } },
      },
      { how: 'collect', operationId: 'getChannels', params: { path: { userId: 'me' }, query: { page_size: 7 } } },
    ]);
  });
});

describe('one page for pickers', () => {
  it('asks for a single page of channels (as the token user or another user) and of contacts', async () => {
    const { calls, resources } = recordingContext();
    await resources.channels.page({ query: { page_size: 50, next_page_token: 't' } });
    await resources.channels.page({ userId: 'u1' });
    await resources.contacts.page({ type: 'company' });
    await resources.contacts.searchPage({ search_key: 'ann', page_size: 25 });
    expect(calls).toEqual([
      {
        how: 'call',
        operationId: 'getChannels',
        params: { path: { userId: 'me' }, query: { page_size: 50, next_page_token: 't' } },
      },
      { how: 'call', operationId: 'getChannels', params: { path: { userId: 'u1' }, query: undefined } },
      { how: 'call', operationId: 'getUserContacts', params: { query: { type: 'company' } } },
      { how: 'call', operationId: 'searchCompanyContacts', params: { query: { search_key: 'ann', page_size: 25 } } },
    ]);
  });
});

describe('contacts resource', () => {
  it('iterates the contact list and the company search', async () => {
    const { calls, resources } = recordingContext();
    for await (const _ of resources.contacts.iterate({ type: 'external' })) void _;
    for await (const _ of resources.contacts.iterateSearch({ search_key: 'ann' })) void _;
    expect(calls).toEqual([
      { how: 'paginate', operationId: 'getUserContacts', params: { query: { type: 'external' } } },
      { how: 'paginate', operationId: 'searchCompanyContacts', params: { query: { search_key: 'ann' } } },
    ]);
  });
});
