import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { limitOf, optionalString, positiveInteger, requiredString } from '../nodes/ZoomTeamChat/helpers/parameters';
import { executeContext } from './helpers/contexts';
import { byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

/** An execution context holding just these parameters (no credentials: nothing is sent). */
const contextWith = (parameters: IDataObject) => executeContext({ parameters, credentials: {} });

/** The error a helper throws (undefined when it returns); anything but a NodeOperationError fails the test. */
function thrown(run: () => unknown): NodeOperationError | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
}

describe('requiredString / optionalString', () => {
	it('trims text and takes a number as its digits', () => {
		expect(requiredString.call(contextWith({ id: '  abc \n' }), 'id', 0, 'Message ID')).toBe('abc');
		expect(requiredString.call(contextWith({ id: 1982669439 }), 'id', 0, 'Message ID')).toBe('1982669439');
		expect(requiredString.call(contextWith({ id: 0 }), 'id', 0, 'Message ID')).toBe('0');
		expect(requiredString.call(contextWith({ text: ' hi ' }), 'text', 0, 'Text', { keepSpaces: true })).toBe(' hi ');
	});

	it.each([
		['missing', {}, /"Message ID" is empty/],
		['null', { id: null }, /"Message ID" is empty/],
		['empty', { id: '' }, /"Message ID" is empty/],
		['blank', { id: ' \t\n' }, /"Message ID" is empty/],
		['an object', { id: { a: 1 } }, /"Message ID" must be text, not an object/],
		['a list', { id: ['a'] }, /"Message ID" must be text, not a list/],
		['a boolean', { id: true }, /"Message ID" must be text, not a boolean/],
		['NaN', { id: Number.NaN }, /"Message ID" must be text, not a number that is not finite/],
	])('refuses %s naming the field, with the item index', (_, parameters, message) => {
		const error = thrown(() => requiredString.call(contextWith(parameters), 'id', 4, 'Message ID'));
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(4);
	});

	it('keeps blank text refused with keepSpaces', () => {
		expect(
			thrown(() => requiredString.call(contextWith({ t: '   ' }), 't', 0, 'Text', { keepSpaces: true }))?.message,
		).toMatch(/"Text" is empty/);
	});

	it('optionalString gives "" when unset and still refuses a wrong type', () => {
		expect(optionalString.call(contextWith({}), 'emoji', 0, 'Emoji')).toBe('');
		expect(optionalString.call(contextWith({ emoji: null }), 'emoji', 0, 'Emoji')).toBe('');
		expect(optionalString.call(contextWith({ emoji: ' 👍 ' }), 'emoji', 0, 'Emoji')).toBe('👍');
		expect(thrown(() => optionalString.call(contextWith({ emoji: false }), 'emoji', 0, 'Emoji'))?.message).toMatch(
			/"Emoji" must be text, not a boolean/,
		);
	});
});

describe('positiveInteger / limitOf', () => {
	it('takes whole numbers from 1 (up to a maximum), also as digits', () => {
		const ctx = contextWith({});
		expect(positiveInteger.call(ctx, 1, 'Limit', 0)).toBe(1);
		expect(positiveInteger.call(ctx, ' 25 ', 'Limit', 0)).toBe(25);
		expect(positiveInteger.call(ctx, 100, 'Limit', 0, 100)).toBe(100);
	});

	it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, '1.5', '2x', '', null, undefined, {}, [3]])(
		'refuses %s naming "Limit"',
		(value) => {
			const error = thrown(() => positiveInteger.call(contextWith({}), value, 'Limit', 2));
			expect(error?.message).toBe('The parameter "Limit" must be a whole number of at least 1');
			expect(error?.context.itemIndex).toBe(2);
		},
	);

	it('names the range when there is a maximum', () => {
		expect(thrown(() => positiveInteger.call(contextWith({}), 101, 'Limit', 0, 100))?.message).toBe(
			'The parameter "Limit" must be a whole number from 1 to 100',
		);
	});

	it('Return All wins over Limit; "true"/"false" from an expression are understood, other values refused', () => {
		expect(limitOf.call(contextWith({ returnAll: true, limit: 0 }), 0)).toBeUndefined();
		expect(limitOf.call(contextWith({ returnAll: 'TRUE', limit: 0 }), 0)).toBeUndefined();
		expect(limitOf.call(contextWith({ returnAll: 'false', limit: 7 }), 0)).toBe(7);
		expect(limitOf.call(contextWith({ returnAll: false, limit: '3' }), 0)).toBe(3);
		expect(thrown(() => limitOf.call(contextWith({ returnAll: false, limit: 0 }), 0))?.message).toMatch(/"Limit"/);
		expect(thrown(() => limitOf.call(contextWith({ returnAll: false }), 0))?.message).toMatch(/"Limit"/);
		expect(thrown(() => limitOf.call(contextWith({ returnAll: 'yes', limit: 5 }), 0))?.message).toBe(
			'The parameter "Return All" must be true or false',
		);
	});
});

