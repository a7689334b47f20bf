/** A bounded burst over keep-alive connections: every request answered correctly, in reasonable time. */
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { startTestSim, token } from './sim-helpers';

let sim: Simulator;
let t: string;
beforeAll(async () => {
  sim = await startTestSim({ plan: 'off' });
  t = await token(sim);
});
afterAll(async () => sim.close());

function burst(
  total: number,
  concurrency: number,
  make: (i: number) => { method: string; path: string; body?: string },
): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(sim.urls.api);
  const statuses: number[] = [];
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const r = make(i);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `/v2${r.path}`,
          method: r.method,
          agent,
          headers: { authorization: `Bearer ${t}`, ...(r.body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            statuses.push(res.statusCode ?? 0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
  const worker = async () => {
    while (next < total) await one(next++);
  };
  return Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    agent.destroy();
    return statuses;
  });
}

describe('load', () => {
  it('answers 3000 mixed requests from 32 keep-alive connections', async () => {
    const general = [...sim.state.channels.values()].find((c) => c.name === 'general')!.id;
    const start = Date.now();
    const statuses = await burst(3000, 32, (i) =>
      i % 3 === 0
        ? {
            method: 'POST',
            path: '/chat/users/me/messages',
            body: JSON.stringify({ message: `load ${i}`, to_channel: general }),
          }
        : i % 3 === 1
          ? { method: 'GET', path: `/chat/users/me/messages?to_channel=${general}&page_size=50` }
          : { method: 'GET', path: '/chat/users/me/channels' },
    );
    const ms = Date.now() - start;
    expect(statuses).toHaveLength(3000);
    expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
    expect(sim.state.conversation(`c:${general}`).length).toBe(3 + 1000);
    // The point is 3000 correct answers; ~2 s idle but 14 s seen under CI-like load, so only a stall fails here.
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});
