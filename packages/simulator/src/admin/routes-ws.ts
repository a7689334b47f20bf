/** Admin routes for WebSocket event delivery: subscriptions, the delivery ledger, drops and faults. */
import { WebSocketInputError, type DropInput, type WebSocketFaultInput } from '../ws';
import { AdminError, route, s } from './registry';

/** Input errors name the field; anything else is the simulator's bug and stays a 500. */
function input<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WebSocketInputError) throw new AdminError(400, err.message);
    throw err;
  }
}

route('GET', '/websockets', 'WebSocket event subscriptions with their endpoint URL and open sockets.', (ctx) =>
  ctx.sim().ws.list(),
);
route(
  'POST',
  '/websockets',
  'Create a WebSocket event subscription ({events, name?}) → {id, endpointUrl, …}.',
  (ctx, _p, b) =>
    input(() =>
      ctx.sim().ws.create({
        events: b['events'] as string[],
        ...(b['name'] !== undefined ? { name: b['name'] as string } : {}),
      }),
    ),
);
route(
  'GET',
  '/websockets/deliveries',
  'What was sent to WebSocket subscriptions ({subscriptionId?}), oldest first; delivered false = no socket was open.',
  (ctx, _p, _b, q) => ctx.sim().ws.deliveries(s(q['subscriptionId'])),
);
route('DELETE', '/websockets/deliveries', 'Forget the WebSocket delivery ledger.', (ctx) => {
  ctx.sim().ws.clearDeliveries();
  return { ok: true };
});
route(
  'POST',
  '/websockets/drop',
  'Close open sockets ({subscriptionId?, code?, reason?}): without code, cut without a close frame.',
  (ctx, _p, b) => ({
    dropped: input(() => ctx.sim().ws.drop(b as DropInput)),
  }),
);
route('GET', '/websockets/faults', 'Pending WebSocket faults.', (ctx) => ctx.sim().ws.faults.describe());
route(
  'PUT',
  '/websockets/faults',
  'Set WebSocket faults ({rejectHandshakes?: N}: the next N upgrades get 503).',
  (ctx, _p, b) => input(() => ctx.sim().ws.faults.set(b as WebSocketFaultInput)),
);
// Last: ':id' would otherwise swallow DELETE /websockets/deliveries.
route('DELETE', '/websockets/:id', 'Delete a WebSocket subscription (its sockets are closed with 4004).', (ctx, p) => ({
  removed: ctx.sim().ws.remove(p['id'] as string),
}));
