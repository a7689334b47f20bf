import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { Simulator } from '@zoom-team-chat/simulator';
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { repairedSocket as hostSocket, scrubSecrets as scrub, signWebhook } from '@zoom-team-chat/core/portable';

import { NO_WEBSOCKET_MESSAGE, abortableClock } from '../nodes/ZoomTeamChatTrigger/websocket';
import { webhookContext } from './helpers/contexts';
import { credentialsFor, startTestSimulator } from './helpers/simulator';
import { triggerFetch, triggerNode, triggerNodeV2, type Delivery } from './helpers/trigger';
import { triggerContext, type TriggerRun } from './helpers/trigger-context';

const EVENT = 'team_chat.channel_message_posted';

let sim: Simulator;
let deliveries: Delivery[];
let upgrades: number[];
let tokenRequests: number;
let open: ITriggerResponse[] = [];
const webhookParameters: IDataObject = { authentication: 'serverToServerOAuth', events: [EVENT], options: {} };

beforeAll(async () => {
	deliveries = [];
	sim = await startTestSimulator({
		onRequest: (entry) => {
			if (entry.server === 'ws') upgrades.push(entry.status);
			if (entry.server === 'oauth' && entry.path === '/oauth/token') tokenRequests++;
		},
		// The webhook path of the same trigger, in-process, to compare output shapes.
		webhooks: {
			fetch: (input, init) =>
				triggerFetch({ parameters: webhookParameters, credentials: credentialsFor(sim), staticData: {}, deliveries })(
					input,
					init as RequestInit,
				),
		},
	});
});

afterAll(async () => {
	await sim.close();
});

beforeEach(async () => {
	await sim.reset();
	upgrades = [];
	tokenRequests = 0;
	deliveries.length = 0;
	// Node 20 has no global WebSocket without a flag; `ws` has the same WHATWG handler shape.
	vi.stubGlobal('WebSocket', WsWebSocket);
});

afterEach(async () => {
	for (const response of open) await response.closeFunction?.();
	open = [];
	vi.unstubAllGlobals();
});

async function waitFor<T>(
	what: string,
	fn: () => T | undefined | Promise<T | undefined>,
	timeoutMs = 10_000,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

function people() {
	return (async () => {
		const users = await sim.admin.users();
		const channels = await sim.admin.channels();
		const channel = channels.find((c) => !c.archived && c.members.length > 1);
		if (!channel) throw new Error('test: the seed has no channel with two members');
		const [first, second] = channel.members.map((m) => users.find((u) => u.id === m.userId));
		if (!first || !second) throw new Error('test: channel members not found');
		const other = channels.find(
			(c) => c.id !== channel.id && !c.archived && c.members.some((m) => m.userId === first.id),
		);
		return { channel, first, second, other };
	})();
}

async function start(
	parameters: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
): Promise<TriggerRun & { response: ITriggerResponse }> {
	const run = triggerContext({ parameters, credentials: credentialsFor(sim), mode });
	const response = await triggerNode.trigger.call(run.context);
	open.push(response);
	return { ...run, response };
}

async function websocketParameters(options: IDataObject = {}, events = [EVENT]) {
	const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT, 'team_chat.channel_message_updated'] });
	return {
		sub,
		parameters: {
			delivery: 'websocket',
			authentication: 'serverToServerOAuth',
			subscription: sub.endpointUrl,
			events,
			options,
		},
	};
}

