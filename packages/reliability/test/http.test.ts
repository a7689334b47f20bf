import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

import { eventBody, post, slowLoris, zoomHeaders } from '../src/lib/http.mjs';

const require = createRequire(import.meta.url);
const { verifyWebhook } = require('@zoom-team-chat/core') as { verifyWebhook: (o: unknown) => unknown };

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
});

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

describe('post', () => {
  it('reports an early 413 even while a large body is still being written', async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.statusCode = 413;
      res.end();
    });
    const res = await post(url, { body: Buffer.alloc(4 * 1024 * 1024, 32), chunked: true });
    expect(res.status).toBe(413);
  });

  it('says "no answer" with the reason when the server drops the connection', async () => {
    const url = await serve((req) => req.socket.destroy());
    const res = await post(url, { body: '{}' });
    expect(res.status).toBe(0);
    expect(res.error).toBeTruthy();
  });
});

describe('slowLoris', () => {
  it('trickles without finishing and gives up when the server never answers', async () => {
    let received = 0;
    const url = await serve((req) => req.on('data', (d: Buffer) => (received += d.length)));
    const r = await slowLoris(url, { everyMs: 50, giveUpMs: 600 });
    expect(r.outcome).toBe('still open');
    expect(r.bytesSent).toBeGreaterThan(3);
    expect(received).toBeGreaterThan(0);
  });

  it('sees the answer of a server that times the body out', async () => {
    const url = await serve((req, res) => {
      setTimeout(() => {
        res.statusCode = 408;
        res.setHeader('connection', 'close');
        res.end();
      }, 200);
      req.resume();
    });
    const r = await slowLoris(url, { everyMs: 50, giveUpMs: 3000 });
    expect(r).toMatchObject({ outcome: 'answered', status: 408 });
  });
});

describe('events', () => {
  it('makes unique events signed the way the core verifies', () => {
    const a = eventBody();
    expect(a).not.toBe(eventBody());
    const headers = zoomHeaders('a-secret', a);
    expect(verifyWebhook({ rawBody: a, headers, secrets: ['a-secret'] })).toMatchObject({
      event: 'team_chat.channel_message_posted',
    });
    expect(() => verifyWebhook({ rawBody: a, headers, secrets: ['another'] })).toThrow();
  });
});
