import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep, sleepWithAbort } from 'n8n-workflow';
import { createZoomClient, type Clock, type ZoomClient } from '@zoom-team-chat/core/portable';

import { baseUrlsFromCredentials } from './cloud';
import { rateLimitOptions } from './rate-limits';
import { createN8nTransport } from './transport';

/** The `authentication` parameter's values. */
export const API_AUTHENTICATIONS = ['serverToServerOAuth', 'oAuth2', 'chatbot'] as const;

export type ApiAuthentication = (typeof API_AUTHENTICATIONS)[number];

/** The credential type each `authentication` value uses. */
export function credentialTypeFor(authentication: ApiAuthentication): string {
	switch (authentication) {
		case 'serverToServerOAuth':
			return 'zoomTeamChatServerToServerOAuthApi';
		case 'oAuth2':
			return 'zoomTeamChatOAuth2Api';
		case 'chatbot':
			return 'zoomChatbotApi';
	}
}

export const USER_AGENT = 'n8n-nodes-zoom-team-chat/0.1';

/** n8n's own sleep (the timers live in n8n, not in this package). */
export const n8nClock: Clock = {
	now: () => Date.now(),
	// 1.x has sleepWithAbort; 2.x dropped it and its sleep takes the signal instead.
	sleep: (ms, signal) =>
		typeof sleepWithAbort === 'function'
			? sleepWithAbort(ms, signal)
			: (sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(ms, signal),
};

type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

export function isApiAuthentication(value: unknown): value is ApiAuthentication {
	return typeof value === 'string' && (API_AUTHENTICATIONS as readonly string[]).includes(value);
}

export interface ClientOptions {
	/** Shown while the core waits for a rate-limit window (node status / logs). */
	onRateLimited?: (info: { label: string; waitMs: number; operationId: string }) => void;
	timeoutMs?: number;
}

/**
 * A core client whose every request goes through `httpRequestWithAuthentication`: the credential
 * (preAuthentication / OAuth2) supplies the token, n8n supplies proxy and TLS settings, and the
 * core supplies validation, pacing, safe retries, pagination and Zoom's redirects.
 */
export async function zoomClientFor(
	context: RequestContext,
	authentication: ApiAuthentication,
	options: ClientOptions = {},
): Promise<{ client: ZoomClient; credentials: ICredentialDataDecryptedObject }> {
	const credentialType = credentialTypeFor(authentication);
	const credentials = await context.getCredentials(credentialType);
	const send = async (request: IHttpRequestOptions) =>
		await context.helpers.httpRequestWithAuthentication.call(context, credentialType, request);
	const transport = createN8nTransport({
		send,
		refreshAuth: async (url) => {
			// A GET cannot change anything at Zoom; its 401 is what makes n8n mint a new token.
			await send({
				method: 'GET',
				url,
				returnFullResponse: true,
				disableFollowRedirect: true,
				encoding: 'text',
				json: false,
			}).catch(() => undefined);
		},
	});
	const client = createZoomClient({
		auth: { kind: 'none' },
		baseUrls: baseUrlsFromCredentials(credentials),
		// One budget per Zoom account for every execution of this process (the core keeps it).
		...rateLimitOptions(credentials),
		transport,
		clock: n8nClock,
		userAgent: USER_AGENT,
		...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
		...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
	});
	return { client, credentials };
}
