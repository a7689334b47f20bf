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
import { rateLimitProperties } from '../nodes/shared/rate-limits';
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
		...rateLimitProperties,
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

	// Lists one of the account's public channels: proves the token works, and tells which scope to
	// add when Zoom refuses. The answer is taken whatever its status (n8n 1.x reports a failed test
	// request only by its HTTP status text), and the rules below turn Zoom's refusals into advice.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.cloud === "custom" ? $credentials.apiBaseUrl.replace(/\\/+$/, "") : "https://api.zoom.us/v2"}}',
			url: '/chat/channels',
			qs: { page_size: 1 },
			method: 'GET',
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		},
		rules: [
			// n8n hands the rules the full response or only its body, depending on the version.
			...['code', 'body.code'].flatMap((key) => [
				...[4700, 4711].map((code) => ({
					type: 'responseSuccessBody' as const,
					properties: { key, value: code, message: MISSING_SCOPE },
				})),
				{
					type: 'responseSuccessBody' as const,
					properties: {
						key,
						value: 124,
						message: 'Zoom rejected the access token: check the Account ID, Client ID and Client Secret',
					},
				},
				{
					type: 'responseSuccessBody' as const,
					properties: {
						key,
						value: 200,
						message:
							"Zoom refused: the app's user has no permission to view the account's chat channels (role settings)",
					},
				},
			]),
			...[
				[400, MISSING_SCOPE],
				[401, 'Zoom rejected the access token: check the Account ID, Client ID and Client Secret'],
				[403, MISSING_SCOPE],
				[404, 'Zoom answered 404: check the API Base URL'],
				[429, 'Zoom is rate-limiting this app; try again in a minute'],
			].map(([status, message]) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'statusCode', value: status as number, message: message as string },
			})),
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'statusCode', value: status, message: `Zoom answered HTTP ${status}; try again later` },
			})),
		],
	};
}

const MISSING_SCOPE =
	"Zoom accepted the credential but refused to list channels: the app lacks the scope team_chat:read:list_channels:admin (or chat_channel:read:admin). Add it on the app's Scopes page in the Zoom App Marketplace.";
