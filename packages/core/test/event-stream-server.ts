import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A small Zoom-like WebSocket endpoint for the core's tests (the simulator has the full one):
 * checks `access_token` and `subscriptionId` on the upgrade, answers heartbeats, sends events as
 * `{"module":"message","content":"<event JSON>"}` and can drop every socket.
 */
export interface TestWsServer {
  url: string;
  subscriptionId: string;
  /** Tokens the upgrade accepts; tests add and remove them. */
  validTokens: Set<string>;
  /** Every upgrade request: its token and the answer given. */
  upgrades: Array<{ token: string | null; subscriptionId: string | null; status: number }>;
  heartbeats: number;
  open(): WebSocket[];
  send(event: object): void;
  sendRaw(frame: string): void;
  /** Terminates every socket (no close frame), as a network drop would. */
  drop(): number;
  /** Next N upgrades are refused with this status. */
  refuseNext(n: number, status: number): void;
  close(): Promise<void>;
}

export async function startTestWsServer(
  options: { subscriptionId?: string; answerHeartbeats?: boolean } = {},
): Promise<TestWsServer> {
  const subscriptionId = options.subscriptionId ?? 'sub_TEST_123';
  const validTokens = new Set<string>();
  const upgrades: TestWsServer['upgrades'] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => {
    res.writeHead(426).end();
  });
  const tcp = new Set<Socket>();
  server.on('connection', (s) => {
    tcp.add(s);
    s.on('close', () => tcp.delete(s));
  });
  let refusals: { n: number; status: number } = { n: 0, status: 0 };
  let heartbeats = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Node hands an upgrade's socket over without its error listener: a client that gives up while a
    // refusal is being written resets it, and an unheard 'error' would crash the test process.
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('access_token');
    const sub = url.searchParams.get('subscriptionId');
    const refuse = (status: number, body: object) => {
      upgrades.push({ token, subscriptionId: sub, status });
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    if (refusals.n > 0) {
      refusals.n--;
      return refuse(refusals.status, { code: refusals.status, message: 'Service unavailable' });
    }
    if (url.pathname !== '/ws') return refuse(404, { code: 404, message: 'Not found' });
    if (!token || !validTokens.has(token)) return refuse(401, { code: 124, message: 'Invalid access token.' });
    if (sub !== subscriptionId) return refuse(404, { code: 404, message: `Subscription ${sub ?? ''} does not exist.` });
    upgrades.push({ token, subscriptionId: sub, status: 101 });
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { module?: string };
        if (frame.module === 'heartbeat') {
          heartbeats++;
          if (options.answerHeartbeats !== false) ws.send(JSON.stringify({ module: 'heartbeat', success: true }));
        }
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const open = () => [...wss.clients].filter((c) => c.readyState === 1);
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    subscriptionId,
    validTokens,
    upgrades,
    get heartbeats() {
      return heartbeats;
    },
    open,
    send(event) {
      const frame = JSON.stringify({ module: 'message', content: JSON.stringify(event) });
      for (const c of open()) c.send(frame);
    },
    sendRaw(frame) {
      for (const c of open()) c.send(frame);
    },
    drop() {
      const clients = open();
      for (const c of clients) c.terminate();
      return clients.length;
    },
    refuseNext(n, status) {
      refusals = { n, status };
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const s of tcp) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves when `check` holds, polling every 10 ms; fails after `ms`. */
export async function until(
  check: () => boolean,
  ms = 5_000,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
