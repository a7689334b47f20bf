/**
 * WebSocket delivery as both hosts run it. Zoom allows few connections per subscription and
 * sends every event to each of them, so triggers naming the same subscription share one socket:
 * each joins with its own listener, gets the events in arrival order on its own queue (one slow
 * flow or download holds up no other trigger), and sees the connection's state, including to a
 * trigger that joins late, and the seconds to the next reconnect.
 */
import { withSignal } from '../abort';
import { webhookDeliveryKey } from '../webhooks/dedupe';
import type { ZoomWebhookEvent } from '../spec';
import type { EventStreamError } from './errors';
import { createEventStream } from './stream';
import type { EventStream, EventStreamOptions, EventStreamState, EventStreamStats } from './types';
import { isZoomHost } from './url';

/** What a listener is told about the connection: on every change, and each second while waiting to reconnect. */
export interface StreamView {
  state: EventStreamState;
  /** Short, for a node status: `connected`, `reconnecting (12s)`, `failed: subscription not found`… */
  text: string;
  stats: EventStreamStats;
  /** A countdown repeat of the same state, not a change. */
  tick: boolean;
}

export interface StreamListener {
  onEvent(event: ZoomWebhookEvent, meta: { receivedAt: number; deliveryKey: string; raw: string }): unknown;
  onState?(view: StreamView): void;
}

/** The stream's settings without its handlers: the hub owns those. */
export type SharedStreamOptions = Omit<EventStreamOptions, 'onEvent' | 'onState'>;

export interface JoinedStream {
  /** Leaves; the last listener to leave stops the socket. */
  leave(): Promise<void>;
  /** The first `connected` or `failed` state, or undefined when neither came within `timeoutMs`. */
  ready(timeoutMs: number): Promise<EventStreamState | undefined>;
}

export interface EventStreamHub {
  /**
   * Joins `listener` to the stream of (`owner`, `key`), opening it with `open()` when it is the
   * first. `open` may throw (settings the core refuses): nothing is left behind then.
   */
  join(owner: object, key: string, open: () => SharedStreamOptions, listener: StreamListener): JoinedStream;
  /** Streams open, for tests and redeploy checks. */
  size(): number;
}

interface Entry {
  stream: EventStream;
  clock: SharedStreamOptions['clock'];
  listeners: Map<StreamListener, Promise<unknown>>;
  waiting: Set<(state: EventStreamState) => void>;
  retryAt: number;
  ticker: AbortController | undefined;
}

const SHORT_REASON: Record<string, string> = {
  subscription_not_found: 'subscription not found',
  unauthorized: 'credentials refused',
};

/** The status line of a stream's state (`retryAt`: when the next reconnect is due). */
export function streamStatusText(state: EventStreamState, retryAt: number, now: number): string {
  switch (state.status) {
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting';
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return `reconnecting (${Math.max(0, Math.ceil((retryAt - now) / 1000))}s)`;
    case 'failed': {
      const { code, status } = state.error;
      const short =
        SHORT_REASON[code] ??
        (code === 'handshake_rejected'
          ? `connection refused${status !== undefined ? ` (${status})` : ''}`
          : 'configuration');
      return `failed: ${short}`;
    }
    case 'stopped':
      return 'disconnected';
  }
}

/** A log line for a change worth one (a reconnect, a drop), or undefined. */
export function streamStateLog(
  state: EventStreamState,
  stats: EventStreamStats,
): { level: 'info' | 'warn'; message: string } | undefined {
  if (state.status === 'connected' && state.reconnects > 0) {
    const seconds = Math.round(stats.disconnectedMs / 1000);
    return {
      level: 'info',
      message: `reconnected (reconnect ${state.reconnects}; ${seconds} s disconnected in total, events in that time are not redelivered by Zoom)`,
    };
  }
  if (state.status === 'reconnecting') {
    return {
      level: 'warn',
      message: `disconnected (${state.reason}); reconnecting in ${Math.round(state.retryInMs / 1000)} s`,
    };
  }
  return undefined;
}

/** What to check after a permanent failure; `field` is how the host names the subscription setting. */
export function streamFailureHint(error: EventStreamError, field: string): string {
  switch (error.code) {
    case 'subscription_not_found':
      return `Check ${field}: copy it again from the app's Event Subscription (method WebSocket) in the Zoom App Marketplace.`;
    case 'unauthorized':
      return "Zoom refused the app's access token. Check that the Server-to-Server OAuth app is activated and has the scopes of the subscribed events.";
    case 'handshake_rejected':
      return 'Zoom refused the connection each time, with a fresh token every time. Check the subscription ID (method WebSocket, same app as the credential) and that the app is activated.';
    default:
      return '';
  }
}

/**
 * `getToken` for a stream from a token provider (the client's own, so the socket and the API calls
 * share one cached token): after Zoom refused a token, that one is dropped and a new one minted.
 * `onToken` sees every token handed out (a host that scrubs its own log lines).
 */
export function streamTokenSource(
  provider: () =>
    | { getToken(signal?: AbortSignal): Promise<string | undefined>; invalidate(token: string): Promise<void> }
    | Promise<{
        getToken(signal?: AbortSignal): Promise<string | undefined>;
        invalidate(token: string): Promise<void>;
      }>,
  options: { signal?: AbortSignal; onToken?: (token: string) => void } = {},
): EventStreamOptions['getToken'] {
  let last: string | undefined;
  return async ({ forceRefresh }) => {
    const tokens = await provider();
    // Only `last`: a newer token another caller cached meanwhile stays.
    if (forceRefresh && last !== undefined) await tokens.invalidate(last);
    const token = await tokens.getToken(options.signal);
    if (!token) throw new Error('Zoom did not return an access token');
    last = token;
    options.onToken?.(token);
    return token;
  };
}