/** No minted token, raw or URL-encoded, and no unmasked `access_token=` in `text`. */
function expectNoSecrets(tokens: string[], text: string): void {
	expect(text.length).toBeGreaterThan(0);
	for (const token of tokens) {
		expect(text).not.toContain(token);
		expect(text).not.toContain(encodeURIComponent(token));
	}
	expect(text).not.toMatch(/access_token=(?!\*\*\*)/);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('trigger, WebSocket delivery: events over a socket n8n opens', () => {
	it('activates once connected, starts the workflow with the same items as the webhook path, and closes', async () => {
		const { sub, parameters } = await websocketParameters();
		await sim.admin.subscribe({ url: 'http://n8n.test/webhook/x/webhook', events: [EVENT] });
		const run = await start(parameters);
		expect((await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets).toHaveLength(1);

		const { channel, first } = await people();
		const posted = await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'over the socket' });
		const items = await waitFor('an emitted event', () => run.emitted[0]);
		await sim.admin.settleWebhooks();
		const viaWebhook = deliveries.find((d) => d.started)?.started;
		expect(items).toEqual(viaWebhook);
		expect(items[0]).toMatchObject({
			event: EVENT,
			payload: { object: { message_id: posted.id, message: 'over the socket' } },
		});
		// Byte for byte what Zoom (the simulator) sent.
		const ledger = await sim.admin.webSocketDeliveries(sub.id);
		expect(ledger.map((d) => d.contentSha256)).toEqual([sha256(JSON.stringify(items[0]))]);

		await run.response.closeFunction?.();
		await waitFor(
			'the socket to close',
			async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length === 0,
		);
		await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'after close' });
		await sleep(300);
		expect(run.emitted).toHaveLength(1);
		expect(run.errors).toEqual([]);
	});

	it('version 2: Delivery set to WebSocket in its own field opens the socket; a chatbot event is refused before any token', async () => {
		const { sub, parameters } = await websocketParameters();
		const refused = triggerContext({
			parameters: { ...parameters, events: ['bot_notification'] },
			credentials: credentialsFor(sim),
			typeVersion: 2,
		});
		await expect(triggerNodeV2.trigger.call(refused.context)).rejects.toThrow(
			/Server-to-Server OAuth credential does not receive/,
		);
		expect(tokenRequests).toBe(0);

		const run = triggerContext({ parameters, credentials: credentialsFor(sim), typeVersion: 2 });
		const response = await triggerNodeV2.trigger.call(run.context);
		open.push(response);
		expect((await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets).toHaveLength(1);
		const { channel, first } = await people();
		await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'version 2' });
		const items = await waitFor('an emitted event', () => run.emitted[0]);
		expect(items[0]).toMatchObject({ event: EVENT, payload: { object: { message: 'version 2' } } });
	});

	it('applies the event, channel and own-message filters of the webhook path', async () => {
		const { channel, first, second, other } = await people();
		const { parameters } = await websocketParameters({
			channelIds: channel.id,
			ownUsers: second.email,
			ignoreOwnMessages: true,
		});
		const run = await start(parameters);
		const kept = await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'kept' });
		await sim.admin.postMessage({ as: second.email, channel: channel.id, text: 'own: skipped' });
		if (other) await sim.admin.postMessage({ as: first.email, channel: other.id, text: 'other channel: skipped' });
		await sim.admin.editMessage({ as: first.email, messageId: kept.id, text: 'edited: event not chosen' });
		const last = await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'kept too' });
		await waitFor('two events', () => run.emitted.length >= 2 || undefined);
		await sleep(300);
		expect(run.emitted.map((items) => (items[0]?.payload as IDataObject).object)).toMatchObject([
			{ message_id: kept.id },
			{ message_id: last.id },
		]);
	});

	it('reconnects after drops: every event sent while connected arrives exactly once, none twice', async () => {
		const { sub, parameters } = await websocketParameters();
		const run = await start(parameters);
		const { channel, first } = await people();
		for (let round = 0; round < 5; round++) {
			for (let i = 0; i < 3; i++)
				await sim.admin.postMessage({ as: first.email, channel: channel.id, text: `r${round} m${i}` });
			const dropped = await sim.admin.dropWebSockets({
				subscriptionId: sub.id,
				...(round % 2 ? { code: 4000, reason: 'test' } : {}),
			});
			expect(dropped.dropped).toBe(1);
			// Sent while no socket is open: Zoom drops these (the ledger says so).
			await sim.admin
				.postMessage({ as: first.email, channel: channel.id, text: `r${round} gap` })
				.catch(() => undefined);
			// Drops come faster than the stream's stable-connection window, so its backoff doubles each round
			// (up to 16 s before the fifth reconnect, with jitter): wait past that.
			await waitFor(
				'the reconnect',
				async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length === 1,
				35_000,
			);
		}
		await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'final' });
		const ledger = await sim.admin.webSocketDeliveries(sub.id);
		const delivered = ledger.filter((d) => d.delivered).map((d) => d.contentSha256);
		await waitFor('every delivered event', () => run.emitted.length >= delivered.length || undefined);
		await sleep(300);
		const received = run.emitted.map((items) => sha256(JSON.stringify(items[0])));
		expect(received).toEqual(delivered);
		expect(new Set(received).size).toBe(received.length);
		expect(run.errors).toEqual([]);
	}, 120_000);

	it('after the token expired, reconnects with a freshly minted one', async () => {
		const { sub, parameters } = await websocketParameters();
		const run = await start(parameters);
		expect(tokenRequests).toBe(1);
		await sim.admin.expireTokens();
		await sim.admin.dropWebSockets({ subscriptionId: sub.id });
		await waitFor(
			'the reconnect',
			async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length === 1,
			15_000,
		);
		expect(tokenRequests).toBe(2);
		expect(upgrades.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
		const { channel, first } = await people();
		await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'after a new token' });
		await waitFor('the event', () => run.emitted[0]);
		expect(run.tokens).toHaveLength(2);
		expectNoSecrets(run.tokens, run.logs.join('\n'));
	}, 30_000);

	it('a wrong subscription ID fails activation with a clear error after a bounded number of attempts', async () => {
		const { parameters } = await websocketParameters();
		const wrong = { ...parameters, subscription: `${sim.urls.ws}?subscriptionId=not-a-subscription` };
		const run = triggerContext({ parameters: wrong, credentials: credentialsFor(sim) });
		const error = await triggerNode.trigger.call(run.context).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/WebSocket delivery stopped/);
		expect(error?.message).toMatch(/not-a-subscription|subscription/i);
		const attempts = upgrades.length;
		expect(attempts).toBeGreaterThanOrEqual(1);
		expect(attempts).toBeLessThanOrEqual(6);
		// Nothing keeps trying after the refusal.
		await sleep(1500);
		expect(upgrades.length).toBe(attempts);
		expect(run.tokens.length).toBeGreaterThanOrEqual(2);
		expectNoSecrets(
			run.tokens,
			`${error?.message} ${(error as { description?: string }).description} ${run.logs.join('\n')}`,
		);
	}, 60_000);

	it('says what to do when Node.js has no WebSocket client', async () => {
		vi.stubGlobal('WebSocket', undefined);
		const { parameters } = await websocketParameters();
		const run = triggerContext({ parameters, credentials: credentialsFor(sim) });
		await expect(triggerNode.trigger.call(run.context)).rejects.toThrow(NO_WEBSOCKET_MESSAGE);
		expect(NO_WEBSOCKET_MESSAGE).toMatch(/Node\.js 22/);
		expect(NO_WEBSOCKET_MESSAGE).toMatch(/NODE_OPTIONS=--experimental-websocket/);
		expect(upgrades).toEqual([]);
	});

	it('refuses other credentials, an empty subscription, and endpoints that are not Zoom hosts (the token never leaves)', async () => {
		const { parameters } = await websocketParameters();
		const cases: Array<[IDataObject, RegExp]> = [
			[{ ...parameters, authentication: 'chatbot' }, /Server-to-Server OAuth/],
			[{ ...parameters, subscription: '' }, /Subscription ID or Endpoint URL/],
			[
				{ ...parameters, subscription: 'wss://evil.example.com/ws?subscriptionId=abc' },
				/evil\.example\.com.*not a Zoom host/,
			],
			[{ ...parameters, subscription: 'https://ws.zoom.us/ws?subscriptionId=abc' }, /wss:\/\//],
			[
				{ ...parameters, subscription: 'ws://ws.zoom.us/ws?subscriptionId=abc' },
				/wss:\/\/.*ws:\/\/ only for a test server/,
			],
			[{ ...parameters, events: [] }, /Events/],
		];
		for (const [params, message] of cases) {
			const run = triggerContext({ parameters: params, credentials: credentialsFor(sim) });
			await expect(triggerNode.trigger.call(run.context)).rejects.toThrow(message);
		}
		expect(tokenRequests).toBe(0);
		expect(upgrades).toEqual([]);
	});

	it('"Listen for test event" (manual mode): the first event resolves the test, closing stops the socket', async () => {
		const { sub, parameters } = await websocketParameters();
		const run = await start(parameters, 'manual');
		const { channel, first } = await people();
		await sim.admin.postMessage({ as: first.email, channel: channel.id, text: 'test event' });
		const items = await waitFor('the test event', () => run.emitted[0]);
		expect(items[0]).toMatchObject({ event: EVENT });
		await run.response.closeFunction?.();
		await waitFor(
			'the socket to close',
			async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length === 0,
		);
	});
});

