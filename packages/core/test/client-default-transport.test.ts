import { afterEach, describe, expect, it } from 'vitest';
import { createZoomClient } from '../src/index';
import { defaultNodeTransport } from '../src/http/default-transport';
import { json, startServer, tokenHandler } from './helpers/server';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the Node entry’s default transport', () => {
  it('is one shared node:http keep-alive transport: clients without a transport share its socket pool', async () => {
    const ports: number[] = [];
    const mint = tokenHandler({ mints: 0 });
    const server = await startServer((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      if (req.url?.startsWith('/oauth/token')) return mint(res);
      return json(res, 201, { id: 'm1' });
    });
    servers.push(server);
    const make = () =>
      createZoomClient({
        auth: { kind: 'account', accountId: 'acc', clientId: 'cid', clientSecret: 'shh' },
        baseUrls: { api: `${server.url}/v2`, file: `${server.url}/v2`, oauth: server.url },
      });
    expect(defaultNodeTransport()).toBe(defaultNodeTransport());
    const [a, b] = [make(), make()];
    // One after the other: each request finds the previous one's socket free and reuses it.
    expect(await a.messages.send({ message: 'hi', to_channel: 'c1' })).toEqual({ id: 'm1' });
    expect(await b.messages.send({ message: 'hi', to_channel: 'c1' })).toEqual({ id: 'm1' });
    expect(await a.messages.send({ message: 'hi', to_channel: 'c1' })).toEqual({ id: 'm1' });
    // Two token mints (one per client) and three sends, all over the one kept-alive connection.
    expect(ports).toHaveLength(5);
    expect(new Set(ports).size).toBe(1);
    // No fetch: node:http sends no accept-encoding of its own.
    expect(server.requests.at(-1)?.headers['accept-encoding']).toBeUndefined();
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('zoom-team-chat-core/0.1');
  });
});
