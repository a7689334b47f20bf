/**
 * `zoom-team-chat-trigger`, two deliveries:
 * - webhook (default): a POST route on RED.httpNode that Zoom calls with signed events. Every
 *   request is verified against the raw bytes; Zoom's URL validation is answered; an event is
 *   acknowledged with 200 at once (Zoom retries anything slower than 3 s) and only then filtered,
 *   de-duplicated and sent into the flow;
 * - websocket: a socket this Node-RED opens to Zoom (./websocket.ts), for hosts Zoom cannot reach.
 */
import { canDownloadFiles, receiveWebhook } from '@zoom-team-chat/core';
import { getAccount } from '../../lib/account';
import { toError } from '../../lib/action';
import { BodyTooLargeError, captureRawBodies, rawBodyOf, routerStack } from '../../lib/raw-body';
import type { ExpressApp, Handler, HttpRequest, HttpResponse, Node, NodeAPI, NodeDef } from '../../lib/red';
import { str } from '../../lib/values';
import { createDelivery, downloadCap } from './delivery';
import { startWebSocketDelivery } from './websocket';

export const DEFAULT_PATH = '/zoom/team-chat';
/** Literal paths only: Express parameters or patterns would make raw-body capture guess. */
const PATH_RE = /^\/[A-Za-z0-9._~\-/]*$/;
/** Repeated refusals (a scanner, a misconfigured secret) are summarised, not logged one by one. */
const WARN_INTERVAL_MS = 10_000;

/** Full paths claimed by a trigger (normalized) -> node id. */
const claimedPaths = new Map<string, string>();

export function normalizeTriggerPath(raw: unknown): string {
  const value = str(raw) ?? DEFAULT_PATH;
  const path = value.startsWith('/') ? value : `/${value}`;
  if (!PATH_RE.test(path) || path.includes('//')) {
    throw new Error(
      `Path "${value}" is not usable: use letters, digits, "-", "_", "." and "/" only (e.g. ${DEFAULT_PATH}).`,
    );
  }
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

function mountPath(app: ExpressApp): string {
  try {
    const p = app.path();
    return p === '/' ? '' : p;
  } catch {
    return '';
  }
}

function removeRoute(app: ExpressApp, handler: Handler): void {
  const stack = routerStack(app);
  if (stack === undefined) return;
  // Only the layer whose route holds OUR handler: another node may serve the same path.
  for (let i = stack.length - 1; i >= 0; i--) {
    const route = stack[i]?.route;
    if (route?.stack?.some((layer) => layer.handle === handler)) stack.splice(i, 1);
  }
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatTriggerNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const accountId = typeof def.account === 'string' ? def.account : '';
    let maxBytes: number | undefined;
    try {
      maxBytes = downloadCap(def);
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: 'invalid Max size' });
      node.error(toError(err).message);
      return;
    }
    const authKind = getAccount(accountId)?.settings.authKind;
    if (maxBytes !== undefined && authKind !== undefined && !canDownloadFiles(authKind)) {
      node.warn(
        'Download files needs an account node with Server-to-Server OAuth or OAuth2 (user) credentials: a chatbot token cannot read chat files. Events are sent without msg.files.',
      );
    }
    if (def.delivery === 'websocket') {
      startWebSocketDelivery(RED, node, def, createDelivery(node, def, { showEvent: false, maxBytes }));
      return;
    }
    const deliverEvent = createDelivery(node, def, { showEvent: true, maxBytes });
    const httpNode = RED.httpNode;

    if (RED.settings.httpNodeRoot === false || httpNode === undefined) {
      node.status({ fill: 'red', shape: 'ring', text: 'httpNodeRoot disabled' });
      node.warn(
        'Webhook delivery needs HTTP node routes, and httpNodeRoot is false in settings.js: enable them, or set Delivery to WebSocket (no route needed).',
      );
      return;
    }
    let path: string;
    try {
      path = normalizeTriggerPath(def.path);
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: 'invalid path' });
      node.error(toError(err).message);
      return;
    }
    const fullPath = `${mountPath(httpNode)}${path}`;
    const claimKey = fullPath.toLowerCase();
    const owner = claimedPaths.get(claimKey);
    if (owner !== undefined && owner !== node.id) {
      node.status({ fill: 'red', shape: 'ring', text: 'path in use' });
      node.error(`Another Zoom trigger (${owner}) already listens on ${fullPath}: give this one another path.`);
      return;
    }
    claimedPaths.set(claimKey, node.id);

    let lastWarn = 0;
    let suppressed = 0;
    const warnRefused = (text: string) => {
      const now = Date.now();
      if (now - lastWarn < WARN_INTERVAL_MS) {
        suppressed++;
        return;
      }
      const extra =
        suppressed > 0 ? ` (${suppressed} more refused in the last ${Math.round((now - lastWarn) / 1000)} s)` : '';
      lastWarn = now;
      suppressed = 0;
      node.warn(`Refused a request on ${fullPath}: ${text}${extra}`);
    };

    const handler: Handler = (req: HttpRequest, res: HttpResponse) => {
      void (async () => {
        let raw: Buffer | undefined;
        try {
          raw = await rawBodyOf(req);
        } catch (err) {
          if (err instanceof BodyTooLargeError) {
            res.status(413).end();
            warnRefused(err.message);
            return;
          }
          throw err;
        }
        const account = getAccount(accountId);
        if (raw !== undefined && account === undefined) {
          res.status(500).json({ error: 'no_account' });
          node.warn('No Zoom account selected in this trigger: every request is refused.');
          return;
        }
        const intake = receiveWebhook({ rawBody: raw, headers: req.headers, secrets: account?.webhookSecrets() ?? [] });
        if (intake.kind === 'refused') {
          res.status(intake.status).json({ error: intake.reason });
          if (intake.reason === 'body_not_raw') {
            node.warn(
              `The request body on ${fullPath} was parsed by another middleware before this node saw it, so its signature cannot be checked. ` +
                'Check httpNodeMiddleware in settings.js.',
            );
            return;
          }
          if (intake.status === 500) node.warn(intake.message);
          else warnRefused(intake.message);
          node.status({ fill: 'yellow', shape: 'ring', text: `refused: ${intake.reason}` });
          return;
        }
        if (intake.kind === 'url_validation') {
          res.status(200).json(intake.response);
          node.status({ fill: 'green', shape: 'ring', text: 'URL validated' });
          return;
        }
        // Acknowledge before the flow runs: Zoom only waits 3 s and would retry.
        res.status(200).end();
        const [deliveryKey = '', ...alsoKeys] = intake.keys;
        const meta = {
          delivery: 'webhook',
          requestId: intake.requestId,
          path: fullPath,
          receivedAt: new Date().toISOString(),
          headers: intake.headers,
        };
        await deliverEvent(intake.event, deliveryKey, meta, alsoKeys);
      })().catch((err: unknown) => {
        if (!res.headersSent) res.status(500).end();
        node.error(`Zoom trigger failed: ${toError(err).message}`);
      });
    };

    const releaseCapture = captureRawBodies(httpNode, fullPath);
    httpNode.post(path, handler);
    node.status({ fill: 'green', shape: 'ring', text: `listening on ${fullPath}` });

    node.on('close', (_removed, done) => {
      removeRoute(httpNode, handler);
      releaseCapture();
      if (claimedPaths.get(claimKey) === node.id) claimedPaths.delete(claimKey);
      node.status({});
      done();
    });
  }
  RED.nodes.registerType('zoom-team-chat-trigger', ZoomTeamChatTriggerNode);
}
