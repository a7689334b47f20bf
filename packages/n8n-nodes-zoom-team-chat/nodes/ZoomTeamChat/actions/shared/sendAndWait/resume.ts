import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DECISION_PARAM, STATE_PARAM } from '../../../../shared/send-and-wait-link';

/**
 * What webhook() needs from execute(): it cannot see execute()'s output, so it travels in the
 * resume URL, whose query n8n signs (a changed value fails the signature). Short keys: the URL
 * is part of a Zoom message of at most 1024 characters.
 */
export interface ResumeState {
	/** The Zoom message ID (edited once answered). */
	m: string;
	/** User-level message: the channel ID, or the contact (to_channel / to_contact). */
	ch?: string;
	ct?: string;
	/** User-level message: the user the app acted for (Server-to-Server "Act As User"). */
	u?: string;
	/** Chatbot card: the account, when not the credential's. */
	ac?: string;
}

export type Decision = 'approve' | 'decline';

type SignedUrls = (parameters: Record<string, string>) => string;

interface ResumeApi {
	getSignedResumeUrl?: (parameters?: Record<string, string>) => string;
	setSignatureValidationRequired?: () => void;
}

/**
 * n8n's signed resume URLs, checked for. n8n 1.x validates a signature only once told to
 * (setSignatureValidationRequired, removed in 2.x where every send-and-wait URL is validated);
 * an n8n without getSignedResumeUrl predates signed send-and-wait URLs altogether.
 */
export function signedResumeUrls(context: IExecuteFunctions): SignedUrls {
	const api = context as unknown as ResumeApi;
	if (typeof api.getSignedResumeUrl !== 'function') {
		throw new NodeOperationError(context.getNode(), 'This n8n is too old for "Send and Wait for Response"', {
			description:
				"The operation needs n8n's signed resume URLs (getSignedResumeUrl), which this n8n does not offer. Update n8n: this package's send and wait is tested with n8n 1.123 and 2.41.",
		});
	}
	if (typeof api.setSignatureValidationRequired === 'function') api.setSignatureValidationRequired.call(context);
	const sign = api.getSignedResumeUrl;
	return (parameters) => sign.call(context, parameters);
}

export function encodeState(state: ResumeState): string {
	return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeState(value: unknown): ResumeState | undefined {
	if (typeof value !== 'string' || value === '' || value.length > 2048) return undefined;
	try {
		const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
		if (!parsed || typeof parsed !== 'object' || typeof (parsed as ResumeState).m !== 'string') return undefined;
		return parsed as ResumeState;
	} catch {
		return undefined;
	}
}

/** The answer page's URL, or (with a decision) a chatbot button's. */
export function resumeUrl(sign: SignedUrls, state: ResumeState, decision?: Decision): string {
	return sign({ [STATE_PARAM]: encodeState(state), ...(decision ? { [DECISION_PARAM]: decision } : {}) });
}
