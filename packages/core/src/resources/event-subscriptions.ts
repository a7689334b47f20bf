/**
 * Zoom's Marketplace event-subscription API (not in the Team Chat spec, so not callable by
 * operation ID): an app-owned subscription that needs an app token (Server-to-Server
 * account_credentials, or a General app's client_credentials). The requests are built here and
 * sent by the host, whose own authenticated request helper holds the credentials.
 */
export interface MarketplaceRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the API base URL (https://api.zoom.us/v2). */
  path: string;
  query?: Record<string, string | number>;
  body?: Record<string, unknown>;
}

export type SendMarketplaceRequest = (request: MarketplaceRequest) => Promise<unknown>;

export type EventSubscription = Record<string, unknown>;

export interface EventSubscriptions {
  list(): Promise<EventSubscription[]>;
  /** Returns the new subscription's ID. */
  create(input: { events: readonly string[]; url: string; name: string }): Promise<string>;
  remove(subscriptionId: string): Promise<void>;
}

const BASE = '/marketplace/app/event_subscription';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `accountId` scopes the subscriptions to that account (Server-to-Server apps). */
export function eventSubscriptions(
  send: SendMarketplaceRequest,
  options: { accountId?: string } = {},
): EventSubscriptions {
  const account: Record<string, string> = options.accountId ? { account_id: options.accountId } : {};
  return {
    async list() {
      const page = await send({ method: 'GET', path: BASE, query: { ...account, page_size: 300 } });
      // Zoom has answered with either key.
      const list = isRecord(page) ? (page.event_subscriptions ?? page.subscriptions ?? []) : [];
      return Array.isArray(list) ? list.filter(isRecord) : [];
    },
    async create({ events, url, name }) {
      const created = await send({
        method: 'POST',
        path: BASE,
        body: {
          events: [...events],
          event_subscription_name: name,
          event_webhook_url: url,
          subscription_scope: 'account',
          ...account,
        },
      });
      const id = isRecord(created) ? created.event_subscription_id : undefined;
      if (typeof id !== 'string' || !id) throw new Error('Zoom did not return an event_subscription_id');
      return id;
    },
    async remove(subscriptionId) {
      await send({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(subscriptionId)}` });
    },
  };
}

/** Whether a listed subscription is the one with this ID. */
export function describesSubscription(item: EventSubscription, id: string): boolean {
  return item.event_subscription_id === id || item.id === id;
}

/** Whether a listed subscription sends exactly these events to this URL. */
export function matchesSubscription(
  item: EventSubscription,
  url: string | undefined,
  events: readonly string[],
): boolean {
  if (!url || item.event_webhook_url !== url) return false;
  const listed = Array.isArray(item.events) ? item.events.map(String) : [];
  return listed.length === events.length && events.every((e) => listed.includes(e));
}
