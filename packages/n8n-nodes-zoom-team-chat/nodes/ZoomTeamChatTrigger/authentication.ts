import type { IHookFunctions } from 'n8n-workflow';

export type TriggerAuthentication = 'serverToServerOAuth' | 'oAuth2' | 'chatbot' | 'webhookSecret';

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
 * Only app tokens may manage event subscriptions (they belong to the app, not to a user), so
 * registration through the API is offered for Server-to-Server and Chatbot credentials.
 */
export function usesZoomApi(this: IHookFunctions, authentication: TriggerAuthentication): boolean {
	if (authentication !== 'serverToServerOAuth' && authentication !== 'chatbot') return false;
	return this.getNodeParameter('subscriptionSetup', 'automatic') === 'automatic';
}
