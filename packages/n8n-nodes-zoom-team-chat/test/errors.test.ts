import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';
import {
	EventStreamError,
	TransportError,
	WebhookVerificationError,
	ZoomApiError,
	ZoomAuthError,
	ZoomConfigError,
	ZoomValidationError,
} from '@zoom-team-chat/core/portable';
// n8n 2.x's errors (its CommonJS build, which n8n 2 hands to nodes), next to the 1.x ones the
// package builds against; n8n-workflow-2 is a devDependency alias of n8n-workflow 2.41.
import * as v2 from 'n8n-workflow-2/dist/cjs/index.js';

import { failedAction, headlineOf, keepHeadline, toNodeError } from '../nodes/shared/errors';
import { testNode } from './helpers/contexts';
import { byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

/** The same node, typed for n8n-workflow 2 (its INode differs only in types the test does not touch). */
const testNodeV2 = testNode as unknown as ConstructorParameters<typeof v2.NodeApiError>[0];

/** The stock texts n8n puts in place of a socket error's message; they advise repeating the request. */
const STOCK_ADVICE = /retry the request immediately|'Retry on Fail' option|perhaps it is offline/i;
const MAY_HAVE_REACHED =
	'The request may have reached Zoom, so it was not retried (repeating it could post twice); check the chat before sending again';

/** The core names the failed call by its operation ID; the node's headline says what it was doing. */
const SEND_HEADLINE = (error: Error) => error.message.replace(/^sendaChatMessage: /, 'Could not send the message: ');
const SEND_OPERATION = 'Zoom operation: sendaChatMessage (POST /chat/users/{userId}/messages)';

/** What the core's pipeline throws when a POST got no answer (pipeline.ts networkError). */
function noAnswer(code: string, message: string): ZoomApiError {
	return new ZoomApiError({
		status: 0,
		code,
		message,
		operationId: 'sendaChatMessage',
		method: 'POST',
		path: '/chat/users/{userId}/messages',
		hint: MAY_HAVE_REACHED,
		cause: new TransportError(message, { code, sentNothing: false }),
	});
}

describe('toNodeError keeps our headline on network errors', () => {
	it.each([
		['ECONNRESET', 'Request to http://127.0.0.1:9 failed (ECONNRESET)'],
		['ETIMEDOUT', 'Request to http://127.0.0.1:9 timed out (timeout)'],
		['UND_ERR_SOCKET', 'Request to http://127.0.0.1:9 failed (UND_ERR_SOCKET) ECONNRESET'],
		['ECONNREFUSED', 'Request to http://127.0.0.1:9 failed (ECONNREFUSED)'],
	])('a POST without an answer (%s) says it may have reached Zoom, in the headline', (code, message) => {
		const error = noAnswer(code, message);
		const nodeError = toNodeError(testNode, error, 3);
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toBe(SEND_HEADLINE(error));
		expect(nodeError.message).toMatch(/^Could not send the message: Request to /);
		expect(nodeError.message).toContain('may have reached Zoom');
		expect(nodeError.message).not.toMatch(STOCK_ADVICE);
		expect(nodeError.description).toBe(`No HTTP response arrived from Zoom.\n${SEND_OPERATION}`);
		expect(nodeError.context.itemIndex).toBe(3);
	});

	it('a bare TransportError and a token request without an answer keep their text too', () => {
		const transport = new TransportError('Request to http://127.0.0.1:9 failed (ECONNRESET)', {
			code: 'ECONNRESET',
			sentNothing: false,
		});
		expect(toNodeError(testNode, transport, 0).message).toBe(transport.message);

		const auth = new ZoomAuthError('Token request to http://127.0.0.1:9 failed (ETIMEDOUT)', 0, 'ETIMEDOUT');
		const authError = toNodeError(testNode, auth, 0);
		expect(authError.message).toBe(auth.message);
		expect(authError.message).not.toMatch(STOCK_ADVICE);
	});

	it("keeps Zoom's answer as the headline for HTTP errors, with the HTTP code", () => {
		const error = new ZoomApiError({
			status: 500,
			code: 500,
			message: 'Injected fault: HTTP 500.',
			operationId: 'sendaChatMessage',
			hint: 'Zoom may or may not have carried it out; it was not retried, because repeating it could post twice',
		});
		const nodeError = toNodeError(testNode, error, 0) as NodeApiError;
		expect(nodeError.message).toBe(SEND_HEADLINE(error));
		expect(nodeError.message).toMatch(/^Could not send the message: Injected fault: HTTP 500\./);
		expect(nodeError.httpCode).toBe('500');
		expect(nodeError.description).toContain('Zoom error code 500');
		// The operation ID stays for support, in the description and in the details n8n shows.
		expect(nodeError.description).toContain('Zoom operation: sendaChatMessage');
		expect((nodeError.errorResponse as { operationId?: unknown }).operationId).toBe('sendaChatMessage');
	});
});

describe('toNodeError maps by kind', () => {
	it('a failure with no answer reads the same whichever request it broke', () => {
		const cause = new TransportError('Request to https://zoom.us failed (ECONNREFUSED)', {
			code: 'ECONNREFUSED',
			sentNothing: true,
		});
		const auth = new ZoomAuthError(
			`Could not get a Zoom token from https://zoom.us after 3 attempts: ${cause.message}`,
			0,
			'ECONNREFUSED',
			cause,
		);
		const api = noAnswer('ECONNREFUSED', cause.message);
		for (const error of [cause, auth, api]) {
			const nodeError = toNodeError(testNode, error, 0) as NodeApiError;
			expect(nodeError).toBeInstanceOf(NodeApiError);
			expect(nodeError.message).toBe(error === api ? SEND_HEADLINE(error) : error.message);
			expect(nodeError.description).toMatch(/^No HTTP response arrived from Zoom\./);
			// No HTTP status: n8n shows the socket code there.
			expect(nodeError.httpCode).toBe('ECONNREFUSED');
		}
	});

	it('Zoom refusing the credentials is a credential problem, with the HTTP code', () => {
		const error = new ZoomAuthError('Zoom refused the token request (HTTP 400, invalid_client)', 400, 'invalid_client');
		const nodeError = toNodeError(testNode, error, 0) as NodeApiError;
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toBe(error.message);
		expect(nodeError.description).toBe('Check the credential: Zoom did not issue an access token for it.');
		expect(nodeError.httpCode).toBe('400');
	});

	it('a rate limit is an answer from Zoom, with its HTTP code', () => {
		const error = new ZoomApiError({
			status: 429,
			code: 429,
			message: 'Too many requests',
			operationId: 'sendaChatMessage',
		});
		const nodeError = toNodeError(testNode, error, 0) as NodeApiError;
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toBe('Could not send the message: Too many requests (Zoom code 429)');
		expect(nodeError.httpCode).toBe('429');
		expect(nodeError.description).toBe('Zoom error code 429: Too many requests\nZoom operation: sendaChatMessage');
	});

	it('what went wrong on this side is a NodeOperationError with the core message', () => {
		const validation = new ZoomValidationError('sendaChatMessage', [
			{ field: 'body.to_channel', message: 'is required' },
		]);
		const mapped = toNodeError(testNode, validation, 2);
		expect(mapped).toBeInstanceOf(NodeOperationError);
		expect(mapped.message).toBe('Could not send the message: invalid request — body.to_channel: is required');
		expect(mapped.description).toBe('body.to_channel: is required\nZoom operation: sendaChatMessage');
		expect(mapped.context.itemIndex).toBe(2);
		for (const error of [
			new ZoomConfigError('Unknown Zoom operation "nope".'),
			new WebhookVerificationError('bad_signature', 'The signature does not match'),
			new EventStreamError('subscription not found', 'subscription_not_found', 404),
			new Error('something else'),
		]) {
			const nodeError = toNodeError(testNode, error, 0);
			expect(nodeError).toBeInstanceOf(NodeOperationError);
			expect(nodeError.message).toBe(error.message);
		}
	});
});

describe('error headlines say what the node was doing, not the operation ID', () => {
	it('names the action of the operations the node calls', () => {
		expect(failedAction('sendaChatMessage')).toBe('Could not send the message');
		expect(failedAction('getChatMessages')).toBe('Could not get the messages');
		expect(failedAction('PerformOperationsOnChannels')).toBe('Could not archive or unarchive the channel');
		expect(failedAction('sendChatbot')).toBe('Could not send the chatbot message');
	});

	it("falls back to Zoom's summary of any other operation (API Call), then to the ID", () => {
		expect(failedAction('getChannelMentionGroup')).toBe('Could not list channel mention groups');
		expect(failedAction('notAnOperation')).toBe('Zoom refused notAnOperation');
		expect(failedAction(undefined)).toBe('Zoom refused the request');
	});

	it('replaces the core\'s "<operationId>: " prefix, and leaves a message without an ID as it is', () => {
		expect(headlineOf('sendaChatMessage: Channel does not exist: abc (Zoom code 4130)', 'sendaChatMessage')).toBe(
			'Could not send the message: Channel does not exist: abc (Zoom code 4130)',
		);
		expect(headlineOf('Token request failed', undefined)).toBe('Token request failed');
	});

	it("an answer from Zoom: the human headline, Zoom's words, the operation in the description", () => {
		const error = new ZoomApiError({
			status: 404,
			code: 4130,
			message: 'Channel does not exist: abc',
			operationId: 'sendaChatMessage',
			method: 'POST',
			path: '/chat/users/{userId}/messages',
			trackingId: 'trk-1',
		});
		const nodeError = toNodeError(testNode, error, 0) as NodeApiError;
		expect(nodeError.message).toBe('Could not send the message: Channel does not exist: abc (Zoom code 4130)');
		expect(nodeError.message).not.toMatch(/sendaChatMessage/);
		expect(nodeError.description).toBe(
			`Zoom error code 4130: Channel does not exist: abc\nZoom tracking ID: trk-1\n${SEND_OPERATION}`,
		);
	});
});

describe('keepHeadline on n8n-workflow 1.x and 2.x', () => {
	const headline = `sendaChatMessage: Request failed (ECONNRESET) (Zoom code ECONNRESET). ${MAY_HAVE_REACHED}`;
	const response = { message: headline, code: 'ECONNRESET' };

	it('without it, both versions replace the headline by the stock advice (what this guards against)', () => {
		expect(new NodeApiError(testNode, response, { message: headline }).message).toMatch(STOCK_ADVICE);
		expect(new v2.NodeApiError(testNodeV2, response, { message: headline }).message).toMatch(STOCK_ADVICE);
		expect(new v2.NodeOperationError(testNodeV2, headline).message).toMatch(STOCK_ADVICE);
	});

	it('with it, NodeApiError and NodeOperationError of both versions show the headline as given', () => {
		expect(new NodeApiError(testNode, response, keepHeadline(headline)).message).toBe(headline);
		expect(new v2.NodeApiError(testNodeV2, response, keepHeadline(headline)).message).toBe(headline);
		const { message, messageMapping } = keepHeadline(headline);
		expect(new NodeOperationError(testNode, message, { messageMapping }).message).toBe(headline);
		expect(new v2.NodeOperationError(testNodeV2, message, { messageMapping }).message).toBe(headline);
	});
});

describe('network faults through the node (simulator)', () => {
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
		const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
		const channel = (await sim.admin.channels()).find(
			(c) => c.members.some((m) => m.userId === owner?.id) && !c.archived,
		);
		if (!channel) throw new Error('fixture: no channel with the owner');
		channelId = channel.id;
	});

	const send = (text: string) => ({
		resource: 'message',
		operation: 'send',
		target: 'channel',
		channelId: byId(channelId),
		message: text,
		additionalFields: {},
	});

	it.each(['before-body', 'after-body'] as const)(
		'a connection reset %s on a send fails the item with "may have reached Zoom" as its headline, posted at most once',
		async (reset) => {
			await sim.admin.addFault({ operationId: 'sendaChatMessage', reset });
			const { json } = await runNode(sim, send(`reset ${reset}`), { continueOnFail: true });
			expect(json).toHaveLength(1);
			expect(String(json[0]?.error)).toMatch(/^Could not send the message: .*may have reached Zoom/);
			expect(String(json[0]?.description)).toContain('Zoom operation: sendaChatMessage');
			expect(String(json[0]?.error)).not.toMatch(STOCK_ADVICE);
			const stored = (await sim.admin.channelMessages(channelId)).filter((m) => m.text === `reset ${reset}`);
			expect(stored).toHaveLength(reset === 'after-body' ? 1 : 0);
		},
	);

	it('thrown (no Continue On Fail), the NodeApiError carries the same headline', async () => {
		await sim.admin.addFault({ operationId: 'sendaChatMessage', reset: 'before-body' });
		const failure = await runNode(sim, send('thrown')).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toMatch(/may have reached Zoom/);
		expect((failure as NodeApiError).message).not.toMatch(STOCK_ADVICE);
	});
});
