import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Only the webhook Secret Token, for triggers whose event subscription is configured by hand in
 * the Zoom App Marketplace (no API access needed).
 */
export class ZoomTeamChatWebhookApi implements ICredentialType {
	name = 'zoomTeamChatWebhookApi';

	displayName = 'Zoom Team Chat Webhook API';

	icon: Icon = { light: 'file:../icons/zoom.svg', dark: 'file:../icons/zoom.dark.svg' };

	documentationUrl = 'https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret Token',
			name: 'webhookSecretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The app's Secret Token (Zoom App Marketplace → your app → Features → Access). Every webhook is verified with it.",
		},
	];
}
