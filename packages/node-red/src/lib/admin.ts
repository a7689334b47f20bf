/**
 * Read-only editor endpoints: the operation table (for the API node's picker and the help), the
 * event catalogue (for the trigger's event checklist) and a deployed account's channels (for the
 * channel pickers). No secrets, behind the editor's auth.
 */
import { eventCatalog, operations, type OperationMeta, type ParamMeta, type ZoomEventInfo } from '@zoom-team-chat/core';
import { channelListHandler } from './admin-channels';
import type { ExpressApp, Handler, NodeAPI } from './red';

const registered = new WeakSet<ExpressApp>();
export const ADMIN_PREFIX = '/zoom-team-chat';

export function operationSummaries(): Array<Record<string, unknown>> {
  const param = (p: ParamMeta) => ({ name: p.name, required: p.required });
  return Object.values(operations as Record<string, OperationMeta>)
    .map((op) => ({
      operationId: op.operationId,
      api: op.api,
      tag: op.tag,
      summary: op.summary,
      method: op.method,
      path: op.path,
      pathParams: op.pathParams.map(param),
      queryParams: op.queryParams.map(param),
      paginated: op.pagination !== undefined,
      scopes: op.scopes,
    }))
    .sort((a, b) => a.operationId.localeCompare(b.operationId));
}

/** The trigger's checklist sections, in the order the editor shows them. */
export const EVENT_GROUPS = [
  'messages',
  'reactions',
  'pins',
  'channels',
  'spaces',
  'files',
  'chatbot',
  'other',
] as const;
export type EventGroup = (typeof EVENT_GROUPS)[number];

const GROUP_RULES: ReadonlyArray<[EventGroup, RegExp]> = [
  ['messages', /^chat_message\.|^team_chat\.(channel|dm)_message_|^team_chat\.(app_mention|link_shared)$/],
  ['reactions', /_reaction_|^team_chat\.emoji_/],
  ['pins', /^team_chat\.(channel_pin_|bookmark_|starred$|unstarred$)/],
  ['files', /^team_chat\.file_/],
  ['spaces', /^team_chat\.shared_spaces_/],
  ['channels', /^chat_channel\.|^team_chat\.channel_/],
];

/** Zoom adds events over time: one no rule knows still shows, under "other". */
export function eventGroup(event: Pick<ZoomEventInfo, 'name' | 'api'>): EventGroup {
  if (event.api === 'chatbot') return 'chatbot';
  return GROUP_RULES.find(([, re]) => re.test(event.name))?.[0] ?? 'other';
}

export function registerAdminEndpoints(RED: NodeAPI): void {
  const admin = RED.httpAdmin;
  if (admin === undefined || registered.has(admin)) return;
  registered.add(admin);
  const allow: Handler = RED.auth?.needsPermission('zoom-team-chat.read') ?? ((_req, _res, next) => next());
  admin.get(`${ADMIN_PREFIX}/operations`, allow, (_req, res) => {
    res.json(operationSummaries());
  });
  admin.get(`${ADMIN_PREFIX}/events`, allow, (_req, res) => {
    res.json(eventCatalog.map((e) => ({ ...e, group: eventGroup(e) })));
  });
  admin.get(`${ADMIN_PREFIX}/:accountId/channels`, allow, channelListHandler(RED));
}
