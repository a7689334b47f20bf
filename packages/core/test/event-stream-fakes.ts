import type { EventStreamClock, WebSocketFactory, WebSocketLike } from '../src';

/** Lets every pending promise callback run (several macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

interface Sleeper {
  due: number;
  ms: number;
  resolve(): void;
  cleanup(): void;
}

/** A manual clock: sleeps resolve only when `advance` passes their due time. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  const sleepers = new Set<Sleeper>();
  const clock: EventStreamClock = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          sleepers.delete(s);
          reject(signal?.reason);
        };
        const s: Sleeper = {
          due: now + Math.max(0, ms),
          ms,
          resolve,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.add(s);
      });
    },
  };
  return {
    clock,
    get now() {
      return now;
    },
    /** Moves time forward, waking sleepers in due order and letting each wake-up's work run. */
    async advance(ms: number) {
      const target = now + ms;
      await settle();
      for (;;) {
        let next: Sleeper | undefined;
        for (const s of sleepers) if (s.due <= target && (next === undefined || s.due < next.due)) next = s;
        if (next === undefined) break;
        now = next.due;
        sleepers.delete(next);
        next.cleanup();
        next.resolve();
        await settle();
      }
      now = target;
      await settle();
    },
    /** Durations of the sleeps still pending. */
    pending: () => [...sleepers].map((s) => s.ms),
  };
}

/** An in-memory WebSocket whose server side the test drives. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closeCalls: Array<{ code?: number; reason?: string }> = [];
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(
    readonly url: string,
    readonly hooks: { onHandshakeRejected(status: number, body: string): void },
  ) {}
  get token(): string | null {
    return new URL(this.url).searchParams.get('access_token');
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState >= 2) return;
    this.readyState = 2;
    queueMicrotask(() => this.serverClose(code ?? 1005, reason ?? '', true));
  }
  // --- server side ---
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(data: unknown): void {
    this.onmessage?.({ data });
  }
  event(event: object): void {
    this.message(JSON.stringify({ module: 'message', content: JSON.stringify(event) }));
  }
  serverClose(code = 1006, reason = '', wasClean = false): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean });
  }
  /** A refused upgrade as the `ws` adapter reports it (status visible). */
  reject(status: number, body = ''): void {
    this.hooks.onHandshakeRejected(status, body);
    this.readyState = 3;
    this.onerror?.({ message: `Unexpected server response: ${status}` });
    this.onclose?.({ code: 1006, reason: '' });
  }
  /** A failure before open as a WHATWG WebSocket reports it (no status, no detail). */
  failBeforeOpen(): void {
    this.readyState = 3;
    this.onerror?.({ type: 'error' });
    this.onclose?.({ code: 1006, reason: '', wasClean: false });
  }
  get heartbeats(): number {
    return this.sent.filter((s) => s === '{"module":"heartbeat"}').length;
  }
}

export function fakeSockets(onCreate?: (s: FakeSocket) => void) {
  const sockets: FakeSocket[] = [];
  const factory: WebSocketFactory = (url, hooks) => {
    const s = new FakeSocket(url, hooks);
    sockets.push(s);
    onCreate?.(s);
    return s;
  };
  return {
    factory,
    sockets,
    get last(): FakeSocket {
      const s = sockets[sockets.length - 1];
      if (!s) throw new Error('no socket yet');
      return s;
    },
  };
}

/** A token source minting a new, recognisable secret on every call. */
export function tokenSource(prefix = 'eyJSECRET') {
  const calls: boolean[] = [];
  const issued: string[] = [];
  return {
    calls,
    issued,
    getToken: async ({ forceRefresh }: { forceRefresh: boolean }) => {
      calls.push(forceRefresh);
      const t = `${prefix}.${issued.length + 1}.tokenvalue`;
      issued.push(t);
      return t;
    },
  };
}

/** A logger keeping every line (message + meta as JSON) so tests can grep for secrets. */
export function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

export const chatEvent = (i: number, extra: Record<string, unknown> = {}) => ({
  event: 'chat_message.sent',
  event_ts: 1_700_000_000_000 + i,
  payload: { account_id: 'ACC', operator: 'u@example.com', object: { id: `msg-${i}`, message: `hello ${i}` } },
  ...extra,
});
