/**
 * The action node's panel (field order, required fields, version 2's Date) and Get Many's date
 * handling: a day as written, the 6-month limit checked before calling Zoom, and the hint when
 * Zoom's "today" default returns nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject, INode, INodeProperties, INodePropertyCollection, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { checkMessageHistory, MESSAGE_HISTORY_DAYS, toZoomDay } from '../nodes/ZoomTeamChat/helpers/parameters';
import { executeContext } from './helpers/contexts';
import type { RecordedRequest } from './helpers/http';
import { actionNode, byId, byEmail, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const description: INodeTypeDescription = actionNode.description;
const DAY = 86_400_000;

function nodeOf(version: number, parameters: IDataObject): INode {
	return {
		id: 'n',
		name: 'Zoom Team Chat',
		type: 'x.zoomTeamChat',
		typeVersion: version,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
}

/** The names of the fields n8n shows, in panel order, for these parameters. */
function panel(version: number, parameters: IDataObject): string[] {
	const node = nodeOf(version, parameters);
	const values = NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	) as INode['parameters'];
	return description.properties
		.filter((p) => p.type !== 'notice' && NodeHelpers.displayParameter(values, p, node, description))
		.map((p) => p.name);
}

function shownProperty(version: number, parameters: IDataObject, name: string): INodeProperties | undefined {
	const node = nodeOf(version, parameters);
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

const contextWith = (timezone = 'UTC') => executeContext({ parameters: {}, credentials: {}, timezone });

function thrown(run: () => unknown): NodeOperationError | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
}

describe('action node panel', () => {
	it('is version 2 for new nodes; version 1 stays for saved workflows', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it.each([1, 2])('version %i opens with Resource, then Operation, then Act As User', (version) => {
		for (const resource of ['message', 'channel', 'member', 'file']) {
			const names = panel(version, { authentication: 'serverToServerOAuth', resource });
			expect(names.slice(0, 4), resource).toEqual(['authentication', 'resource', 'operation', 'actAsUser']);
		}
		// Other credentials and resources have no Act As User; Operation still follows Resource.
		expect(panel(version, { authentication: 'oAuth2', resource: 'message' }).slice(0, 3)).toEqual([
			'authentication',
			'resource',
			'operation',
		]);
		expect(panel(version, { authentication: 'chatbot', resource: 'chatbotMessage' }).slice(0, 3)).toEqual([
			'authentication',
			'resource',
			'operation',
		]);
	});

	it("marks a mention's Contact as required", () => {
		const fields = shownProperty(2, { resource: 'message', operation: 'send' }, 'additionalFields');
		const mentions = (fields?.options as INodeProperties[]).find((o) => o.name === 'mentions');
		const values = (mentions?.options as INodePropertyCollection[])[0]?.values ?? [];
		expect(values.find((v) => v.name === 'contact')).toMatchObject({
			required: true,
			displayOptions: { show: { type: ['contact'] } },
		});
	});

	it('Get Many: version 2 asks for the day as YYYY-MM-DD in its own field, with a hint about today', () => {
		const on = { resource: 'message', operation: 'getAll' };
		const date = shownProperty(2, on, 'date');
		expect(date).toMatchObject({ type: 'string', placeholder: 'YYYY-MM-DD', default: '' });
		expect(date?.hint).toMatch(/today's messages only \(Zoom's default\)/);
		const filters = shownProperty(2, on, 'filters');
		expect((filters?.options as INodeProperties[]).map((o) => o.name)).not.toContain('date');
		// Version 1 as released: Date is a date-time picker among the filters.
		expect(shownProperty(1, on, 'date')).toBeUndefined();
		const v1Filters = shownProperty(1, on, 'filters');
		expect((v1Filters?.options as INodeProperties[]).find((o) => o.name === 'date')?.type).toBe('dateTime');
	});
});

describe('toZoomDay', () => {
	it('takes the day as written: typed, from the date picker, or an ISO time with its offset', () => {
		const ctx = contextWith();
		expect(toZoomDay.call(ctx, 'Date', '2025-03-31', 0)).toBe('2025-03-31');
		expect(toZoomDay.call(ctx, 'Date', ' 2025-03-31 ', 0)).toBe('2025-03-31');
		expect(toZoomDay.call(ctx, 'Date', '2025-03-31T00:00:00', 0)).toBe('2025-03-31');
		// Through a Date (as before) this was 2025-04-01, the UTC day.
		expect(toZoomDay.call(ctx, 'Date', '2025-03-31T23:30:00-05:00', 0)).toBe('2025-03-31');
	});

	it("reads a Luxon DateTime in its zone and a JavaScript Date in the workflow's timezone", () => {
		expect(toZoomDay.call(contextWith(), 'Date', { toISODate: () => '2025-01-02' }, 0)).toBe('2025-01-02');
		const lateUtc = new Date('2025-03-31T23:30:00Z');
		expect(toZoomDay.call(contextWith('UTC'), 'Date', lateUtc, 0)).toBe('2025-03-31');
		expect(toZoomDay.call(contextWith('Europe/Berlin'), 'Date', lateUtc, 0)).toBe('2025-04-01');
		expect(toZoomDay.call(contextWith('America/New_York'), 'Date', lateUtc, 0)).toBe('2025-03-31');
	});

	it.each(['31.03.2025', '2025-3-31', '2025-02-30', 'yesterday', '', 42, {}, null])(
		'refuses %j naming the field and the format',
		(value) => {
			const error = thrown(() => toZoomDay.call(contextWith(), 'Date', value, 1));
			expect(error?.message).toBe('The parameter "Date" must be a day written as YYYY-MM-DD');
			expect(error?.description).toMatch(/like 2025-03-31/);
			expect(error?.context.itemIndex).toBe(1);
		},
	);
});

