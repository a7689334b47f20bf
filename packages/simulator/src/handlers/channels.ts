/** Channels: create, list, get, update, delete, archive, members, admins, search, retention. */
import type { Call, Handler } from '../http/api-server';
import { ZoomError, channelNotFound } from '../http/errors';
import type { Channel, User } from '../state/types';
import { actorFor, channelJson, channelUrl, commaList, isoSeconds, memberJson, pageSize } from './common';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function channelOf(call: Call, opts: { member?: boolean } = {}): { actor: User; channel: Channel } {
  const actor = actorFor(call, call.path['userId']);
  const channel = call.sim.chat.channelFor(actor, call.path['channelId'] as string, opts);
  return { actor, channel };
}

function listChannels(call: Call, channels: Channel[], scope: string) {
  const size = pageSize(call);
  const page = call.sim.store.page(channels, scope, size, str(call.query['next_page_token']));
  return {
    body: {
      channels: page.items.map((c) => channelJson(c)),
      page_size: size,
      next_page_token: page.next_page_token,
      total_records: page.total,
    },
  };
}

const getChannels: Handler = (call) => {
  const actor = actorFor(call, call.path['userId']);
  const mine = [...call.sim.store.channels.values()].filter((c) => c.members.has(actor.id));
  return listChannels(call, mine, `channels:${actor.id}`);
};

const getAccountChannels: Handler = (call) => {
  actorFor(call, 'me');
  return listChannels(call, [...call.sim.store.channels.values()], 'channels:account');
};

const createChannel: Handler = (call) => {
  const owner = actorFor(call, call.path['userId']);
  const b = call.body;
  const space = b['shared_space'] as { space_id?: string } | undefined;
  if (space)
    throw new ZoomError(
      404,
      5407,
      `Shared space does not exist: ${space.space_id ?? ''}. The simulator does not model shared spaces.`,
    );
  const members = (b['members'] as Array<{ email: string }> | undefined) ?? [];
  if (members.length > 20) throw new ZoomError(400, 300, 'You can add a maximum of 20 members to the channel at once.');
  const channel = call.sim.chat.createChannel(owner, {
    name: str(b['name']),
    type: b['type'] as number | undefined,
    memberRefs: members.map((m) => m.email),
    settings: b['channel_settings'] as Record<string, never> | undefined,
  });
  return {
    body: {
      id: channel.id,
      jid: channel.jid,
      name: channel.name,
      type: Math.min(channel.type, 4),
      channel_url: channelUrl(channel),
    },
  };
};

const getChannel: Handler = (call) => ({ body: channelJson(channelOf(call).channel, { designated: true }) });

const updateChannel: Handler = (call) => {
  const { actor, channel } = channelOf(call);
  const b = call.body;
  call.sim.chat.updateChannel(actor, channel, {
    name: str(b['name']),
    type: b['type'] as number | undefined,
    settings: b['channel_settings'] as Record<string, never> | undefined,
  });
  return {};
};

const deleteChannel: Handler = (call) => {
  const { actor, channel } = channelOf(call);
  call.sim.chat.deleteChannel(actor, channel);
  return {};
};

const batchDeleteChannelsAccountLevel: Handler = (call) => {
  const actor = actorFor(call, call.path['userId']);
  const ids = commaList(call.query['channel_ids']);
  if (ids.length === 0)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'channel_ids', message: 'Required field is missing.' }],
    });
  const channels = ids.map((id) => {
    const c = call.sim.store.findChannel(id);
    if (!c) throw channelNotFound(id);
    return c;
  });
  for (const c of channels) call.sim.chat.deleteChannel(actor, c);
  return {};
};

const PerformOperationsOnChannels: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const archive = call.body['method'] === 'archive';
  const failed: Array<Record<string, string>> = [];
  for (const id of call.body['channel_ids'] as string[]) {
    const c = call.sim.store.findChannel(id);
    if (!c) {
      failed.push({ channel_id: id, reason: `Channel does not exist: ${id}.`, error_code: '4130' });
      continue;
    }
    try {
      call.sim.chat.setArchived(actor, c, archive);
    } catch (err) {
      if (!(err instanceof ZoomError)) throw err;
      failed.push({ channel_id: id, reason: err.message, error_code: String(err.code) });
    }
  }
  return { body: { failed_channels: failed } };
};

function membersList(call: Call, channel: Channel, filter?: (role: string) => boolean) {
  const { store } = call.sim;
  const members = [...channel.members.values()].filter((m) => !filter || filter(m.role)).sort((a, b) => a.seq - b.seq);
  const size = pageSize(call);
  const page = store.page(
    members,
    `members:${channel.id}:${filter ? 'admins' : 'all'}`,
    size,
    str(call.query['next_page_token']),
  );
  const items = page.items.map((m) => {
    const u = store.users.get(m.userId);
    return u ? memberJson(u, m.role) : undefined;
  });
  return { items: items.filter((x) => x !== undefined), page };
}

const listChannelMembers: Handler = (call) => {
  const { channel } = channelOf(call);
  const { items, page } = membersList(call, channel);
  return {
    body: {
      members: items,
      page_size: pageSize(call),
      next_page_token: page.next_page_token,
      total_records: page.total,
    },
  };
};

const listChannelAdministrators: Handler = (call) => {
  const { channel } = channelOf(call);
  const { items, page } = membersList(call, channel, (r) => r === 'admin' || r === 'owner');
  return { body: { admins: items, page_size: pageSize(call), next_page_token: page.next_page_token } };
};

function added(call: Call, users: User[]) {
  return {
    added_at: isoSeconds(call.sim.store.now()),
    ids: users.map((u) => u.id).join(','),
    member_ids: users.map((u) => u.member_id).join(','),
  };
}

