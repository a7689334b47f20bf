import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { triggerCredentialType, type TriggerAuthentication } from './authentication';

/** The app's webhook Secret Token from the trigger's credential ('' when not set). */
export async function webhookSecretFor(
	context: IHookFunctions | IWebhookFunctions,
	authentication: TriggerAuthentication,
): Promise<string> {
	const credentials = await context.getCredentials(triggerCredentialType(authentication));
	const secret = credentials?.webhookSecretToken;
	return typeof secret === 'string' ? secret.trim() : '';
}

/** What a delivery needs from the trigger's credential. */
export interface DeliverySecrets {
	secret: string;
	/** The chatbot's JID ('' unless the credential is a Chatbot one that has it). */
	botJid: string;
	/** Read from the credential just now (false: from the cache). */
	fresh: boolean;
}

/**
 * How long a credential's secret is reused between deliveries. n8n reads the credential from its
 * database, decrypts it and sets up an expression sandbox on every getCredentials call, a third of
 * the trigger's cost per event; a changed secret is picked up after this long at most, and at once
 * for requests signed with the new one (see `refresh`).
 */
export const SECRET_CACHE_MS = 10_000;
/** A failed signature re-reads the credential at most this often (forged requests cannot force it). */
const REFRESH_MIN_MS = 1_000;
const MAX_CACHED = 500;

const cache = new Map<string, { secret: string; botJid: string; at: number }>();
/**
 * Reads in progress, shared: when the cached copy expires under load, hundreds of requests in
 * flight would each read the credential (and each set up an expression sandbox) at once.
 */
const reading = new Map<string, Promise<DeliverySecrets>>();

function cacheKey(context: IWebhookFunctions, type: string): string | undefined {
	const id = context.getNode().credentials?.[type]?.id;
	return typeof id === 'string' && id !== '' ? `${type}\u0000${id}` : undefined;
}

async function read(
	context: IWebhookFunctions,
	type: string,
	key: string | undefined,
	now: number,
): Promise<DeliverySecrets> {
	const credentials = await context.getCredentials(type);
	const rawSecret = credentials?.webhookSecretToken;
	const rawJid = credentials?.botJid;
	const secret = typeof rawSecret === 'string' ? rawSecret.trim() : '';
	const botJid = typeof rawJid === 'string' ? rawJid.trim() : '';
	if (key !== undefined) {
		cache.delete(key);
		// An empty secret is not kept: fixing the credential takes effect with the next request.
		if (secret !== '') {
			cache.set(key, { secret, botJid, at: now });
			if (cache.size > MAX_CACHED) {
				const oldest = cache.keys().next();
				if (oldest.done !== true) cache.delete(oldest.value);
			}
		}
	}
	return { secret, botJid, fresh: true };
}

/**
 * The trigger credential's Secret Token (and bot JID) for a delivery, cached per credential for
 * SECRET_CACHE_MS. A node without a saved credential id is read every time.
 */
export async function deliverySecrets(
	context: IWebhookFunctions,
	authentication: TriggerAuthentication,
	now: number,
): Promise<DeliverySecrets> {
	const type = triggerCredentialType(authentication);
	const key = cacheKey(context, type);
	const hit = key === undefined ? undefined : cache.get(key);
	if (hit !== undefined && now - hit.at >= 0 && now - hit.at < SECRET_CACHE_MS)
		return { secret: hit.secret, botJid: hit.botJid, fresh: false };
	return await readOnce(context, type, key, now);
}

async function readOnce(
	context: IWebhookFunctions,
	type: string,
	key: string | undefined,
	now: number,
): Promise<DeliverySecrets> {
	if (key === undefined) return await read(context, type, key, now);
	const inProgress = reading.get(key);
	if (inProgress !== undefined) return await inProgress;
	const started = read(context, type, key, now);
	reading.set(key, started);
	try {
		return await started;
	} finally {
		reading.delete(key);
	}
}

/**
 * After a signature failed with a cached secret: the credential, re-read if the cached copy is
 * older than REFRESH_MIN_MS (the secret may have been rotated); undefined when not re-read.
 */
export async function refreshDeliverySecrets(
	context: IWebhookFunctions,
	authentication: TriggerAuthentication,
	now: number,
): Promise<DeliverySecrets | undefined> {
	const type = triggerCredentialType(authentication);
	const key = cacheKey(context, type);
	const hit = key === undefined ? undefined : cache.get(key);
	if (hit === undefined || (now - hit.at >= 0 && now - hit.at < REFRESH_MIN_MS)) return undefined;
	return await readOnce(context, type, key, now);
}
