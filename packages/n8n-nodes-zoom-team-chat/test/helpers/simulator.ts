/** A simulator per test file, and the n8n credential data that points at it. */
import { startSimulator, type Simulator, type SimulatorOptions } from '@zoom-team-chat/simulator';

import { ZoomTeamChatOAuth2Api } from '../../credentials/ZoomTeamChatOAuth2Api.credentials';
import { ZoomChatbotApi } from '../../credentials/ZoomChatbotApi.credentials';
import { ZoomTeamChatServerToServerOAuthApi } from '../../credentials/ZoomTeamChatServerToServerOAuthApi.credentials';
import { ZoomTeamChatWebhookApi } from '../../credentials/ZoomTeamChatWebhookApi.credentials';
import type { CredentialEntry } from './http';

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	return await startSimulator({ plan: 'off', fileStorage: 'memory', ...options });
}

function urls(sim: Simulator) {
	return { cloud: 'custom', apiBaseUrl: sim.urls.api, fileBaseUrl: sim.urls.file, oauthBaseUrl: sim.urls.oauth };
}

/** Fresh credential data (no cached token) for each n8n credential type, pointing at `sim`. */
export function credentialsFor(
	sim: Simulator,
	overrides: { webhookSecretToken?: string } = {},
): Record<string, CredentialEntry> {
	const secret = overrides.webhookSecretToken ?? sim.credentials.webhookSecretToken;
	return {
		zoomTeamChatServerToServerOAuthApi: {
			type: new ZoomTeamChatServerToServerOAuthApi(),
			data: {
				accountId: sim.credentials.accountId,
				clientId: sim.credentials.clientId,
				clientSecret: sim.credentials.clientSecret,
				webhookSecretToken: secret,
				...urls(sim),
			},
		},
		zoomChatbotApi: {
			type: new ZoomChatbotApi(),
			data: {
				clientId: sim.credentials.chatbot.clientId,
				clientSecret: sim.credentials.chatbot.clientSecret,
				botJid: sim.credentials.chatbot.botJid,
				accountId: sim.credentials.chatbot.accountId,
				webhookSecretToken: secret,
				...urls(sim),
			},
		},
		zoomTeamChatWebhookApi: {
			type: new ZoomTeamChatWebhookApi(),
			data: { webhookSecretToken: secret },
		},
	};
}

/** A user OAuth2 credential, authorized through the simulator's authorization-code flow. */
export async function oauth2CredentialFor(sim: Simulator): Promise<Record<string, CredentialEntry>> {
	const app = sim.credentials.userOAuth;
	const redirectUri = 'http://127.0.0.1:9/callback';
	const authorize = await fetch(
		`${app.authorizeUrl}?response_type=code&client_id=${encodeURIComponent(app.clientId)}&redirect_uri=${encodeURIComponent(redirectUri)}&state=s1`,
		{ redirect: 'manual' },
	);
	const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code');
	if (!code) throw new Error(`test: the simulator's authorize step gave no code (${authorize.status})`);
	const tokenResponse = await fetch(app.tokenUrl, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
	});
	const tokens = (await tokenResponse.json()) as Record<string, unknown>;
	if (typeof tokens.access_token !== 'string') throw new Error(`test: no access token (${tokenResponse.status})`);
	return {
		zoomTeamChatOAuth2Api: {
			type: new ZoomTeamChatOAuth2Api(),
			data: {
				clientId: app.clientId,
				clientSecret: app.clientSecret,
				accessTokenUrl: app.tokenUrl,
				oauthTokenData: tokens as never,
				webhookSecretToken: sim.credentials.webhookSecretToken,
				...urls(sim),
			},
		},
	};
}