/**
 * The host names an access token may be sent to: Zoom's, and those of the base URLs the
 * credentials name (a simulator, a proxy). A malformed URL names no host (the client refuses it
 * with its own message).
 */
export function tokenHostsOf(urls: Iterable<string | undefined>): (host: string) => boolean {
  const own = new Set<string>();
  for (const value of urls) {
    if (!value) continue;
    try {
      own.add(new URL(value).hostname.toLowerCase());
    } catch {
      // See above.
    }
  }
  return (host) => isZoomHost(host) || own.has(host.toLowerCase());
}

export function createEventStreamHub(): EventStreamHub {
  const registry = new Map<object, Map<string, Entry>>();

  const viewOf = (entry: Entry, tick: boolean, now: number): StreamView => ({
    state: entry.stream.state,
    text: streamStatusText(entry.stream.state, entry.retryAt, now),
    stats: entry.stream.stats(),
    tick,
  });
  const tell = (listener: StreamListener, view: StreamView) => {
    try {
      listener.onState?.(view);
    } catch {
      // A listener's status display must not stop the others.
    }
  };

  function open(options: SharedStreamOptions): Entry {
    const { clock } = options;
    const entry = {
      clock,
      listeners: new Map(),
      waiting: new Set(),
      retryAt: 0,
      ticker: undefined,
    } as unknown as Entry;
    const broadcast = (tick: boolean) => {
      const view = viewOf(entry, tick, clock.now());
      for (const listener of entry.listeners.keys()) tell(listener, view);
    };
    // One countdown per socket, only while waiting to reconnect; on the host's clock (no timers here).
    const tickWhileWaiting = async (signal: AbortSignal) => {
      while (!signal.aborted && entry.stream.state.status === 'reconnecting') {
        await withSignal(() => clock.sleep(1000, signal), signal).catch(() => undefined);
        if (!signal.aborted && entry.stream.state.status === 'reconnecting') broadcast(true);
      }
    };
    entry.stream = createEventStream({
      ...options,
      onEvent: (event, meta) => {
        const deliveryKey = webhookDeliveryKey({ event });
        for (const [listener, queue] of entry.listeners) {
          const next = queue
            .then(() => {
              // Left meanwhile (closed or redeployed): its queue is dropped, not delivered.
              if (entry.listeners.has(listener)) return listener.onEvent(event, { ...meta, deliveryKey });
            })
            .catch((err: unknown) =>
              options.logger?.warn(
                `Zoom WebSocket trigger failed on ${event.event}: ${err instanceof Error ? err.message : String(err)}`,
              ),
            );
          entry.listeners.set(listener, next);
        }
      },
      onState: (state) => {
        entry.ticker?.abort();
        entry.ticker = undefined;
        if (state.status === 'reconnecting') {
          entry.retryAt = clock.now() + state.retryInMs;
          entry.ticker = new AbortController();
          void tickWhileWaiting(entry.ticker.signal);
        }
        if (state.status === 'connected' || state.status === 'failed') {
          for (const settle of entry.waiting) settle(state);
          entry.waiting.clear();
        }
        broadcast(false);
      },
    });
    return entry;
  }

  return {
    join(owner, key, openOptions, listener) {
      let entry = registry.get(owner)?.get(key);
      if (entry === undefined) {
        entry = open(openOptions());
        let byKey = registry.get(owner);
        if (byKey === undefined) registry.set(owner, (byKey = new Map()));
        byKey.set(key, entry);
        entry.listeners.set(listener, Promise.resolve());
        entry.stream.start();
      } else {
        entry.listeners.set(listener, Promise.resolve());
        tell(listener, viewOf(entry, false, entry.clock.now()));
      }
      const joined = entry;
      let left = false;
      return {
        async leave() {
          if (left) return;
          left = true;
          joined.listeners.delete(listener);
          if (joined.listeners.size > 0) return;
          // Removed at once, so a trigger deployed while this socket closes opens a fresh one.
          const byKey = registry.get(owner);
          if (byKey?.get(key) === joined) byKey.delete(key);
          if (byKey?.size === 0) registry.delete(owner);
          joined.ticker?.abort();
          for (const settle of joined.waiting) settle(joined.stream.state);
          joined.waiting.clear();
          await joined.stream.stop();
        },
        async ready(timeoutMs) {
          const now = joined.stream.state;
          if (now.status === 'connected' || now.status === 'failed') return now;
          const sleeper = new AbortController();
          let settle!: (state: EventStreamState) => void;
          const first = new Promise<EventStreamState>((resolve) => (settle = resolve));
          joined.waiting.add(settle);
          const outcome = await Promise.race([
            first,
            withSignal(() => joined.clock.sleep(timeoutMs, sleeper.signal), sleeper.signal).then(
              () => undefined,
              () => undefined,
            ),
          ]);
          sleeper.abort();
          joined.waiting.delete(settle);
          return outcome;
        },
      };
    },
    size() {
      let n = 0;
      for (const byKey of registry.values()) n += byKey.size;
      return n;
    },
  };
}
