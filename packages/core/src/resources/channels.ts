import type { Body, ListOptions, Query, ResourceContext, UserScoped } from './types';
import type { RequestOptions } from '../http/pipeline';

type Opts = UserScoped & RequestOptions;
/** `query`: further query parameters, e.g. a `next_page_token` to resume from. */
type PagedOptions = ListOptions & { query?: Query };

/**
 * Channels. With a `userId` the account-level operations act for that user (Server-to-Server apps);
 * without one, the user-level operations act for the token's own user.
 */
export function channels(ctx: ResourceContext) {
  const byUser = <T>(
    o: Opts | undefined,
    accountLevel: string,
    userLevel: string,
    channelId: string,
    rest: { body?: Body; query?: Query } = {},
  ) =>
    o?.userId
      ? ctx.call<T>(accountLevel, { path: { userId: o.userId, channelId }, ...rest }, o)
      : ctx.call<T>(userLevel, { path: { channelId }, ...rest }, o);
  const membersPath = (channelId: string, o?: UserScoped) =>
    o?.userId
      ? { op: 'listChannelMembers', path: { userId: o.userId, channelId } }
      : { op: 'listUserLevelChannelMembers', path: { channelId } };

  return {
    create: (body: Body, o?: Opts) => ctx.call('createChannel', { path: { userId: o?.userId ?? 'me' }, body }, o),
    list: (o?: PagedOptions) => ctx.collect('getChannels', { path: { userId: o?.userId ?? 'me' }, query: o?.query }, o),
    iterate: (o?: PagedOptions) =>
      ctx.paginate('getChannels', { path: { userId: o?.userId ?? 'me' }, query: o?.query }, o),
    /** One page as Zoom answers it (`channels`, `next_page_token`): for pickers that page on demand. */
    page: (o?: Opts & { query?: Query }) =>
      ctx.call('getChannels', { path: { userId: o?.userId ?? 'me' }, query: o?.query }, o),
    get: (channelId: string, o?: Opts) => byUser(o, 'getChannel', 'getUserLevelChannel', channelId),
    update: (channelId: string, body: Body, o?: Opts) =>
      byUser(o, 'updateChannel', 'updateUserLevelChannel', channelId, { body }),
    delete: (channelId: string, o?: Opts) => byUser(o, 'deleteChannel', 'deleteUserLevelChannel', channelId),
    archive: (channelIds: string | string[], o?: RequestOptions) =>
      ctx.call('PerformOperationsOnChannels', { body: { method: 'archive', channel_ids: [channelIds].flat() } }, o),
    unarchive: (channelIds: string | string[], o?: RequestOptions) =>
      ctx.call('PerformOperationsOnChannels', { body: { method: 'unarchive', channel_ids: [channelIds].flat() } }, o),
    join: (channelId: string, o?: RequestOptions) => ctx.call('joinChannel', { path: { channelId } }, o),
    leave: (channelId: string, o?: RequestOptions) => ctx.call('leaveChannel', { path: { channelId } }, o),
    members: {
      list: (channelId: string, o?: PagedOptions) => {
        const { op, path } = membersPath(channelId, o);
        return ctx.collect(op, { path, query: o?.query }, o);
      },
      iterate: (channelId: string, o?: PagedOptions) => {
        const { op, path } = membersPath(channelId, o);
        return ctx.paginate(op, { path, query: o?.query }, o);
      },
      /** `members`: `[{ email }]`, as Zoom takes them. */
      invite: (channelId: string, members: Array<{ email: string }>, o?: Opts) =>
        byUser(o, 'inviteChannelMembers', 'InviteUserLevelChannelMembers', channelId, { body: { members } }),
      remove: (channelId: string, identifier: string, o?: Opts) =>
        o?.userId
          ? ctx.call('removeAChannelMember', { path: { userId: o.userId, channelId, identifier } }, o)
          : ctx.call('removeAUserLevelChannelMember', { path: { channelId, identifier } }, o),
    },
  };
}
