/** Delivers webhook requests to the trigger node in-process, as n8n's webhook server would. */
import type { IDataObject } from 'n8n-workflow';

import {
	ZoomTeamChatTrigger,
	type ZoomTeamChatTriggerVersion,
} from '../../nodes/ZoomTeamChatTrigger/ZoomTeamChatTrigger.node';
import { webhookContext } from './contexts';
import type { CredentialEntry } from './http';

export const versionedTrigger = new ZoomTeamChatTrigger();
/** Version 1, which saved workflows run; the versions differ in their panels, not in how they run. */
export const triggerNode = versionedTrigger.nodeVersions[1] as ZoomTeamChatTriggerVersion;
export const triggerNodeV2 = versionedTrigger.nodeVersions[2] as ZoomTeamChatTriggerVersion;

export interface Delivery {
	status: number;
	body: unknown;
	/** The items the workflow would start with; undefined when no execution started. */
	started?: IDataObject[];
}

export async function deliver(options: {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	headers: Record<string, string>;
	rawBody: Buffer | undefined;
	staticData?: IDataObject;
	typeVersion?: number;
}): Promise<Delivery> {
	const context = webhookContext(options);
	const result = await triggerNode.webhook.call(context);
	if (result.noWebhookResponse) return { status: context.response.statusCode, body: context.response.body };
	if (result.workflowData) {
		const started = (result.workflowData[0] ?? []).map((item) => item.json);
		return { status: 200, body: { message: 'Workflow was started' }, started };
	}
	return { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' } };
}

/**
 * A `fetch` for the simulator's webhook hub that hands each POST to the trigger. `afterTrigger`
 * can replace the answer (say, a 500 after the workflow started, as when the ack is lost).
 */
export function triggerFetch(options: {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	staticData: IDataObject;
	deliveries: Delivery[];
	afterTrigger?: (delivery: Delivery) => Delivery;
}): typeof fetch {
	return (async (_url: string, init: RequestInit) => {
		const headers: Record<string, string> = {};
		new Headers(init.headers).forEach((value, name) => {
			headers[name] = value;
		});
		const body = init.body;
		const rawBody = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body as Uint8Array);
		let delivery = await deliver({ ...options, headers, rawBody });
		options.deliveries.push(delivery);
		if (options.afterTrigger) delivery = options.afterTrigger(delivery);
		return new Response(JSON.stringify(delivery.body), {
			status: delivery.status,
			headers: { 'content-type': 'application/json' },
		});
	}) as typeof fetch;
}
