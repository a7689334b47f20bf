import type { IHookFunctions } from 'n8n-workflow';

export type TriggerAuthentication = 'serverToServerOAuth' | 'oAuth2' | 'chatbot' | 'webhookSecret';

export type TriggerDelivery = 'webhook' | 'websocket';

export function triggerCredentialType(authentication: TriggerAuthentication): string {
	switch (authentication) {
		case 'serverToServerOAuth':
			return 'zoomTeamChatServerToServerOAuthApi';
		case 'oAuth2':
			return 'zoomTeamChatOAuth2Api';
		case 'chatbot':
			return 'zoomChatbotApi';
		default:
			return 'zoomTeamChatWebhookApi';
	}
}

/**
 * Every version keeps the choice in the node's `delivery` parameter: version 1 shows it only next
 * to the credential (n8n lists a field that an Authentication field depends on there), version 2
 * as a field of its own. Anything but "websocket" is a webhook, the default of both.
 */
export function deliveryOf(context: { getNodeParameter(name: string, fallback?: unknown): unknown }): TriggerDelivery {
	return context.getNodeParameter('delivery', 'webhook') === 'websocket' ? 'websocket' : 'webhook';
}

/**
 * Only app tokens may manage event subscriptions (they belong to the app, not to a user), so
 * registration through the API is offered for Server-to-Server and Chatbot credentials.
 */
export function usesZoomApi(this: IHookFunctions, authentication: TriggerAuthentication): boolean {
	if (authentication !== 'serverToServerOAuth' && authentication !== 'chatbot') return false;
	return this.getNodeParameter('subscriptionSetup', 'automatic') === 'automatic';
}
