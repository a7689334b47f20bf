import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { buildMentions } from '../nodes/ZoomTeamChat/actions/message/send.operation';
import { byEmail, byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

let sim: Simulator;
let channelId: string;
let colleague: { email: string; member_id: string; id: string };

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	await sim.reset();
	const channels = await sim.admin.channels();
	const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
	const channel = channels.find((c) => c.members.some((m) => m.userId === owner?.id) && !c.archived);
	if (!channel || !owner) throw new Error('fixture: no channel with the owner');
	channelId = channel.id;
	const other = (await sim.admin.users()).find((u) => u.id !== owner.id && !u.external);
	if (!other) throw new Error('fixture: no colleague');
	colleague = other;
});

describe('message → send', () => {
	it('posts to a channel and returns the message ID', async () => {
		const { json } = await runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'channel',
			channelId: byId(channelId),
			message: 'Hello from n8n',
			additionalFields: {},
		});
		expect(json).toHaveLength(1);
		expect(typeof json[0]?.id).toBe('string');
		const stored = await sim.admin.message(String(json[0]?.id));
		expect(stored.text).toBe('Hello from n8n');
		expect(stored.channelId).toBe(channelId);
	});

	it('replies in a thread with a mention, @all, rich text, and sends a DM to a contact by email', async () => {
		const main = await sim.admin.postMessage({ as: colleague.email, channel: channelId, text: 'Question?' });
		const { json } = await runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'channel',
			channelId: byId(channelId),
			message: 'Thanks @Casey, see below @all',
			additionalFields: {
				replyMainMessageId: main.id,
				mentions: {
					mention: [{ type: 'contact', contact: colleague.email, name: 'Casey' }, { type: 'all' }],
				},
				richText: { format: [{ formatType: 'Bold', start: 0, end: 6, attr: '' }] },
			},
		});
		const reply = await sim.admin.message(String(json[0]?.id));
		expect(reply.replyTo).toBe(main.id);
		const withItems = (await sim.admin.channelMessages(channelId)).find((m) => m.id === reply.id) as unknown as {
			atItems: Array<Record<string, unknown>>;
			richText: Array<Record<string, unknown>>;
		};
		expect(withItems.atItems).toEqual([
			{ at_type: 1, at_contact: colleague.email, start_position: 7, end_position: 12 },
			{ at_type: 2, start_position: 25, end_position: 28 },
		]);
		expect(withItems.richText).toEqual([{ format_type: 'Bold', start_position: 0, end_position: 6 }]);

		const dm = await runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'contact',
			contactId: byEmail(colleague.email),
			message: 'Private note',
			additionalFields: {},
		});
		const sent = await sim.admin.message(String(dm.json[0]?.id));
		expect(sent.text).toBe('Private note');
		expect(sent.channelId).toBeUndefined();
	});

	it('schedules a message for later instead of posting it now', async () => {
		const at = new Date(Date.now() + 2 * 60 * 60 * 1000);
		const { json } = await runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'channel',
			channelId: byId(channelId),
			message: 'Stand-up in 2 hours',
			additionalFields: { scheduledTime: at.toISOString() },
		});
		const drafts = await runNode(sim, {
			resource: 'apiCall',
			operation: 'call',
			operationId: 'listScheduledMessages',
			pathParameters: {},
			queryParameters: { to_channel: channelId },
			body: {},
			options: { returnAll: true },
		});
		const draft = drafts.json.find((d) => d.draft_id === json[0]?.id || d.id === json[0]?.id);
		expect(draft).toBeDefined();
		expect(draft?.scheduled_time).toBe(at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
		expect((await sim.admin.channelMessages(channelId)).some((m) => m.text === 'Stand-up in 2 hours')).toBe(false);
	});

	it('refuses a message over 1024 characters before sending, naming the field', async () => {
		const run = runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'channel',
			channelId: byId(channelId),
			message: 'x'.repeat(1025),
			additionalFields: {},
		});
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow(/body\.message/);
	});

	it('with Continue On Fail, reports the error on the failing item and carries on with the next', async () => {
		const { json, items } = await runNode(
			sim,
			(i) => ({
				resource: 'message',
				operation: 'send',
				target: 'channel',
				channelId: byId(i === 0 ? 'no-such-channel' : channelId),
				message: `item ${i}`,
				additionalFields: {},
			}),
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(json).toHaveLength(2);
		expect(String(json[0]?.error)).toMatch(/^Could not send the message: /);
		expect(String(json[0]?.description)).toContain('Zoom operation: sendaChatMessage');
		expect(items[0]?.pairedItem).toEqual({ item: 0 });
		expect(typeof json[1]?.id).toBe('string');
		expect(items[1]?.pairedItem).toEqual({ item: 1 });
	});

	it("turns a Zoom error into a NodeApiError with Zoom's code and the HTTP status", async () => {
		const run = runNode(sim, {
			resource: 'message',
			operation: 'send',
			target: 'channel',
			channelId: byId('no-such-channel'),
			message: 'hi',
			additionalFields: {},
		});
		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error.httpCode).toMatch(/^4\d\d$/);
		expect(error.description).toMatch(/Zoom error code/);
	});
});

