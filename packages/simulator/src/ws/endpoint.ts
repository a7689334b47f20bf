/**
 * The simulator's WebSocket event endpoint (Zoom's `wss://ws.zoom.us/ws`), served on the API
 * host at `/ws`: subscriptions, the upgrade checks, open sockets, delivery, ledger and faults.
 */
import type { IncomingMessage, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TokenStore } from '../auth/tokens';
import { CLOSE, Connection, type ConnectionInfo } from './connection';
import { publish } from './delivery';
import { WebSocketFaults } from './faults';
import { DeliveryLedger, type WebSocketDelivery } from './ledger';
import { SocketRegistry } from './registry';
import {
  WebSocketInputError,
  WebSocketSubscriptions,
  type WebSocketSubscription,
  type WebSocketSubscriptionInput,
} from './subscriptions';
import { checkUpgrade, parseTarget, refuse, WEBSOCKET_PATH } from './upgrade';

export interface WebSocketOptions {
  /** A socket that sends no `{"module":"heartbeat"}` for this long is closed (code 4000). Default 90 000 (Zoom's clients beat every 30 s). */
  idleTimeoutMs?: number;
  /** Close open sockets (code 4001) once their access token expires or is expired by the admin API. Default false: Zoom checks the token at connect time. */
  closeOnTokenExpiry?: boolean;
  /** Ledger entries kept (oldest dropped first). Default 50 000. */
  maxDeliveries?: number;
  /** Bytes waiting to be written to one socket beyond which it is cut (a client that stopped reading). Default 8 MiB. */
  maxBufferedBytes?: number;
}

export interface WebSocketSubscriptionView {
  id: string;
  name: string;
  events: string[];
  endpointUrl: string;
  createdAt: number;
  sockets: ConnectionInfo[];
}

export interface DropInput {
  subscriptionId?: string;
  /** Omitted: terminate without a close frame (a network failure). Else a close frame with this code. */
  code?: number;
  reason?: string;
}

export interface EndpointDeps {
  tokens: () => TokenStore;
  now: () => number;
  /** `ws://host:port/ws`, known once the API host listens. */
  baseUrl: () => string;
  /** One line per upgrade attempt (path only: the query holds the token). */
  onUpgrade?: (status: number, ms: number) => void;
}

const SHUTDOWN_GRACE_MS = 1000;

export function checkWebSocketOptions(o: WebSocketOptions | undefined): void {
  if (o === undefined) return;
  if (o === null || typeof o !== 'object') throw new TypeError('startSimulator: webSocket must be an object');
  const t = o.idleTimeoutMs;
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= 2_147_483_647)) {
    throw new TypeError(`startSimulator: webSocket.idleTimeoutMs must be a number of ms > 0, got ${JSON.stringify(t)}`);
  }
  if (o.closeOnTokenExpiry !== undefined && typeof o.closeOnTokenExpiry !== 'boolean') {
    throw new TypeError(
      `startSimulator: webSocket.closeOnTokenExpiry must be a boolean, got ${JSON.stringify(o.closeOnTokenExpiry)}`,
    );
  }
  for (const key of ['maxDeliveries', 'maxBufferedBytes'] as const) {
    const m = o[key];
    if (m !== undefined && !(Number.isInteger(m) && m > 0))
      throw new TypeError(`startSimulator: webSocket.${key} must be a positive integer, got ${JSON.stringify(m)}`);
  }
}

