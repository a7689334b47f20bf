import type { EventKind } from './catalog';
import type { ZoomDeliveryCode } from './transport';

export type { EventKind };

/** Messages carry no secrets: subscriptions are named by id and URL only. */
export interface WebhookLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

export interface WebhookHubOptions {
  /** Epoch milliseconds for `event_ts`, `x-zm-request-timestamp` and records. Default `Date.now`. */
  now?: () => number;
  /** Divides Zoom's retry delays (5, 20, 60 minutes): 600 turns minutes into tenths of seconds. Default 1. */
  timeScale?: number;
  /** Default `Zoom Marketplace/1.0a`, as Zoom sends. */
  userAgent?: string;
  /** Validate every delivery against its event schema and throw from `emit` when it does not match. Default true. */
  validate?: boolean;
  /**
   * Send with this instead of the default node:http(s) keep-alive agents (which the hub caps at
   * `maxInFlight` sockets and closes on `close()`).
   */
  fetch?: typeof fetch;
  logger?: WebhookLogger;
  /** A delivery must be answered with 2xx within this. Default 3000 (Zoom's three seconds). */
  deliveryTimeoutMs?: number;
  /** The url_validation challenge must be answered within this. Default 3000 (Zoom's three seconds). */
  validationTimeoutMs?: number;
  /** Outgoing requests at once; more wait in a queue. Default 64. */
  maxInFlight?: number;
  /** Deliveries waiting beyond this are dropped (recorded as `dropped`). Default 100000. */
  maxQueued?: number;
  /** Attempt records kept for `deliveries()` (oldest dropped first). Default 10000. */
  maxRecords?: number;
  /** Called once per attempt record (e.g. to stream a log); exceptions are logged and ignored. */
  onRecord?: (record: DeliveryRecord) => void;
}

export interface SubscriptionInput {
  /** Absolute http(s) URL of the event notification endpoint. */
  url: string;
  /** The app's Secret Token: signs every request and answers the url_validation challenge. */
  secretToken: string;
  /** Event names from team-chat-events / chatbot-events specs, e.g. `team_chat.channel_message_posted`. */
  events: string[];
  /** Default `chatbot` when any listed event is a Chatbot event, else `team-chat`. */
  kind?: EventKind;
  /** Chatbot subscriptions only: receive Chatbot events only for this bot (payload `robotJid`). */
  botJid?: string;
}

export interface SubscriptionInfo {
  id: string;
  url: string;
  events: string[];
  kind: EventKind;
  botJid?: string;
}

/**
 * - `delivered`: 2xx within the time limit.
 * - `retrying`: ≥ 500 or no answer; another attempt follows after `retryInMs`.
 * - `failed`: final (3xx/4xx are never retried; or the last retry failed).
 * - `aborted`: cancelled in flight by `close()`.
 * - `dropped`: never sent, the queue was full.
 */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'aborted' | 'dropped';

/** One attempt to deliver one event to one subscription. */
export interface DeliveryRecord {
  /** Unique per attempt. */
  id: string;
  /** Shared by all attempts of one event to one subscription. */
  deliveryId: string;
  subscriptionId: string;
  url: string;
  event: string;
  /** `x-zm-request-id`: the same on every attempt of a delivery, so receivers can de-duplicate. */
  requestId: string;
  /** 1 for the first try, 2–4 for Zoom's three retries. */
  attempt: number;
  outcome: DeliveryOutcome;
  /** The HTTP status, when the endpoint answered. */
  status?: number;
  /** Why there was no (usable) answer. */
  error?: string;
  /** Zoom's code for a delivery without an answer: -1 timeout, -2 refused, -7 remote error, -13 DNS. */
  errorCode?: ZoomDeliveryCode;
  /** Wall time of the attempt. */
  durationMs: number;
  /** Epoch ms (hub clock) at which the attempt started. */
  at: number;
  /** For `retrying`: real milliseconds until the next attempt (after `timeScale`). */
  retryInMs?: number;
}

export interface EmitOptions {
  /** `event_ts` in epoch ms. Default: the hub clock. */
  eventTs?: number;
  /**
   * Top-level delivery fields besides event/event_ts/payload, e.g. `response_url` (required by
   * `team_chat.link_shared`) or `callback_url`/`callback_token` (interactive Chatbot events).
   */
  extra?: Record<string, unknown>;
  /** Chatbot events: the bot addressed (default: `payload.robotJid`), matched against subscriptions' `botJid`. */
  botJid?: string;
}

export interface HubStats {
  subscriptions: number;
  queued: number;
  inFlight: number;
  /** Deliveries waiting for a retry timer. */
  retryPending: number;
  delivered: number;
  failed: number;
  dropped: number;
}

export interface WebhookHub {
  /** Validates the input, runs the url_validation challenge, then stores the subscription. */
  addSubscription(input: SubscriptionInput): Promise<{ id: string; url: string; events: string[] }>;
  /** Stops deliveries to it (queued ones and pending retries are dropped). False when unknown. */
  removeSubscription(id: string): boolean;
  listSubscriptions(): SubscriptionInfo[];
  /**
   * Wraps `{event, event_ts, payload}` and queues one delivery per matching subscription.
   * Throws (synchronously) on an unknown event or, with `validate`, a delivery that does not
   * match the event's schema. Returns how many subscriptions it was queued for.
   */
  emit(event: string, payload: Record<string, unknown>, opts?: EmitOptions): number;
  /** Attempt records, oldest first (at most `maxRecords`). */
  deliveries(): DeliveryRecord[];
  /**
   * Resolves when nothing is queued or in flight. Retries waiting for their timer do not count
   * (a retry whose timer has fired is queued, so it does) unless `includeRetries` is set, which
   * waits until every delivery has succeeded or given up.
   */
  settle(opts?: { includeRetries?: boolean }): Promise<void>;
  stats(): HubStats;
  /** Cancels retry timers and queued deliveries, aborts requests in flight and pending url validations. */
  close(): Promise<void>;
}
