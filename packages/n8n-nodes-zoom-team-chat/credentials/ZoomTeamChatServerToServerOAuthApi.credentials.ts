import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { cloudProperties, webhookSecretProperty } from '../nodes/shared/cloud';
import { mintAppToken } from '../nodes/shared/token';

export class ZoomTeamChatServerToServerOAuthApi implements ICredentialType {
	name = 'zoomTeamChatServerToServerOAuthApi';

	displayName = 'Zoom Team Chat Server-to-Server OAuth API';

	icon: Icon = { light: 'file:../icons/zoom.svg', dark: 'file:../icons/zoom.dark.svg' };

	documentationUrl = 'https://developers.zoom.us/docs/internal-apps/s2s-oauth/';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			description: "The Account ID on your Server-to-Server OAuth app's App Credentials page",
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
		webhookSecretProperty,
		...cloudProperties,
	];

	// n8n calls this when the token is empty, and again after Zoom answers 401 (the token lasts an
	// hour); the new token is stored encrypted with the credential.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { accessToken: await mintAppToken(this, 'account', credentials) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// Lists one of the account's public channels: proves the token works, and tells which scope
	// to add when Zoom refuses (n8n shows only the status of a failed test, hence these rules).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.cloud === "custom" ? $credentials.apiBaseUrl.replace(/\\/+$/, "") : "https://api.zoom.us/v2"}}',
			url: '/chat/channels',
			qs: { page_size: 1 },
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						"Zoom accepted the credential but refused the call: the app probably lacks the scope team_chat:read:list_channels:admin (or chat_channel:read:admin). Add it on the app's Scopes page in the Zoom App Marketplace.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Zoom accepted the credential but refused the call: add the scope team_chat:read:list_channels:admin (or chat_channel:read:admin) on the app's Scopes page, and check that the app is activated.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Zoom rejected the access token: check the Account ID, Client ID and Client Secret',
				},
			},
		],
	};
}
