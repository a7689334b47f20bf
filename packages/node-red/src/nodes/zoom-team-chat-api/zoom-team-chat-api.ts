/**
 * `zoom-team-chat-api`: any Team Chat or Chatbot operation by its operationId, with parameters
 * from the node (JSON) and msg.params, validated against Zoom's spec by the core before sending.
 */
import { getOperation, operations, type OperationMeta } from '@zoom-team-chat/core';
import type { Account } from '../../lib/account';
import { setupAction } from '../../lib/action';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../../lib/red';
import { isPlainObject, pick, positiveInt, withPayload } from '../../lib/values';

type Params = Record<string, unknown>;
const SECTIONS = ['path', 'query', 'body'] as const;

export function operationIds(): string[] {
  return Object.keys(operations).sort((a, b) => a.localeCompare(b));
}

export function parseParams(raw: unknown, where: string): Params | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${where} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isPlainObject(value)) throw new Error(`${where} must be an object like {"path":{…},"query":{…},"body":{…}}.`);
  return value;
}

function sectioned(p: Params): boolean {
  return Object.keys(p).some((k) => (SECTIONS as readonly string[]).includes(k));
}

/** Message params first, node params on top (a configured value wins), section by section. */
export function mergeParams(fromMsg: Params | undefined, fromNode: Params | undefined): Params {
  if (fromMsg === undefined) return fromNode ?? {};
  if (fromNode === undefined) return fromMsg;
  if (sectioned(fromMsg) !== sectioned(fromNode)) {
    throw new Error('Node params and msg.params must both use sections ({path, query, body}) or both be flat.');
  }
  if (!sectioned(fromNode)) return { ...fromMsg, ...fromNode };
  const out: Params = { ...fromMsg };
  for (const section of SECTIONS) {
    const a = fromMsg[section];
    const b = fromNode[section];
    if (isPlainObject(a) && isPlainObject(b)) out[section] = { ...a, ...b };
    else if (b !== undefined) out[section] = b;
  }
  return out;
}

/**
 * Operations on `/users/{userId}/…` act as the account's "Act as user", else msg.userId, else `me`,
 * as the send, list and upload nodes do: a bare `getChannels` works without spelling out the user.
 * A userId in the params (flat or under `path`) is left alone.
 */
export function withDefaultUserId(meta: OperationMeta, params: Params, userId: string): Params {
  if (!meta.pathParams.some((p) => p.name === 'userId')) return params;
  const path = isPlainObject(params.path) ? params.path : undefined;
  if (params.userId !== undefined || path?.userId !== undefined) return params;
  if (sectioned(params) || Object.keys(params).length === 0) return { ...params, path: { ...path, userId } };
  return { ...params, userId };
}

export function defaultUserIdFor(account: Pick<Account, 'settings'>, msg: NodeMessage): string {
  return pick(account.settings.userId, msg.userId) ?? 'me';
}

export function resolveOperation(def: NodeDef, msg: NodeMessage): OperationMeta {
  const id = pick(def.operationId, msg.operationId);
  if (id === undefined)
    throw new Error('No operation: choose one in the node or send msg.operationId (e.g. "getChannels").');
  // Throws a clear error with the closest operationId for a typo.
  return getOperation(id);
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatApiNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setupAction(this, def, {
      busyText: 'calling',
      async work({ msg, client, account, signal }) {
        const meta = resolveOperation(def, msg);
        const operationId = meta.operationId;
        const merged = mergeParams(parseParams(msg.params, 'msg.params'), parseParams(def.params, 'Params'));
        const params = withDefaultUserId(meta, merged, defaultUserIdFor(account, msg));
        const returnAll = def.returnAll === true || msg.returnAll === true;
        const limit = positiveInt(def.limit, 'Limit') ?? positiveInt(msg.limit, 'msg.limit');
        if (meta.pagination && (returnAll || limit !== undefined)) {
          const items = await client.collect(operationId, params, { ...(returnAll ? {} : { limit }), signal });
          return { out: withPayload(msg, items), status: `${operationId}: ${items.length} items` };
        }
        const result: unknown = await client.call(operationId, params, { signal });
        return { out: withPayload(msg, result === undefined ? null : result), status: `${operationId}: done` };
      },
    });
  }
  RED.nodes.registerType('zoom-team-chat-api', ZoomTeamChatApiNode);
}
