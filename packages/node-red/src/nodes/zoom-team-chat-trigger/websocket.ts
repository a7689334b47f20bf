/**
 * The trigger's WebSocket delivery: Zoom pushes events over a socket this Node-RED opens, so no
 * public URL or inbound HTTP is needed. The socket is shared per (account, subscription) through
 * lib/event-streams; this file checks the settings and maps the stream onto the node.
 */
import { getAccount } from '../../lib/account';
import { toError } from '../../lib/action';
import type { StreamListener } from '@zoom-team-chat/core';
import { joinEventStream, parseSubscription, statusOf } from '../../lib/event-streams';
import type { Node, NodeAPI, NodeDef } from '../../lib/red';
import type { DeliverFn } from './delivery';

function refuse(node: Node, status: string, message: string): void {
  node.status({ fill: 'red', shape: 'ring', text: status });
  node.error(message);
}

export function startWebSocketDelivery(RED: NodeAPI, node: Node, def: NodeDef, deliver: DeliverFn): void {
  const account = getAccount(def.account);
  let problem: [string, string] | undefined;
  if (account === undefined) {
    problem = ['no account', 'No Zoom account selected in this trigger: choose a Server-to-Server OAuth account node.'];
  } else if (account.settings.authKind !== 'account') {
    const kind = account.settings.authKind === 'chatbot' ? 'Chatbot' : 'OAuth2 (user)';
    problem = [
      'needs a Server-to-Server account',
      `WebSocket delivery needs a Server-to-Server OAuth account node (Zoom opens event sockets for that app type); ` +
        `"${account.settings.id}" uses ${kind} credentials. Choose Webhook delivery, or an account node with Authentication: Server-to-Server OAuth.`,
    ];
  }
  let target: ReturnType<typeof parseSubscription> | undefined;
  try {
    // The subscription first: its mistakes are named even without an account. With the account
    // known, the token may only go to Zoom or to its custom URLs' hosts.
    target = parseSubscription(def.subscription);
    if (problem === undefined) target = parseSubscription(def.subscription, account?.settings);
  } catch (err) {
    problem = ['invalid subscription', toError(err).message];
  }
  if (problem !== undefined || account === undefined || target === undefined) {
    if (problem) refuse(node, ...problem);
    return;
  }
  const { subscriptionId } = target;
  // The core has already masked the token in what it logs. Connects are routine (the status shows
  // them); drops and failures are warnings, naming the subscription when several are in use.
  const warn = (m: string, meta?: Record<string, unknown>) =>
    RED.log.warn(
      `[zoom-team-chat-trigger] ${m}${typeof meta?.subscriptionId === 'string' ? ` [subscription ${meta.subscriptionId}]` : ''}`,
    );
  const listener: StreamListener = {
    onEvent: (event, meta) =>
      deliver(event, meta.deliveryKey, {
        delivery: 'websocket',
        subscriptionId,
        receivedAt: new Date(meta.receivedAt).toISOString(),
      }).catch((err: unknown) => node.error(`Zoom trigger failed: ${toError(err).message}`)),
    onState: ({ state, text, tick }) => {
      // The hub's text carries the countdown to the next reconnect.
      node.status({ ...statusOf(state, 0, 0), text });
      // Once per failure: the stream stops retrying until the flows are deployed again.
      if (state.status !== 'failed' || tick) return;
      node.error(
        `Zoom WebSocket delivery for subscription ${subscriptionId} stopped: ${state.error.message} ` +
          'Fix the cause and deploy again (no further attempts until then).',
      );
    },
  };

  let leave: (() => Promise<void>) | undefined;
  let closed = false;
  node.status({ fill: 'yellow', shape: 'ring', text: 'connecting' });
  // Building the client checks the credentials are filled in, so a blank field is named here
  // rather than surfacing as a failed connection.
  account.client().then(
    () => {
      if (closed) return;
      try {
        leave = joinEventStream(account, target, listener, {
          debug: () => undefined,
          info: () => undefined,
          warn,
          error: warn,
        });
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
