import { withSignal } from '../abort';
import { redactingLogger, silentLogger } from '../defaults';
import { ZoomAuthError, ZoomConfigError } from '../errors';
import { backoffMs } from '../http/retry-after';
import type { Logger } from '../ports';
import { scrubSecrets } from '../scrub';
import { createDeduper } from '../webhooks/dedupe';
import { RECONNECT_JITTER_FLOOR } from './backoff';
import { connectOnce, describe, safeClose, type ConnectResult, type TrackedSocket } from './connect';
import { EventStreamError } from './errors';
import { createDelivery } from './delivery';
import { DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS, resolveOptions } from './options';
import { classifyEnd } from './classify';
import type { EventStream, EventStreamOptions, EventStreamState, EventStreamStats } from './types';
import { urlWithToken } from './url';

/** Time `stop()` gives a closing socket before terminating it (where the socket can be terminated). */
const CLOSE_WAIT_MS = 3_000;
/** Tokens remembered for redaction (a long-lived stream mints one an hour). */
const MAX_REMEMBERED_SECRETS = 16;

/**
 * A Zoom WebSocket event subscription client: connects with a token from `getToken`, sends
 * heartbeats, parses and de-duplicates events, reconnects with jittered backoff and a fresh token.
 * Runtime-agnostic: the socket, clock and token source are injected.
 */