describe('trigger, Webhook delivery: trigger() stays out of the way', () => {
	it('activation returns an empty response and opens nothing', async () => {
		const run = triggerContext({ parameters: webhookParameters, credentials: credentialsFor(sim) });
		expect(await triggerNode.trigger.call(run.context)).toEqual({});
		expect(upgrades).toEqual([]);
	});

	it('a test webhook (manual mode) runs the workflow with the items webhook() received', async () => {
		const secret = 'handoff-secret';
		const parameters = { authentication: 'webhookSecret', events: [EVENT], options: {} };
		const credentials = credentialsFor(sim, { webhookSecretToken: secret });
		const event = {
			event: EVENT,
			event_ts: Date.now(),
			payload: { account_id: 'a', operator: 'x@example.com', object: { message_id: 'm-1', channel_id: 'c-1' } },
		};
		const rawBody = Buffer.from(JSON.stringify(event));
		const headers = { 'content-type': 'application/json', ...signWebhook({ secret, rawBody }) };
		const received = await triggerNode.webhook.call(
			webhookContext({ parameters, credentials, rawBody, headers, mode: 'manual', workflowId: 'wf-1' }),
		);
		expect(received.workflowData?.[0]?.map((item) => item.json)).toEqual([event]);

		const run = triggerContext({ parameters, credentials, mode: 'manual' });
		const response = await triggerNode.trigger.call(run.context);
		await response.manualTriggerFunction?.();
		expect(run.emitted).toEqual([[event]]);
		// Taken once: a second manual run without a test request says what happened.
		const again = triggerContext({ parameters, credentials, mode: 'manual' });
		const second = await triggerNode.trigger.call(again.context);
		await expect(second.manualTriggerFunction?.()).rejects.toThrow(/did not reach this n8n process/);
	});
});

