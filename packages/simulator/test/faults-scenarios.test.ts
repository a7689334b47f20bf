/**
 * Fault scenarios the reliability suite (packages/reliability, faults.mjs) builds from the
 * existing fault options rather than new ones: a redirect loop on the file host, Retry-After as
 * an HTTP date, and a restart on the same ports. Driven by the real core client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createZoomClient, type ZoomClient } from '@zoom-team-chat/core';
import type { Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

const open: Simulator[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function sim(opts: Parameters<typeof startTestSim>[0] = {}): Promise<Simulator> {
  const s = await startTestSim(opts);
  open.push(s);
  return s;
}

function clientFor(s: Simulator): ZoomClient {
  const c = s.credentials;
  return createZoomClient({
    auth: { kind: 'account', accountId: c.accountId, clientId: c.clientId, clientSecret: c.clientSecret },
    baseUrls: { api: s.urls.api, file: s.urls.file, oauth: s.urls.oauth },
  });
}

const general = (s: Simulator) => [...s.state.channels.values()].find((c) => c.name === 'general')!.id;
const portOf = (url: string) => Number(new URL(url).port);

describe('fault scenarios', () => {
  it('redirect loop: the upload target answering 307 to itself makes the core give up after 5 hops; nothing is stored', async () => {
    const requests: string[] = [];
    const logged = await sim({ onRequest: (e) => requests.push(`${e.server} ${e.status}`) });
    await logged.admin.addFault({
      operationId: 'sendChatFile',
      status: 307,
      count: 20,
      headers: { location: '?loop=1' },
    });
    const client = clientFor(logged);
    await expect(
      client.files.send(
        { fileName: 'loop.txt', contentType: 'text/plain', data: Buffer.from('abc') },
        { to_channel: general(logged) },
      ),
    ).rejects.toThrow(/more than 5 redirects/);
    expect([...logged.state.files.values()].map((f) => f.name)).not.toContain('loop.txt');
    // The public file host redirects once; the upload target then loops until the core stops.
    expect(requests.filter((r) => r.startsWith('file ')).length).toBe(1);
    expect(requests.filter((r) => r === 'fileTarget 307').length).toBe(5);
    expect((await logged.admin.faults())[0]?.remaining).toBe(15);
  });

  it('Retry-After as an HTTP date passes through a fault; the core waits for it and sends once', async () => {
    const s = await sim();
    const at = new Date(Date.now() + 2000);
    await s.admin.addFault({
      operationId: 'sendaChatMessage',
      status: 429,
      headers: { 'retry-after': at.toUTCString() },
    });
    const started = Date.now();
    const sent = (await clientFor(s).messages.send({ message: 'after the date', to_channel: general(s) })) as {
      id: string;
    };
    // HTTP dates have whole seconds: the wait ends at the start of that second or later.
    expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(at.getTime() / 1000) * 1000 - 50);
    // About 2 s expected; the bound only catches a wait far past the date (10 s: room for a loaded CI machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect([...s.state.messages.values()].filter((m) => m.text === 'after the date').map((m) => m.id)).toEqual([
      sent.id,
    ]);
  });

  it('restart on the same ports and seed: same credentials and IDs, state back to the seed, old tokens refused with 401 code 124', async () => {
    const first = await sim();
    const t = await token(first);
    const channel = general(first);
    expect(
      (
        await call(first.urls.api, 'POST', '/chat/users/me/messages', {
          token: t,
          body: { message: 'before', to_channel: channel },
        })
      ).status,
    ).toBe(201);
    const ports = {
      api: portOf(first.urls.api),
      file: portOf(first.urls.file),
      fileTarget: portOf(first.urls.fileTarget),
      oauth: portOf(first.urls.oauth),
      admin: portOf(first.urls.admin),
    };
    await first.close();
    const second = await sim({ ports });
    expect(second.urls).toEqual(first.urls);
    expect(second.credentials).toEqual(first.credentials);
    expect(general(second)).toBe(channel);
    expect([...second.state.messages.values()].some((m) => m.text === 'before')).toBe(false);
    const refused = await call(second.urls.api, 'GET', '/chat/users/me/channels', { token: t });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 124 });
  });
});
