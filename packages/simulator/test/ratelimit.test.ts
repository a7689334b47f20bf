/** Rate limits per label and plan: per-second and daily windows, headers and Zoom's messages. */
import { afterEach, describe, expect, it } from 'vitest';
import { RATE_LIMIT_MESSAGES, type Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

// getChannels is MEDIUM, getUserContact is MEDIUM, getFileInfo LIGHT, listLegalHoldMatters RESOURCE-INTENSIVE.
const medium = (s: Simulator, t: string) => call(s.urls.api, 'GET', '/chat/users/me/channels', { token: t });
const light = (s: Simulator, t: string) => call(s.urls.api, 'GET', '/chat/emoji', { token: t });

describe('per-second limits', () => {
  it('free plan: MEDIUM allows 2 per second, then 429 QPS with headers and Retry-After', async () => {
    let clock = Date.parse('2025-03-01T10:00:00.100Z');
    sim = await startTestSim({ plan: 'free', now: () => clock });
    const t = await token(sim);
    expect((await medium(sim, t)).status).toBe(200);
    const second = await medium(sim, t);
    expect(second.status).toBe(200);
    expect(second.headers['x-ratelimit-remaining']).toBe('1998'); // free plans also have a daily limit (2000)
    const third = await medium(sim, t);
    expect(third.status).toBe(429);
    expect(third.body).toEqual({ code: 429, message: RATE_LIMIT_MESSAGES.qps });
    expect(third.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-category': 'Medium',
      'x-ratelimit-type': 'QPS',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
    });
    // Other labels have their own bucket.
    expect((await light(sim, t)).status).toBe(200);
    clock += 1000;
    expect((await medium(sim, t)).status).toBe(200);
  });

  it('resource-intensive APIs count per minute', async () => {
    let clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'pro', now: () => clock });
    const t = await token(sim);
    for (let i = 0; i < 10; i++)
      expect((await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t })).status).toBe(200);
    const over = await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t });
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe('60');
    expect(over.headers['x-ratelimit-category']).toBe('Resource-intensive');
    clock += 60_000;
    expect((await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t })).status).toBe(200);
  });

  it('per-label overrides, including off', async () => {
    const clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'free', rateLimits: { MEDIUM: 'off', LIGHT: { limit: 1 } }, now: () => clock });
    const t = await token(sim);
    for (let i = 0; i < 5; i++) expect((await medium(sim, t)).status).toBe(200);
    expect((await light(sim, t)).status).toBe(200);
    expect((await light(sim, t)).status).toBe(429);
  });

  it('the plan can be changed through the admin API', async () => {
    const clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'off', now: () => clock });
    const t = await token(sim);
    for (let i = 0; i < 5; i++) expect((await medium(sim, t)).status).toBe(200);
    const described = await sim.admin.setRateLimits({ plan: 'free' });
    expect(described['plan']).toBe('free');
    await medium(sim, t);
    await medium(sim, t);
    expect((await medium(sim, t)).status).toBe(429);
  });
});

describe('daily limits', () => {
  it('429 Daily-limit with the reset time until 00:00 UTC', async () => {
    let clock = Date.parse('2025-03-01T23:59:00Z');
    sim = await startTestSim({ plan: 'free', rateLimits: { MEDIUM: { daily: 3 } }, now: () => clock });
    const t = await token(sim);
    for (let i = 0; i < 3; i++) {
      clock += 1000;
      expect((await medium(sim, t)).status).toBe(200);
    }
    clock += 1000;
    const over = await medium(sim, t);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ code: 429, message: RATE_LIMIT_MESSAGES.daily });
    expect(over.headers).toMatchObject({
      'x-ratelimit-type': 'Daily-limit',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '2025-03-02T00:00:00Z',
      'retry-after': '56',
    });
    clock = Date.parse('2025-03-02T00:00:01Z');
    expect((await medium(sim, t)).status).toBe(200);
  });

  it("Retry-After as a date, as Zoom's docs show it", async () => {
    const clock = Date.parse('2025-03-01T12:00:00Z');
    sim = await startTestSim({
      plan: 'free',
      rateLimits: { LIGHT: { daily: 1, limit: 100 } },
      dailyRetryAfter: 'date',
      now: () => clock,
    });
    const t = await token(sim);
    await light(sim, t);
    expect((await light(sim, t)).headers['retry-after']).toBe('2025-03-02T00:00:00Z');
  });

  it('pro: heavy and resource-intensive share one daily counter', async () => {
    let clock = Date.parse('2025-03-01T00:00:00Z');
    sim = await startTestSim({
      plan: 'pro',
      rateLimits: { HEAVY: { daily: 2 }, 'RESOURCE-INTENSIVE': { daily: 2 } },
      now: () => clock,
    });
    const t = await token(sim);
    expect((await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t })).status).toBe(200);
    clock += 61_000;
    expect((await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t })).status).toBe(200);
    clock += 61_000;
    const over = await call(sim.urls.api, 'GET', '/chat/legalhold/matters', { token: t });
    expect(over.headers['x-ratelimit-type']).toBe('Daily-limit');
  });
});

describe('file operations', () => {
  it('have their own 20 requests/second bucket', async () => {
    const clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'pro', now: () => clock });
    const t = await token(sim);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await call(sim.urls.fileTarget, 'POST', '/chat/users/me/files', { token: t })).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true); // reached validation: no file part
    expect(statuses[20]).toBe(429);
    expect((await medium(sim, t)).status).toBe(200);
  });
});

describe('per-channel message limits (sendaChatMessage)', () => {
  it('blocks a channel for 10 s after 10 messages within a second; other channels are not affected', async () => {
    let clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'business', now: () => clock });
    const t = await token(sim);
    const id = (name: string) => [...sim!.state.channels.values()].find((c) => c.name === name)!.id;
    const send = (channel: string) =>
      call(sim!.urls.api, 'POST', '/chat/users/me/messages', {
        token: t,
        body: { message: 'x', to_channel: id(channel) },
      });
    for (let i = 0; i < 10; i++) expect((await send('general')).status).toBe(201);
    const over = await send('general');
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe('10');
    expect(over.body.message).toMatch(/temporarily blocked/);
    expect((await send('engineering')).status).toBe(201);
    clock += 5_000;
    expect((await send('general')).status).toBe(429);
    clock += 5_001;
    expect((await send('general')).status).toBe(201);
  });

  it('a refused message does not count; off with plan off or channelMessageLimits false', async () => {
    const clock = Date.parse('2025-03-01T10:00:00Z');
    sim = await startTestSim({ plan: 'business', channelMessageLimits: false, now: () => clock });
    const t = await token(sim);
    const general = [...sim.state.channels.values()].find((c) => c.name === 'general')!.id;
    for (let i = 0; i < 15; i++)
      expect(
        (
          await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
            token: t,
            body: { message: 'x', to_channel: general },
          })
        ).status,
      ).toBe(201);
    await sim.admin.setRateLimits({ channelMessageLimits: true });
    const random = [...sim.state.channels.values()].find((c) => c.name === 'random')!.id; // not a member
    for (let i = 0; i < 12; i++)
      expect(
        (
          await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
            token: t,
            body: { message: 'x', to_channel: random },
          })
        ).status,
      ).toBe(400);
    for (let i = 0; i < 10; i++)
      expect(
        (
          await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
            token: t,
            body: { message: 'x', to_channel: general },
          })
        ).status,
      ).toBe(201);
    expect(
      (
        await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
          token: t,
          body: { message: 'x', to_channel: general },
        })
      ).status,
    ).toBe(429);
  });
});
