import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 that records every request (bodies read fully unless `streamBodies`). */
export async function startServer(handler: Handler, opts: { readBody?: boolean } = {}) {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    if (opts.readBody !== false) for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    try {
      await handler(req, res, body);
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Answers the OAuth token endpoint; counts mints. */
export function tokenHandler(state: { mints: number; ttl?: number; prefix?: string }) {
  return (res: ServerResponse) => {
    state.mints++;
    json(res, 200, {
      access_token: `${state.prefix ?? 'tok'}-${state.mints}`,
      token_type: 'bearer',
      expires_in: state.ttl ?? 3600,
      scope: 'chat_message:write',
    });
  };
}