/**
 * Node.js 20/21's built-in WebSocket (undici 6) on a refused upgrade: `error`, then nothing (no
 * `close`, readyState stays CONNECTING). Node.js 22+ sends `error` then `close`.
 */
class RefusedSocket {
	static created = 0;
	readyState = 0;
	onopen: ((ev: unknown) => void) | null = null;
	onmessage: ((ev: { data: unknown }) => void) | null = null;
	onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null = null;
	onerror: ((ev: unknown) => void) | null = null;
	closeCalls = 0;
	constructor(
		readonly url: string,
		readonly alsoClose = false,
	) {
		RefusedSocket.created++;
		void Promise.resolve().then(() => {
			this.onerror?.({ type: 'error' });
			if (this.alsoClose) {
				this.readyState = 3;
				this.onclose?.({ code: 1006, reason: '', wasClean: false });
			}
		});
	}
	send(): void {}
	close(): void {
		this.closeCalls++;
	}
}

describe('WebSocket delivery on hosts whose socket reports a refused upgrade with `error` only', () => {
	it('a refused upgrade counts as closed at once, so activation fails in seconds, not open timeouts', async () => {
		RefusedSocket.created = 0;
		vi.stubGlobal('WebSocket', RefusedSocket);
		const { parameters } = await websocketParameters();
		const run = triggerContext({ parameters, credentials: credentialsFor(sim) });
		const started = Date.now();
		await expect(triggerNode.trigger.call(run.context)).rejects.toThrow(/WebSocket delivery stopped/);
		// The core's 1 + 5 attempts with its backoff (at most 1 + 2 + 4 + 8 s), no 15 s open timeouts.
		// 25 s leaves a loaded CI machine room over the 15 s of backoff; two or more open timeouts take 30 s.
		expect(Date.now() - started).toBeLessThan(25_000);
		expect(RefusedSocket.created).toBeGreaterThanOrEqual(2);
		expect(RefusedSocket.created).toBeLessThanOrEqual(6);
	}, 60_000);

	it('hostSocket reports error + close once, whether the host sends the close or not', async () => {
		for (const alsoClose of [false, true]) {
			const events: string[] = [];
			const Ctor = class extends RefusedSocket {
				constructor(url: string) {
					super(url, alsoClose);
				}
			};
			const socket = hostSocket(Ctor, 'wss://ws.zoom.us/ws?subscriptionId=x');
			socket.onerror = () => events.push('error');
			socket.onclose = (ev) => events.push(`close ${ev.code}`);
			await Promise.resolve();
			await Promise.resolve();
			expect(events).toEqual(['error', 'close 1006']);
			expect(socket.readyState).toBe(3);
		}
	});
});

describe('WebSocket delivery helpers', () => {
	it('scrub masks tokens in URLs and literal minted tokens', () => {
		const token = 'eyJabc.def-ghi_jkl';
		expect(scrub(`wss://ws.zoom.us/ws?subscriptionId=x&access_token=${token}`, [])).toBe(
			'wss://ws.zoom.us/ws?subscriptionId=x&access_token=***',
		);
		expect(scrub(`failed with ${token} and ${encodeURIComponent(token)}`, [token])).toBe('failed with *** and ***');
	});

	it('the clock rejects an aborted sleep at once and resolves an un-aborted one', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const pending = abortableClock.sleep(10_000, controller.signal);
		controller.abort();
		await expect(pending).rejects.toThrow();
		// Well before the 10 s sleep would end; 5 s leaves room for a loaded CI machine.
		expect(Date.now() - started).toBeLessThan(5_000);
		await expect(abortableClock.sleep(5, new AbortController().signal)).resolves.toBeUndefined();
		await expect(abortableClock.sleep(5)).resolves.toBeUndefined();
	});
});
