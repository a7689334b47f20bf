import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { cloudProperties, webhookSecretProperty } from '../nodes/shared/cloud';
import { rateLimitProperties } from '../nodes/shared/rate-limits';

const oauthBase = '($self["cloud"] === "custom" ? $self["oauthBaseUrl"].replace(/\\/+$/, "") : "https://zoom.us")';

/** User-level General app (authorization code). Zoom rotates the refresh token; n8n stores the new one. */
export class ZoomTeamChatOAuth2Api implements ICredentialType {
	name = 'zoomTeamChatOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zoom Team Chat OAuth2 API';

	icon: Icon = { light: 'file:../icons/zoom.svg', dark: 'file:../icons/zoom.dark.svg' };

	documentationUrl = 'https://developers.zoom.us/docs/integrations/oauth/';

	properties: INodeProperties[] = [
		...cloudProperties,
		...rateLimitProperties,
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{${oauthBase} + "/oauth/authorize"}}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{${oauthBase} + "/oauth/token"}}`,
			required: true,
		},
		{
			// Zoom grants the scopes configured on the app; none are requested here.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		webhookSecretProperty,
	];
}