describe('the node refuses bad parameters before calling Zoom (simulator)', () => {
	let sim: Simulator;
	let channelId: string;
	let messageId: string;
	let contactEmail: string;

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
		const colleague = (await sim.admin.users()).find((u) => u.id !== owner?.id && !u.external);
		if (!channel || !owner || !colleague) throw new Error('fixture: no channel with the owner');
		channelId = channel.id;
		contactEmail = colleague.email;
		messageId = (await sim.admin.postMessage({ as: colleague.email, channel: channelId, text: 'fixture' })).id;
	});

	const inChannel = () => ({ target: 'channel', channelId: byId(channelId) });
	const chatbot = {
		authentication: 'chatbot',
		resource: 'chatbotMessage',
		contentType: 'text',
		text: 'hi',
		options: {},
	};
	const jids = () => ({ toJid: `${channelId}@conference.xmpp.zoom.us`, userJid: 'user@xmpp.zoom.us' });

	/** Each string parameter the operations read, the label the error must name, and valid other parameters. */
	const cases: Array<[string, string, string, () => IDataObject]> = [
		['message get', 'messageId', 'Message ID', () => ({ resource: 'message', operation: 'get', ...inChannel() })],
		['message delete', 'messageId', 'Message ID', () => ({ resource: 'message', operation: 'delete', ...inChannel() })],
		[
			'message update (ID)',
			'messageId',
			'Message ID',
			() => ({ resource: 'message', operation: 'update', ...inChannel(), message: 'x', updateFields: {} }),
		],
		[
			'message update (text)',
			'message',
			'Message',
			() => ({ resource: 'message', operation: 'update', ...inChannel(), messageId, updateFields: {} }),
		],
		[
			'message getThread',
			'messageId',
			'Message ID',
			() => ({ resource: 'message', operation: 'getThread', ...inChannel(), options: {} }),
		],
		[
			'message react (ID)',
			'messageId',
			'Message ID',
			() => ({ resource: 'message', operation: 'react', ...inChannel(), action: 'add', emoji: '👍' }),
		],
		[
			'message react (emoji)',
			'emoji',
			'Emoji',
			() => ({ resource: 'message', operation: 'react', ...inChannel(), messageId, action: 'add' }),
		],
		[
			'message react (custom emoji)',
			'customEmojiId',
			'Custom Emoji ID',
			() => ({ resource: 'message', operation: 'react', ...inChannel(), messageId, action: 'add', emoji: '' }),
		],
		['file get', 'fileId', 'File ID', () => ({ resource: 'file', operation: 'get' })],
		['file delete', 'fileId', 'File ID', () => ({ resource: 'file', operation: 'delete' })],
		[
			'member remove',
			'member',
			'Member',
			() => ({ resource: 'member', operation: 'remove', channelId: byId(channelId) }),
		],
		[
			'contact search',
			'searchKey',
			'Search Text',
			() => ({ resource: 'contact', operation: 'search', returnAll: true, options: {} }),
		],
		[
			'channel create',
			'name',
			'Name',
			() => ({ resource: 'channel', operation: 'create', type: 1, additionalFields: {} }),
		],
		['chatbot delete', 'messageId', 'Message ID', () => ({ ...chatbot, operation: 'delete' })],
		['chatbot edit', 'messageId', 'Message ID', () => ({ ...chatbot, operation: 'edit' })],
		['chatbot send (to)', 'toJid', 'To JID', () => ({ ...chatbot, operation: 'send', ...jids(), toJid: undefined })],
		[
			'chatbot send (user)',
			'userJid',
			'User JID',
			() => ({ ...chatbot, operation: 'send', ...jids(), userJid: undefined }),
		],
		['chatbot send (text)', 'text', 'Text', () => ({ ...chatbot, operation: 'send', ...jids(), text: undefined })],
		['chatbot send (header)', 'headText', 'Header', () => ({ ...chatbot, operation: 'send', ...jids() })],
	];

	it.each(cases)(
		'%s: a null, object or boolean "%s" is an error naming "%s", and nothing reaches Zoom',
		async (_, name, label, base) => {
			// The optional fields (emoji, header) accept null as "unset": only wrong types fail there.
			const optional = name === 'emoji' || name === 'customEmojiId' || name === 'headText';
			const bad: unknown[] = optional ? [{ id: 1 }, true] : [null, { id: 1 }, true, '  '];
			const items = bad.map(() => ({ json: {} }));
			const { json, requests } = await runNode(sim, (i) => ({ ...base(), [name]: bad[i] }) as IDataObject, {
				items,
				continueOnFail: true,
			});
			expect(json).toHaveLength(bad.length);
			for (const item of json) expect(String(item.error)).toContain(`"${label}"`);
			expect(requests.filter((r) => !/oauth/.test(r.url))).toEqual([]);
		},
	);

	it('a bad item fails alone: the good ones in the same batch go through, a numeric ID is sent as text', async () => {
		const ids: unknown[] = [messageId, null, 1982669439, { id: messageId }];
		const { json } = await runNode(
			sim,
			(i) =>
				({ resource: 'message', operation: 'get', ...inChannel(), messageId: ids[i], simplify: true }) as IDataObject,
			{ items: ids.map(() => ({ json: {} })), continueOnFail: true },
		);
		expect(json[0]).toMatchObject({ id: messageId });
		expect(json[1]?.error).toBe('The parameter "Message ID" is empty');
		expect(String(json[2]?.error)).toMatch(/Message does not exist: 1982669439/);
		expect(json[3]?.error).toBe('The parameter "Message ID" must be text, not an object');
	});

	it('a channel or contact that is not text is refused naming the field (it used to reach Zoom as "[object Object]")', async () => {
		const { json } = await runNode(
			sim,
			(i) => ({
				resource: 'message',
				operation: 'send',
				...(i === 0
					? { target: 'channel', channelId: byId({ id: 1 } as unknown as string) }
					: { target: 'contact', contactId: { __rl: true, mode: 'email', value: false } }),
				message: 'hi',
				additionalFields: {},
			}),
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(json.map((j) => j.error)).toEqual([
			'The parameter "Channel" must be text, not an object',
			'The parameter "Contact" must be text, not a boolean',
		]);
	});

	describe('message → send text', () => {
		const send = (message: unknown, additionalFields: IDataObject = {}): IDataObject => ({
			resource: 'message',
			operation: 'send',
			...inChannel(),
			message: message as IDataObject[string],
			additionalFields,
		});

		it.each([[''], ['   '], ['\n\t '], [null], [undefined]])(
			'refuses %j as the text, naming "Message"; nothing is posted',
			async (text) => {
				const before = (await sim.admin.channelMessages(channelId)).length;
				const { json } = await runNode(sim, send(text), { continueOnFail: true });
				expect(json[0]?.error).toBe('The parameter "Message" is empty: write the text to send');
				expect((await sim.admin.channelMessages(channelId)).length).toBe(before);
			},
		);

		it('refuses blank text even with files or a thread reply (Zoom requires the text)', async () => {
			const { json } = await runNode(sim, send(' ', { fileIds: 'abc', replyMainMessageId: messageId }), {
				continueOnFail: true,
			});
			expect(json[0]?.error).toMatch(/"Message" is empty/);
		});

		it('sends a mention-only message (the mention becomes the text) and a number as its digits', async () => {
			const mention = await runNode(
				sim,
				send('', { mentions: { mention: [{ type: 'contact', contact: contactEmail, name: 'Casey' }] } }),
			);
			expect(mention.json[0]?.message).toBe('@Casey');
			const number = await runNode(sim, send(42));
			expect((await sim.admin.message(String(number.json[0]?.id))).text).toBe('42');
		});
	});

	describe('Limit from an expression', () => {
		const bad = [0, 1.5, true, -3, 'ten'];

		it.each([
			[
				'message getAll',
				() => ({ resource: 'message', operation: 'getAll', ...inChannel(), filters: {}, simplify: true }),
			],
			['channel getAll', () => ({ resource: 'channel', operation: 'getAll', simplify: true })],
			[
				'member getAll',
				() => ({ resource: 'member', operation: 'getAll', channelId: byId(channelId), simplify: true }),
			],
			['contact getAll', () => ({ resource: 'contact', operation: 'getAll', type: 'company', simplify: true })],
			[
				'contact search',
				() => ({ resource: 'contact', operation: 'search', searchKey: 'a', options: {}, simplify: true }),
			],
		])('%s: 0, 1.5, true, -3 or "ten" fail the item naming "Limit"; a valid limit caps the output', async (_, base) => {
			const { json, requests } = await runNode(sim, (i) => ({ ...base(), returnAll: false, limit: bad[i] }), {
				items: bad.map(() => ({ json: {} })),
				continueOnFail: true,
			});
			expect(json.map((j) => j.error)).toEqual(
				bad.map(() => 'The parameter "Limit" must be a whole number of at least 1'),
			);
			expect(requests.filter((r) => !/oauth/.test(r.url))).toEqual([]);

			const good = await runNode(sim, { ...base(), returnAll: false, limit: 1 });
			expect(good.json.length).toBeLessThanOrEqual(1);
			for (const item of good.json) expect(item.error).toBeUndefined();
		});

		it('message getThread: Limit must be from 1 to 100', async () => {
			const limits = [0, 101, 2.5];
			const { json } = await runNode(
				sim,
				(i) => ({
					resource: 'message',
					operation: 'getThread',
					...inChannel(),
					messageId,
					limit: limits[i],
					options: {},
				}),
				{ items: limits.map(() => ({ json: {} })), continueOnFail: true },
			);
			expect(json.map((j) => j.error)).toEqual(
				limits.map(() => 'The parameter "Limit" must be a whole number from 1 to 100'),
			);
		});

		it('API call: a Limit that is not a whole number ≥ 1 fails naming "Limit"', async () => {
			const { json } = await runNode(
				sim,
				{
					resource: 'apiCall',
					operation: 'call',
					operationId: 'getChannels',
					pathParameters: { userId: 'me' },
					queryParameters: {},
					body: {},
					options: { limit: 1.5 },
				},
				{ continueOnFail: true },
			);
			expect(json[0]?.error).toBe('The parameter "Limit" must be a whole number of at least 1');
		});
	});
});
