/**
 * Read-only editor endpoints: the operation table (for the API node's picker and the help) and
 * the event catalogue (for the trigger's event filter). No secrets, behind the editor's auth.
 */
import { eventCatalog, operations, type OperationMeta, type ParamMeta } from '@zoom-team-chat/core';
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

export function registerAdminEndpoints(RED: NodeAPI): void {
  const admin = RED.httpAdmin;
  if (admin === undefined || registered.has(admin)) return;
  registered.add(admin);
  const allow: Handler = RED.auth?.needsPermission('zoom-team-chat.read') ?? ((_req, _res, next) => next());
  admin.get(`${ADMIN_PREFIX}/operations`, allow, (_req, res) => {
    res.json(operationSummaries());
  });
  admin.get(`${ADMIN_PREFIX}/events`, allow, (_req, res) => {
    res.json(eventCatalog);
  });
}
