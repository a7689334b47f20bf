import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import { OperationalError } from 'n8n-workflow';
import {
	createMemoryTokenStore,
	createTokenProvider,
	silentLogger,
	type AuthConfig,
} from '@zoom-team-chat/core/portable';

import { baseUrlsFromCredentials, credentialString } from './cloud';
import { n8nClock } from './client';
import { createN8nTransport } from './transport';

type MintableKind = 'account' | 'chatbot';

function authConfig(kind: MintableKind, credentials: ICredentialDataDecryptedObject): AuthConfig {
	const clientId = credentialString(credentials, 'clientId');
	const clientSecret = credentialString(credentials, 'clientSecret');
	const missing = [!clientId && 'Client ID', !clientSecret && 'Client Secret'];
	if (kind === 'account') {
		const accountId = credentialString(credentials, 'accountId');
		missing.push(!accountId && 'Account ID');
		const absent = missing.filter(Boolean);
		if (absent.length) throw new OperationalError(`The credential is missing: ${absent.join(', ')}`);
		return { kind, accountId, clientId, clientSecret };
	}
	const absent = missing.filter(Boolean);
	if (absent.length) throw new OperationalError(`The credential is missing: ${absent.join(', ')}`);
	return { kind, clientId, clientSecret };
}

/**
 * Mints an app token (Server-to-Server `account_credentials` or Chatbot `client_credentials`)
 * through n8n's plain `httpRequest`, with the core's token logic: retries that cannot burn a
 * credential, and errors that say what Zoom refused without quoting any secret.
 */
export async function mintAppToken(
	helper: IHttpRequestHelper,
	kind: MintableKind,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const config = authConfig(kind, credentials);
	const urls = attempt(() => baseUrlsFromCredentials(credentials));
	if (urls.error) throw new OperationalError(urls.error.message);
	const oauthBaseUrl = urls.value.oauth;
	const provider = createTokenProvider(config, {
		transport: createN8nTransport({ send: async (options) => await helper.helpers.httpRequest(options) }),
		clock: n8nClock,
		tokenStore: createMemoryTokenStore(),
		logger: silentLogger,
		oauthBaseUrl,
	});
	// Errors are re-thrown outside any catch block as n8n's OperationalError (credentials have no
	// node to attach a NodeApiError to); the core's messages never contain the secrets.
	const minted = await provider.getToken().then(
		(value) => ({ value, error: undefined }),
		(error: Error) => ({ value: undefined, error }),
	);
	if (minted.error) throw new OperationalError(minted.error.message);
	const token = minted.value;
	if (!token) throw new OperationalError('Zoom did not return an access token');
	return token;
}

function attempt<T>(fn: () => T): { value: T; error: undefined } | { value: undefined; error: Error } {
	try {
		return { value: fn(), error: undefined };
	} catch (error) {
		return { value: undefined, error: error as Error };
	}
}
