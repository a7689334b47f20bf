import type { IDataObject, IHookFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { baseUrlsFromCredentials, credentialString } from '../shared/cloud';

/**
 * Zoom's Marketplace event-subscription API (not part of the Team Chat spec): an app-owned
 * subscription, so it needs an app token — Server-to-Server (account_credentials) or a General
 * app's client_credentials (the Chatbot credential). Requests go through n8n's authenticated
 * helper, which also renews the token on a 401.
 */
export interface SubscriptionApi {
	list(): Promise<IDataObject[]>;
	create(input: { events: string[]; url: string; name: string }): Promise<string>;
	remove(subscriptionId: string): Promise<void>;
}

export async function subscriptionApi(this: IHookFunctions, credentialType: string): Promise<SubscriptionApi> {
	const credentials = await this.getCredentials(credentialType);
	const { api } = baseUrlsFromCredentials(credentials);
	const accountId = credentialString(credentials, 'accountId');
	const request = async (options: IHttpRequestOptions) =>
		(await this.helpers.httpRequestWithAuthentication.call(this, credentialType, { json: true, ...options })) as unknown;
	const base = `${api}/marketplace/app/event_subscription`;
	return {
		async list() {
			const page = (await request({
				method: 'GET',
				url: base,
				qs: { ...(accountId ? { account_id: accountId } : {}), page_size: 300 },
			})) as IDataObject | undefined;
			const list = page?.event_subscriptions ?? page?.subscriptions ?? [];
			return Array.isArray(list) ? (list as IDataObject[]) : [];
		},
		async create({ events, url, name }) {
			const created = (await request({
				method: 'POST',
				url: base,
				body: {
					events,
					event_subscription_name: name,
					event_webhook_url: url,
					subscription_scope: 'account',
					...(accountId ? { account_id: accountId } : {}),
				},
			})) as IDataObject | undefined;
			const id = created?.event_subscription_id;
			if (typeof id !== 'string' || !id) throw new Error('Zoom did not return an event_subscription_id');
			return id;
		},
		async remove(subscriptionId) {
			await request({ method: 'DELETE', url: `${base}/${encodeURIComponent(subscriptionId)}` });
		},
	};
}

/** Whether a listed subscription is the one with this ID. */
export function describesSubscription(item: IDataObject, id: string): boolean {
	return item.event_subscription_id === id || item.id === id;
}

/** Whether a listed subscription sends exactly these events to this URL. */
export function matchesSubscription(item: IDataObject, url: string | undefined, events: readonly string[]): boolean {
	if (!url || item.event_webhook_url !== url) return false;
	const listed = Array.isArray(item.events) ? item.events.map(String) : [];
	return listed.length === events.length && events.every((e) => listed.includes(e));
}
