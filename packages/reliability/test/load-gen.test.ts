import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exactlyOnce, runLoad } from '../src/lib/load-gen.mjs';

const sent = (id: string, statuses: number[], retried = false) => ({
  messageId: id,
  requestId: `r-${id}`,
  statuses,
  retried,
});

describe('exactlyOnce', () => {
  it('passes when every acknowledged event was seen once', () => {
    const r = exactlyOnce([sent('a', [200]), sent('b', [200, 200], true)], ['b', 'a']);
    expect(r).toMatchObject({ acked: 2, delivered: 2, missing: 0, duplicated: 0, ok: true });
  });

  it('fails on an event seen twice, and on an acknowledged event never seen', () => {
    expect(exactlyOnce([sent('a', [200]), sent('b', [200])], ['a', 'a', 'b'])).toMatchObject({
      duplicated: 1,
      ok: false,
    });
    expect(exactlyOnce([sent('a', [200]), sent('b', [200])], ['a'])).toMatchObject({ missing: 1, ok: false });
  });

  it('allows an unacknowledged event to have run once, and counts ids it never sent apart', () => {
    const r = exactlyOnce([sent('a', [0]), sent('b', [200])], ['a', 'b', 'zzz']);
    expect(r).toMatchObject({ unackedDelivered: 1, foreign: 1, delivered: 2, ok: true });
  });
});

describe('runLoad', () => {
  const secret = 'load-gen-test-secret';
  const requests: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.end('{}');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends rate × duration signed events and re-sends one in ten byte for byte, as Zoom retries', async () => {
    const r = await runLoad({ url, secret, rate: 200, durationMs: 300, retryEvery: 10 });
    expect(r.events).toBe(60);
    expect(r.retriesSent).toBe(6);
    expect(r.requests).toBe(66);
    expect(requests).toHaveLength(66);
    expect(r.statuses).toEqual({ 200: 66 });
    expect(r.overAck).toBe(0);
    const byId = new Map<string, typeof requests>();
    for (const q of requests) {
      const id = String(q.headers['x-zm-request-id']);
      byId.set(id, [...(byId.get(id) ?? []), q]);
      const ts = String(q.headers['x-zm-request-timestamp']);
      const expected = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${q.body}`).digest('hex')}`;
      expect(q.headers['x-zm-signature']).toBe(expected);
    }
    const twice = [...byId.values()].filter((list) => list.length === 2);
    expect(twice).toHaveLength(6);
    for (const [a, b] of twice as Array<[(typeof requests)[0], (typeof requests)[0]]>) {
      expect(b.body).toBe(a.body);
      expect(b.headers['x-zm-signature']).toBe(a.headers['x-zm-signature']);
      expect(b.headers['x-zm-request-timestamp']).toBe(a.headers['x-zm-request-timestamp']);
    }
    // The ledger holds each event once, with both answers for the retried ones.
    expect(r.sent.filter((s) => s.statuses.length === 2)).toHaveLength(6);
  });

  it('refuses a non-loopback URL and a bad rate, naming the field', async () => {
    await expect(runLoad({ url: 'http://example.com/x', secret, rate: 1, durationMs: 10 })).rejects.toThrow(/url/);
    await expect(runLoad({ url, secret, rate: 0, durationMs: 10 })).rejects.toThrow(/rate/);
  });
});