describe('checkMessageHistory', () => {
	const now = Date.parse('2025-07-01T12:00:00Z');

	it('lets through the last 6 months, a day or a time', () => {
		const ctx = contextWith();
		expect(() => checkMessageHistory.call(ctx, 'Date', '2025-06-30', 0, now)).not.toThrow();
		expect(() => checkMessageHistory.call(ctx, 'Date', '2024-12-31', 0, now)).not.toThrow();
		expect(() =>
			checkMessageHistory.call(ctx, 'From', new Date(now - MESSAGE_HISTORY_DAYS * DAY).toISOString(), 0, now),
		).not.toThrow();
	});

	it('refuses an older day before calling Zoom, naming the field and the first day Zoom still has', () => {
		expect(thrown(() => checkMessageHistory.call(contextWith(), 'Date', '2024-12-30', 0, now))?.message).toMatch(
			/6 months/,
		);
		const error = thrown(() => checkMessageHistory.call(contextWith(), 'Date', '2024-12-01', 2, now));
		expect(error?.message).toBe('The parameter "Date" is more than 6 months ago (2024-12-01)');
		expect(error?.description).toBe('Zoom lists chat messages of the last 6 months only: choose 2024-12-31 or later.');
		expect(error?.context.itemIndex).toBe(2);
		expect(
			thrown(() => checkMessageHistory.call(contextWith(), 'From', '2024-12-01T10:00:00Z', 0, now))?.message,
		).toMatch(/^The parameter "From" is more than 6 months ago/);
	});
});

describe('Get Many messages by day (simulator)', () => {
	let sim: Simulator;
	let offset = 0;
	let contact: string;
	const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

	beforeAll(async () => {
		sim = await startTestSimulator({ now: () => Date.now() + offset });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(async () => {
		offset = 0;
		await sim.reset();
		const users = await sim.admin.users();
		const owner = users.find((u) => u.role === 'owner');
		const colleague = users.find((u) => u.id !== owner?.id && !u.external);
		if (!owner || !colleague) throw new Error('fixture: no owner and colleague');
		contact = colleague.email;
		// Yesterday (by the simulator's clock), a direct message the node's user received.
		offset = -DAY;
		await sim.admin.postMessage({ as: colleague.email, to: owner.email, text: 'from yesterday' });
		offset = 0;
	});

	const getMany = (extra: IDataObject) => ({
		resource: 'message',
		operation: 'getAll',
		target: 'contact',
		contactId: byEmail(contact),
		returnAll: true,
		filters: {},
		simplify: true,
		...extra,
	});

	it('version 2: a Date returns that day; none returns today and says why it is empty', async () => {
		const yesterday = await runNode(sim, getMany({ date: day(Date.now() - DAY) }), { typeVersion: 2 });
		expect(yesterday.json.map((m) => m.message)).toContain('from yesterday');
		expect(yesterday.hints).toEqual([]);

		// Two days on, "today" (Zoom's default) is a day without messages in this chat.
		offset = 2 * DAY;
		const today = await runNode(sim, getMany({}), { typeVersion: 2 });
		expect(today.json).toEqual([]);
		expect(today.hints).toEqual([
			expect.objectContaining({
				location: 'outputPane',
				message: expect.stringMatching(/only today's messages.*"Date"/),
			}),
		]);
	});

	it('version 1 reads Filters → Date from the date picker as the day written', async () => {
		const { json } = await runNode(sim, getMany({ filters: { date: `${day(Date.now() - DAY)}T00:00:00` } }), {
			typeVersion: 1,
		});
		expect(json.map((m) => m.message)).toContain('from yesterday');
	});

	it('refuses a day older than 6 months before calling Zoom', async () => {
		const old = day(Date.now() - 200 * DAY);
		const log: RecordedRequest[] = [];
		const error = await runNode(sim, getMany({ date: old }), { typeVersion: 2, log }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(`The parameter "Date" is more than 6 months ago (${old})`);
		expect(log).toEqual([]);
		const v1 = await runNode(sim, getMany({ filters: { date: old } }), { typeVersion: 1 }).catch((e: unknown) => e);
		expect((v1 as Error).message).toMatch(/^The parameter "Filters → Date" is more than 6 months ago/);
	});

	it('refuses To before From', async () => {
		const error = await runNode(
			sim,
			getMany({
				filters: { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() - 2 * DAY).toISOString() },
			}),
			{ typeVersion: 2 },
		).catch((e: unknown) => e);
		expect((error as Error).message).toBe('The parameter "To" is before "From"');
	});

	it('a channel works the same way', async () => {
		const channel = (await sim.admin.channels()).find((c) => !c.archived);
		if (!channel) throw new Error('fixture: no channel');
		const { json } = await runNode(
			sim,
			getMany({ target: 'channel', channelId: byId(channel.id), date: day(Date.now()) }),
			{ typeVersion: 2 },
		);
		expect(Array.isArray(json)).toBe(true);
	});
});
