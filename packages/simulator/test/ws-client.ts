/** A real `ws` client for the WebSocket endpoint tests: records frames, close codes and refusals. */
import WebSocket from 'ws';
import type { Simulator } from '../src/index';
import { token } from './sim-helpers';

export interface Client {
  ws: WebSocket;
  /** Every text frame, parsed, in arrival order. */
  frames: Array<Record<string, unknown>>;
  /** Resolves with the close code and reason (1006 when cut without a close frame). */
  closed: Promise<{ code: number; reason: string }>;
  /** Waits for the first frame (recorded or future) that satisfies `pred`. */
  next(pred: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface Refused {
  status: number;
  body: { code?: number; message?: string };
  text: string;
}

export function withToken(endpointUrl: string, accessToken: string): string {
  return `${endpointUrl}${endpointUrl.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`;
}

/** Opens a socket; rejects with a `Refused` when the server answers the upgrade with plain HTTP. */
export function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: Array<Record<string, unknown>> = [];
    const waiters: Array<{
      pred: (f: Record<string, unknown>) => boolean;
      resolve: (f: Record<string, unknown>) => void;
    }> = [];
    const closed = new Promise<{ code: number; reason: string }>((res) =>
      ws.once('close', (code, reason) => res({ code, reason: reason.toString() })),
    );
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(f);
      for (const w of [...waiters]) {
        if (!w.pred(f)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let body = {};
        try {
          body = JSON.parse(text) as Refused['body'];
        } catch {
          // left empty: the test then fails on the body
        }
        reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode ?? 0, body, text }));
      });
    });
    ws.once('error', (err) => reject(err));
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        closed,
        next(pred, timeoutMs = 5000) {
          const found = frames.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const w = { pred, resolve: (f: Record<string, unknown>) => (clearTimeout(t), res(f)) };
            const t = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`));
            }, timeoutMs);
            waiters.push(w);
          });
        },
        async close() {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close(1000);
          await closed;
        },
      }),
    );
  });
}

/** The refusal of an upgrade that must fail (throws if the socket opened instead). */
export async function refusal(url: string): Promise<Refused> {
  try {
    const c = await connect(url);
    await c.close();
  } catch (err) {
    const r = err as Partial<Refused>;
    if (typeof r.status === 'number') return r as Refused;
    throw err;
  }
  throw new Error('the upgrade was accepted, expected a refusal');
}

/** A subscription for `events` and an open socket on it with a fresh S2S token. */
export async function subscribed(
  sim: Simulator,
  events: string[],
): Promise<{ id: string; endpointUrl: string; accessToken: string; client: Client }> {
  const sub = await sim.admin.createWebSocketSubscription({ events });
  const accessToken = await token(sim);
  const client = await connect(withToken(sub.endpointUrl, accessToken));
  return { id: sub.id, endpointUrl: sub.endpointUrl, accessToken, client };
}

export const isMessage = (f: Record<string, unknown>): boolean => f['module'] === 'message';

/** The event inside a `{"module":"message","content":"…"}` frame. */
export function eventOf(f: Record<string, unknown>): {
  event: string;
  event_ts: number;
  payload: Record<string, unknown>;
} {
  if (f['module'] !== 'message' || typeof f['content'] !== 'string')
    throw new Error(`not a message frame: ${JSON.stringify(f)}`);
  return JSON.parse(f['content']) as { event: string; event_ts: number; payload: Record<string, unknown> };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check` holds, polling every 25 ms; fails after `timeoutMs` (generous: CI machines are loaded). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
