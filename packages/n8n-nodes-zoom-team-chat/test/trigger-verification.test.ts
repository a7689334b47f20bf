import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '@zoom-team-chat/core/portable';
import { channelMessagePosted } from '@zoom-team-chat/testkit/event-fixtures';
import type { IDataObject } from 'n8n-workflow';

import { ZoomChatbotApi } from '../credentials/ZoomChatbotApi.credentials';
import { ZoomTeamChatWebhookApi } from '../credentials/ZoomTeamChatWebhookApi.credentials';
import { recordKey } from '../nodes/ZoomTeamChatTrigger/delivery-dedupe';
import { eventOptions } from '../nodes/ZoomTeamChatTrigger/events';
import type { CredentialEntry } from './helpers/http';
import { deliver } from './helpers/trigger';

const SECRET = 'example-secret-token';
const credentials = (secret = SECRET): Record<string, CredentialEntry> => ({
	zoomTeamChatWebhookApi: { type: new ZoomTeamChatWebhookApi(), data: { webhookSecretToken: secret } },
	zoomChatbotApi: {
		type: new ZoomChatbotApi(),
		data: {
			clientId: 'c',
			clientSecret: 's',
			botJid: 'robot123@xmpp.zoom.us',
			accountId: 'acc',
			webhookSecretToken: secret,
		},
	},
});
const parameters = (options: IDataObject = {}, events = ['team_chat.channel_message_posted']): IDataObject => ({
	authentication: 'webhookSecret',
	events,
	options,
});

/** The shared fixture, with the fields Zoom adds for a channel of this account. */
function posted(overrides: IDataObject = {}): IDataObject {
	return channelMessagePosted({
		object: { session_id: 's', channel_owner_account_id: 'acc' },
		payload: overrides,
	}) as unknown as IDataObject;
}

function signed(event: IDataObject, extra: Record<string, string> = {}, secret = SECRET, timestamp?: number) {
	const rawBody = Buffer.from(JSON.stringify(event));
	const headers = {
		'content-type': 'application/json',
		...signWebhook({ secret, rawBody, ...(timestamp ? { timestamp } : {}) }),
		...extra,
	};
	return { rawBody, headers };
}

describe('trigger: every request is verified over the raw body', () => {
	it('starts the workflow with the verified event', async () => {
		const result = await deliver({ parameters: parameters(), credentials: credentials(), ...signed(posted()) });
		expect(result.started).toEqual([posted()]);
	});

	it('answers 401 and starts nothing for a wrong signature, a missing one, a stale or a future timestamp', async () => {
		const event = posted();
		const cases = [
			signed(event, {}, 'another-secret'),
			{
				...signed(event),
				headers: {
					'content-type': 'application/json',
					'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)),
				},
			},
			signed(event, {}, SECRET, Math.floor(Date.now() / 1000) - 600),
			signed(event, {}, SECRET, Math.floor(Date.now() / 1000) + 600),
		];
		for (const request of cases) {
			const result = await deliver({ parameters: parameters(), credentials: credentials(), ...request });
			expect(result).toEqual({ status: 401, body: { message: 'Invalid signature' } });
		}
	});

	it('rejects a body changed after signing (one byte)', async () => {
		const request = signed(posted());
		const tampered = Buffer.from(request.rawBody.toString('utf8').replace('hello', 'hellO'));
		const result = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			headers: request.headers,
			rawBody: tampered,
		});
		expect(result.status).toBe(401);
		expect(result.started).toBeUndefined();
	});

	it("answers Zoom's url_validation only when it is signed", async () => {
		const challenge = { event: 'endpoint.url_validation', event_ts: 1, payload: { plainToken: 'example-plain-token' } };
		const ok = await deliver({ parameters: parameters(), credentials: credentials(), ...signed(challenge) });
		expect(ok).toEqual({
			status: 200,
			body: {
				plainToken: 'example-plain-token',
				encryptedToken: createHmac('sha256', SECRET).update('example-plain-token').digest('hex'),
			},
		});
		const unsigned = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from(JSON.stringify(challenge)),
		});
		expect(unsigned.status).toBe(401);
	});

	it('answers 413 and starts nothing for a body over 1 MB, even when signed', async () => {
		const big = { ...posted(), padding: 'x'.repeat(1024 * 1024) };
		const result = await deliver({ parameters: parameters(), credentials: credentials(), ...signed(big) });
		expect(result.status).toBe(413);
		expect(result.started).toBeUndefined();
	});

	it('refuses everything (500, no execution) when the credential has no secret or the raw body is gone', async () => {
		const noSecret = await deliver({ parameters: parameters(), credentials: credentials(''), ...signed(posted()) });
		expect(noSecret).toEqual({ status: 500, body: { message: 'Webhook secret not configured' } });
		const request = signed(posted());
		const noRaw = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			headers: request.headers,
			rawBody: undefined,
		});
		expect(noRaw).toEqual({ status: 500, body: { message: 'Raw body unavailable' } });
	});
});