const inviteChannelMembers: Handler = (call) => {
  const { actor, channel } = channelOf(call, { member: true });
  const members = (call.body['members'] as Array<{ email: string }> | undefined) ?? [];
  if (members.length === 0)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'members', message: 'At least one member is required.' }],
    });
  const users = call.sim.chat.invite(
    actor,
    channel,
    members.map((m) => m.email),
  );
  return { body: added(call, users) };
};

const removeMembers =
  (refs: (call: Call) => string[]): Handler =>
  (call) => {
    const { actor, channel } = channelOf(call, { member: true });
    const list = refs(call);
    if (list.length === 0)
      throw new ZoomError(400, 300, 'Validation Failed.', {
        errors: [{ field: 'identifiers', message: 'At least one member is required.' }],
      });
    call.sim.chat.removeMembers(actor, channel, list);
    return {};
  };

const joinChannel: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const channel = call.sim.store.findChannel(call.path['channelId'] as string);
  if (!channel) throw channelNotFound(call.path['channelId'] as string);
  call.sim.chat.join(actor, channel);
  return {
    body: {
      added_at: isoSeconds(channel.members.get(actor.id)?.joinedAt ?? call.sim.store.now()),
      id: actor.id,
      member_id: actor.member_id,
    },
  };
};

const leaveChannel: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const channel = call.sim.store.findChannel(call.path['channelId'] as string);
  if (!channel) throw channelNotFound(call.path['channelId'] as string);
  call.sim.chat.leave(actor, channel);
  return {};
};

const promoteChannelMembersAsAdmin: Handler = (call) => {
  const { actor, channel } = channelOf(call, { member: true });
  const admins = (call.body['admins'] as Array<{ email?: string; member_id?: string }> | undefined) ?? [];
  if (admins.length === 0)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'admins', message: 'At least one member is required.' }],
    });
  const users = call.sim.chat.setRole(
    actor,
    channel,
    admins.map((a) => a.email ?? a.member_id ?? ''),
    'admin',
  );
  return { body: added(call, users) };
};

const batchDemoteChannelAdministrators: Handler = (call) => {
  const { actor, channel } = channelOf(call, { member: true });
  const refs = [...commaList(call.query['admin_ids']), ...commaList(call.query['user_ids'])];
  call.sim.chat.setRole(actor, channel, refs, 'member');
  return {};
};

const searchChannels: Handler = (call) => {
  const b = call.body;
  const actor = actorFor(call, str(b['user_id']) ?? 'me');
  const needle = b['needle'] as { search_type: string; keywords?: string[]; channel_name?: string };
  const haystack = b['haystack'] as string;
  const includeArchived = b['include_archived'] === true;
  const matches = [...call.sim.store.channels.values()].filter((c) => {
    if (c.archived && !includeArchived) return false;
    if (haystack === 'user_joined' && !c.members.has(actor.id)) return false;
    if (haystack === 'public' && c.type !== 3) return false;
    if (haystack === 'all' && c.type !== 3 && !c.members.has(actor.id)) return false;
    const name = c.name.toLowerCase();
    if (needle.search_type === 'by_channel_name_exact_match') return name === (needle.channel_name ?? '').toLowerCase();
    return (needle.keywords ?? []).some((k) => name.includes(k.toLowerCase()));
  });
  const size = typeof b['page_size'] === 'number' ? b['page_size'] : 10;
  const page = call.sim.store.page(
    matches,
    `search:${JSON.stringify([actor.id, needle, haystack, includeArchived])}`,
    size,
    str(b['next_page_token']),
  );
  return {
    body: {
      channels: page.items.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        channel_url: channelUrl(c),
        member_count: c.members.size,
      })),
      page_size: size,
      next_page_token: page.next_page_token,
    },
  };
};

const getChannelRetention: Handler = (call) => {
  const { channel } = channelOf(call);
  return { body: { channel_id: channel.id, cloud_retention: { ...channel.retention } } };
};

const updateChannelRetention: Handler = (call) => {
  const { actor, channel } = channelOf(call);
  if (!call.sim.chat.isChannelAdmin(actor, channel))
    throw new ZoomError(403, 200, 'Unauthorized request. You do not have permission to update this channel.');
  const r = call.body['cloud_retention'] as { enable_custom_retention: boolean; retention_period?: string };
  channel.retention = {
    enable_custom_retention: r.enable_custom_retention,
    retention_period: r.retention_period ?? channel.retention.retention_period,
  };
  return {};
};

export const channelHandlers: Record<string, Handler> = {
  getChannels,
  getAccountChannels,
  createChannel,
  getChannel,
  getUserLevelChannel: getChannel,
  updateChannel,
  updateUserLevelChannel: updateChannel,
  deleteChannel,
  deleteUserLevelChannel: deleteChannel,
  batchDeleteChannelsAccountLevel,
  PerformOperationsOnChannels,
  listChannelMembers,
  listUserLevelChannelMembers: listChannelMembers,
  listChannelAdministrators,
  inviteChannelMembers,
  InviteUserLevelChannelMembers: inviteChannelMembers,
  batchRemoveUserChannelMembers: removeMembers((c) => commaList(c.query['identifiers'])),
  batchRemoveChannelMembers: removeMembers((c) => [
    ...commaList(c.query['member_ids']),
    ...commaList(c.query['user_ids']),
  ]),
  removeAChannelMember: removeMembers((c) => [c.path['identifier'] as string]),
  removeAUserLevelChannelMember: removeMembers((c) => [c.path['identifier'] as string]),
  joinChannel,
  leaveChannel,
  promoteChannelMembersAsAdmin,
  batchDemoteChannelAdministrators,
  searchChannels,
  getChannelRetention,
  updateChannelRetention,
};
