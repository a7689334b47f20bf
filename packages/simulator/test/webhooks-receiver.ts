/** A real HTTP endpoint on 127.0.0.1 for the webhook hub tests; records every request it gets. */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: { event: string; event_ts: number; payload: Record<string, unknown> } & Record<string, unknown>;
}

export interface Reply {
  status: number;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface ReceiverOptions {
  /** Answers url_validation correctly with this secret (unless `onValidation` says otherwise). */
  secret: string;
  onValidation?: (plainToken: string, req: Received) => Reply;
  /** `n` counts event deliveries (not validations) from 0. Default: 200. */
  onEvent?: (req: Received, n: number) => Reply;
}

export interface Receiver {
  url: string;
  /** Every request, validations included. */
  all: Received[];
  /** Event deliveries only. */
  events: Received[];
  inFlight: number;
  maxInFlight: number;
  /** TCP connections accepted (keep-alive reuse keeps this low). */
  connections: number;
  /** TCP connections open at once, at most: what a sender's connection bound limits. */
  maxOpenConnections: number;
  close(): Promise<void>;
}

/** The correct challenge answer, computed here independently of the code under test. */
export function answerFor(secret: string, plainToken: string): string {
  return JSON.stringify({ plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') });
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const timers = new Set<NodeJS.Timeout>();
  const state: Receiver = {
    url: '',
    all: [],
    events: [],
    inFlight: 0,
    maxInFlight: 0,
    connections: 0,
    maxOpenConnections: 0,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const send = (res: ServerResponse, reply: Reply): void => {
    const finish = (): void => {
      state.inFlight--;
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(reply.body);
    };
    if (reply.delayMs === undefined) return finish();
    const t = setTimeout(() => {
      timers.delete(t);
      finish();
    }, reply.delayMs);
    timers.add(t);
  };
  const server = createServer((req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const received: Received = {
        headers: req.headers,
        raw,
        body: JSON.parse(raw.toString('utf8')) as Received['body'],
      };
      state.all.push(received);
      if (received.body.event === 'endpoint.url_validation') {
        const plainToken = String(received.body.payload['plainToken']);
        send(
          res,
          options.onValidation?.(plainToken, received) ?? { status: 200, body: answerFor(options.secret, plainToken) },
        );
        return;
      }
      const n = state.events.length;
      state.events.push(received);
      send(res, options.onEvent?.(received, n) ?? { status: 200 });
    });
  });
  let open = 0;
  server.on('connection', (socket) => {
    state.connections++;
    state.maxOpenConnections = Math.max(state.maxOpenConnections, ++open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoom/webhook`;
  return state;
}
