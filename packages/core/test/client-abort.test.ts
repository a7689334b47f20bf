import { afterEach, describe, expect, it } from 'vitest';
import { createZoomClient } from '../src/index';
import { transports } from './helpers/transports';
import { json, startServer, tokenHandler } from './helpers/server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Token endpoint plus an API that answers a send only after `holdMs` (or never, while held). */
async function slowZoom(holdMs: number, onSend?: () => void) {
  const mint = tokenHandler({ mints: 0 });
  let sends = 0;
  const server = await startServer((req, res) => {
    if (req.url?.startsWith('/oauth/token')) return mint(res);
    sends++;
    onSend?.();
    const timer = setTimeout(() => json(res, 201, { id: 'late' }), holdMs);
    res.on('close', () => clearTimeout(timer));
  });
  cleanups.push(() => server.close());
  return { server, sends: () => sends };
}

describe.each(transports)('cancelling a call over %s', (_name, make) => {
  const client = (url: string) =>
    createZoomClient({
      auth: { kind: 'account', accountId: 'acc', clientId: 'cid', clientSecret: 'shh' },
      baseUrls: { api: `${url}/v2`, file: `${url}/v2`, oauth: url },
      transport: make(),
      rateLimits: { MEDIUM: 'off' },
    });

  it('rejects with the caller’s reason as soon as the signal aborts, and does not re-send the POST', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    let abortedAt = 0;
    // Abort once the send has reached the server (a fixed delay raced the token mint on a loaded machine).
    const { server, sends } = await slowZoom(30_000, () => {
      abortedAt = Date.now();
      controller.abort(reason);
    });
    const zoom = client(server.url);
    const call = zoom.messages.send({ message: 'hi', to_channel: 'c1' }, { signal: controller.signal });
    await expect(call).rejects.toBe(reason);
    expect(abortedAt).toBeGreaterThan(0);
    // Far sooner than the server's 30 s answer; 10 s leaves room for a loaded CI machine.
    expect(Date.now() - abortedAt).toBeLessThan(10_000);
    expect(sends()).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { server, sends } = await slowZoom(0);
    const zoom = client(server.url);
    const reason = new Error('too late');
    await expect(
      zoom.messages.send({ message: 'hi', to_channel: 'c1' }, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(sends()).toBe(0);
  });
});
