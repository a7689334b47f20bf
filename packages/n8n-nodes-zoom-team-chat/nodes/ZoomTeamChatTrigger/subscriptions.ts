import { eventSubscriptions, type EventSubscriptions } from '@zoom-team-chat/core/portable';
import type { IDataObject, IHookFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { baseUrlsFromCredentials, credentialString } from '../shared/cloud';

export { describesSubscription, matchesSubscription } from '@zoom-team-chat/core/portable';

/**
 * The core builds the Marketplace event-subscription requests; they go through n8n's
 * authenticated helper, which holds the app credential and renews the token on a 401.
 */
export async function subscriptionApi(this: IHookFunctions, credentialType: string): Promise<EventSubscriptions> {
	const credentials = await this.getCredentials(credentialType);
	const { api } = baseUrlsFromCredentials(credentials);
	const accountId = credentialString(credentials, 'accountId');
	return eventSubscriptions(
		async ({ method, path, query, body }) =>
			(await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				json: true,
				method: method as IHttpRequestMethods,
				url: `${api}${path}`,
				...(query ? { qs: query } : {}),
				...(body ? { body: body as IDataObject } : {}),
			})) as unknown,
		{ accountId },
	);
}
