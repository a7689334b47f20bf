/**
 * What the action node's "Send and Wait for Response" and the trigger agree on. The action node
 * puts n8n's signed resume URL into a chatbot button's value; the trigger, receiving Zoom's signed
 * click on that button, forwards it there. Both sides live in one package, so these names are the
 * whole contract between them.
 */

/** Query parameter of our resume URLs: what the waiting node needs later (base64url JSON). */
export const STATE_PARAM = 'zs';
/** Query parameter of a chatbot button's URL: which button it is ("approve" or "decline"). */
export const DECISION_PARAM = 'za';
/** n8n's own query parameter carrying the URL's HMAC (WAITING_TOKEN_QUERY_PARAM in n8n). */
export const SIGNATURE_PARAM = 'signature';

/** The JSON key of a click the trigger forwards: Zoom's request, exactly as Zoom signed it. */
export const FORWARDED_CLICK = 'zoomTeamChatClick';

export interface ForwardedClick {
	/** Zoom's request body, byte for byte (the signature covers these bytes). */
	body: string;
	/** Zoom's x-zm-signature header. */
	signature: string;
	/** Zoom's x-zm-request-timestamp header. */
	timestamp: string;
}

/**
 * The URL when `value` is a resume URL of a send-and-wait node of this n8n: same origin as the
 * trigger's own webhook URL (n8n builds both from one base: WEBHOOK_URL, or its own address), signed
 * by n8n, and carrying our state. Anything else (another host, a plain button value) is undefined,
 * so a click can never make the trigger call a host of the clicker's choosing.
 */
export function ownResumeUrl(value: unknown, ownWebhookUrl: string | undefined): URL | undefined {
	if (typeof value !== 'string' || value.length > 4096 || !ownWebhookUrl) return undefined;
	let target: URL;
	let own: URL;
	try {
		target = new URL(value);
		own = new URL(ownWebhookUrl);
	} catch {
		return undefined;
	}
	if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
	if (target.origin !== own.origin || target.username !== '' || target.password !== '') return undefined;
	if (!target.searchParams.get(SIGNATURE_PARAM) || !target.searchParams.get(STATE_PARAM)) return undefined;
	return target;
}
