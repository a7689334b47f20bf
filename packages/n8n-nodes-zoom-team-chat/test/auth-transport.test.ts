import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';
import { TransportError } from '@zoom-team-chat/core/portable';
import { NodeApiError } from 'n8n-workflow';

import { toHttpBody, toTransportError } from '../nodes/shared/transport';
import { baseUrlsFromCredentials } from '../nodes/shared/cloud';
import { byId, runNode } from './helpers/run';
import { credentialsFor, oauth2CredentialFor, startTestSimulator } from './helpers/simulator';

let sim: Simulator;
let channelId: string;

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	await sim.reset();
	await sim.admin.clearFaults();
	const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
	channelId = String(
		(await sim.admin.channels()).find((c) => c.members.some((m) => m.userId === owner?.id) && !c.archived)?.id,
	);
});

const send = (text: string) => ({
	resource: 'message',
	operation: 'send',
	target: 'channel',
	channelId: byId(channelId),
	message: text,
	additionalFields: {},
});

describe('tokens', () => {
	it('mints the Server-to-Server token once and reuses it across executions', async () => {
		const credentials = credentialsFor(sim);
		const first = await runNode(sim, send('one'), { credentials });
		const token = credentials.zoomTeamChatServerToServerOAuthApi?.data.accessToken;
		expect(typeof token).toBe('string');
		const second = await runNode(sim, send('two'), { credentials });
		expect(credentials.zoomTeamChatServerToServerOAuthApi?.data.accessToken).toBe(token);
		const mints = [...first.requests, ...second.requests].filter((r) => r.url.endsWith('/oauth/token'));
		expect(mints).toHaveLength(1);
	});

	it('after Zoom rejects an expired token, lets n8n mint a new one and sends the message exactly once', async () => {
		const credentials = credentialsFor(sim);
		await runNode(sim, send('warm up'), { credentials });
		const stale = credentials.zoomTeamChatServerToServerOAuthApi?.data.accessToken;
		await sim.admin.expireTokens();

		const { json, requests } = await runNode(sim, send('after expiry'), { credentials });
		expect(credentials.zoomTeamChatServerToServerOAuthApi?.data.accessToken).not.toBe(stale);
		expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
			'POST /v2/chat/users/me/messages', // 401: the stale token
			'GET /v2/chat/users/me/messages', // the probe n8n turns into a re-mint
			'POST /oauth/token',
			'GET /v2/chat/users/me/messages',
			'POST /v2/chat/users/me/messages',
		]);
		const texts = (await sim.admin.channelMessages(channelId)).map((m) => m.text);
		expect(texts.filter((t) => t === 'after expiry')).toHaveLength(1);
		expect(typeof json[0]?.id).toBe('string');
	});

	it('refreshes an expired OAuth2 user token (Zoom rotates the refresh token) and carries on', async () => {
		const credentials = await oauth2CredentialFor(sim);
		const before = credentials.zoomTeamChatOAuth2Api?.data.oauthTokenData as unknown as Record<string, string>;
		await sim.admin.expireTokens();
		const { json } = await runNode(sim, { ...send('as a user'), authentication: 'oAuth2' }, { credentials });
		const after = credentials.zoomTeamChatOAuth2Api?.data.oauthTokenData as unknown as Record<string, string>;
		expect(after.access_token).not.toBe(before.access_token);
		expect(after.refresh_token).not.toBe(before.refresh_token);
		expect(typeof json[0]?.id).toBe('string');
	});

	it('explains a refused client secret without repeating it', async () => {
		const credentials = credentialsFor(sim);
		const entry = credentials.zoomTeamChatServerToServerOAuthApi;
		if (!entry) throw new Error('fixture');
		entry.data.clientSecret = 'dummy-wrong-secret-123';
		const error = (await runNode(sim, send('x'), { credentials }).catch((e: unknown) => e)) as Error;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/client|credential|invalid/i);
		expect(JSON.stringify(error)).not.toContain('dummy-wrong-secret-123');
	});

	it('names the scope to add when Zoom refuses for a missing scope', async () => {
		const limited = await startTestSimulator({ scopes: { s2s: ['team_chat:read:list_user_channels'] } });
		try {
			const error = (await runNode(limited, { ...send('x'), channelId: byId('any') }).catch(
				(e: unknown) => e,
			)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(`${error.message}\n${error.description}`).toMatch(/team_chat:write:user_message|chat_message:write/);
		} finally {
			await limited.close();
		}
	});
});

