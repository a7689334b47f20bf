/**
 * Who may open a socket: the checks Zoom's `wss://ws.zoom.us/ws?subscriptionId=…&access_token=…`
 * makes before upgrading. A refusal is a plain HTTP response with Zoom's `{code, message}` body,
 * which clients such as `ws` surface through 'unexpected-response'.
 *
 * The access token arrives in the query string: nothing here may echo the URL or the token.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TokenRecord, TokenStore } from '../auth/tokens';
import type { WebSocketSubscription, WebSocketSubscriptions } from './subscriptions';

/**
 * The scope that gates connections. Zoom lists `marketplace:write:websocket_connection` among
 * Server-to-Server OAuth scopes; the simulator grants it to its S2S and user-OAuth apps by default
 * (see MARKETPLACE in simulator.ts), so a token minted with custom `scopes` lacking it gets 403.
 */
export const WEBSOCKET_SCOPE = 'marketplace:write:websocket_connection';

export const WEBSOCKET_PATH = '/ws';

export interface Refusal {
  status: number;
  body: { code: number; message: string };
}

export interface Accepted {
  subscription: WebSocketSubscription;
  token: TokenRecord;
}

export interface UpgradeChecks {
  tokens: TokenStore;
  subscriptions: WebSocketSubscriptions;
  now: () => number;
}

const refusal = (status: number, code: number, message: string): Refusal => ({ status, body: { code, message } });

/** Path and query of the upgrade request, parsed without ever building a string that holds the token elsewhere. */
export function parseTarget(url: string | undefined): { path: string; params: URLSearchParams } {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return { path: q < 0 ? raw : raw.slice(0, q), params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** Token first (a client refreshes on 401 and retries), then the subscription (404 is final for a client). */
export function checkUpgrade(req: IncomingMessage, deps: UpgradeChecks): Accepted | Refusal {
  const { params } = parseTarget(req.url);
  const raw = params.get('access_token') ?? bearer(req.headers.authorization);
  if (!raw) return refusal(401, 124, 'Invalid access token: access_token is missing from the query string.');
  const token = deps.tokens.get(raw);
  if (!token) return refusal(401, 124, 'Invalid access token.');
  if (token.expiresAt <= deps.now()) return refusal(401, 124, 'Access token is expired.');
  if (!token.scopes.has(WEBSOCKET_SCOPE)) {
    return refusal(403, 4700, `Invalid access token, does not contain scopes:[${WEBSOCKET_SCOPE}].`);
  }
  const id = params.get('subscriptionId');
  if (!id)
    return refusal(
      404,
      404,
      'subscriptionId is missing: connect to /ws?subscriptionId=<event subscription ID>&access_token=<token>.',
    );
  const subscription = deps.subscriptions.get(id);
  // Another app's subscription does not exist for this token: 404 (final) rather than a retryable 403.
  if (!subscription || (subscription.ownerClientId !== undefined && subscription.ownerClientId !== token.clientId)) {
    return refusal(404, 404, `WebSocket event subscription does not exist: ${id}.`);
  }
  return { subscription, token };
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}

/** Answers the upgrade request with a plain HTTP response and closes the connection. */
export function refuse(socket: Duplex, r: Refusal): void {
  const body = JSON.stringify(r.body);
  const head = [
    `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? ''}`,
    'Content-Type: application/json;charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (!socket.writable) return void socket.destroy();
  // end() flushes the answer before the FIN; destroy() alone could cut it off.
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
}
