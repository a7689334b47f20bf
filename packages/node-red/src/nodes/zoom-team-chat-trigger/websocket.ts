/**
 * The trigger's WebSocket delivery: Zoom pushes events over a socket this Node-RED opens, so no
 * public URL or inbound HTTP is needed. The socket is shared per (account, subscription) through
 * lib/event-streams; this file checks the settings and maps the stream onto the node.
 */
import type { Logger } from '@zoom-team-chat/core';
import { getAccount } from '../../lib/account';
import { toError } from '../../lib/action';
import { joinEventStream, parseSubscription, type StreamTarget } from '../../lib/event-streams';
import type { Node, NodeAPI, NodeDef } from '../../lib/red';
import type { DeliverFn } from './delivery';

function refuse(node: Node, status: string, message: string): void {
  node.status({ fill: 'red', shape: 'ring', text: status });
  node.error(message);
}

function redLogger(RED: NodeAPI): Logger {
  // The core has already masked the token in what it logs. Connects are routine (the status shows
  // them); drops and failures are warnings, naming the subscription when several are in use.
  const warn = (m: string, meta?: Record<string, unknown>) => {
    const sub = typeof meta?.subscriptionId === 'string' ? ` [subscription ${meta.subscriptionId}]` : '';
    RED.log.warn(`[zoom-team-chat-trigger] ${m}${sub}`);
  };
  return { debug: () => undefined, info: () => undefined, warn, error: warn };
}

export function startWebSocketDelivery(RED: NodeAPI, node: Node, def: NodeDef, deliver: DeliverFn): void {
  let target: StreamTarget;
  try {
    target = parseSubscription(def.subscription);
  } catch (err) {
    refuse(node, 'invalid subscription', toError(err).message);
    return;
  }
  const account = getAccount(def.account);
  if (account === undefined) {
    refuse(
      node,
      'no account',
      'No Zoom account selected in this trigger: choose a Server-to-Server OAuth account node.',
    );
    return;
  }
  if (account.settings.authKind !== 'account') {
    const kind = account.settings.authKind === 'chatbot' ? 'Chatbot' : 'OAuth2 (user)';
    refuse(
      node,
      'needs a Server-to-Server account',
      `WebSocket delivery needs a Server-to-Server OAuth account node (Zoom opens event sockets for that app type); ` +
        `"${account.settings.id}" uses ${kind} credentials. Choose Webhook delivery, or an account node with Authentication: Server-to-Server OAuth.`,
    );
    return;
  }
  // Again, now that the account is known: the token may only go to Zoom or to its custom URLs' hosts.
  try {
    target = parseSubscription(def.subscription, account.settings);
  } catch (err) {
    refuse(node, 'invalid subscription', toError(err).message);
    return;
  }

  const join = (): (() => Promise<void>) =>
    joinEventStream(
      account,
      target,
      {
        onEvent: (event, meta) =>
          deliver(event, meta.deliveryKey, {
            delivery: 'websocket',
            subscriptionId: target.subscriptionId,
            receivedAt: new Date(meta.receivedAt).toISOString(),
          }).catch((err: unknown) => node.error(`Zoom trigger failed: ${toError(err).message}`)),
        onStatus: (status) => node.status(status),
        onFailed: (error) =>
          node.error(
            `Zoom WebSocket delivery for subscription ${target.subscriptionId} stopped: ${error.message} ` +
              'Fix the cause and deploy again (no further attempts until then).',
          ),
      },
      redLogger(RED),
    );

  let leave: (() => Promise<void>) | undefined;
  let closed = false;
  node.status({ fill: 'yellow', shape: 'ring', text: 'connecting' });
  // Building the client checks the credentials are filled in, so a blank field is named here
  // rather than surfacing as a failed connection.
  account.client().then(
    () => {
      if (closed) return;
      try {
        leave = join();
      } catch (err) {
        // The core refused the settings (it validates them again): name the problem, open nothing.
        refuse(node, 'invalid subscription', toError(err).message);
      }
    },
    (err: unknown) => {
      if (!closed) refuse(node, 'account incomplete', toError(err).message);
    },
  );
  node.on('close', (_removed, done) => {
    closed = true;
    const finish = () => {
      node.status({});
      done();
    };
    if (leave === undefined) finish();
    else leave().then(finish, finish);
  });
}
