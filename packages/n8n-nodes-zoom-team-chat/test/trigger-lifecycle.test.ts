import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hookContext } from './helpers/contexts';
import { credentialsFor, startTestSimulator } from './helpers/simulator';
import { triggerFetch, triggerNode, type Delivery } from './helpers/trigger';

const WEBHOOK_URL = 'http://n8n.test/webhook/7f1c/webhook';
const lifecycle = triggerNode.webhookMethods.default;

let sim: Simulator;
let deliveries: Delivery[];
let staticData: IDataObject;
let loseNextAck = false;
const parameters: IDataObject = {
	authentication: 'serverToServerOAuth',
	subscriptionSetup: 'automatic',
	events: ['team_chat.channel_message_posted'],
	options: {},
};

let currentCredentials: ReturnType<typeof credentialsFor> | undefined;

beforeAll(async () => {
	deliveries = [];
	staticData = {};
	// The hub sends to the trigger in-process; the credentials point at this simulator once it runs.
	sim = await startTestSimulator({
		timeScale: 6000,
		webhooks: {
			fetch: (input, init) =>
				triggerFetch({
					parameters,
					credentials: currentCredentials ?? {},
					staticData,
					deliveries,
					afterTrigger: (delivery) => {
						if (!loseNextAck || !delivery.started) return delivery;
						loseNextAck = false;
						return { status: 500, body: { message: 'lost' } };
					},
				})(input, init as RequestInit),
		},
	});
	currentCredentials = credentialsFor(sim);
});

afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	await sim.reset();
	for (const sub of (await sim.admin.request<Array<{ id: string }>>('GET', '/webhooks')) ?? []) {
		await sim.admin.request('DELETE', `/webhooks/${sub.id}`);
	}
	deliveries.length = 0;
	for (const key of Object.keys(staticData)) delete staticData[key];
	currentCredentials = credentialsFor(sim);
});

function hooks(overrides: IDataObject = {}, credentials = currentCredentials) {
	return hookContext({
		parameters: { ...parameters, ...overrides },
		credentials: credentials ?? credentialsFor(sim),
		webhookUrl: WEBHOOK_URL,
		staticData,
		workflowName: 'Support desk',
	});
}

describe('trigger lifecycle with the Marketplace API', () => {
	it('registers the subscription on activation (Zoom validates the URL first) and removes it on deactivation', async () => {
		expect(await lifecycle.checkExists.call(hooks())).toBe(false);
		expect(await lifecycle.create.call(hooks())).toBe(true);
		const id = staticData.subscriptionId as string;
		expect(typeof id).toBe('string');
		expect(deliveries[0]?.body).toMatchObject({ plainToken: expect.any(String), encryptedToken: expect.any(String) });

		const subs = await sim.admin.request<Array<{ id: string; url: string; events: string[] }>>('GET', '/webhooks');
		expect(subs).toEqual([
			expect.objectContaining({ id, url: WEBHOOK_URL, events: ['team_chat.channel_message_posted'] }),
		]);
		expect(await lifecycle.checkExists.call(hooks())).toBe(true);

		expect(await lifecycle.delete.call(hooks())).toBe(true);
		expect(staticData.subscriptionId).toBeUndefined();
		expect(await sim.admin.request('GET', '/webhooks')).toEqual([]);
		expect(await lifecycle.checkExists.call(hooks())).toBe(false);
	});

	it('notices a subscription deleted at Zoom and registers again', async () => {
		await lifecycle.create.call(hooks());
		await sim.admin.request('DELETE', `/webhooks/${String(staticData.subscriptionId)}`);
		expect(await lifecycle.checkExists.call(hooks())).toBe(false);
		expect(staticData.subscriptionId).toBeUndefined();
		// Deactivating after that is not an error.
		expect(await lifecycle.delete.call(hooks())).toBe(true);
	});

	it('delivers a simulated user message to the workflow, and drops the retry after a lost ack', async () => {
		await lifecycle.create.call(hooks());
		deliveries.length = 0;
		const channel = (await sim.admin.channels()).find((c) => !c.archived && c.members.length > 1);
		const author = (await sim.admin.users()).find(
			(u) => channel?.members.some((m) => m.userId === u.id) && u.role !== 'owner',
		);
		loseNextAck = true;
		const posted = await sim.admin.postMessage({
			as: author?.email,
			channel: channel?.id,
			text: 'Is the build green?',
		});
		await sim.admin.request('POST', '/webhooks/settle', { includeRetries: true });

		const started = deliveries.filter((d) => d.started);
		expect(started).toHaveLength(1);
		const event = started[0]?.started?.[0] as IDataObject;
		expect(event.event).toBe('team_chat.channel_message_posted');
		expect(((event.payload as IDataObject).object as IDataObject).message_id).toBe(posted.id);
		// Zoom re-sent it because the first answer was a 500; the trigger recognised it.
		expect(deliveries.filter((d) => (d.body as IDataObject).skipped === 'duplicate delivery')).toHaveLength(1);
	});

	it('replaces a subscription whose events no longer match the node', async () => {
		await lifecycle.create.call(hooks());
		const old = staticData.subscriptionId as string;
		const changed = hooks({ events: ['team_chat.channel_message_posted', 'team_chat.channel_message_updated'] });
		expect(await lifecycle.checkExists.call(changed)).toBe(false);
		expect(await sim.admin.request('GET', '/webhooks')).toEqual([]);
		expect(await lifecycle.create.call(changed)).toBe(true);
		expect(staticData.subscriptionId).not.toBe(old);
		const subs = await sim.admin.request<Array<{ events: string[] }>>('GET', '/webhooks');
		expect(subs.map((sub) => sub.events.sort())).toEqual([
			['team_chat.channel_message_posted', 'team_chat.channel_message_updated'],
		]);
	});

	it('with manual setup, activates without calling Zoom', async () => {
		const context = hooks({ subscriptionSetup: 'manual' });
		expect(await lifecycle.checkExists.call(context)).toBe(false);
		expect(await lifecycle.create.call(context)).toBe(true);
		expect(await lifecycle.delete.call(context)).toBe(true);
		expect(context.requests).toEqual([]);
		expect(await sim.admin.request('GET', '/webhooks')).toEqual([]);
	});

	it('with only a secret token, activates without calling Zoom', async () => {
		const context = hooks({ authentication: 'webhookSecret' });
		expect(await lifecycle.create.call(context)).toBe(true);
		expect(context.requests).toEqual([]);
	});

	it('refuses to activate without a secret token, and says why', async () => {
		const credentials = credentialsFor(sim, { webhookSecretToken: '' });
		const run = lifecycle.checkExists.call(hooks({}, credentials));
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(lifecycle.create.call(hooks({}, credentials))).rejects.toThrow(/no Webhook Secret Token/);
		expect(await sim.admin.request('GET', '/webhooks')).toEqual([]);
	});

	it('refuses to activate without events', async () => {
		await expect(lifecycle.create.call(hooks({ events: [] }))).rejects.toThrow(/at least one event/);
	});

	it('reports why Zoom refused the subscription', async () => {
		const limited = await startTestSimulator({ scopes: { s2s: ['team_chat:read:list_user_channels'] } });
		try {
			const context = hookContext({
				parameters,
				credentials: credentialsFor(limited),
				webhookUrl: WEBHOOK_URL,
				staticData: {},
			});
			await expect(lifecycle.create.call(context)).rejects.toThrow(/did not create the event subscription: .*scope/);
		} finally {
			await limited.close();
		}
	});
});
