/**
 * Message → Send and Update: Text Format. Version 2 reads the text as Markdown by default (rich
 * text and mentions through the core's compose), version 1 keeps sending it as written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject, INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { actionNode, byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const description: INodeTypeDescription = actionNode.description;

function shown(version: number, parameters: IDataObject, name: string): INodeProperties | undefined {
	const node: INode = {
		id: 'n',
		name: 'Zoom',
		type: 'x.zoomTeamChat',
		typeVersion: version,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
	const values = NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	) as INode['parameters'];
	return description.properties.find(
		(p) => p.name === name && NodeHelpers.displayParameter(values, p, node, description),
	);
}

/** Each range's text, as Zoom would format it (positions inclusive). */
function ranges(text: string, items: unknown[] | undefined): string[] {
	return (items ?? []).map((raw) => {
		const item = raw as { start_position: number; end_position: number; format_type?: string; at_contact?: string };
		return `${item.format_type ?? item.at_contact ?? 'all'}:${text.slice(item.start_position, item.end_position + 1)}`;
	});
}

let sim: Simulator;
let channelId: string;
const CASEY = 'casey.diaz@example.com';

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
		(c) => !c.archived && c.members.some((m) => m.userId === owner?.id) && c.members.some((m) => m.email === CASEY),
	);
	channelId = String(channel?.id);
});

const send = (message: string, extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'send',
	target: 'channel',
	channelId: byId(channelId),
	message,
	additionalFields: {},
	...extra,
});

const MARKDOWN =
	'**Deploy** done, see [the log](https://ci.example.com/1)\n- api\n- web\n@casey.diaz@example.com please check';

describe('Text Format field', () => {
	it('defaults to Markdown for new nodes (version 2) and to Plain for version 1', () => {
		for (const operation of ['send', 'update']) {
			expect(shown(2, { resource: 'message', operation }, 'textFormat')?.default).toBe('markdown');
			expect(shown(1, { resource: 'message', operation }, 'textFormat')?.default).toBe('plain');
		}
	});

	it("Update's hint says that only the visible text is sent", () => {
		expect(shown(2, { resource: 'message', operation: 'update' }, 'textFormat')?.hint).toMatch(/visible text/);
	});
});

describe('message → send with Markdown', () => {
	it('version 2 sends the rich text and the mention Zoom expects, the mention shown by name', async () => {
		const { json } = await runNode(sim, send(MARKDOWN), { typeVersion: 2 });
		const stored = await sim.admin.message(String(json[0]?.id));
		expect(stored.text).toBe('Deploy done, see the log\napi\nweb\n@Casey Diaz please check');
		const message = stored as unknown as { richText?: unknown[]; atItems?: unknown[] };
		expect(ranges(stored.text, message.richText)).toEqual(['Bold:Deploy', 'AddLink:the log', 'BulletedList:api\nweb']);
		expect((message.richText as IDataObject[]).find((r) => r.format_type === 'AddLink')?.format_attr).toBe(
			'https://ci.example.com/1',
		);
		expect(ranges(stored.text, message.atItems)).toEqual([`${CASEY}:@Casey Diaz`]);
		expect(json[0]?.message).toBe(stored.text);
	});

	it('version 1, and Plain in version 2, send the text exactly as written', async () => {
		for (const [version, extra] of [
			[1, {}],
			[2, { textFormat: 'plain' }],
		] as const) {
			const { json } = await runNode(sim, send(MARKDOWN, extra), { typeVersion: version });
			const stored = (await sim.admin.message(String(json[0]?.id))) as unknown as {
				text: string;
				richText?: unknown;
				atItems?: unknown;
			};
			expect(stored.text).toBe(MARKDOWN);
			expect(stored.richText).toBeUndefined();
			expect(stored.atItems).toBeUndefined();
		}
	});

	it('sends what Markdown cannot express as plain text instead of refusing it', async () => {
		const text = '# Heading\n| a | b |\n2 * 3 * 4 and snake_case';
		const { json } = await runNode(sim, send(text), { typeVersion: 2 });
		expect((await sim.admin.message(String(json[0]?.id))).text).toContain('2 * 3 * 4 and snake_case');
	});

	it('Mentions rows add to the Markdown mentions, without mentioning a contact twice', async () => {
		const { json } = await runNode(
			sim,
			send('**Heads up** @casey.diaz@example.com', {
				additionalFields: {
					mentions: {
						mention: [{ type: 'contact', contact: CASEY, name: '' }, { type: 'all' }],
					},
				},
			}),
			{ typeVersion: 2 },
		);
		const stored = (await sim.admin.message(String(json[0]?.id))) as unknown as { text: string; atItems?: unknown[] };
		expect(stored.text).toBe('Heads up @Casey Diaz @all');
		expect(ranges(stored.text, stored.atItems)).toEqual([`${CASEY}:@Casey Diaz`, 'all:@all']);
	});

	it('Rich Text rows keep the text as written, so their positions stay right', async () => {
		const { json } = await runNode(
			sim,
			send('**not markdown**', {
				additionalFields: { richText: { format: [{ formatType: 'Italic', start: 2, end: 5, attr: '' }] } },
			}),
			{ typeVersion: 2 },
		);
		const stored = (await sim.admin.message(String(json[0]?.id))) as unknown as { text: string; richText?: unknown[] };
		expect(stored.text).toBe('**not markdown**');
		expect(ranges(stored.text, stored.richText)).toEqual(['Italic:not ']);
	});

	it('refuses a Text Format an expression set to something else, naming the field', async () => {
		const error = await runNode(sim, send('hi', { textFormat: 'html' }), { typeVersion: 2 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('The parameter "Text Format" must be Plain or Markdown');
	});
});

describe('message → update with Markdown', () => {
	it('sends the visible text (editMessage takes no formatting or mentions)', async () => {
		const original = await sim.admin.postMessage({ channel: channelId, text: 'draft' });
		await runNode(
			sim,
			{
				resource: 'message',
				operation: 'update',
				messageId: original.id,
				target: 'channel',
				channelId: byId(channelId),
				message: '**Fixed** in [#42](https://ci.example.com/42) by @casey.diaz@example.com',
				updateFields: {},
			},
			{ typeVersion: 2 },
		);
		const stored = await sim.admin.message(original.id);
		expect(stored.text).toBe('Fixed in #42 by @casey.diaz@example.com');
		expect(stored.status).toBe('Edited');
	});
});
