/**
 * Message → Send with Options → Schedule At: the time is read in the workflow's timezone, checked
 * against Zoom's window (more than 30 minutes ahead, within 180 days) before anything is sent, and
 * the simulator holds the draft until its time, then posts it once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { instantOf, scheduledTimeOf } from '../nodes/ZoomTeamChat/actions/message/schedule';
import { testNode } from './helpers/contexts';
import type { RecordedRequest } from './helpers/http';
import { byId, runNode } from './helpers/run';
import { startTestSimulator } from './helpers/simulator';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.UTC(2030, 5, 1, 8, 0, 0); // 2030-06-01 08:00 UTC

const isSend = (r: RecordedRequest) => r.method === 'POST' && /\/chat\/users\/[^/?]+\/messages(\?|$)/.test(r.url);

const context = (timeZone = 'UTC') =>
	({ getTimezone: () => timeZone, getNode: () => testNode }) as unknown as IExecuteFunctions;
const schedule = (value: unknown, timeZone = 'UTC', now = NOW) =>
	scheduledTimeOf.call(context(timeZone), value, 0, now);

describe('Schedule At: reading the time', () => {
	it("reads a time without an offset (n8n's date picker) in the workflow's timezone, DST included", () => {
		expect(schedule('2030-06-01T12:30:00', 'Europe/Berlin')).toBe('2030-06-01T10:30:00Z'); // summer, +2
		expect(schedule('2030-11-01T12:30:00', 'Europe/Berlin')).toBe('2030-11-01T11:30:00Z'); // winter, +1
		expect(schedule('2030-06-01T12:30', 'America/New_York')).toBe('2030-06-01T16:30:00Z');
		expect(schedule('2030-06-01 09:15:07', 'UTC')).toBe('2030-06-01T09:15:07Z');
	});

	it('keeps an explicit offset, and takes Dates, epoch milliseconds and Luxon DateTimes ($now.plus)', () => {
		expect(schedule('2030-06-01T12:30:00+02:00', 'America/New_York')).toBe('2030-06-01T10:30:00Z');
		expect(schedule('2030-06-01T09:00:00.999Z')).toBe('2030-06-01T09:00:00Z');
		expect(schedule(new Date(NOW + 2 * 60 * MINUTE))).toBe('2030-06-01T10:00:00Z');
		expect(schedule(NOW + 3 * 60 * MINUTE)).toBe('2030-06-01T11:00:00Z');
		expect(schedule(String(NOW + 3 * 60 * MINUTE))).toBe('2030-06-01T11:00:00Z');
		expect(schedule({ toMillis: () => NOW + 45 * MINUTE })).toBe('2030-06-01T08:45:00Z');
	});

	it('refuses what is not a date and time, naming the field', () => {
		for (const value of ['tomorrow', 'June 1', {}, true, '2030-13-45T99:00']) {
			expect(() => schedule(value)).toThrow(NodeOperationError);
			expect(() => schedule(value)).toThrow(/"Schedule At" is not a date and time/);
		}
		expect(Number.isNaN(instantOf('2030-06-01', 'UTC'))).toBe(true);
	});
});

describe("Schedule At: Zoom's window", () => {
	it('takes a time just over 30 minutes ahead and just under 180 days ahead', () => {
		expect(schedule(NOW + 30 * MINUTE + 1000)).toBe('2030-06-01T08:30:01Z');
		expect(schedule(NOW + 180 * DAY - 1000)).toBe('2030-11-28T07:59:59Z');
	});

	it('refuses 30 minutes or less, the past and 180 days or more, saying how far off the time is', () => {
		const cases: Array<[number, RegExp]> = [
			[NOW + 30 * MINUTE, /30 minutes from now/],
			// Zoom gets whole seconds: 30 min 0.9 s is sent as 30 min, which Zoom refuses.
			[NOW + 30 * MINUTE + 900, /30 minutes from now/],
			[NOW - 5 * MINUTE, /5 minutes ago/],
			[NOW + 180 * DAY, /180 days ahead/],
			[NOW + 400 * DAY, /400 days ahead/],
		];
		for (const [at, detail] of cases) {
			let error: NodeOperationError | undefined;
			try {
				schedule(at);
			} catch (e) {
				error = e as NodeOperationError;
			}
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error?.message).toBe(
				'The parameter "Schedule At" must be more than 30 minutes from now and within 180 days',
			);
			expect(error?.description).toMatch(detail);
		}
	});
});

describe('Message → Send with Schedule At, against the simulator', () => {
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
			(c) => !c.archived && c.members.some((m) => m.userId === owner?.id),
		);
		channelId = String(channel?.id);
	});

	const send = (scheduledTime: unknown, log: RecordedRequest[] = [], message = 'Stand-up **now**') =>
		runNode(
			sim,
			{
				resource: 'message',
				operation: 'send',
				target: 'channel',
				channelId: byId(channelId),
				message,
				additionalFields: { scheduledTime },
			},
			{ typeVersion: 2, timezone: 'Europe/Berlin', log },
		);

	it('sends scheduled_time, says the message is scheduled, and the simulator posts it once at its time', async () => {
		const at = new Date(Date.now() + 3 * 60 * MINUTE);
		const { json, requests } = await send(at.toISOString());
		const want = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
		expect(requests.filter(isSend)).toHaveLength(1);
		expect(json[0]).toMatchObject({ scheduled: true, scheduled_time: want, message: 'Stand-up now' });
		expect(json[0]?.draft_id).toBe(json[0]?.id);

		const held = (await sim.admin.scheduledMessages()).filter((d) => d.draftId === json[0]?.id);
		expect(held).toMatchObject([{ state: 'scheduled', scheduledTime: at.toISOString().replace(/\.\d{3}Z$/, '.000Z') }]);
		expect((await sim.admin.channelMessages(channelId)).some((m) => m.text === 'Stand-up now')).toBe(false);

		await sim.admin.runScheduled({ draftId: String(json[0]?.id) });
		const posted = (await sim.admin.channelMessages(channelId)).filter((m) => m.text === 'Stand-up now');
		expect(posted).toHaveLength(1);
		// Markdown was read when scheduling: the draft carries the bold as rich_text.
		expect(posted[0]).toMatchObject({ richText: [expect.objectContaining({ format_type: 'Bold' })] });
		await expect(sim.admin.runScheduled({ draftId: String(json[0]?.id) })).rejects.toThrow(/sent already/);
	});

	it('reads a picked time in the workflow timezone', async () => {
		// Two days ahead at 10:00 in Berlin (summer or winter), written as the date picker does.
		const day = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
		const { json } = await send(`${day}T10:00:00`);
		const utcHour = new Date(String(json[0]?.scheduled_time)).getUTCHours();
		expect([8, 9]).toContain(utcHour);
	});

	it('refuses a time 10 minutes ahead before any request reaches Zoom', async () => {
		const log: RecordedRequest[] = [];
		const error = await send(new Date(Date.now() + 10 * MINUTE).toISOString(), log).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/"Schedule At" must be more than 30 minutes from now/);
		expect(log.filter(isSend)).toEqual([]);
		expect(await sim.admin.scheduledMessages()).toEqual([]);
	});

	it('sends at once when Schedule At is emptied', async () => {
		const { json } = await send('');
		expect(json[0]?.scheduled).toBeUndefined();
		expect((await sim.admin.channelMessages(channelId)).filter((m) => m.id === json[0]?.id)).toHaveLength(1);
	});
});