describe('message → get, get many, update, react, get thread, delete', () => {
	it('reads, edits, reacts to and deletes a message', async () => {
		const posted = await sim.admin.postMessage({ channel: channelId, text: 'original text' });
		const base = { resource: 'message', target: 'channel', channelId: byId(channelId), messageId: posted.id };

		const got = await runNode(sim, { ...base, operation: 'get', simplify: true });
		expect(got.json[0]).toMatchObject({ id: posted.id, message: 'original text' });

		const many = await runNode(sim, { ...base, operation: 'getAll', returnAll: true, filters: {}, simplify: true });
		expect(many.json.map((m) => m.id)).toContain(posted.id);

		const updated = await runNode(sim, { ...base, operation: 'update', message: 'edited text', updateFields: {} });
		expect(updated.json[0]).toEqual({ id: posted.id, updated: true });
		expect((await sim.admin.message(posted.id)).text).toBe('edited text');

		const reacted = await runNode(sim, { ...base, operation: 'react', action: 'add', emoji: '👍', customEmojiId: '' });
		expect(reacted.json[0]).toMatchObject({ emoji: 'U+1F44D', action: 'add' });
		expect((await sim.admin.message(posted.id)).reactions.map((r) => r.emoji)).toContain('U+1F44D');

		const deleted = await runNode(sim, { ...base, operation: 'delete' });
		expect(deleted.json[0]).toEqual({ id: posted.id, deleted: true });
		expect((await sim.admin.message(posted.id)).status).toBe('Deleted');
	});

	it('returns at most Limit messages, paging through Zoom as needed', async () => {
		for (let n = 0; n < 12; n++) await sim.admin.postMessage({ channel: channelId, text: `m${n}` });
		const { json } = await runNode(sim, {
			resource: 'message',
			operation: 'getAll',
			target: 'channel',
			channelId: byId(channelId),
			returnAll: false,
			limit: 7,
			filters: {},
			simplify: false,
		});
		expect(json).toHaveLength(7);
	});

	it('gets the replies of a thread, starting from the main message by default', async () => {
		const main = await sim.admin.postMessage({ channel: channelId, text: 'main' });
		await sim.admin.reply({ channel: channelId, replyTo: main.id, text: 'first reply', as: colleague.email });
		await sim.admin.reply({ channel: channelId, replyTo: main.id, text: 'second reply' });
		const { json } = await runNode(sim, {
			resource: 'message',
			operation: 'getThread',
			target: 'channel',
			channelId: byId(channelId),
			messageId: main.id,
			limit: 50,
			options: { needMainMessage: false },
			simplify: true,
		});
		expect(json.map((m) => m.message)).toEqual(['first reply', 'second reply']);
	});
});

describe('buildMentions', () => {
	it('uses each occurrence once and appends a mention that is not in the text', () => {
		const built = buildMentions('@Ann and @Ann', [
			{ type: 'contact', contact: 'a@x.io', name: 'Ann' },
			{ type: 'contact', contact: 'b@x.io', name: 'Ann' },
			{ type: 'contact', contact: 'c@x.io', name: 'Cy' },
		]);
		expect(built.message).toBe('@Ann and @Ann @Cy');
		expect(built.atItems.map((a) => [a.start_position, a.end_position])).toEqual([
			[0, 3],
			[9, 12],
			[14, 16],
		]);
		expect(built.problems).toEqual([]);
	});

	it('reports a contact mention without a contact', () => {
		expect(buildMentions('hi', [{ type: 'contact', contact: ' ' }]).problems).toEqual([
			'Mention 1: "Contact" is empty (the email or member ID of the person to mention)',
		]);
	});
});
