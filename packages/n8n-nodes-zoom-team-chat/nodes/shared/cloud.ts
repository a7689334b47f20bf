import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

export interface ZoomBaseUrls {
	api: string;
	file: string;
	oauth: string;
}

export const ZOOM_BASE_URLS: ZoomBaseUrls = {
	api: 'https://api.zoom.us/v2',
	file: 'https://file.zoom.us/v2',
	oauth: 'https://zoom.us',
};

/** Credential fields choosing Zoom's hosts; "custom" serves Zoom for Government, a proxy or the simulator. */
export const cloudProperties: INodeProperties[] = [
	{
		displayName: 'Zoom Cloud',
		name: 'cloud',
		type: 'options',
		options: [
			{ name: 'Zoom (Zoom.us)', value: 'global' },
			{ name: 'Custom URLs', value: 'custom' },
		],
		default: 'global',
		description:
			'Which Zoom hosts to call. Choose Custom URLs for Zoom for Government, a corporate proxy, or a local Zoom simulator.',
	},
	{
		displayName: 'API Base URL',
		name: 'apiBaseUrl',
		type: 'string',
		default: 'https://api.zoom.us/v2',
		placeholder: 'https://api.zoom.us/v2',
		description: 'Base URL of the REST API, including /v2',
		displayOptions: { show: { cloud: ['custom'] } },
	},
	{
		displayName: 'File API Base URL',
		name: 'fileBaseUrl',
		type: 'string',
		default: 'https://file.zoom.us/v2',
		placeholder: 'https://file.zoom.us/v2',
		description: 'Base URL of the file host used for uploads, including /v2',
		displayOptions: { show: { cloud: ['custom'] } },
	},
	{
		displayName: 'OAuth Base URL',
		name: 'oauthBaseUrl',
		type: 'string',
		default: 'https://zoom.us',
		placeholder: 'https://zoom.us',
		description: 'Host of the OAuth endpoints (/oauth/token, /oauth/authorize)',
		displayOptions: { show: { cloud: ['custom'] } },
	},
];

export const webhookSecretProperty: INodeProperties = {
	displayName: 'Webhook Secret Token',
	name: 'webhookSecretToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		"The app's Secret Token (Zoom App Marketplace → your app → Features → Access). The Zoom Team Chat Trigger verifies every webhook with it. Leave empty if this credential is not used by a trigger.",
};

function cleanUrl(value: unknown, fallback: string, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) return fallback;
	const url = parseUrl(text);
	if (!url) throw new Error(`The credential's ${field} is not a URL: "${text}"`);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(`The credential's ${field} must start with https:// (or http:// for a local simulator)`);
	}
	return text.replace(/\/+$/, '');
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** The hosts a credential points at. Throws an Error naming the field when one is malformed. */
export function baseUrlsFromCredentials(credentials: ICredentialDataDecryptedObject): ZoomBaseUrls {
	if (credentials.cloud !== 'custom') return { ...ZOOM_BASE_URLS };
	return {
		api: cleanUrl(credentials.apiBaseUrl, ZOOM_BASE_URLS.api, 'API Base URL'),
		file: cleanUrl(credentials.fileBaseUrl, ZOOM_BASE_URLS.file, 'File API Base URL'),
		oauth: cleanUrl(credentials.oauthBaseUrl, ZOOM_BASE_URLS.oauth, 'OAuth Base URL'),
	};
}

/** Trimmed string field of a credential ('' when absent). */
export function credentialString(credentials: ICredentialDataDecryptedObject, name: string): string {
	const value = credentials[name];
	return typeof value === 'string' ? value.trim() : '';
}