describe('transport over n8n helpers', () => {
	it("waits out a 429 with n8n's sleep and then succeeds", async () => {
		await sim.admin.addFault({
			operationId: 'sendaChatMessage',
			status: 429,
			headers: { 'retry-after': '1' },
			count: 1,
		});
		const started = Date.now();
		const { json } = await runNode(sim, send('after 429'));
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(typeof json[0]?.id).toBe('string');
	});

	it('does not repeat a POST that failed with 5xx (it may have been carried out)', async () => {
		await sim.admin.addFault({ operationId: 'sendaChatMessage', status: 502, count: 1 });
		const error = (await runNode(sim, send('maybe')).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/not retried/);
		expect(error.httpCode).toBe('502');
	});

	it('retries a read after a connection reset and returns the result', async () => {
		await sim.admin.addFault({ operationId: 'getUserLevelChannel', reset: 'before-body', count: 1 });
		await sim.admin.addFault({ operationId: 'getChannel', reset: 'before-body', count: 1 });
		const { json } = await runNode(sim, { resource: 'channel', operation: 'get', channelId: byId(channelId) });
		expect(json[0]?.id).toBe(channelId);
	});

	it('reports a host that refuses connections with its code', async () => {
		const credentials = credentialsFor(sim);
		const entry = credentials.zoomTeamChatServerToServerOAuthApi;
		if (!entry) throw new Error('fixture');
		entry.data.apiBaseUrl = 'http://127.0.0.1:1/v2';
		const error = (await runNode(
			sim,
			{ resource: 'channel', operation: 'get', channelId: byId(channelId) },
			{ credentials },
		).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		// Our text stays the headline (n8n would put its stock "refused the connection" there).
		expect(error.message).toMatch(
			/^Could not get the channel: Request to http:\/\/127\.0\.0\.1:1 failed \(ECONNREFUSED\)/,
		);
		expect(error.message).not.toMatch(/perhaps it is offline/);
		expect(error.description).toMatch(/^No HTTP response arrived from Zoom\.\nZoom operation: getChannel \(GET /);
	});

	it('maps errors without a response to TransportError, sentNothing only when nothing left', () => {
		const wrapped = { message: 'outer', cause: { message: 'inner', code: 'ECONNREFUSED' } };
		const refused = toTransportError(wrapped, { url: 'https://api.zoom.us/v2/x' });
		expect(refused).toBeInstanceOf(TransportError);
		expect(refused).toMatchObject({ code: 'ECONNREFUSED', sentNothing: true, timedOut: false });
		expect(refused.message).toBe('Request to https://api.zoom.us failed (ECONNREFUSED)');
		expect(toTransportError({ code: 'ECONNRESET' }, { url: 'https://x.test/' })).toMatchObject({ sentNothing: false });
		expect(toTransportError({ code: 'ECONNABORTED' }, { url: 'https://x.test/' })).toMatchObject({
			timedOut: true,
			sentNothing: false,
		});
		expect(toTransportError(new Error('boom'), { url: 'nope' })).toMatchObject({ code: 'UNKNOWN', sentNothing: false });
	});

	it('hands axios bytes as a Buffer, and a stream of known length as a Blob it pipes', async () => {
		const bytes = new Uint8Array([1, 2, 3]);
		const buffer = (await toHttpBody(bytes, {})) as Buffer;
		expect(Buffer.isBuffer(buffer) && [...buffer]).toEqual([1, 2, 3]);

		const chunks = [new Uint8Array([1, 2]), new Uint8Array([3])];
		const stream = async function* () {
			yield* chunks;
		};
		const blob = (await toHttpBody(
			{ stream, length: 3 },
			{ 'content-type': 'multipart/form-data; boundary=b' },
		)) as Blob;
		expect(Object.prototype.toString.call(blob)).toBe('[object Blob]');
		expect(blob.size).toBe(3);
		expect(blob.type).toBe('multipart/form-data; boundary=b');

		const unknownLength = (await toHttpBody({ stream }, {})) as Buffer;
		expect([...unknownLength]).toEqual([1, 2, 3]);
	});
});

describe('credential base URLs', () => {
	it("uses Zoom's hosts unless Custom URLs is chosen, and names a malformed field", () => {
		expect(baseUrlsFromCredentials({ cloud: 'global', apiBaseUrl: 'http://ignored' })).toEqual({
			api: 'https://api.zoom.us/v2',
			file: 'https://file.zoom.us/v2',
			oauth: 'https://zoom.us',
		});
		expect(baseUrlsFromCredentials({ cloud: 'custom', apiBaseUrl: 'https://api.zoomgov.com/v2/' }).api).toBe(
			'https://api.zoomgov.com/v2',
		);
		expect(() => baseUrlsFromCredentials({ cloud: 'custom', oauthBaseUrl: 'zoom dot us' })).toThrow(/OAuth Base URL/);
		expect(() => baseUrlsFromCredentials({ cloud: 'custom', fileBaseUrl: 'ftp://files' })).toThrow(/File API Base URL/);
	});
});
