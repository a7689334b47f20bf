// Pagination: 20 000 messages of one channel, read in pages of 50 through the core's async iterator
// while the simulator limits MEDIUM (getChatMessages) to 60 per second and the client paces to match.
// Time should be ≈ pages / rate limit; memory should stay flat (one page at a time): the heap is
// sampled after a forced GC every 20 pages. For contrast, the same read with collect() (all in an array).
// Run with --expose-gc (the runner does).
import { createRequire } from 'node:module';
import { benchMain, startSimulatorProcess } from '../lib/child.mjs';
import { closedLoop } from '../lib/closed-loop.mjs';
import { admin, mintToken } from '../lib/sim-info.mjs';
import { MB, round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const messages = params.messages ?? 20_000;
const pageSize = params.pageSize ?? 50;
const perSecond = params.perSecond ?? 60;
const withCollect = params.collect ?? true;
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('run with --expose-gc');

const sim = await startSimulatorProcess({
  precompile: params.precompile ?? true,
  plan: 'off',
  fileStorage: 'memory',
  fixtures: 'minimal',
});
try {
  // Seed: a fresh channel and `messages` messages in it, as fast as the simulator takes them.
  const created = await admin(sim, 'POST', '/act/create-channel', { name: 'pagination-bench', type: 'public' });
  const channel = created.id ?? created.channel?.id;
  const token = await mintToken(sim);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let n = 0;
  const seed = await closedLoop(
    async () => {
      const res = await undici.request(`${sim.urls.api}/chat/users/me/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ message: `message ${n++}`, to_channel: channel }),
      });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`seed send: HTTP ${res.statusCode}`);
    },
    { concurrency: 32, durationMs: 120_000, maxOps: messages },
  );
  if (seed.ops !== messages) throw new Error(`seeded ${seed.ops} of ${messages} messages (${seed.firstError})`);
  await admin(sim, 'PUT', '/rate-limits', {
    plan: 'business',
    overrides: { MEDIUM: { limit: perSecond, windowMs: 1000 } },
    channelMessageLimits: false,
  });

  let calls = 0;
  let got429 = 0;
  const transport = core.createUndiciTransport(undici);
  const zoom = core.createZoomClient({
    auth: { kind: 'account', ...sim.credentials },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport: async (/** @type {any} */ req) => {
      const res = await transport(req);
      if (req.url.includes('/messages')) {
        calls++;
        if (res.status === 429) got429++;
      }
      return res;
    },
    rateLimits: { MEDIUM: { perSecond } },
  });
  await zoom.tokens.getToken();

  // Iterator mode.
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  // About ten samples over the walk, on page boundaries.
  const sampleEvery = pageSize * Math.max(1, Math.floor(messages / pageSize / 10));
  /** @type {number[]} heap growth (MB) after GC, every `sampleEvery` items */
  const samples = [];
  let items = 0;
  let rssPeak = process.memoryUsage().rss;
  const t0 = performance.now();
  for await (const message of zoom.messages.iterate({ to_channel: channel }, { pageSize })) {
    if (typeof message.id !== 'string') throw new Error('a message without id');
    items++;
    if (items % sampleEvery === 0) {
      gc();
      const m = process.memoryUsage();
      samples.push(round((m.heapUsed - heap0) / MB, 2));
      rssPeak = Math.max(rssPeak, m.rss);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const pages = calls;
  const expectedSeconds = (pages - 1) / perSecond; // n paced requests span n - 1 intervals
  const firstHalf = samples.slice(0, samples.length >> 1);
  const secondHalf = samples.slice(samples.length >> 1);
  const iterator = {
    messages: items,
    pages,
    seconds: round(seconds, 2),
    expectedSeconds: round(expectedSeconds, 2),
    timeVsExpected: round(seconds / expectedSeconds, 3),
    responses429: got429,
    heapGrowthMB: samples,
    // Constant memory: the heap after GC in the second half of the walk is no higher than in the first.
    heapDriftMB: round(Math.max(...secondHalf) - Math.max(...firstHalf), 2),
    heapMaxGrowthMB: round(Math.max(...samples), 2),
  };
  console.log(`iterator: ${JSON.stringify({ ...iterator, heapGrowthMB: undefined })}`);

  /** @type {Record<string, unknown> | undefined} */
  let collect;
  if (withCollect) {
    calls = 0;
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const c0 = performance.now();
    const all = await zoom.messages.list({ to_channel: channel }, { pageSize });
    const cs = (performance.now() - c0) / 1000;
    gc();
    collect = {
      messages: all.length,
      pages: calls,
      seconds: round(cs, 2),
      heapGrowthMB: round((process.memoryUsage().heapUsed - h0) / MB, 2),
    };
    console.log(`collect: ${JSON.stringify(collect)}`);
  }
  done({ iterator, collect, perSecond, pageSize });
} finally {
  await sim.stop();
}
