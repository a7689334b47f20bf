import type { IDataObject, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';
import { signWebhook, type RawBody } from '@zoom-team-chat/core/portable';

import { FORWARDED_CLICK, ownResumeUrl, type ForwardedClick } from '../shared/send-and-wait-link';

/** Zoom waits 3 seconds for the answer to its request; the forward has to fit in that. */
const FORWARD_TIMEOUT_MS = 2_500;

function header(headers: IDataObject, name: string): string {
	const value = headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/** A click as it came over a webhook: Zoom's body and signature headers, as Zoom sent them. */
export function webhookClick(rawBody: RawBody, headers: IDataObject): ForwardedClick {
	return {
		body: typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody as Uint8Array).toString('utf8'),
		signature: header(headers, 'x-zm-signature'),
		timestamp: header(headers, 'x-zm-request-timestamp'),
	};
}

/**
 * A click as it came over the WebSocket, which Zoom does not sign: the trigger received it on a
 * socket it opened to Zoom with its own token, and vouches for it by signing Zoom's content with
 * the app's Secret Token, as Zoom signs a webhook. The waiting node checks that signature with its
 * own credential's Secret Token, so the click is taken only when both name the same app.
 */
export function socketClick(content: string, secret: string, nowMs: number): ForwardedClick {
	const signed = signWebhook({ secret, rawBody: content, timestamp: Math.floor(nowMs / 1000) });
	return { body: content, signature: signed['x-zm-signature'], timestamp: signed['x-zm-request-timestamp'] };
}

/**
 * A click on a button of a "Send and Wait for Response" chatbot card: its value is the signed
 * resume URL of the waiting execution. The trigger, which Zoom tells about the click, forwards it
 * there (a POST; the waiting node checks the click's signature with its own credential and reads
 * who clicked from it) and starts no execution of its own. Called once the event is trusted;
 * anything but a resume URL of this n8n (same origin as `ownUrl`, a URL n8n built for this
 * trigger) is left to the workflow like any other click (undefined), so no click can make n8n
 * call another host. Otherwise: whether the waiting execution took it.
 */
export async function forwardResumeClick(
	context: IWebhookFunctions | ITriggerFunctions,
	event: IDataObject,
	click: ForwardedClick | (() => ForwardedClick | undefined),
	ownUrl: string | undefined,
): Promise<boolean | undefined> {
	if (event.event !== 'interactive_message_actions') return undefined;
	const payload = (event.payload ?? {}) as IDataObject;
	const value = ((payload.actionItem ?? {}) as IDataObject).value;
	const target = ownResumeUrl(value, ownUrl);
	if (!target) return undefined;
	const who = `${String(payload.userName ?? '')} (${String(payload.userId ?? '')})`;
	const forwarded = typeof click === 'function' ? click() : click;
	if (!forwarded) {
		context.logger.warn(
			`Zoom Team Chat Trigger: the click of ${who} on a waiting question was not forwarded: the credential has no Webhook Secret Token to sign it with`,
		);
		return false;
	}
	let status = 0;
	let detail = '';
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			// As signed: n8n 1.x signs the host too, so the URL goes out unchanged.
			url: target.toString(),
			body: { [FORWARDED_CLICK]: forwarded },
			json: true,
			timeout: FORWARD_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode?: number; body?: unknown };
		status = Number(response?.statusCode ?? 0);
		const reason = (response?.body as IDataObject | undefined)?.reason;
		detail = typeof reason === 'string' ? reason : '';
	} catch (error) {
		detail = (error as Error).message;
	}
	if (status === 200) {
		context.logger.info(
			`Zoom Team Chat Trigger: ${who} answered a waiting question with "${String(((payload.actionItem ?? {}) as IDataObject).text ?? '')}"`,
		);
	} else {
		// 409/404: already answered or no longer waiting (n8n's own answers); 401/403: refused.
		context.logger.warn(
			`Zoom Team Chat Trigger: the click of ${who} on a waiting question was not taken (${status || 'no answer'}${detail ? `: ${detail}` : ''})`,
		);
	}
	return status === 200;
}
