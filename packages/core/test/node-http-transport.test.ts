import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpTransport } from '../src/index';
import { json, startServer } from './helpers/server';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('node:http transport: the request target', () => {
  it('sends path and query as given, and credentials in the URL as Basic authorization', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }, { 'x-twice': 'a' }));
    const transport = createNodeHttpTransport();
    cleanups.push(
      () => server.close(),
      () => transport.close(),
    );
    const res = await transport({
      method: 'GET',
      url: `http://user:p%40ss@127.0.0.1:${server.port}/v2/chat/users/me/messages?to_channel=c%2F1&page_size=50`,
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(res.headers['x-twice']).toBe('a');
    const seen = server.requests[0];
    expect(seen?.url).toBe('/v2/chat/users/me/messages?to_channel=c%2F1&page_size=50');
    expect(seen?.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(seen?.headers.host).toBe(`127.0.0.1:${server.port}`);
  });
});