export class WebSocketEndpoint {
  readonly subscriptions: WebSocketSubscriptions;
  readonly faults = new WebSocketFaults();
  private readonly ledger: DeliveryLedger;
  private readonly sockets = new SocketRegistry();
  private readonly wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: 64 * 1024 });
  private readonly idleTimeoutMs: number;
  private readonly closeOnTokenExpiry: boolean;
  private readonly maxBufferedBytes: number;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly deps: EndpointDeps,
    options: WebSocketOptions = {},
  ) {
    checkWebSocketOptions(options);
    this.subscriptions = new WebSocketSubscriptions(deps.now);
    this.ledger = new DeliveryLedger(options.maxDeliveries ?? 50_000);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
    this.closeOnTokenExpiry = options.closeOnTokenExpiry ?? false;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  /** Serves `/ws` upgrades on this server (every other upgrade path gets 404). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  endpointUrl(subscriptionId: string): string {
    return `${this.deps.baseUrl()}?subscriptionId=${encodeURIComponent(subscriptionId)}`;
  }

  create(input: WebSocketSubscriptionInput, ownerClientId?: string): WebSocketSubscriptionView {
    return this.view(this.subscriptions.create(input, ownerClientId));
  }

  list(): WebSocketSubscriptionView[] {
    return this.subscriptions.all().map((s) => this.view(s));
  }

  /** Deletes the subscription and closes its sockets (code 4004). */
  remove(id: string): boolean {
    if (!this.subscriptions.remove(id)) return false;
    for (const c of this.sockets.all(id)) c.close(CLOSE.subscriptionDeleted, 'event subscription deleted');
    return true;
  }

  /** True when some WebSocket subscription wants this event (cheap: checked for every event). */
  wants(event: string): boolean {
    return this.subscriptions.size > 0 && this.subscriptions.matching(event).length > 0;
  }

  /** Sends one webhook envelope to matching subscriptions; see delivery.ts. */
  publish(event: string, delivery: Record<string, unknown>): number {
    if (this.closing) return 0;
    return publish(
      {
        subscriptions: this.subscriptions,
        sockets: this.sockets,
        ledger: this.ledger,
        now: this.deps.now,
        maxBufferedBytes: this.maxBufferedBytes,
      },
      event,
      delivery,
    );
  }

  deliveries(subscriptionId?: string): WebSocketDelivery[] {
    return this.ledger.list(subscriptionId);
  }

  clearDeliveries(): void {
    this.ledger.clear();
  }

  drop(input: DropInput = {}): number {
    if (input === null || typeof input !== 'object')
      throw new WebSocketInputError('input', 'dropWebSockets takes { subscriptionId?, code?, reason? }');
    const { subscriptionId, code, reason } = input;
    if (subscriptionId !== undefined && (typeof subscriptionId !== 'string' || subscriptionId === '')) {
      throw new WebSocketInputError('subscriptionId', 'subscriptionId must be a non-empty string');
    }
    if (code !== undefined && !validCloseCode(code)) {
      throw new WebSocketInputError(
        'code',
        `code must be a close code a server may send (1000–1003, 1007–1014 or 3000–4999), got ${JSON.stringify(code)}`,
      );
    }
    if (reason !== undefined && (typeof reason !== 'string' || Buffer.byteLength(reason) > 123)) {
      throw new WebSocketInputError('reason', 'reason must be a string of at most 123 bytes (a close frame limit)');
    }
    if (reason !== undefined && code === undefined)
      throw new WebSocketInputError(
        'reason',
        'reason needs a code (without one the socket is cut without a close frame)',
      );
    let dropped = 0;
    for (const c of this.sockets.all(subscriptionId)) {
      if (!c.open) continue;
      if (code === undefined) c.terminate();
      else c.close(code, reason ?? 'dropped by the simulator');
      dropped++;
    }
    return dropped;
  }

  /** After the admin API expired tokens: closes sockets whose token is no longer valid, if configured to. */
  tokensExpired(): number {
    if (!this.closeOnTokenExpiry) return 0;
    let closed = 0;
    for (const c of this.sockets.all()) if (c.checkToken()) closed++;
    return closed;
  }

  /** On reset: pending faults go, subscriptions and sockets stay (as webhook subscriptions do). */
  reset(): void {
    this.faults.clear();
  }

  /** Closes every socket (1001, then terminate after a second) and refuses new upgrades. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(
        this.sockets.all().map((c) => c.shutdown(CLOSE.shuttingDown, 'simulator closing', SHUTDOWN_GRACE_MS)),
      );
      this.wss.close();
    })();
    return this.closing;
  }

  private view(s: WebSocketSubscription): WebSocketSubscriptionView {
    return {
      id: s.id,
      name: s.name,
      events: [...s.eventList],
      endpointUrl: this.endpointUrl(s.id),
      createdAt: s.createdAt,
      sockets: this.sockets.all(s.id).map((c) => c.info()),
    };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const started = performance.now();
    const log = (status: number) => {
      try {
        this.deps.onUpgrade?.(status, Math.round(performance.now() - started));
      } catch {
        // a logger must never break a connection
      }
    };
    // A peer that resets before we answer must not become an unhandled 'error'.
    socket.on('error', () => undefined);
    const deny = (status: number, code: number, message: string) => {
      refuse(socket, { status, body: { code, message } });
      log(status);
    };
    if (this.closing) return deny(503, 503, 'The simulator is shutting down.');
    const { path } = parseTarget(req.url);
    if (path !== WEBSOCKET_PATH && path !== `${WEBSOCKET_PATH}/`) {
      return deny(
        404,
        404,
        `No WebSocket endpoint at ${path}: connect to ${WEBSOCKET_PATH}?subscriptionId=<event subscription ID>&access_token=<token>.`,
      );
    }
    if (this.faults.takeHandshakeRejection())
      return deny(503, 503, 'Injected fault: the WebSocket handshake was refused (503).');
    const checked = checkUpgrade(req, {
      tokens: this.deps.tokens(),
      subscriptions: this.subscriptions,
      now: this.deps.now,
    });
    if ('status' in checked) {
      refuse(socket, checked);
      return log(checked.status);
    }
    // ws answers malformed handshakes (no Sec-WebSocket-Key, wrong version) with 400 itself.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.closing || !this.subscriptions.get(checked.subscription.id)) {
        if (this.closing) ws.terminate();
        else ws.close(CLOSE.subscriptionDeleted, 'event subscription deleted');
        return;
      }
      const c = new Connection(this.sockets.nextId(), checked.subscription.id, ws, checked.token, {
        idleTimeoutMs: this.idleTimeoutMs,
        closeOnTokenExpiry: this.closeOnTokenExpiry,
        now: this.deps.now,
        onGone: (gone) => this.sockets.remove(gone),
      });
      this.sockets.add(c);
      log(101);
    });
  }
}

function validCloseCode(code: unknown): boolean {
  if (typeof code !== 'number' || !Number.isInteger(code)) return false;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}
