import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { cloudProperties, webhookSecretProperty } from '../nodes/shared/cloud';
import { rateLimitProperties } from '../nodes/shared/rate-limits';
import { mintAppToken } from '../nodes/shared/token';

export class ZoomChatbotApi implements ICredentialType {
	name = 'zoomChatbotApi';

	displayName = 'Zoom Chatbot API';

	icon: Icon = { light: 'file:../icons/zoom.svg', dark: 'file:../icons/zoom.dark.svg' };

	documentationUrl = 'https://developers.zoom.us/docs/team-chat/chatbots/';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Bot JID',
			name: 'botJid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'v1abc123@xmpp.zoom.us',
			description: "The bot's JID, from the app's Features → Surface → Team Chat Subscription section",
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			description: 'The account the bot is installed in (the accountId of the bot_notification events it receives)',
		},
		webhookSecretProperty,
		...cloudProperties,
		...rateLimitProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { accessToken: await mintAppToken(this, 'chatbot', credentials) };
	}

	// Bearer on every API call; the credential test's call to the token endpoint keeps its own
	// Basic header (it proves the client ID and secret a second way, without sending a message).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (/\/oauth\/token(\?|$)/.test(requestOptions.url)) return requestOptions;
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${credentials.accessToken as string}`,
		};
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.cloud === "custom" ? $credentials.oauthBaseUrl.replace(/\\/+$/, "") : "https://zoom.us"}}',
			url: '/oauth/token?grant_type=client_credentials',
			method: 'POST',
			headers: {
				Authorization: '=Basic {{ ($credentials.clientId + ":" + $credentials.clientSecret).base64Encode() }}',
			},
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Zoom rejected the client ID or client secret' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Zoom refused the client credentials grant: check that this is the Client ID and Secret of a General app with the Team Chat (chatbot) surface enabled',
				},
			},
		],
	};
}
