import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { RawBody } from '@zoom-team-chat/core/portable';

import { FORWARDED_CLICK, ownResumeUrl, type ForwardedClick } from '../shared/send-and-wait-link';

/** Zoom waits 3 seconds for the answer to its request; the forward has to fit in that. */
const FORWARD_TIMEOUT_MS = 2_500;

function header(headers: IDataObject, name: string): string {
	const value = headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/**
 * A click on a button of a "Send and Wait for Response" chatbot card: its value is the signed
 * resume URL of the waiting execution. The trigger, which Zoom tells about the click, forwards it
 * there (a POST; the waiting node checks Zoom's signature again with its own credential and reads
 * who clicked from it) and starts no execution of its own. Called after Zoom's signature was
 * verified; anything but a resume URL of this n8n (same origin as this trigger's webhook URL) is
 * left to the workflow like any other click, so no click can make n8n call another host.
 */
export async function forwardResumeClick(
	this: IWebhookFunctions,
	event: IDataObject,
	rawBody: RawBody,
	headers: IDataObject,
): Promise<IWebhookResponseData | undefined> {
	if (event.event !== 'interactive_message_actions') return undefined;
	const payload = (event.payload ?? {}) as IDataObject;
	const value = ((payload.actionItem ?? {}) as IDataObject).value;
	const target = ownResumeUrl(value, this.getNodeWebhookUrl('default'));
	if (!target) return undefined;

	const click: ForwardedClick = {
		body: typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody as Uint8Array).toString('utf8'),
		signature: header(headers, 'x-zm-signature'),
		timestamp: header(headers, 'x-zm-request-timestamp'),
	};
	let status = 0;
	let detail = '';
	try {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			// As signed: n8n 1.x signs the host too, so the URL goes out unchanged.
			url: target.toString(),
			body: { [FORWARDED_CLICK]: click },
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
	const who = `${String(payload.userName ?? '')} (${String(payload.userId ?? '')})`;
	if (status === 200) {
		this.logger.info(
			`Zoom Team Chat Trigger: ${who} answered a waiting question with "${String(((payload.actionItem ?? {}) as IDataObject).text ?? '')}"`,
		);
	} else {
		// 409/404: already answered or no longer waiting (n8n's own answers); 401/403: refused.
		this.logger.warn(
			`Zoom Team Chat Trigger: the click of ${who} on a waiting question was not taken (${status || 'no answer'}${detail ? `: ${detail}` : ''})`,
		);
	}
	return { webhookResponse: { received: true, forwarded: status === 200 } };
}
