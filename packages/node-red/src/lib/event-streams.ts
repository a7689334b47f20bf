/**
 * Zoom WebSocket event delivery for the trigger: one socket per (account config node,
 * subscription), shared by every trigger node that uses it and closed when the last one closes.
 * Zoom allows few connections per subscription and delivers each event to every open socket, so
 * one socket per trigger would both waste connections and deliver every event several times.
 */
import WebSocket from 'ws';
import {
  createEventStream,
  DEFAULT_EVENT_STREAM_URL,
  isZoomHost,
  nodeWebSocketFactory,
  parseSubscription as parseCoreSubscription,
  systemClock,
  webhookDeliveryKey,
  type EventStream,
  type EventStreamError,
  type EventStreamState,
  type Logger,
  type ZoomWebhookEvent,
} from '@zoom-team-chat/core';
import type { Account } from './account';
import type { NodeStatus } from './red';

/** Where Zoom serves WebSocket subscriptions when the user pastes only an ID. */
export const ZOOM_WS_BASE = DEFAULT_EVENT_STREAM_URL;
/** The trigger's one field, named in every refusal: "Subscription" for the ID, "Subscription URL" for the URL. */
const FIELDS = { subscriptionId: 'Subscription', endpointUrl: 'Subscription URL' };

/** A subscription as configured in a trigger: the key says which triggers may share one socket. */
export interface StreamTarget {
  subscriptionId: string;
  /** Endpoint without any access token (`<base>?subscriptionId=<id>`). */
  endpointUrl: string;
  key: string;
}

/**
 * Reads the trigger's "Subscription" field by the core's rules: the bare subscription ID, or the
 * endpoint URL the Marketplace shows (`wss://ws.zoom.us/ws?subscriptionId=…`). An `access_token`
 * pasted along is dropped: the token is minted here and never stored in a flow. With `account`,
 * the token may only go to Zoom or to the hosts of the account's custom URLs.
 *
 * The socket opens the subscription's key (extra query parameters dropped), so every trigger
 * naming the same subscription, however written, shares it.
 */
export function parseSubscription(
  raw: unknown,
  account?: { apiUrl: string; fileUrl: string; oauthUrl: string },
): StreamTarget {
  const allowHost = account === undefined ? undefined : tokenHosts(account);
  const { subscriptionId, key } = parseCoreSubscription(
    { subscriptionId: raw },
    { fields: FIELDS, ...(allowHost && { allowHost }) },
  );
  return { subscriptionId, endpointUrl: key, key };
}

/** Zoom's hosts and those of the account's custom URLs (a simulator, a proxy): nowhere else gets a token. */
function tokenHosts(account: { apiUrl: string; fileUrl: string; oauthUrl: string }): (host: string) => boolean {
  const own = new Set<string>();
  for (const value of [account.apiUrl, account.fileUrl, account.oauthUrl]) {
    if (!value) continue;
    try {
      own.add(new URL(value).hostname.toLowerCase());
    } catch {
      // The client refuses a malformed URL with its own message; it names no host to allow.
    }
  }
  return (host) => isZoomHost(host) || own.has(host.toLowerCase());
}

/** What a trigger node gets from its shared stream. */
export interface StreamListener {
  /** Called in arrival order for this listener; a slow listener does not hold up the others. */
  onEvent(event: ZoomWebhookEvent, meta: { receivedAt: number; deliveryKey: string }): Promise<void> | void;
  onStatus(status: NodeStatus): void;
  /** Once per failure: the stream has stopped retrying until the flows are deployed again. */
  onFailed(error: EventStreamError): void;
}

/** Settings tests and the acceptance host may tune; users get the core's defaults (Zoom's values). */
export interface StreamTuning {
  heartbeatMs?: number;
  openTimeoutMs?: number;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
}

let tuning: StreamTuning = {};

/** For tests: shorter timers. Applies to streams created afterwards. */
export function setStreamTuning(next: StreamTuning): void {
  tuning = { ...next };
}

interface Entry {
  stream: EventStream;
  listeners: Map<StreamListener, Promise<void>>;
  state: EventStreamState;
  /** When the next reconnect attempt is due (for the countdown in the status). */
  retryAt: number;
  ticker: NodeJS.Timeout | undefined;
}

const registry = new Map<Account, Map<string, Entry>>();

/** Open sockets' entries, for tests and the redeploy check ("no socket left behind"). */
export function activeStreamCount(): number {
  let n = 0;
  for (const byKey of registry.values()) n += byKey.size;
  return n;
}

export function statusOf(state: EventStreamState, retryAt: number, now: number): NodeStatus {
  switch (state.status) {
    case 'connecting':
      return {
        fill: 'yellow',
        shape: 'ring',
        text: state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting',
      };
    case 'connected':
      return { fill: 'green', shape: 'dot', text: 'connected' };
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
      return { fill: 'yellow', shape: 'ring', text: `reconnecting (${seconds}s)` };
    }
    case 'failed':
      return { fill: 'red', shape: 'ring', text: `failed: ${shortReason(state.error)}` };
    case 'stopped':
      return { fill: 'grey', shape: 'ring', text: 'disconnected' };
  }
}

