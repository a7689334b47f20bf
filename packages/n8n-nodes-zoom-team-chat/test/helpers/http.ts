/**
 * n8n's HTTP helpers, reproduced for tests: `httpRequest` maps options to axios the way n8n-core
 * 1.122 does (convertN8nRequestToAxios), and `httpRequestWithAuthentication` runs a credential's
 * preAuthentication / authenticate and re-mints the token after a thrown 401, as n8n does.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INode } from 'n8n-workflow';
import { isObjectEmpty, NodeApiError } from 'n8n-workflow';

export interface RecordedRequest {
	method: string;
	url: string;
	credentialType?: string;
	headers: Record<string, unknown>;
}

export async function n8nHttpRequest(options: IHttpRequestOptions, log?: RecordedRequest[]): Promise<unknown> {
	const method = (options.method ?? 'GET').toUpperCase();
	const headers: Record<string, unknown> = { ...(options.headers ?? {}) };
	const config: AxiosRequestConfig = {
		url: options.url,
		method,
		headers: headers as AxiosRequestConfig['headers'],
		timeout: options.timeout,
		params: options.qs,
		maxBodyLength: -1,
		maxContentLength: -1,
	};
	if (options.baseURL !== undefined) config.baseURL = options.baseURL;
	if (options.abortSignal) config.signal = options.abortSignal as AxiosRequestConfig['signal'];
	if (options.disableFollowRedirect === true) config.maxRedirects = 0;
	if (options.encoding !== undefined) config.responseType = options.encoding as AxiosRequestConfig['responseType'];
	const body = options.body as unknown;
	if (body && (typeof body === 'string' || (typeof body === 'object' && !isObjectEmpty(body as object)))) {
		config.data = body;
	}
	if (options.json && !Object.keys(headers).some((h) => h.toLowerCase() === 'accept'))
		headers.Accept = 'application/json';
	if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) headers['User-Agent'] = 'n8n';
	if (options.ignoreHttpStatusErrors) config.validateStatus = () => true;
	if (method === 'GET') delete config.data;
	log?.push({ method, url: options.url, headers });
	const response = await axios(config);
	if (options.returnFullResponse) {
		return {
			body: response.data,
			headers: response.headers,
			statusCode: response.status,
			statusMessage: response.statusText,
		};
	}
	return response.data;
}

function resolveTemplate(template: string, credentials: ICredentialDataDecryptedObject): string {
	return template
		.replace(/^=/, '')
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, name: string) => String(credentials[name] ?? ''));
}

async function authenticate(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const auth = type.authenticate;
	if (typeof auth === 'function')
		return await auth(credentials, { ...options, headers: { ...(options.headers ?? {}) } });
	if (auth && auth.type === 'generic') {
		const headers = { ...(options.headers ?? {}) };
		for (const [name, value] of Object.entries(auth.properties.headers ?? {})) {
			headers[name] = resolveTemplate(String(value), credentials);
		}
		return { ...options, headers };
	}
	return options;
}

export interface CredentialEntry {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

export function createHttpHelpers(
	node: INode,
	credentials: Record<string, CredentialEntry>,
	log: RecordedRequest[] = [],
) {
	const httpRequest = async (options: IHttpRequestOptions) => await n8nHttpRequest(options, log);
	const mint = async (entry: CredentialEntry) => {
		if (!entry.type.preAuthentication) return;
		const update = await entry.type.preAuthentication.call({ helpers: { httpRequest } } as never, entry.data);
		Object.assign(entry.data, update);
	};
	return {
		log,
		httpRequest,
		async httpRequestWithAuthentication(credentialType: string, options: IHttpRequestOptions): Promise<unknown> {
			const entry = credentials[credentialType];
			if (!entry) throw new Error(`test: no credentials of type ${credentialType}`);
			if (entry.type.extends?.includes('oAuth2Api')) return await oauth2Request(node, entry, options, log);
			const run = async () => {
				const authed = await authenticate(entry.type, entry.data, options);
				const before = log.length;
				const result = await n8nHttpRequest(authed, log);
				const recorded = log[before];
				if (recorded) recorded.credentialType = credentialType;
				return result;
			};
			try {
				if (entry.type.preAuthentication && !entry.data.accessToken) await mint(entry);
				return await run();
			} catch (error) {
				const status = (error as { response?: { status?: number } }).response?.status;
				if (status === 401 && entry.type.preAuthentication) {
					try {
						await mint(entry);
						return await run();
					} catch (retryError) {
						throw new NodeApiError(node, retryError as never);
					}
				}
				throw new NodeApiError(node, error as never);
			}
		},
	};
}

interface OAuthTokens {
	access_token: string;
	refresh_token?: string;
}

/** n8n's requestOAuth2 (header authentication): Bearer token, one refresh after a thrown 401. */
async function oauth2Request(
	node: INode,
	entry: CredentialEntry,
	options: IHttpRequestOptions,
	log: RecordedRequest[],
) {
	const send = async () => {
		const tokens = entry.data.oauthTokenData as unknown as OAuthTokens;
		const headers = { ...(options.headers ?? {}), Authorization: `Bearer ${tokens.access_token}` };
		return await n8nHttpRequest({ ...options, headers }, log);
	};
	try {
		return await send();
	} catch (error) {
		if ((error as { response?: { status?: number } }).response?.status !== 401)
			throw new NodeApiError(node, error as never);
		try {
			const tokens = entry.data.oauthTokenData as unknown as OAuthTokens;
			const basic = Buffer.from(`${String(entry.data.clientId)}:${String(entry.data.clientSecret)}`).toString('base64');
			const refreshed = (await n8nHttpRequest({
				method: 'POST',
				url: String(entry.data.accessTokenUrl),
				headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(tokens.refresh_token ?? '')}`,
				json: true,
			})) as OAuthTokens;
			entry.data.oauthTokenData = { ...tokens, ...refreshed } as never;
			return await send();
		} catch (retryError) {
			throw new NodeApiError(node, retryError as never);
		}
	}
}
