import { ZoomConfigError } from '../errors';
import type { Logger } from '../ports';
import { resolveBackoff, positive, type BackoffConfig } from './backoff';
import type { EventStreamOptions } from './types';
import { parseSubscription, type Subscription } from './url';

export const DEFAULT_HEARTBEAT_MS = 30_000;
export const DEFAULT_OPEN_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_HANDSHAKE_REJECTIONS = 5;
/**
 * Unlike a webhook, a socket gets no retries from Zoom: the copies to drop are the ones a reconnect
 * or a second socket on the same subscription brings within minutes. Webhooks need longer (see
 * `DEFAULT_DEDUPE_TTL_MS`).
 */
export const DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS = 10 * 60 * 1000;

export interface ResolvedOptions {
  target: Subscription;
  getToken: EventStreamOptions['getToken'];
  webSocket: EventStreamOptions['webSocket'];
  clock: EventStreamOptions['clock'];
  heartbeatMs: number;
  openTimeoutMs: number;
  backoff: BackoffConfig;
  random: () => number;
  dedupe: { seen(key: string): Promise<boolean> } | false | undefined;
  maxHandshakeRejections: number;
  logger: Logger | undefined;
  onEvent: EventStreamOptions['onEvent'];
  onState: EventStreamOptions['onState'];
}

/** Checks every option up front: a host learns about a typo at setup, with the field named. */
export function resolveOptions(options: EventStreamOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ZoomConfigError('createEventStream: options must be an object');
  }
  const o = options as unknown as Record<string, unknown>;
  fn(o.getToken, 'getToken', '({ forceRefresh }) => Promise<string>, e.g. a token provider');
  fn(o.webSocket, 'webSocket', '(url, hooks) => WebSocket, e.g. (url) => new WebSocket(url)');
  fn(o.onEvent, 'onEvent', '(event, meta) => void');
  if (o.onState !== undefined) fn(o.onState, 'onState', '(state) => void');
  if (o.clock === null || typeof o.clock !== 'object') {
    throw new ZoomConfigError(
      'createEventStream: clock is required: { now(): number; sleep(ms, signal): Promise<void> }',
    );
  }
  const clock = o.clock as Record<string, unknown>;
  fn(clock.now, 'clock.now', '() => epoch milliseconds');
  fn(clock.sleep, 'clock.sleep', '(ms, signal) => Promise<void>, rejecting when the signal aborts');
  if (o.random !== undefined) fn(o.random, 'random', '() => a number in [0, 1)');
  if (o.dedupe !== undefined && o.dedupe !== false) {
    if (
      o.dedupe === null ||
      typeof o.dedupe !== 'object' ||
      typeof (o.dedupe as { seen?: unknown }).seen !== 'function'
    ) {
      throw new ZoomConfigError(
        'createEventStream: dedupe must be false or { seen(key): Promise<boolean> } (see createDeduper)',
      );
    }
  }
  if (o.logger !== undefined) {
    const logger = o.logger as Record<string, unknown> | null;
    for (const level of ['debug', 'info', 'warn', 'error']) {
      if (logger === null || typeof logger !== 'object' || typeof logger[level] !== 'function') {
        throw new ZoomConfigError(`createEventStream: logger.${level} must be a function`);
      }
    }
  }
  const maxHandshakeRejections = positive(
    o.maxHandshakeRejections,
    DEFAULT_MAX_HANDSHAKE_REJECTIONS,
    'maxHandshakeRejections',
  );
  if (!Number.isSafeInteger(maxHandshakeRejections)) {
    throw new ZoomConfigError('createEventStream: maxHandshakeRejections must be a whole number ≥ 1');
  }
  return {
    target: subscriptionOf(o),
    getToken: options.getToken,
    webSocket: options.webSocket,
    clock: options.clock,
    heartbeatMs: positive(o.heartbeatMs, DEFAULT_HEARTBEAT_MS, 'heartbeatMs'),
    openTimeoutMs: positive(o.openTimeoutMs, DEFAULT_OPEN_TIMEOUT_MS, 'openTimeoutMs'),
    backoff: resolveBackoff(o.backoff),
    random: options.random ?? Math.random,
    dedupe: options.dedupe,
    maxHandshakeRejections,
    logger: options.logger,
    onEvent: options.onEvent,
    onState: options.onState,
  };
}

function subscriptionOf(o: Record<string, unknown>): Subscription {
  try {
    return parseSubscription({ endpointUrl: o.endpointUrl, subscriptionId: o.subscriptionId });
  } catch (err) {
    throw err instanceof ZoomConfigError ? new ZoomConfigError(`createEventStream: ${err.message}`) : err;
  }
}

function fn(value: unknown, field: string, shape: string): void {
  if (typeof value !== 'function')
    throw new ZoomConfigError(`createEventStream: ${field} must be a function: ${shape}`);
}