function shortReason(error: EventStreamError): string {
  switch (error.code) {
    case 'subscription_not_found':
      return 'subscription not found';
    case 'unauthorized':
      return 'credentials refused';
    case 'handshake_rejected':
      return `connection refused${error.status !== undefined ? ` (${error.status})` : ''}`;
    default:
      return 'configuration';
  }
}

/** The token for the socket, from the account's shared client (the same cache the API nodes use). */
function tokenSource(account: Account): (opts: { forceRefresh: boolean }) => Promise<string> {
  let last: string | undefined;
  return async ({ forceRefresh }) => {
    const client = await account.client();
    // Zoom refused `last`: drop it so the provider mints a new one (a newer cached token stays).
    if (forceRefresh && last !== undefined) await client.tokens.invalidate(last);
    const token = await client.tokens.getToken(account.signal);
    if (token === undefined) throw new Error('The Zoom account node produced no access token');
    last = token;
    return token;
  };
}

/**
 * Joins `listener` to the stream of (account, target), starting the socket if it is the first.
 * Returns the function that leaves it; the last one to leave closes the socket.
 */
export function joinEventStream(
  account: Account,
  streamTarget: StreamTarget,
  listener: StreamListener,
  logger?: Logger,
): () => Promise<void> {
  let entry = registry.get(account)?.get(streamTarget.key);
  if (entry === undefined) {
    // Created before it is registered: settings the core refuses throw here and leave nothing behind.
    entry = createEntry(account, streamTarget, logger);
    let byKey = registry.get(account);
    if (byKey === undefined) {
      byKey = new Map();
      registry.set(account, byKey);
    }
    byKey.set(streamTarget.key, entry);
    entry.listeners.set(listener, Promise.resolve());
    entry.stream.start();
  } else {
    entry.listeners.set(listener, Promise.resolve());
    listener.onStatus(statusOf(entry.state, entry.retryAt, Date.now()));
    if (entry.state.status === 'failed') listener.onFailed(entry.state.error);
  }
  const joined = entry;
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    joined.listeners.delete(listener);
    if (joined.listeners.size > 0) return;
    // Removed at once, so a trigger deployed while this socket closes opens a fresh one.
    const current = registry.get(account);
    if (current?.get(streamTarget.key) === joined) current.delete(streamTarget.key);
    if (current?.size === 0) registry.delete(account);
    stopTicker(joined);
    await joined.stream.stop();
  };
}

function createEntry(account: Account, streamTarget: StreamTarget, logger: Logger | undefined): Entry {
  const entry: Entry = {
    stream: undefined as unknown as EventStream,
    listeners: new Map(),
    state: { status: 'connecting', attempt: 1 },
    retryAt: 0,
    ticker: undefined,
  };
  const broadcast = () => {
    const status = statusOf(entry.state, entry.retryAt, Date.now());
    for (const listener of entry.listeners.keys()) listener.onStatus(status);
  };
  entry.stream = createEventStream({
    endpointUrl: streamTarget.endpointUrl,
    getToken: tokenSource(account),
    webSocket: nodeWebSocketFactory(WebSocket),
    clock: systemClock,
    // Each trigger keeps its own de-duplication (its "drop retried deliveries" setting and context).
    dedupe: false,
    ...tuning,
    ...(logger !== undefined ? { logger } : {}),
    onEvent: (event, meta) => {
      const deliveryKey = webhookDeliveryKey({ event });
      for (const [listener, queue] of entry.listeners) {
        // Per-listener queue: arrival order per trigger, and one busy flow holds up no other.
        const next = queue
          .then(() => listener.onEvent(event, { receivedAt: meta.receivedAt, deliveryKey }))
          .catch((err: unknown) =>
            logger?.warn(
              `Zoom WebSocket trigger failed on ${event.event}: ${err instanceof Error ? err.message : String(err)}`,
            ),
          );
        entry.listeners.set(listener, next);
      }
    },
    onState: (state) => {
      entry.state = state;
      if (state.status === 'reconnecting') {
        entry.retryAt = Date.now() + state.retryInMs;
        startTicker(entry, broadcast);
      } else {
        stopTicker(entry);
      }
      broadcast();
      if (state.status === 'failed') for (const listener of entry.listeners.keys()) listener.onFailed(state.error);
    },
  });
  return entry;
}

/** The "reconnecting (Ns)" countdown: one timer per socket, only while waiting to reconnect. */
function startTicker(entry: Entry, broadcast: () => void): void {
  if (entry.ticker !== undefined) return;
  entry.ticker = setInterval(() => {
    if (entry.state.status !== 'reconnecting') stopTicker(entry);
    else broadcast();
  }, 1000);
  entry.ticker.unref?.();
}

function stopTicker(entry: Entry): void {
  if (entry.ticker !== undefined) clearInterval(entry.ticker);
  entry.ticker = undefined;
}
