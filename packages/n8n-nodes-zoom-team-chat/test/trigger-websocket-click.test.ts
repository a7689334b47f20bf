/**
 * Chatbot card clicks for a waiting "Send and Wait for Response" execution, arriving over the
 * trigger's WebSocket: forwarded to the waiting execution like webhook clicks (only to this n8n's
 * own signed resume URLs), signed with the app's Secret Token since Zoom signs no socket frame.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { IDataObject, IHttpRequestOptions, ITriggerResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import type { AdminUser, Simulator } from '@zoom-team-chat/simulator';

import { forgetAnswers } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/webhook';
import { FORWARDED_CLICK } from '../nodes/shared/send-and-wait-link';
import { answer, ask, N8N_ORIGIN, type Answered } from './helpers/send-and-wait';
import { credentialsFor, startTestSimulator } from './helpers/simulator';
import { triggerNode } from './helpers/trigger';
import { triggerContext, type TriggerRun } from './helpers/trigger-context';

const CLICK = 'interactive_message_actions';

let sim: Simulator;
let owner: AdminUser;
let blake: AdminUser;
let general: { id: string; jid: string };
let open: ITriggerResponse[] = [];

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	vi.stubGlobal('WebSocket', WsWebSocket);
	await sim.reset();
	forgetAnswers();
	const users = await sim.admin.users();
	owner = users.find((u) => u.role === 'owner')!;
	blake = users.find((u) => u.email.startsWith('blake'))!;
	general = (await sim.admin.channels()).find((c) => c.name === 'general')!;
});
afterEach(async () => {
	for (const response of open) await response.closeFunction?.();
	open = [];
	vi.unstubAllGlobals();
});

const cardParameters: IDataObject = {
	authentication: 'chatbot',
	resource: 'chatbotMessage',
	operation: 'sendAndWait',
	responseType: 'approval',
	approvalOptions: { values: { approvalType: 'double' } },
	message: 'Deploy to production?',
	options: { title: 'Deploy gate' },
};

async function until<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
		await sleep(25);
	}
}

/** A WebSocket trigger whose POSTs to this n8n's origin reach the waiting node's webhook(). */
async function socketTrigger(
	options: { webhookSecretToken?: string; instanceBaseUrl?: string; events?: string[] } = {},
) {
	const sub = await sim.admin.createWebSocketSubscription({ events: [CLICK] });
	const run: TriggerRun = triggerContext({
		parameters: {
			delivery: 'websocket',
			authentication: 'serverToServerOAuth',
			subscription: sub.endpointUrl,
			events: options.events ?? [CLICK],
			options: {},
		},
		credentials: credentialsFor(sim, { webhookSecretToken: options.webhookSecretToken }),
		instanceBaseUrl: options.instanceBaseUrl ?? `${N8N_ORIGIN}/`,
	});
	const forwards: IHttpRequestOptions[] = [];
	const answered: Answered[] = [];
	const helpers = run.context.helpers as unknown as { httpRequest: (o: IHttpRequestOptions) => Promise<unknown> };
	const toZoom = helpers.httpRequest;
	helpers.httpRequest = async (request) => {
		if (!String(request.url).startsWith(N8N_ORIGIN)) return await toZoom(request);
		forwards.push(request);
		const result = await answer(sim, String(request.url), {
			method: 'POST',
			body: request.body as IDataObject,
			parameters: { ...cardParameters, toJid: general.jid, userJid: owner.jid },
		});
		answered.push(result);
		return { statusCode: result.status, body: result.body };
	};
	open.push(await triggerNode.trigger.call(run.context));
	return { run, forwards, answered };
}

async function askWithCard() {
	await ask(sim, { ...cardParameters, toJid: general.jid, userJid: owner.jid });
	const cards = [...sim.state.botMessages.values()];
	return cards[cards.length - 1]!;
}

describe('trigger, WebSocket delivery: chatbot clicks for a waiting execution', () => {
	it('forwards the click to the waiting execution, which resumes with who clicked; the trigger starts nothing', async () => {
		const { run, forwards, answered } = await socketTrigger();
		const card = await askWithCard();
		await sim.admin.click({ as: blake.email, messageId: card.id, index: 0 });
		const result = await until('the forwarded click', () => answered[0]);
		expect(forwards).toHaveLength(1);
		expect(forwards[0]!.method).toBe('POST');
		expect(Object.keys(forwards[0]!.body as IDataObject)).toEqual([FORWARDED_CLICK]);
		expect(result.status).toBe(200);
		expect(result.resumed?.[0]).toMatchObject({
			approved: true,
			messageId: card.id,
			respondedBy: { userId: blake.id, userJid: blake.jid, userName: blake.display_name },
		});
		await sleep(200);
		expect(run.emitted).toHaveLength(0);
		expect(run.logs.join('\n')).toMatch(/answered a waiting question with "Approve"/);
	});

	it('a trigger whose Secret Token differs from the waiting node’s is refused by it: nothing resumes', async () => {
		const { run, answered } = await socketTrigger({ webhookSecretToken: 'another-apps-secret' });
		const card = await askWithCard();
		await sim.admin.click({ as: blake.email, messageId: card.id, index: 0 });
		const result = await until('the refused click', () => answered[0]);
		expect(result.status).toBe(401);
		expect(result.resumed).toBeUndefined();
		expect(run.logs.join('\n')).toMatch(/was not taken \(401/);
		expect(run.emitted).toHaveLength(0);
	});

	it('without a Secret Token in the credential nothing is forwarded, and the log says why', async () => {
		const { run, forwards } = await socketTrigger({ webhookSecretToken: '' });
		const card = await askWithCard();
		await sim.admin.click({ as: blake.email, messageId: card.id, index: 0 });
		await until('the log line', () => run.logs.find((l) => l.includes('not forwarded')));
		expect(forwards).toHaveLength(0);
		expect(run.emitted).toHaveLength(0);
	});

	it('a click whose button points at another n8n is not forwarded: it starts the workflow like any event', async () => {
		const { run, forwards } = await socketTrigger({ instanceBaseUrl: 'https://other-n8n.example.com/' });
		const card = await askWithCard();
		await sim.admin.click({ as: blake.email, messageId: card.id, index: 0 });
		const items = await until('the execution', () => run.emitted[0]);
		expect(items[0]).toMatchObject({ event: CLICK, payload: { messageId: card.id } });
		expect(forwards).toHaveLength(0);
	});
});
