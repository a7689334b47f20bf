/**
 * Zoom WebSocket event delivery for the trigger: one socket per (account config node,
 * subscription), shared by every trigger node that uses it, through the core's stream hub.
 */
import WebSocket from 'ws';
import {
  createEventStreamHub,
  DEFAULT_EVENT_STREAM_URL,
  nodeWebSocketFactory,
  parseSubscription as parseCoreSubscription,
  streamStatusText,
  streamTokenSource,
  systemClock,
  tokenHostsOf,
  type EventStreamState,
  type JoinedStream,
  type Logger,
  type SharedStreamOptions,
  type StreamListener,
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
 * Reads the trigger's "Subscription" field by the core's rules (bare ID or the Marketplace's
 * endpoint URL; a pasted `access_token` dropped). With `account`, the token may only go to Zoom or
 * to the hosts of the account's custom URLs. Every spelling of one subscription gives one key.
 */
export function parseSubscription(
  raw: unknown,
  account?: { apiUrl: string; fileUrl: string; oauthUrl: string },
): StreamTarget {
  const allowHost = account && tokenHostsOf([account.apiUrl, account.fileUrl, account.oauthUrl]);
  const { subscriptionId, key } = parseCoreSubscription(
    { subscriptionId: raw },
    { fields: FIELDS, ...(allowHost && { allowHost }) },
  );
  return { subscriptionId, endpointUrl: key, key };
}

/** Settings tests and the acceptance host may tune; users get the core's defaults (Zoom's values). */
export type StreamTuning = Pick<SharedStreamOptions, 'heartbeatMs' | 'openTimeoutMs' | 'backoff'>;

let tuning: StreamTuning = {};

/** For tests: shorter timers. Applies to streams created afterwards. */
export function setStreamTuning(next: StreamTuning): void {
  tuning = { ...next };
}

const hub = createEventStreamHub();

/** Open sockets, for tests and the redeploy check ("no socket left behind"). */
export const activeStreamCount = (): number => hub.size();

const LOOK: Record<EventStreamState['status'], Pick<NodeStatus, 'fill' | 'shape'>> = {
  connecting: { fill: 'yellow', shape: 'ring' },
  connected: { fill: 'green', shape: 'dot' },
  reconnecting: { fill: 'yellow', shape: 'ring' },
  failed: { fill: 'red', shape: 'ring' },
  stopped: { fill: 'grey', shape: 'ring' },
};

export function statusOf(state: EventStreamState, retryAt: number, now: number): NodeStatus {
  return { ...LOOK[state.status], text: streamStatusText(state, retryAt, now) };
}

/**
 * Joins `listener` to the stream of (account, target), starting the socket if it is the first.
 * Returns the function that leaves it; the last one to leave closes the socket. Each listener gets
 * the events in arrival order; a slow one does not hold up the others.
 */
export function joinEventStream(
  account: Account,
  target: StreamTarget,
  listener: StreamListener,
  logger?: Logger,
): () => Promise<void> {
  const joined: JoinedStream = hub.join(
    account,
    target.key,
    () => ({
      endpointUrl: target.endpointUrl,
      // The account's shared client: the same token cache the API nodes use.
      getToken: streamTokenSource(async () => (await account.client()).tokens, { signal: account.signal }),
      webSocket: nodeWebSocketFactory(WebSocket),
      clock: systemClock,
      // Each trigger keeps its own de-duplication (its "drop retried deliveries" setting and context).
      dedupe: false,
      ...tuning,
      ...(logger !== undefined ? { logger } : {}),
    }),
    listener,
  );
  return () => joined.leave();
}
