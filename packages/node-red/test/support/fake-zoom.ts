/**
 * A recording stand-in for Zoom's OAuth, API and file hosts on 127.0.0.1 (port 0), used until
 * and alongside the full simulator: tests queue answers per "METHOD path" and read back exactly
 * what the nodes sent over real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Date.now() when the request's body had arrived. */
  at: number;
  json?: unknown;
  form?: Record<string, string>;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeZoom {
  url: string;
  baseUrls: { apiUrl: string; fileUrl: string; oauthUrl: string };
  requests: Recorded[];
  /** Queue answers for "METHOD /path"; the last one repeats. */
  answer(key: string, ...answers: Answer[]): void;
  /** Requests to the API and file hosts (token requests left out). */
  apiRequests(): Recorded[];
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeZoom(): Promise<FakeZoom> {
  const requests: Recorded[] = [];
  const answers = new Map<string, Answer[]>();
  let tokenCounter = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        at: Date.now(),
      };
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('json') && body.length > 0) rec.json = JSON.parse(body.toString('utf8'));
      if (type.includes('x-www-form-urlencoded'))
        rec.form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      requests.push(rec);
      const key = `${rec.method} ${url.pathname}`;
      let answer: Answer | undefined;
      const queue = answers.get(key);
      if (queue !== undefined && queue.length > 0) answer = queue.length > 1 ? queue.shift() : queue[0];
      if (answer === undefined && key === 'POST /oauth/token') {
        tokenCounter++;
        const grant = rec.form?.grant_type;
        answer = {
          body: {
            access_token: `access-${tokenCounter}`,
            token_type: 'bearer',
            expires_in: 3600,
            scope: 'team_chat:write team_chat:read',
            ...(grant === 'refresh_token' ? { refresh_token: `refresh-${tokenCounter}` } : {}),
          },
        };
      }
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 404, message: `fake zoom: no answer for ${key}` }));
        return;
      }
      const status = answer.status ?? 200;
      const headers = { 'content-type': 'application/json', ...(answer.headers ?? {}) };
      res.writeHead(status, headers);
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrls: { apiUrl: `${url}/v2`, fileUrl: `${url}/file/v2`, oauthUrl: url },
    requests,
    answer(key, ...list) {
      answers.set(key, list);
    },
    apiRequests: () => requests.filter((r) => r.path !== '/oauth/token'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
