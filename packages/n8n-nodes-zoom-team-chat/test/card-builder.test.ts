/** Chatbot Message → Send / Edit with Content Type "Card": the card builder, checked before sending. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { buildCard } from '../nodes/ZoomTeamChat/actions/chatbotMessage/card';
import { runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const buttons = (...rows: IDataObject[]) => ({ button: rows });
const fields = (...rows: IDataObject[]) => ({ field: rows });

describe('buildCard', () => {
	it('lays out title, subtitle, Markdown text, divider, fields, link and buttons as Zoom expects', () => {
		const { content, problems } = buildCard({
			title: 'Deploy finished',
			subtitle: 'api · production',
			text: '**v2.4.1** is live',
			fields: fields(
				{ label: 'Version', value: '2.4.1', short: true },
				{ label: 'Took', value: '3 min', short: false },
			),
			linkUrl: 'https://ci.example.com/builds/42',
			linkText: 'Build log',
			buttons: buttons(
				{ text: 'Roll back', value: 'rollback', style: 'Danger' },
				{ text: 'OK', value: 'ok', style: 'Primary' },
			),
			divider: true,
		});
		expect(problems).toEqual([]);
		expect(content).toEqual({
			head: { text: 'Deploy finished', sub_head: { text: 'api · production' } },
			body: [
				{ type: 'message', text: '**v2.4.1** is live', is_markdown_support: true },
				{ type: 'divider' },
				{
					type: 'fields',
					items: [
						{ key: 'Version', value: '2.4.1', short: true },
						{ key: 'Took', value: '3 min' },
					],
				},
				{ type: 'message', text: 'Build log', link: 'https://ci.example.com/builds/42' },
				{
					type: 'actions',
					items: [
						{ text: 'Roll back', value: 'rollback', style: 'Danger' },
						{ text: 'OK', value: 'ok', style: 'Primary' },
					],
				},
			],
		});
	});

	it('leaves out what is not set: a title alone, a link shown by its address, buttons styled Default', () => {
		expect(buildCard({ title: 'Hello' })).toEqual({ content: { head: { text: 'Hello' } }, problems: [] });
		expect(buildCard({ linkUrl: 'https://example.com' }).content).toEqual({
			body: [{ type: 'message', text: 'https://example.com', link: 'https://example.com' }],
		});
		expect(buildCard({ buttons: buttons({ text: 'Go', value: 'go' }) }).content).toEqual({
			body: [{ type: 'actions', items: [{ text: 'Go', value: 'go', style: 'Default' }] }],
		});
		// The divider separates the text from what follows it: none without both.
		expect(buildCard({ text: 'only text', divider: true }).content).toEqual({
			body: [{ type: 'message', text: 'only text', is_markdown_support: true }],
		});
	});

	it('names every bad part: "Card → Buttons → 2: Text is empty" and the like', () => {
		const { problems } = buildCard({
			subtitle: 'no title',
			fields: fields({ label: 'Owner', value: '' }, { label: ' ', value: 'x' }),
			buttons: buttons(
				{ text: 'Yes', value: 'yes', style: 'Primary' },
				{ text: '', value: 'no', style: 'Default' },
				{ text: 'Again', value: 'yes', style: 'Blue' },
				{ text: 'Later', value: '' },
			),
			linkText: 'Docs',
		});
		expect(problems).toEqual([
			'Card → Subtitle: needs a Title (Zoom shows the subtitle under it)',
			'Card → Fields → 1: Value is empty',
			'Card → Fields → 2: Label is empty',
			'Card → Link URL: is empty, but Link Text is set',
			'Card → Buttons → 2: Text is empty',
			'Card → Buttons → 3: Value "yes" is also button 1\'s (clicks could not be told apart)',
			'Card → Buttons → 3: Style "Blue" is not one of Primary, Default, Danger, Disabled',
			'Card → Buttons → 4: Value is empty (a click reports it)',
		]);
	});

	it('refuses a link that is not http(s), text from an expression that is an object, and an empty card', () => {
		expect(buildCard({ linkUrl: 'ftp://example.com/x' }).problems).toEqual([
			'Card → Link URL: "ftp://example.com/x" is not an http:// or https:// address',
		]);
		expect(buildCard({ title: { a: 1 } }).problems).toEqual(['Card → Title: must be text, not an object']);
		expect(buildCard({}).problems).toEqual(['Card: is empty (give it a Title, Text, Fields, Buttons or a Link)']);
		// Numbers from expressions are text too; a style's case does not matter.
		expect(
			buildCard({
				fields: fields({ label: 'Count', value: 3 }),
				buttons: buttons({ text: 'A', value: 1, style: 'primary' }),
			}).content.body,
		).toEqual([
			{ type: 'fields', items: [{ key: 'Count', value: '3' }] },
			{ type: 'actions', items: [{ text: 'A', value: '1', style: 'Primary' }] },
		]);
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
});
