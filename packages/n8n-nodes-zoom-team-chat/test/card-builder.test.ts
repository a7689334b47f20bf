/** Chatbot Message → Send / Edit with Content Type "Card": the card builder, checked before sending. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { buildCard } from '@zoom-team-chat/core/portable';
import { cardInputFromParameters } from '../nodes/ZoomTeamChat/actions/chatbotMessage/card';
import { runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const buttons = (...rows: IDataObject[]) => ({ button: rows });
const fields = (...rows: IDataObject[]) => ({ field: rows });

/** Only the parameter reading is n8n's: the layout and its checks are the core's (core test/content/card.test.ts). */
describe('cardInputFromParameters', () => {
	const read = (parameters: IDataObject) =>
		cardInputFromParameters.call(
			{
				getNodeParameter: (name: string, _i: number, fallback: unknown) => parameters[name] ?? fallback,
			} as unknown as IExecuteFunctions,
			0,
		);

	it('unwraps the fixedCollections and the options into the parts the core builder reads', () => {
		const input = read({
			cardTitle: 'Deploy finished',
			cardSubtitle: 'api',
			cardText: '**done**',
			cardFields: fields({ label: 'Version', value: '2.4.1', short: true }),
			cardButtons: buttons({ text: 'OK', value: 'ok', style: 'Primary' }),
			cardOptions: { linkUrl: 'https://ci.example.com/42', linkText: 'Log', divider: true },
		});
		expect(input).toEqual({
			title: 'Deploy finished',
			subtitle: 'api',
			text: '**done**',
			fields: [{ label: 'Version', value: '2.4.1', short: true }],
			buttons: [{ text: 'OK', value: 'ok', style: 'Primary' }],
			linkUrl: 'https://ci.example.com/42',
			linkText: 'Log',
			divider: true,
		});
		expect(buildCard(input).problems).toEqual([]);
	});

	it('leaves out collections nobody added, and lets the core name a list an expression got wrong', () => {
		const input = read({ cardTitle: 'Hi', cardFields: {}, cardButtons: 'Approve' });
		expect(input.fields).toBeUndefined();
		expect(buildCard(input).problems).toEqual(['Card → Buttons: must be a list, not a string']);
	});
});

describe('chatbot message → send / edit with the card builder (simulator)', () => {
	let sim: Simulator;
	let channel: { jid: string };
	let member: { jid: string };
	const chatbot = { authentication: 'chatbot', resource: 'chatbotMessage' };

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

	const card = (extra: IDataObject = {}) => ({
		contentType: 'cardBuilder',
		cardTitle: 'Approve deploy?',
		cardSubtitle: '',
		cardText: 'Release **2.4.1** to production',
		cardFields: fields({ label: 'Requested by', value: 'Blake' }),
		cardButtons: buttons(
			{ text: 'Approve', value: 'approve', style: 'Primary' },
			{ text: 'Reject', value: 'reject', style: 'Danger' },
		),
		cardOptions: {},
		...extra,
	});

	it('sends the built card, and a click on its button reaches the bot with the value', async () => {
		const { json } = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			options: {},
			...card(),
		});
		const stored = (await sim.admin.botMessages()).find((m) => m.id === json[0]?.message_id) as IDataObject;
		expect(stored.content).toEqual({
			head: { text: 'Approve deploy?' },
			body: [
				{ type: 'message', text: 'Release **2.4.1** to production', is_markdown_support: true },
				{ type: 'fields', items: [{ key: 'Requested by', value: 'Blake' }] },
				{
					type: 'actions',
					items: [
						{ text: 'Approve', value: 'approve', style: 'Primary' },
						{ text: 'Reject', value: 'reject', style: 'Danger' },
					],
				},
			],
		});
		const click = await sim.admin.click({ messageId: String(json[0]?.message_id), value: 'approve' });
		expect(click.actionItem).toEqual({ text: 'Approve', value: 'approve' });
	});

	it('edits a message into a built card', async () => {
		const sent = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			contentType: 'text',
			text: 'Waiting…',
			headText: '',
			options: {},
		});
		const messageId = String(sent.json[0]?.message_id);
		await runNode(sim, {
			...chatbot,
			operation: 'edit',
			messageId,
			options: { userJid: member.jid },
			...card({ cardButtons: {}, cardText: 'Approved by **Casey**' }),
		});
		const edited = (await sim.admin.botMessages()).find((m) => m.id === messageId) as IDataObject;
		expect(edited.content).toEqual({
			head: { text: 'Approve deploy?' },
			body: [
				{ type: 'message', text: 'Approved by **Casey**', is_markdown_support: true },
				{ type: 'fields', items: [{ key: 'Requested by', value: 'Blake' }] },
			],
		});
	});

	it('refuses a bad card before sending, naming the part', async () => {
		const before = (await sim.admin.botMessages()).length;
		const error = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			options: {},
			...card({ cardButtons: buttons({ text: 'Approve', value: 'approve' }, { text: ' ', value: 'reject' }) }),
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Card → Buttons → 2: Text is empty');
		expect((error as NodeOperationError).description).toMatch(/Nothing was sent/);
		expect((await sim.admin.botMessages()).length).toBe(before);
	});

	it('refuses a Card (JSON) whose button has no value, naming its path, before sending', async () => {
		const before = (await sim.admin.botMessages()).length;
		const error = await runNode(sim, {
			...chatbot,
			operation: 'send',
			toJid: channel.jid,
			userJid: member.jid,
			options: {},
			contentType: 'card',
			card: JSON.stringify({ head: { text: 'Approve?' }, body: [{ type: 'actions', items: [{ text: 'Yes' }] }] }),
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Card → body[0].items[0].value: is missing');
		expect((await sim.admin.botMessages()).length).toBe(before);
	});
});
