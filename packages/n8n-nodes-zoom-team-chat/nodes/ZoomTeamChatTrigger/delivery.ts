import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import {
	admitEvent,
	dedupeWindowMs,
	eventSelection,
	isOwnSend,
	receiveWebhook,
	type RawBody,
} from '@zoom-team-chat/core/portable';

import type { TriggerAuthentication } from './authentication';
import { seenDelivery } from './delivery-dedupe';
import { wantsEventFiles, withEventFiles } from './files';
import { receiveSync, scheduleSync, SYNC_HEADER } from './delivery-sync';
import { forwardResumeClick, webhookClick } from './forward-click';
import { deliverySecrets, refreshDeliverySecrets } from './secret';

/**
 * Zoom's events are a few KB. n8n has already buffered the body (up to N8N_PAYLOAD_SIZE_MAX,
 * 16 MB by default) before this node runs; past this bound we answer 413 without hashing it.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * n8n keeps the exact request bytes on `req.rawBody` (its body parser reads them first; newer
 * versions read them on demand through `req.readRawBody()`). A parsed object cannot be verified.
 */
async function rawBodyOf(request: unknown): Promise<RawBody | undefined> {
	const req = request as { rawBody?: unknown; readRawBody?: () => Promise<void> };
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const raw = req.rawBody;
	if (raw instanceof Uint8Array || typeof raw === 'string') return raw;
	return undefined;
}

/** Which workflow node (and URL kind: production or test) a delivery belongs to. */
function dedupeScope(context: IWebhookFunctions): string {
	const workflow = typeof context.getWorkflow === 'function' ? (context.getWorkflow().id ?? '') : '';
	const mode = typeof context.getMode === 'function' ? context.getMode() : '';
	return `${workflow}\u0000${context.getNode().id}\u0000${mode}`;
}

/**
 * Verifies, filters and de-duplicates one POST from Zoom. Every request is checked over its raw
 * body before anything else: a bad signature or timestamp gets 401 and starts nothing; Zoom's
 * endpoint check (`endpoint.url_validation`) is answered only when signed.
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const res = this.getResponseObject();
	const authentication = this.getNodeParameter('authentication') as TriggerAuthentication;
	const refuse = (status: number, message: string): IWebhookResponseData => {
		res.status(status).json({ message });
		return { noWebhookResponse: true };
	};

	const now = Date.now();
	let credential = await deliverySecrets(this, authentication, now);
	const secret = credential.secret;
	if (!secret) {
		this.logger.error('Zoom Team Chat Trigger: the credential has no Webhook Secret Token; request refused');
		return refuse(500, 'Webhook secret not configured');
	}
	const rawBody = await rawBodyOf(req);
	if (rawBody === undefined) {
		this.logger.error('Zoom Team Chat Trigger: n8n did not keep the raw request body; it cannot be verified');
		return refuse(500, 'Raw body unavailable');
	}
	const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.byteLength;
	if (size > MAX_BODY_BYTES) {
		this.logger.warn(`Zoom Team Chat Trigger: request refused (body of ${size} bytes exceeds ${MAX_BODY_BYTES})`);
		return refuse(413, 'Payload too large');
	}

	if (req.headers[SYNC_HEADER] !== undefined) {
		// Another webhook process of this n8n sharing its de-dupe keys (delivery-sync.ts).
		const sync = receiveSync({
			rawBody,
			headers: req.headers,
			secret,
			data: this.getWorkflowStaticData('node'),
			scope: dedupeScope(this),
			now,
		});
		if (sync.status !== 200) {
			this.logger.warn(`Zoom Team Chat Trigger: de-dupe sync refused (${sync.reason})`);
			return refuse(sync.status, sync.status === 401 ? 'Invalid signature' : 'Bad request');
		}
		return { webhookResponse: { absent: sync.absent } };
	}

	const receive = (withSecret: string) => receiveWebhook({ rawBody, headers: req.headers, secrets: [withSecret] });
	let intake = receive(credential.secret);
	if (intake.kind === 'refused' && intake.status === 401 && !credential.fresh) {
		// Checked with a cached secret: the credential may have been changed since; re-read it once.
		const refreshed = await refreshDeliverySecrets(this, authentication, Date.now());
		if (refreshed !== undefined && refreshed.secret !== '' && refreshed.secret !== credential.secret) {
			credential = refreshed;
			intake = receive(credential.secret);
		}
	}
	if (intake.kind === 'refused') {
		this.logger.warn(`Zoom Team Chat Trigger: request refused (${intake.reason})`);
		return refuse(intake.status, intake.status === 401 ? 'Invalid signature' : 'Bad request');
	}
	if (intake.kind === 'url_validation') return { webhookResponse: intake.response };

	const event = intake.event as unknown as IDataObject;
	// A click on a "Send and Wait for Response" card resumes that execution instead of starting one.
	const click = webhookClick(rawBody, req.headers as IDataObject);
	const forwarded = await forwardResumeClick(this, event, click, this.getNodeWebhookUrl('default'));
	if (forwarded !== undefined) return { webhookResponse: { received: true, forwarded } };

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const scope = dedupeScope(this);
	const reason = await admitEvent(intake.event, {
		selection: eventSelection({
			events: this.getNodeParameter('events', []),
			channels: options.channelIds,
			ignoreOwn: options.ignoreOwnMessages !== false,
			ownIdentities: [options.ownUsers, authentication === 'chatbot' ? credential.botJid : ''],
			// n8n's Events field is a list of exact names; an empty one starts nothing.
			blankEvents: 'none',
		}),
		keys: intake.keys,
		seen: (keys) =>
			seenDelivery({
				data: this.getWorkflowStaticData('node'),
				scope,
				keys: [...keys],
				ttlMs: dedupeWindowMs(options.dedupeMinutes),
				now,
			}),
		// Messages a workflow of this n8n process posted (in queue mode the workers' sends are not seen
		// here). Only sends already answered: n8n answers Zoom when this returns, and waiting for the
		// sends in flight (as Node-RED does after its ack) held acks past Zoom's 3 s in a burst.
		sentHere: options.ignoreOwnMessages !== false ? (messageId) => isOwnSend(messageId) : undefined,
	});
	if (reason !== undefined) return { webhookResponse: { received: true, skipped: reason } };
	if (this.getMode() !== 'manual') scheduleSync(this, scope, credential.secret);

	const json: IDataObject = { ...event };
	if (options.includeHeaders) json.headers = intake.headers;
	if (wantsEventFiles(options, authentication, json)) {
		// Zoom gives up after 3 seconds, and downloads can take longer: answer first (n8n then
		// sends nothing itself), start the workflow once the files are in.
		res.status(200).end();
		return { noWebhookResponse: true, workflowData: [[await withEventFiles(this, authentication, json, options)]] };
	}
	return { workflowData: [this.helpers.returnJsonArray([json])] };
}
