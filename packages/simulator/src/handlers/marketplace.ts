/**
 * Marketplace event subscriptions. They are not in the vendored specs; the simulator serves
 * the paths Zoom documents (docs/webhooks.md: `/marketplace/app/event_subscription`) and the
 * `/marketplace/apps/{appId}/event_subscriptions` form, backed by the webhook hub or, with
 * `event_subscription_method: "websocket"`, by the WebSocket endpoint (src/ws).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sim } from '../context';
import { authenticate } from '../http/api-server';
import { parseQuery, readBody } from '../http/body';
import { ZoomError } from '../http/errors';
import { sendError, sendJson } from '../http/respond';
import { compileStrict } from '../spec/validators';
import { eventCatalog } from '../webhooks';

const createSchema = compileStrict({
  type: 'object',
  required: ['events'],
  properties: {
    event_subscription_method: { type: 'string', enum: ['webhook', 'websocket'] },
    events: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    event_subscription_name: { type: 'string', maxLength: 128 },
    event_webhook_url: { type: 'string', format: 'uri' },
    user_ids: { type: 'array', items: { type: 'string' } },
    subscription_scope: { type: 'string', enum: ['user', 'account', 'master_account'] },
    account_id: { type: 'string' },
  },
});

interface SubMeta {
  name: string;
  scope: string;
  userIds: string[];
  clientId: string;
  createdAt: number;
}

const meta = new WeakMap<Sim, Map<string, SubMeta>>();

function metaOf(sim: Sim): Map<string, SubMeta> {
  let m = meta.get(sim);
  if (!m) {
    m = new Map();
    meta.set(sim, m);
  }
  return m;
}

const SCOPES = {
  create: 'marketplace:write:event_subscription',
  list: 'marketplace:read:list_event_subscriptions',
  update: 'marketplace:update:event_subscription',
  delete: 'marketplace:delete:event_subscription',
};

export function marketplaceRoute(sim: () => Sim) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, qs: string): Promise<boolean> => {
    const m =
      /^\/v2\/marketplace\/(?:app\/event_subscription|apps\/([^/]+)\/event_subscriptions)(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return false;
    const s = sim();
    const id = m[2] ? decodeURIComponent(m[2]) : undefined;
    try {
      const token = authenticate(s, req);
      const need = (scope: string) => {
        if (!token.scopes.has(scope))
          throw new ZoomError(403, 4700, `Invalid access token, does not contain scopes:[${scope}].`);
      };
      const method = req.method ?? 'GET';
      if (method === 'POST' && !id) {
        need(SCOPES.create);
        const body = await jsonBody(req);
        const errors = createSchema(body);
        if (errors) throw new ZoomError(400, 300, 'Validation Failed.', { errors });
        const b = body as {
          events: string[];
          event_webhook_url?: string;
          event_subscription_method?: 'webhook' | 'websocket';
          event_subscription_name?: string;
          subscription_scope?: string;
          user_ids?: string[];
        };
        const websocket = b.event_subscription_method === 'websocket';
        if (websocket && b.event_webhook_url !== undefined) {
          throw new ZoomError(
            400,
            300,
            'event_webhook_url does not apply to a WebSocket event subscription (event_subscription_method "websocket"): leave it out.',
          );
        }
        if (!websocket && b.event_webhook_url === undefined) {
          throw new ZoomError(
            400,
            300,
            'event_webhook_url is required for a webhook event subscription (or set event_subscription_method to "websocket").',
          );
        }
        const catalog = eventCatalog();
        const unknown = b.events.filter((e) => !catalog.has(e));
        if (unknown.length)
          throw new ZoomError(400, 300, `The event is not allowed for the app: ${unknown.join(', ')}.`);
        const kinds = new Set(b.events.map((e) => catalog.kind(e)));
        if (kinds.size > 1)
          throw new ZoomError(400, 300, 'Team Chat and Chatbot events cannot share one event subscription.');
        const info = {
          name: b.event_subscription_name ?? '',
          scope: b.subscription_scope ?? 'account',
          userIds: b.user_ids ?? [],
          clientId: token.clientId,
          createdAt: s.now(),
        };
        if (websocket) {
          // Bound to the creating app: another app's token gets 404 at /ws, as Zoom scopes subscriptions per app.
          const sub = s.ws.create({ events: b.events, name: info.name }, token.clientId);
          metaOf(s).set(sub.id, info);
          sendJson(res, 201, { event_subscription_id: sub.id, endpoint_url: sub.endpointUrl });
          return true;
        }
        let created;
        try {
          created = await s.hub.hub.addSubscription({
            url: b.event_webhook_url as string,
            secretToken: s.webhookSecretToken,
            events: b.events,
            ...(kinds.has('chatbot') ? { kind: 'chatbot' as const } : {}),
          });
        } catch (err) {
          throw new ZoomError(400, 300, `URL validation failed: ${(err as Error).message}`);
        }
        metaOf(s).set(created.id, info);
        sendJson(res, 201, { event_subscription_id: created.id });
        return true;
      }
      if (method === 'GET' && !id) {
        need(SCOPES.list);
        const subs = s.hub.hub.listSubscriptions().map((sub) => {
          const info = metaOf(s).get(sub.id);
          return {
            event_subscription_id: sub.id,
            events: sub.events,
            event_subscription_name: info?.name ?? '',
            event_subscription_method: 'webhook',
            event_webhook_url: sub.url,
            subscription_scope: info?.scope ?? 'account',
            created_source: info ? 'api' : 'default',
            subscriber_id: info?.userIds[0] ?? s.store.account.id,
          };
        });
        const sockets = s.ws.list().map((sub) => {
          const info = metaOf(s).get(sub.id);
          return {
            event_subscription_id: sub.id,
            events: sub.events,
            event_subscription_name: sub.name,
            event_subscription_method: 'websocket',
            endpoint_url: sub.endpointUrl,
            subscription_scope: info?.scope ?? 'account',
            created_source: info ? 'api' : 'default',
            subscriber_id: info?.userIds[0] ?? s.store.account.id,
          };
        });
        sendJson(res, 200, { next_page_token: '', event_subscriptions: [...subs, ...sockets] });
        return true;
      }
      if (method === 'PATCH' && id) {
        need(SCOPES.update);
        const body = (await jsonBody(req)) as { user_ids?: string[] };
        const info = metaOf(s).get(id);
        if (!info || !(s.hub.hub.listSubscriptions().some((x) => x.id === id) || s.ws.subscriptions.get(id)))
          throw new ZoomError(404, 404, `Event subscription does not exist: ${id}.`);
        info.userIds = [...new Set([...info.userIds, ...(body.user_ids ?? [])])];
        sendJson(res, 204, undefined);
        return true;
      }
      if (method === 'DELETE') {
        need(SCOPES.delete);
        const target = id ?? parseQuery(qs)['event_subscription_id'];
        if (!target) {
          // "Unsubscribe" (DELETE without an ID) removes users; nothing to deliver differently here.
          sendJson(res, 204, undefined);
          return true;
        }
        if (!s.hub.hub.removeSubscription(target) && !s.ws.remove(target))
          throw new ZoomError(404, 404, `Event subscription does not exist: ${target}.`);
        metaOf(s).delete(target);
        sendJson(res, 204, undefined);
        return true;
      }
      throw new ZoomError(405, 405, `Method ${method} is not allowed for ${path}.`);
    } catch (err) {
      if (err instanceof ZoomError) sendError(res, err);
      else sendJson(res, 500, { code: 500, message: (err as Error).message });
      return true;
    }
  };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ZoomError(400, 300, 'Request Body should be a valid JSON object.');
  }
}
