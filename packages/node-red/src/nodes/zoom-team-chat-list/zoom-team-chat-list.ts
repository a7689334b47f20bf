/**
 * `zoom-team-chat-list`: messages of a channel or chat, the user's channels, a channel's members,
 * or the user's contacts, across pages (the core follows next_page_token), all or up to a limit.
 */
import type { ZoomClient } from '@zoom-team-chat/core';
import { setupAction } from '../../lib/action';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../../lib/red';
import { resolveTarget } from '../../lib/targets';
import { isPlainObject, need, pick, positiveInt, str } from '../../lib/values';

export type ListResource = 'messages' | 'channels' | 'members' | 'contacts';
const RESOURCES: readonly ListResource[] = ['messages', 'channels', 'members', 'contacts'];
export const DEFAULT_LIMIT = 50;

export interface ListScope {
  userId: string;
  /** User-level OAuth tokens list channel members through the user-level operation. */
  userLevel: boolean;
  limit?: number;
  signal?: AbortSignal;
}

export function listItems(
  client: ZoomClient,
  resource: ListResource,
  def: NodeDef,
  msg: NodeMessage,
  scope: ListScope,
): Promise<unknown[]> {
  const query = isPlainObject(msg.query) ? { ...msg.query } : {};
  const { userId, userLevel, limit, signal } = scope;
  const options = { ...(limit !== undefined ? { limit } : {}), signal };
  switch (resource) {
    case 'messages': {
      const target = resolveTarget({ channel: def.channel, contact: def.contact, replyInThread: false }, msg);
      if (target.channel !== undefined) query.to_channel = target.channel;
      if (target.contact !== undefined) query.to_contact = target.contact;
      return client.messages.list(query as Parameters<typeof client.messages.list>[0], { ...options, userId });
    }
    case 'channels':
      return client.channels.list({ ...options, userId, query });
    case 'members': {
      const channelId = need(
        pick(def.channel, msg.channel) ??
          str((msg.zoom as { replyTarget?: { channel?: unknown } } | undefined)?.replyTarget?.channel),
        'Channel',
        'msg.channel',
      );
      return client.channels.members.list(channelId, { ...options, ...(userLevel ? {} : { userId }), query });
    }
    case 'contacts':
      return client.contacts.list(query, options);
  }
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatListNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const resource: ListResource = RESOURCES.includes(def.resource as ListResource)
      ? (def.resource as ListResource)
      : 'messages';
    const split = def.output === 'split';
    setupAction(this, def, {
      busyText: 'listing',
      async work({ msg, client, account, signal }) {
        const userId = pick(account.settings.userId, msg.userId) ?? 'me';
        const returnAll = def.returnAll === true || msg.returnAll === true;
        const limit = returnAll
          ? undefined
          : (positiveInt(def.limit, 'Limit') ?? positiveInt(msg.limit, 'msg.limit') ?? DEFAULT_LIMIT);
        const items = await listItems(client, resource, def, msg, {
          userId,
          userLevel: account.settings.authKind === 'user',
          limit,
          signal,
        });
        if (!split) return { out: { ...msg, payload: items }, status: `${items.length} ${resource}` };
        const id = typeof msg._msgid === 'string' ? msg._msgid : `${Date.now()}`;
        // msg.parts lets a Join node put the items back together.
        const out = items.map((item, index) => ({
          ...msg,
          payload: item,
          parts: { id, index, count: items.length, type: 'array' },
        }));
        return { out: out.length > 0 ? [out] : null, status: `${items.length} ${resource}` };
      },
    });
  }
  RED.nodes.registerType('zoom-team-chat-list', ZoomTeamChatListNode);
}
