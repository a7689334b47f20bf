/** The onRequest log: what each server answered, and connections closed without an answer. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry, Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A simulator whose log is read after each request's connection closed (the log is written on close). */
async function logged(): Promise<{ sim: Simulator; log: RequestLogEntry[]; posts: () => Promise<RequestLogEntry[]> }> {
  const log: RequestLogEntry[] = [];
  sim = await startTestSim({ onRequest: (e) => log.push(e) });
  const posts = async () => {
    const deadline = Date.now() + 10_000;
    let found = log.filter((e) => e.server === 'api' && e.method === 'POST');
    while (found.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      found = log.filter((e) => e.server === 'api' && e.method === 'POST');
    }
    return found;
  };
  return { sim, log, posts };
}

const general = (s: Simulator) => [...s.state.channels.values()].find((c) => c.name === 'general')!.id;

describe('request log', () => {
  it('logs the status of an answered request, without the reset flag', async () => {
    const { sim: s, posts } = await logged();
    const t = await token(s);
    const sent = await call(s.urls.api, 'POST', '/chat/users/me/messages', {
      token: t,
      body: { message: 'hi', to_channel: general(s) },
    });
    expect(sent.status).toBe(201);
    const [entry] = await posts();
    expect(entry).toMatchObject({ server: 'api', method: 'POST', path: '/v2/chat/users/me/messages', status: 201 });
    expect(entry).not.toHaveProperty('reset');
  });

  it.each(['before-body', 'after-body'] as const)(
    'logs a connection reset %s as status 0 with reset: true (it used to read 200)',
    async (reset) => {
      const { sim: s, posts } = await logged();
      const t = await token(s);
      await s.admin.addFault({ operationId: 'sendaChatMessage', reset });
      await expect(
        call(s.urls.api, 'POST', '/chat/users/me/messages', {
          token: t,
          body: { message: 'cut', to_channel: general(s) },
        }),
      ).rejects.toThrow();
      const [entry] = await posts();
      expect(entry).toMatchObject({ server: 'api', method: 'POST', status: 0, reset: true });
    },
  );

  it('logs a request the client gave up on during a delay as reset too', async () => {
    const { sim: s, posts } = await logged();
    const t = await token(s);
    // The answer comes long after the client's 100 ms timeout, even if a loaded machine runs both timers late.
    await s.admin.addFault({ operationId: 'sendaChatMessage', delayMs: 2_000 });
    const aborted = fetch(`${s.urls.api}/chat/users/me/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'late', to_channel: general(s) }),
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow();
    const [entry] = await posts();
    expect(entry).toMatchObject({ status: 0, reset: true });
  });
});
