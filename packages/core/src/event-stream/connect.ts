import { withSignal } from '../abort';
import type { Clock } from '../ports';
import { HEARTBEAT_FRAME, runHeartbeat } from './heartbeat';
import type { WebSocketFactory, WebSocketLike } from './types';

/** How one connection attempt ended. Text fields are already free of secrets. */
export interface ConnectResult {
  opened: boolean;
  openedAt?: number;
  endedAt: number;
  /** Close code and reason, when a close event arrived. */
  code?: number;
  reason?: string;
  /** HTTP status and body of a refused upgrade, when the adapter could see them. */
  status?: number;
  body?: string;
  /** No open within openTimeoutMs. */
  timedOut?: boolean;
  /** Open, but the server stopped answering heartbeats. */
  silent?: boolean;
  /** The stream is stopping. */
  aborted?: boolean;
  /** The factory threw or the socket reported an error. */
  error?: string;
  /** A Node network error code seen on the error event (ECONNREFUSED…): the endpoint was not reached. */
  networkCode?: string;
}

/** A socket until its close event: `stop()` waits for these so nothing lingers. */
export interface TrackedSocket {
  ws: WebSocketLike;
  closed: Promise<void>;
}

export interface ConnectDeps {
  url: string;
  webSocket: WebSocketFactory;
  clock: Clock;
  openTimeoutMs: number;
  heartbeatMs: number;
  /** The stream's life: aborting it ends the attempt at once. */
  signal: AbortSignal;
  track(ws: WebSocketLike): { markClosed(): void };
  onOpen(at: number): void;
  /** Every frame, in arrival order; `answered` marks a heartbeat answer once parsed. */
  onFrame(data: unknown, answered: () => void): void;
  /** Makes any text safe to show (removes the token). */
  clean(text: string): string;
  debug(message: string): void;
}

const MAX_BODY = 2_000;

export function safeClose(ws: WebSocketLike, code: number, reason: string): void {
  try {
    if (ws.readyState === 0 || ws.readyState === 1) ws.close(code, reason);
  } catch {
    // Already closing, or an implementation that throws on close while connecting: nothing to do.
  }
}

/** Opens one socket and resolves when it is over (closed, refused, timed out or stopped). Never rejects. */
export function connectOnce(deps: ConnectDeps): Promise<ConnectResult> {
  const { clock } = deps;
  return new Promise<ConnectResult>((resolve) => {
    const conn = new AbortController();
    const openWait = new AbortController();
    let settled = false;
    let opened = false;
    let openedAt: number | undefined;
    let status: number | undefined;
    let body: string | undefined;
    let error: string | undefined;
    let lastFrameAt = 0;
    let answered = false;
    let networkError: string | undefined;

    const finish = (extra: Partial<ConnectResult>) => {
      if (settled) return;
      settled = true;
      conn.abort();
      openWait.abort();
      deps.signal.removeEventListener('abort', onStop);
      const result: ConnectResult = { opened, endedAt: clock.now(), ...extra };
      if (openedAt !== undefined) result.openedAt = openedAt;
      if (status !== undefined) result.status = status;
      if (body !== undefined) result.body = body;
      if (error !== undefined && result.error === undefined) result.error = error;
      if (networkError !== undefined) result.networkCode = networkError;
      resolve(result);
    };
    const onStop = () => finish({ aborted: true });
    if (deps.signal.aborted) return finish({ aborted: true });

    let ws: WebSocketLike;
    try {
      ws = deps.webSocket(deps.url, {
        onHandshakeRejected(s, b) {
          if (opened) return;
          if (typeof s === 'number' && Number.isFinite(s)) status = s;
          body = deps.clean(typeof b === 'string' ? b.slice(0, MAX_BODY) : '');
        },
      });
      if (ws === null || typeof ws !== 'object') throw new TypeError('the webSocket factory returned no socket');
    } catch (err) {
      return finish({ error: deps.clean(`could not create the socket: ${describe(err)}`) });
    }
    const tracked = deps.track(ws);
    deps.signal.addEventListener('abort', onStop, { once: true });

    ws.onopen = () => {
      if (settled) return safeClose(ws, 1000, 'not needed');
      opened = true;
      openWait.abort();
      openedAt = lastFrameAt = clock.now();
      deps.onOpen(openedAt);
      void runHeartbeat({
        clock,
        intervalMs: deps.heartbeatMs,
        signal: conn.signal,
        send() {
          if (ws.readyState !== 1) return false;
          try {
            ws.send(HEARTBEAT_FRAME);
            deps.debug('heartbeat sent');
            return true;
          } catch (err) {
            error = deps.clean(`heartbeat not sent: ${describe(err)}`);
            return false;
          }
        },
        lastFrameAt: () => lastFrameAt,
        answersHeartbeats: () => answered,
        onSilent(silentMs) {
          safeClose(ws, 4000, 'heartbeat unanswered');
          finish({ silent: true, reason: `no frame from the server for ${silentMs} ms` });
        },
      });
    };
    ws.onmessage = (ev) => {
      if (settled) return;
      lastFrameAt = clock.now();
      deps.onFrame(ev?.data, () => {
        answered = true;
      });
    };
    ws.onerror = (ev) => {
      const text = describe(ev);
      if (text) error = deps.clean(text);
      const code = networkCode(ev);
      if (code !== undefined) networkError = code;
    };
    ws.onclose = (ev) => {
      tracked.markClosed();
      const code = typeof ev?.code === 'number' ? ev.code : undefined;
      const reason = typeof ev?.reason === 'string' ? deps.clean(ev.reason.slice(0, 200)) : undefined;
      finish({ ...(code !== undefined && { code }), ...(reason && { reason }) });
    };

    // The upgrade must finish in time; a refused one usually ends sooner through onclose.
    withSignal(() => clock.sleep(deps.openTimeoutMs, openWait.signal), openWait.signal).then(
      () => {
        if (opened || settled) return;
        safeClose(ws, 4000, 'open timeout');
        finish({ timedOut: true });
      },
      () => undefined,
    );
  });
}

/** A short, secret-free-once-cleaned description of an error or error event. */
export function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (value !== null && typeof value === 'object') {
    const v = value as { message?: unknown; error?: unknown };
    if (typeof v.message === 'string' && v.message) return v.message;
    if (v.error instanceof Error) return v.error.message;
  }
  return typeof value === 'string' ? value : '';
}

/** Errors that prove the endpoint was never reached (the `ws` package exposes them; WHATWG sockets do not). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function networkCode(ev: unknown): string | undefined {
  if (ev === null || typeof ev !== 'object') return undefined;
  const inner = (ev as { error?: unknown }).error;
  const cause = inner instanceof Error ? (inner as { cause?: unknown }).cause : undefined;
  for (const candidate of [inner, cause, ev]) {
    const code =
      candidate !== null && typeof candidate === 'object' ? (candidate as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}
