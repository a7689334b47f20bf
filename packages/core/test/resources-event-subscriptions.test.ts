import { describe, expect, it } from 'vitest';
import { describesSubscription, eventSubscriptions, matchesSubscription, type MarketplaceRequest } from '../src';

function recorder(answers: unknown[]) {
  const sent: MarketplaceRequest[] = [];
  return { sent, send: async (request: MarketplaceRequest) => (sent.push(request), answers.shift()) };
}

describe('eventSubscriptions', () => {
  it('lists, creates and removes account-scoped subscriptions', async () => {
    const r = recorder([
      { event_subscriptions: [{ event_subscription_id: 's1' }, 'junk'] },
      { event_subscription_id: 's2' },
      undefined,
    ]);
    const api = eventSubscriptions(r.send, { accountId: 'acc-1' });
    expect(await api.list()).toEqual([{ event_subscription_id: 's1' }]);
    expect(await api.create({ events: ['chat_message.sent'], url: 'https://h/w', name: 'n8n: flow' })).toBe('s2');
    await api.remove('s/2');
    expect(r.sent).toEqual([
      { method: 'GET', path: '/marketplace/app/event_subscription', query: { account_id: 'acc-1', page_size: 300 } },
      {
        method: 'POST',
        path: '/marketplace/app/event_subscription',
        body: {
          events: ['chat_message.sent'],
          event_subscription_name: 'n8n: flow',
          event_webhook_url: 'https://h/w',
          subscription_scope: 'account',
          account_id: 'acc-1',
        },
      },
      { method: 'DELETE', path: '/marketplace/app/event_subscription/s%2F2' },
    ]);
  });

  it('reads the older "subscriptions" key, leaves out account_id without an account, and needs an ID back', async () => {
    const r = recorder([{ subscriptions: [{ id: 'old' }] }, {}]);
    const api = eventSubscriptions(r.send);
    expect(await api.list()).toEqual([{ id: 'old' }]);
    expect(r.sent[0]?.query).toEqual({ page_size: 300 });
    await expect(api.create({ events: ['e'], url: 'u', name: 'n' })).rejects.toThrow(
      'Zoom did not return an event_subscription_id',
    );
    expect(r.sent[1]?.body).not.toHaveProperty('account_id');
  });

  it('matches a subscription by ID, URL and exact events', () => {
    const item = { event_subscription_id: 's1', event_webhook_url: 'https://h/w', events: ['a', 'b'] };
    expect(describesSubscription(item, 's1')).toBe(true);
    expect(describesSubscription({ id: 's1' }, 's1')).toBe(true);
    expect(describesSubscription(item, 's2')).toBe(false);
    expect(matchesSubscription(item, 'https://h/w', ['b', 'a'])).toBe(true);
    expect(matchesSubscription(item, 'https://h/w', ['a'])).toBe(false);
    expect(matchesSubscription(item, 'https://other/w', ['a', 'b'])).toBe(false);
    expect(matchesSubscription(item, undefined, ['a', 'b'])).toBe(false);
  });
});
