/** Fault injection through the admin API: status, delay, connection resets before/after the change. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { call, multipart, startTestSim, token } from './sim-helpers';

let sim: Simulator;
let t: string;
let generalId: string;
beforeEach(async () => {
  sim = await startTestSim();
  t = await token(sim);
  generalId = [...sim.state.channels.values()].find((c) => c.name === 'general')!.id;
});
afterEach(async () => sim.close());

const send = (text: string) =>
  call(sim.urls.api, 'POST', '/chat/users/me/messages', { token: t, body: { message: text, to_channel: generalId } });
const count = () => sim.state.conversation(`c:${generalId}`).length;

describe('faults', () => {
  it('the next N requests fail with the given status and body, then things are normal', async () => {
    await sim.admin.addFault({
      count: 2,
      status: 503,
      body: { code: 503, message: 'Service busy' },
      headers: { 'retry-after': '2' },
    });
    const first = await send('a');
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ code: 503, message: 'Service busy' });
    expect(first.headers['retry-after']).toBe('2');
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t })).status).toBe(503);
    expect((await send('b')).status).toBe(201);
    expect(await sim.admin.faults()).toEqual([]);
  });

  it('a status fault changes nothing', async () => {
    const before = count();
    await sim.admin.addFault({ status: 500 });
    const r = await send('lost');
    expect(r).toMatchObject({ status: 500, body: { code: 500 } });
    expect(count()).toBe(before);
  });

  it('targets one operation only', async () => {
    await sim.admin.addFault({
      operationId: 'sendaChatMessage',
      status: 429,
      body: { code: 429, message: 'slow down' },
    });
    expect((await call(sim.urls.api, 'GET', '/chat/users/me/channels', { token: t })).status).toBe(200);
    expect((await send('x')).status).toBe(429);
    expect((await send('y')).status).toBe(201);
  });

  it('delays a request', async () => {
    await sim.admin.addFault({ delayMs: 300 });
    const start = Date.now();
    expect((await send('slow')).status).toBe(201);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('resets the connection before the body is read: nothing changed', async () => {
    const before = count();
    await sim.admin.addFault({ operationId: 'sendaChatMessage', reset: 'before-body' });
    await expect(send('never')).rejects.toThrow();
    expect(count()).toBe(before);
  });

  it('resets the connection after the state change: the message exists although the client saw an error', async () => {
    const before = count();
    await sim.admin.addFault({ operationId: 'sendaChatMessage', reset: 'after-body' });
    await expect(send('sent but unanswered')).rejects.toThrow();
    expect(count()).toBe(before + 1);
    expect(sim.state.conversation(`c:${generalId}`).at(-1)?.text).toBe('sent but unanswered');
  });

  it('applies to the token endpoint only when aimed at oauth.token', async () => {
    await sim.admin.addFault({ status: 500 });
    expect(await token(sim)).toEqual(expect.any(String)); // untargeted: not the OAuth host
    await sim.admin.clearFaults();
    await sim.admin.addFault({ operationId: 'oauth.token', status: 503 });
    await expect(token(sim)).rejects.toThrow(/no token/);
    expect(await token(sim)).toEqual(expect.any(String));
  });

  it('a token request reset after the body: a token was minted, the client saw a network error', async () => {
    const before = sim.sim.tokens.count().access;
    await sim.admin.addFault({ operationId: 'oauth.token', reset: 'after-body' });
    await expect(token(sim)).rejects.toThrow();
    expect(sim.sim.tokens.count().access).toBe(before + 1);
  });

  it('file uploads reset after the body: the file is stored', async () => {
    await sim.admin.addFault({ operationId: 'uploadAChatFile', reset: 'after-body' });
    await expect(
      multipart(
        `${sim.urls.file}/chat/users/me/files`,
        [{ name: 'file', filename: 'a.txt', content: Buffer.from('abc') }],
        { token: t },
      ),
    ).rejects.toThrow();
    expect([...sim.state.files.values()].map((f) => f.name)).toEqual(['a.txt']);
  });

  it('refuses malformed faults with a clear error', async () => {
    await expect(sim.admin.addFault({})).rejects.toThrow(/needs status, delayMs or reset/);
    await expect(sim.admin.addFault({ status: 42 })).rejects.toThrow(/status must be an HTTP status code/);
    await expect(sim.admin.addFault({ reset: 'later' as never })).rejects.toThrow(/reset must be/);
  });
});