export function createEventStream(options: EventStreamOptions): EventStream {
  const cfg = resolveOptions(options);
  const { clock, target } = cfg;
  const secrets: string[] = [];
  const clean = (text: string) => scrubSecrets(text, secrets);
  const log = scrubbingLogger(redactingLogger(cfg.logger ?? silentLogger), clean);
  const dedupe =
    cfg.dedupe === undefined
      ? createDeduper({ ttlMs: DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS, now: () => clock.now() })
      : cfg.dedupe;

  let state: EventStreamState = { status: 'stopped' };
  let life: AbortController | undefined;
  let running: Promise<void> | undefined;
  /** The run loop of the current `life` has returned (failed): `start()` may begin afresh. */
  let ended = false;
  let stopping: Promise<void> | undefined;
  const sockets = new Set<TrackedSocket>();
  const counters = { connects: 0, disconnects: 0, disconnectedMs: 0, events: 0, duplicates: 0 };
  let lastError: string | undefined;
  /** Start of the current not-connected stretch while running. */
  let downSince: number | undefined;

  const delivery = createDelivery({
    clock,
    dedupe,
    log,
    clean,
    onEvent: cfg.onEvent,
    counted: (kind) => {
      counters[kind]++;
    },
  });

  function setState(next: EventStreamState): void {
    state = next;
    if (cfg.onState === undefined) return;
    try {
      cfg.onState(next);
    } catch (err) {
      log.warn('event stream: onState threw', { error: describe(err) });
    }
  }

  async function stopNow(): Promise<void> {
    const controller = life;
    life = undefined;
    if (controller !== undefined) {
      controller.abort();
      delivery.pause();
      if (downSince !== undefined) markUp(clock.now());
      for (const t of sockets) safeClose(t.ws, 1000, 'client stopped');
      await Promise.allSettled([running, ...[...sockets].map(waitClosed)]);
    }
    // start() during the wait began a new run: its state stands.
    if (life === undefined) {
      running = undefined;
      setState({ status: 'stopped' });
    }
  }

  function markDown(at: number): void {
    if (downSince === undefined) downSince = at;
  }
  function markUp(at: number): void {
    if (downSince !== undefined) counters.disconnectedMs += Math.max(0, at - downSince);
    downSince = undefined;
  }

  function remember(token: string): void {
    if (secrets.includes(token)) return;
    secrets.push(token);
    if (secrets.length > MAX_REMEMBERED_SECRETS) secrets.shift();
  }

  async function run(signal: AbortSignal): Promise<void> {
    /** Consecutive failures since the last stable connection: drives the backoff. */
    let failures = 0;
    /** Consecutive refused upgrades made with a freshly minted token. */
    let rejections = 0;
    let forceRefresh = false;
    /** The one immediate retry after an auth refusal has been used (reset by a stable connection). */
    let quickRetryUsed = false;
    let attempt = 0;

    while (!signal.aborted) {
      attempt++;
      setState({ status: 'connecting', attempt });
      const freshToken = forceRefresh;
      let token: string;
      try {
        // The token request itself runs on (owned by the host); the stream just stops waiting for it.
        token = await withSignal(cfg.getToken({ forceRefresh }), signal);
      } catch (err) {
        if (signal.aborted) return;
        const permanent = tokenFailure(err, clean);
        const text = clean(`could not get an access token: ${describe(err) || 'unknown error'}`);
        if (permanent) return fail(permanent);
        failures++;
        if (!(await pause(failures, text, signal))) return;
        continue;
      }
      forceRefresh = false;
      if (typeof token !== 'string' || token === '') {
        return fail(new EventStreamError('createEventStream: getToken resolved without an access token', 'config'));
      }
      remember(token);

      const result = await connectOnce({
        url: urlWithToken(target, token),
        webSocket: cfg.webSocket,
        clock,
        openTimeoutMs: cfg.openTimeoutMs,
        heartbeatMs: cfg.heartbeatMs,
        signal,
        track: (ws) => {
          let markClosed!: () => void;
          const tracked: TrackedSocket = { ws, closed: new Promise<void>((r) => (markClosed = r)) };
          sockets.add(tracked);
          void tracked.closed.then(() => sockets.delete(tracked));
          return { markClosed };
        },
        onOpen: (at) => {
          counters.connects++;
          markUp(at);
          rejections = 0;
          attempt = 0;
          log.info('event stream connected', { subscriptionId: target.subscriptionId });
          setState({ status: 'connected', since: at, reconnects: counters.connects - 1 });
        },
        onFrame: delivery.push,
        clean,
        debug: (m) => log.debug(`event stream: ${m}`, { subscriptionId: target.subscriptionId }),
      });
      if (signal.aborted || result.aborted) return;
      markDown(result.endedAt);

      const outcome = classifyEnd(result, {
        freshToken,
        subscriptionId: target.subscriptionId,
        heartbeatMs: cfg.heartbeatMs,
      });
      lastError = outcome.reason;
      if (result.opened) counters.disconnects++;
      log.warn(`event stream: ${outcome.reason}`, logMeta(result));

      if (outcome.kind === 'fatal') return fail(outcome.error);
      if (outcome.stable) {
        failures = 0;
        quickRetryUsed = false;
      }
      if (outcome.kind === 'auth') {
        forceRefresh = true;
        // A stale or revoked token: mint a new one and retry at once, once until a connection has
        // proved stable (a server that accepts and then closes for auth must not make a tight loop).
        if (!quickRetryUsed && (result.opened || !freshToken)) {
          quickRetryUsed = true;
          continue;
        }
      }
      if (outcome.countsAsRejection) {
        rejections++;
        forceRefresh = true;
        if (rejections >= cfg.maxHandshakeRejections) return fail(outcome.giveUp(rejections));
      }
      failures++;
      if (!(await pause(failures, outcome.reason, signal))) return;
    }

    function fail(error: EventStreamError): void {
      lastError = error.message;
      log.error(`event stream failed: ${error.message}`, {
        subscriptionId: target.subscriptionId,
        errorCode: error.code,
      });
      setState({ status: 'failed', error });
    }

    /** Waits out the backoff; false when stopped meanwhile. */
    async function pause(n: number, reason: string, sig: AbortSignal): Promise<boolean> {
      const { initialMs, maxMs, factor } = cfg.backoff;
      const retryInMs = backoffMs(n - 1, initialMs, maxMs, cfg.random, { factor, floor: RECONNECT_JITTER_FLOOR });
      lastError = reason;
      setState({ status: 'reconnecting', attempt: n, retryInMs, disconnectedSince: downSince ?? clock.now(), reason });
      try {
        await withSignal(() => clock.sleep(retryInMs, sig), sig);
      } catch (err) {
        if (!sig.aborted) {
          // Retrying without a working sleep would be a tight loop.
          fail(new EventStreamError(clean(`clock.sleep failed: ${describe(err) || 'unknown error'}`), 'config'));
        }
        return false;
      }
      return !sig.aborted;
    }
  }

  function logMeta(result: ConnectResult): Record<string, unknown> {
    const meta: Record<string, unknown> = { subscriptionId: target.subscriptionId };
    if (result.code !== undefined) meta.closeCode = result.code;
    if (result.status !== undefined) meta.status = result.status;
    if (result.opened && result.openedAt !== undefined) meta.connectedMs = result.endedAt - result.openedAt;
    return meta;
  }

  async function waitClosed(t: TrackedSocket): Promise<void> {
    const timer = new AbortController();
    await Promise.race([
      t.closed.then(() => timer.abort()),
      withSignal(() => clock.sleep(CLOSE_WAIT_MS, timer.signal), timer.signal).then(
        () => {
          // The server never answered the close frame: drop the connection where the socket allows it.
          const terminate = (t.ws as { terminate?: unknown }).terminate;
          if (typeof terminate === 'function') terminate.call(t.ws);
          sockets.delete(t);
        },
        () => undefined,
      ),
    ]);
  }

  return {
    start() {
      if (life !== undefined && !ended) return;
      life?.abort();
      const controller = new AbortController();
      life = controller;
      ended = false;
      delivery.resume();
      downSince = clock.now();
      lastError = undefined;
      running = run(controller.signal).catch((err: unknown) => {
        // run() handles its own failures; this is a bug guard so the host never sees a rejection.
        log.error('event stream: unexpected failure', { error: clean(describe(err)) });
      });
      void running.then(() => {
        if (life === controller) ended = true;
      });
    },
    stop() {
      stopping ??= stopNow().finally(() => {
        stopping = undefined;
      });
      return stopping;
    },
    get state() {
      return state;
    },
    stats() {
      const ongoing = downSince !== undefined && life !== undefined ? Math.max(0, clock.now() - downSince) : 0;
      const out: EventStreamStats = { ...counters, disconnectedMs: counters.disconnectedMs + ongoing };
      if (lastError !== undefined) out.lastError = clean(lastError);
      return out;
    },
  };
}

/** Errors from `getToken` that retrying cannot fix (wrong credentials, misconfiguration). */
function tokenFailure(err: unknown, clean: (text: string) => string): EventStreamError | undefined {
  if (err instanceof ZoomConfigError)
    return new EventStreamError(clean(`could not get an access token: ${err.message}`), 'config');
  if (
    err instanceof ZoomAuthError &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 429 &&
    err.status !== 408
  ) {
    return new EventStreamError(clean(`could not get an access token: ${err.message}`), 'unauthorized', err.status);
  }
  return undefined;
}

function scrubbingLogger(inner: Logger, clean: (text: string) => string): Logger {
  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return clean(value);
    if (value === null || typeof value !== 'object' || depth > 4) return value;
    if (Array.isArray(value)) return value.map((v) => deep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deep(v, depth + 1);
    return out;
  };
  const wrap = (level: keyof Logger) => (message: string, meta?: Record<string, unknown>) =>
    inner[level](clean(message), meta && (deep(meta, 0) as Record<string, unknown>));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
