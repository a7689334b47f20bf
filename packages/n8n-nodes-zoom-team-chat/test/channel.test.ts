import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';

import { channelIdFromUrl } from '../nodes/ZoomTeamChat/helpers/parameters';
import { byId, byUrl, runNode } from './helpers/run';
import { oauth2CredentialFor, startTestSimulator } from './helpers/simulator';

let sim: Simulator;
let emails: string[];

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	await sim.reset();
	emails = (await sim.admin.users()).filter((u) => u.role !== 'owner' && !u.external).map((u) => u.email);
});

describe('channel operations', () => {
	it('creates a channel with members and settings, then gets it by its link', async () => {
		const created = await runNode(sim, {
			resource: 'channel',
			operation: 'create',
			name: 'n8n launch',
			type: 3,
			additionalFields: { members: emails.slice(0, 2).join(', '), posting_permissions: 2 },
		});
		const id = String(created.json[0]?.id);
		const channel = await sim.admin.channel(id);
		expect(channel.name).toBe('n8n launch');
		expect(channel.type).toBe(3);
		expect(channel.settings.posting_permissions).toBe(2);
		expect(channel.members.map((m) => m.email)).toEqual(expect.arrayContaining(emails.slice(0, 2)));

		const url = String(created.json[0]?.channel_url);
		expect(channelIdFromUrl(url)).toBe(id);
		const got = await runNode(sim, { resource: 'channel', operation: 'get', channelId: byUrl(url) });
		expect(got.json[0]).toMatchObject({ id, name: 'n8n launch' });
	});

	it('rejects a link that is not a channel link', async () => {
		await expect(
			runNode(sim, {
				resource: 'channel',
				operation: 'get',
				channelId: byUrl('https://zoom.us/launch/chat/v2/bm90LWpzb24'),
			}),
		).rejects.toThrow(/not a Zoom channel link/);
	});

	it('lists channels up to the limit, simplified', async () => {
		const { json } = await runNode(sim, {
			resource: 'channel',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			simplify: true,
		});
		expect(json).toHaveLength(2);
		for (const c of json) expect(Object.keys(c).sort()).toEqual(expect.arrayContaining(['id', 'name']));
	});

	it('updates, archives, unarchives and deletes a channel', async () => {
		const created = await runNode(sim, {
			resource: 'channel',
			operation: 'create',
			name: 'tmp',
			type: 1,
			additionalFields: {},
		});
		const id = String(created.json[0]?.id);

		await runNode(sim, {
			resource: 'channel',
			operation: 'update',
			channelId: byId(id),
			updateFields: { name: 'renamed' },
		});
		expect((await sim.admin.channel(id)).name).toBe('renamed');

		const archived = await runNode(sim, { resource: 'channel', operation: 'archive', channelId: byId(id) });
		expect(archived.json[0]).toEqual({ id, archived: true });
		expect((await sim.admin.channel(id)).archived).toBe(true);
		await runNode(sim, { resource: 'channel', operation: 'unarchive', channelId: byId(id) });
		expect((await sim.admin.channel(id)).archived).toBe(false);

		const deleted = await runNode(sim, { resource: 'channel', operation: 'delete', channelId: byId(id) });
		expect(deleted.json[0]).toEqual({ id, deleted: true });
		await expect(sim.admin.channel(id)).rejects.toThrow(/no channel/);
	});

	it('refuses an update without fields', async () => {
		const created = await runNode(sim, {
			resource: 'channel',
			operation: 'create',
			name: 'tmp',
			type: 1,
			additionalFields: {},
		});
		await expect(
			runNode(sim, {
				resource: 'channel',
				operation: 'update',
				channelId: byId(String(created.json[0]?.id)),
				updateFields: {},
			}),
		).rejects.toThrow(/at least one field/);
	});

	it('joins and leaves a public channel as an OAuth2 user', async () => {
		const other = emails[0] as string;
		const [channel] = (await sim.admin.seed({ channels: [{ name: 'open house', type: 3, members: [other] }] }))
			.channels;
		const credentials = await oauth2CredentialFor(sim);
		const id = String(channel?.id);
		const joined = await runNode(
			sim,
			{ authentication: 'oAuth2', resource: 'channel', operation: 'join', channelId: byId(id) },
			{ credentials },
		);
		expect(joined.json[0]?.channel_id).toBe(id);
		const me = (await sim.admin.users()).find((u) => u.role === 'owner');
		expect((await sim.admin.channel(id)).members.map((m) => m.userId)).toContain(me?.id);

		const left = await runNode(
			sim,
			{ authentication: 'oAuth2', resource: 'channel', operation: 'leave', channelId: byId(id) },
			{ credentials },
		);
		expect(left.json[0]).toEqual({ id, left: true });
		expect((await sim.admin.channel(id)).members.map((m) => m.userId)).not.toContain(me?.id);
	});
});

describe('channel member operations', () => {
	it('invites in batches Zoom accepts (5 per call for user-level apps) and lists members', async () => {
		const seeded = await sim.admin.seed({
			users: Array.from({ length: 7 }, (_, n) => ({ email: `guest${n}@example.com` })),
		});
		const credentials = await oauth2CredentialFor(sim);
		const created = await runNode(
			sim,
			{
				authentication: 'oAuth2',
				resource: 'channel',
				operation: 'create',
				name: 'big',
				type: 1,
				additionalFields: {},
			},
			{ credentials },
		);
		const id = String(created.json[0]?.id);
		const invited = await runNode(
			sim,
			{
				authentication: 'oAuth2',
				resource: 'member',
				operation: 'invite',
				channelId: byId(id),
				emails: seeded.users.map((u) => u.email).join(','),
			},
			{ credentials },
		);
		const posts = invited.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/channels/${id}/members`));
		expect(posts).toHaveLength(2);
		expect(invited.json[0]?.invited).toHaveLength(7);

		const listed = await runNode(
			sim,
			{
				authentication: 'oAuth2',
				resource: 'member',
				operation: 'getAll',
				channelId: byId(id),
				returnAll: true,
				simplify: true,
			},
			{ credentials },
		);
		expect(listed.json.map((m) => m.email)).toEqual(expect.arrayContaining(seeded.users.map((u) => u.email)));
	});

	it('removes a member by email (account level for Server-to-Server)', async () => {
		const [first, second] = emails;
		const created = await runNode(sim, {
			resource: 'channel',
			operation: 'create',
			name: 'pair',
			type: 1,
			additionalFields: { members: `${first}, ${second}` },
		});
		const id = String(created.json[0]?.id);
		const removed = await runNode(sim, {
			resource: 'member',
			operation: 'remove',
			channelId: byId(id),
			member: String(first),
		});
		expect(removed.json[0]).toEqual({ channel_id: id, member: first, removed: true });
		expect((await sim.admin.channel(id)).members.map((m) => m.email)).not.toContain(first);
		expect(removed.requests.some((r) => r.url.includes('/chat/users/me/channels/'))).toBe(true);
	});
});
