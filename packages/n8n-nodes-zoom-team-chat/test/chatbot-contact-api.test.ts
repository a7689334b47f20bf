import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';

import { byEmail, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

let sim: Simulator;
let channel: { id: string; jid: string };
let member: { email: string; jid: string; first_name: string };

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	await sim.reset();
	const users = await sim.admin.users();
	const channels = await sim.admin.channels();
	const colleagues = users.filter((u) => u.role !== 'owner' && !u.external);
	const found = channels.find((c) => !c.archived && colleagues.some((u) => c.members.some((m) => m.userId === u.id)));
	const user = colleagues.find((u) => found?.members.some((m) => m.userId === u.id));
	if (!found || !user) throw new Error('fixture: no channel with members');
	channel = found;
	member = user;
});

describe('chatbot messages', () => {
	const chatbot = { authentication: 'chatbot', resource: 'chatbotMessage' };

	it('sends plain text, Markdown and a card as the bot, then edits and deletes one', async () => {
		const text = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			contentType: 'text',
			text: 'Build passed',
			headText: 'CI',
			options: {},
		});
		const markdown = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			contentType: 'markdown',
			text: '*bold* move',
			headText: '',
			options: {},
		});
		const card = { head: { text: 'Deploy' }, body: [{ type: 'message', text: 'Ship it?' }] };
		const carded = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			contentType: 'card',
			card: JSON.stringify(card),
			options: {},
		});
		const stored = await sim.admin.botMessages();
		const byId = (id: unknown) => stored.find((m) => m.id === id) as Record<string, unknown>;
		expect(byId(text.json[0]?.message_id)?.content).toEqual({
			head: { text: 'CI' },
			body: [{ type: 'message', text: 'Build passed' }],
		});
		expect(byId(markdown.json[0]?.message_id)?.isMarkdown).toBe(true);
		expect(byId(carded.json[0]?.message_id)?.content).toEqual(card);

		const messageId = String(text.json[0]?.message_id);
		await runNode(sim, {
			...chatbot,
			operation: 'edit',
			messageId,
			contentType: 'text',
			text: 'Build fixed',
			headText: '',
			options: { userJid: member.jid },
		});
		const edited = (await sim.admin.botMessages()).find((m) => m.id === messageId) as Record<string, unknown>;
		expect(edited.content).toEqual({ body: [{ type: 'message', text: 'Build fixed' }] });

		const deleted = await runNode(sim, { ...chatbot, operation: 'delete', messageId, options: {} });
		expect(deleted.json[0]).toEqual({ message_id: messageId, deleted: true });
		expect(((await sim.admin.botMessages()).find((m) => m.id === messageId) as Record<string, unknown>).deleted).toBe(
			true,
		);
	});

	it('refuses a card that is not a JSON object', async () => {
		await expect(
			runNode(sim, {
				...chatbot,
				operation: 'send',
				toJid: channel.jid,
				userJid: member.jid,
				contentType: 'card',
				card: '[1,2]',
				options: {},
			}),
		).rejects.toThrow(/"Card" must be a JSON object/);
	});

	it('says which credential chatbot messages need', async () => {
		await expect(
			runNode(sim, { authentication: 'serverToServerOAuth', resource: 'chatbotMessage', operation: 'send' }),
		).rejects.toThrow(/Zoom Chatbot API credential/);
		await expect(runNode(sim, { authentication: 'chatbot', resource: 'message', operation: 'send' })).rejects.toThrow(
			/chatbot token can only/,
		);
	});
});

describe('contacts', () => {
	it('lists company contacts, gets one by email and searches the directory', async () => {
		const listed = await runNode(sim, {
			resource: 'contact',
			operation: 'getAll',
			type: 'company',
			returnAll: true,
			simplify: true,
		});
		expect(listed.json.map((c) => c.email)).toContain(member.email);

		const got = await runNode(sim, {
			resource: 'contact',
			operation: 'get',
			contactId: byEmail(member.email),
			presence: true,
		});
		expect(got.json[0]).toMatchObject({ email: member.email });
		expect(got.json[0]?.presence_status).toBeDefined();

		const found = await runNode(sim, {
			resource: 'contact',
			operation: 'search',
			searchKey: member.first_name,
			returnAll: false,
			limit: 5,
			options: {},
			simplify: true,
		});
		expect(found.json.map((c) => c.email)).toContain(member.email);
	});
});

describe('API call', () => {
	it('calls an operation by ID with path and query parameters', async () => {
		const { json } = await runNode(sim, {
			resource: 'apiCall',
			operation: 'call',
			operationId: 'getChannels',
			pathParameters: '{"userId":"me"}',
			queryParameters: '{"page_size":2}',
			body: '{}',
			options: {},
		});
		expect(Array.isArray(json[0]?.channels)).toBe(true);
	});

	it('follows pages and returns one item per result with Return All Pages', async () => {
		const { json } = await runNode(sim, {
			resource: 'apiCall',
			operation: 'call',
			operationId: 'getChannels',
			pathParameters: { userId: 'me' },
			queryParameters: {},
			body: {},
			options: { returnAll: true },
		});
		const channels = await sim.admin.channels();
		const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
		expect(json.length).toBe(channels.filter((c) => c.members.some((m) => m.userId === owner?.id)).length);
	});

	it('validates the body against the spec before sending anything', async () => {
		const run = runNode(sim, {
			resource: 'apiCall',
			operation: 'call',
			operationId: 'sendaChatMessage',
			pathParameters: { userId: 'me' },
			queryParameters: {},
			body: { to_channel: channel.id },
			options: {},
		});
		await expect(run).rejects.toThrow(/body\.message/);
	});

	it('names an unknown operation, and refuses paging on a single-result operation', async () => {
		await expect(
			runNode(sim, {
				resource: 'apiCall',
				operation: 'call',
				operationId: 'sendMessage',
				pathParameters: {},
				queryParameters: {},
				body: {},
				options: {},
			}),
		).rejects.toThrow(/Unknown Zoom operation "sendMessage"/);
		await expect(
			runNode(sim, {
				resource: 'apiCall',
				operation: 'call',
				operationId: 'getFileInfo',
				pathParameters: { fileId: 'x' },
				queryParameters: {},
				body: {},
				options: { returnAll: true },
			}),
		).rejects.toThrow(/not a list operation/);
	});

	it('calls a chatbot operation with the chatbot credential', async () => {
		const { json } = await runNode(sim, {
			authentication: 'chatbot',
			resource: 'apiCall',
			operation: 'call',
			operationId: 'sendChatbot',
			pathParameters: {},
			queryParameters: {},
			body: {
				robot_jid: sim.credentials.chatbot.botJid,
				account_id: sim.credentials.chatbot.accountId,
				to_jid: channel.jid,
				user_jid: member.jid,
				content: { body: [{ type: 'message', text: 'raw call' }] },
			},
			options: {},
		});
		expect(typeof json[0]?.message_id).toBe('string');
	});
});