describe('trigger: filters, de-duplication and output', () => {
	it('acknowledges but skips events that were not selected', async () => {
		const result = await deliver({
			parameters: parameters({}, ['chat_message.sent']),
			credentials: credentials(),
			...signed(posted()),
		});
		expect(result).toEqual({ status: 200, body: { received: true, skipped: 'event not selected' } });
	});

	it('keeps only the listed channels (by ID or JID)', async () => {
		const other = await deliver({
			parameters: parameters({ channelIds: 'chan-9' }),
			credentials: credentials(),
			...signed(posted()),
		});
		expect(other.started).toBeUndefined();
		const listed = await deliver({
			parameters: parameters({ channelIds: 'chan-9, chan-1@conference.xmpp.zoom.us' }),
			credentials: credentials(),
			...signed(posted()),
		});
		expect(listed.started).toHaveLength(1);
	});

	it("skips the app's own messages: listed App Users, and the bot of a Chatbot credential", async () => {
		const own = await deliver({
			parameters: parameters({ ownUsers: 'Casey@Example.com' }),
			credentials: credentials(),
			...signed(posted()),
		});
		expect(own.body).toEqual({ received: true, skipped: 'own message' });
		const allowed = await deliver({
			parameters: parameters({ ownUsers: 'Casey@Example.com', ignoreOwnMessages: false }),
			credentials: credentials(),
			...signed(posted()),
		});
		expect(allowed.started).toHaveLength(1);

		const fromBot = posted({ operator: 'robot123@xmpp.zoom.us', operator_id: 'robot123@xmpp.zoom.us' });
		const bot = await deliver({
			parameters: { ...parameters(), authentication: 'chatbot' },
			credentials: credentials(),
			...signed(fromBot),
		});
		expect(bot.body).toEqual({ received: true, skipped: 'own message' });
	});

	it("drops Zoom's re-deliveries within the window, remembering them in the workflow's static data", async () => {
		const staticData: IDataObject = {};
		const firstDelivery = signed(posted(), { 'x-zm-request-id': 'req-1' });
		const first = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			staticData,
			...firstDelivery,
		});
		expect(first.started).toHaveLength(1);
		const again = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			staticData,
			...signed(posted(), { 'x-zm-request-id': 'req-1' }),
		});
		expect(again.body).toEqual({ received: true, skipped: 'duplicate delivery' });
		const deliveries = staticData.deliveries as Record<string, number>;
		const keys = Object.keys(deliveries);
		// Stored as short hashes of the request id and of the signature (recordKey).
		expect(keys[0]).toBe(recordKey('req-1'));
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(recordKey(`signature:${String(firstDelivery.headers['x-zm-signature'])}`));

		// The request id is not signed: the same signed bytes under a new id are a replay. The very
		// bytes and signature of the first delivery (signing again could fall in the next second, with
		// another timestamp and signature: that flaked under load).
		const original = signed(posted(), { 'x-zm-request-id': 'req-original' });
		await deliver({ parameters: parameters(), credentials: credentials(), staticData, ...original });
		const replayed = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			staticData,
			rawBody: original.rawBody,
			headers: { ...original.headers, 'x-zm-request-id': 'req-replayed' },
		});
		expect(replayed.body).toEqual({ received: true, skipped: 'duplicate delivery' });

		// Once the window has passed, the same delivery counts as new.
		for (const key of Object.keys(deliveries)) deliveries[key] = Date.now() - 1;
		const later = await deliver({
			parameters: parameters(),
			credentials: credentials(),
			staticData,
			...signed(posted(), { 'x-zm-request-id': 'req-1' }),
		});
		expect(later.started).toHaveLength(1);
	});

	it('adds the headers on request, without the signature', async () => {
		const result = await deliver({
			parameters: parameters({ includeHeaders: true }),
			credentials: credentials(),
			...signed(posted(), { 'x-zm-request-id': 'req-h', authorization: 'Bearer x' }),
		});
		const headers = result.started?.[0]?.headers as IDataObject;
		expect(headers['x-zm-request-id']).toBe('req-h');
		expect(headers['x-zm-request-timestamp']).toBeDefined();
		expect(headers['x-zm-signature']).toBeUndefined();
		expect(headers.authorization).toBeUndefined();
	});

	it('offers all 62 Team Chat and Chatbot events, the Chatbot ones named so', () => {
		expect(eventOptions).toHaveLength(62);
		expect(eventOptions.filter((o) => o.name.startsWith('Chatbot: '))).toHaveLength(8);
		expect(eventOptions.map((o) => o.value)).toContain('team_chat.channel_message_posted');
		expect(new Set(eventOptions.map((o) => o.name)).size).toBe(62);
	});
});
