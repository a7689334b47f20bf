// Rate-limit use. Phase 1: 600 sends through the core client while the simulator limits MEDIUM
// (sendaChatMessage) to 60 per second (fixed 1-second windows, Zoom's headers); the client paces
// itself with the same allowance. Target: ≥ 95% of the allowed rate and no 429 at all.
// Phase 2: a forced 429 storm: the simulator holds the next sends for `stormDelayMs` (Zoom's latency
// over the internet) and answers each with 429 + Retry-After, so that a whole burst of requests already
// on the wire comes back refused at once. The client must pause the label, resume right at Retry-After
// (nothing sent while paused), and post every message exactly once.
import { createRequire } from 'node:module';
import { benchMain, startSimulatorProcess } from '../lib/child.mjs';
import { admin, generalChannelId } from '../lib/sim-info.mjs';
import { round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const sends = params.sends ?? 600;
const perSecond = params.perSecond ?? 60;
const concurrency = params.concurrency ?? 16;
const stormFaults = params.stormFaults ?? 15;
const stormDelayMs = params.stormDelayMs ?? 300;
const stormSends = params.stormSends ?? 120;
const retryAfterSeconds = params.retryAfterSeconds ?? 2;

// The per-channel limits of sendaChatMessage (10/s…) would cap a single channel below 60/s: off,
// so that the label limit alone is measured.
const sim = await startSimulatorProcess({
  precompile: params.precompile ?? true,
  plan: 'business',
  rateLimits: { MEDIUM: { limit: perSecond, windowMs: 1000 } },
  channelMessageLimits: false,
  fileStorage: 'memory',
});
try {
  const channel = await generalChannelId(sim);
  /** @type {Array<{ sentAt: number, doneAt: number, status: number, retryAfter?: string }>} */
  const exchanges = [];
  const undiciTransport = core.createUndiciTransport(undici);
  /** Records every HTTP exchange the client makes (429s included, which the caller never sees). */
  const recording = async (/** @type {any} */ req) => {
    const sentAt = performance.now();
    const res = await undiciTransport(req);
    if (req.url.includes('/chat/users/'))
      exchanges.push({ sentAt, doneAt: performance.now(), status: res.status, retryAfter: res.headers['retry-after'] });
    return res;
  };
  const zoom = core.createZoomClient({
    auth: { kind: 'account', ...sim.credentials },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport: recording,
    rateLimits: { MEDIUM: { perSecond } },
    // The simulator's channel windows are off (above), and so is the client's channel pacing.
    channelPacing: false,
  });
  await zoom.tokens.getToken(); // token minting is not part of the measurement

  /** Sends `n` messages with `concurrency` callers; returns elapsed seconds and failures. */
  async function sendMany(n, tag) {
    let next = 0;
    let failed = 0;
    /** @type {Set<string>} */
    const errors = new Set();
    const t0 = performance.now();
    const worker = async () => {
      while (next < n) {
        const i = next++;
        try {
          await zoom.messages.send({ message: `${tag} ${i}`, to_channel: channel });
        } catch (err) {
          failed++;
          errors.add(err instanceof Error ? err.message : String(err));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { seconds: (performance.now() - t0) / 1000, failed, errors: [...errors] };
  }

  // Phase 1 — pacing.
  const paced = await sendMany(sends, 'paced');
  const phase1 = exchanges.splice(0);
  const first = /** @type {number} */ (phase1[0]?.sentAt);
  const last = Math.max(...phase1.map((e) => e.doneAt));
  // n requests evenly spaced at the allowed rate span (n - 1) intervals; the rate is measured the same way.
  const spanSeconds = (Math.max(...phase1.map((e) => e.sentAt)) - first) / 1000;
  const achieved = (sends - 1) / spanSeconds;
  const pacing = {
    sends,
    allowedPerSecond: perSecond,
    seconds: round(paced.seconds),
    achievedPerSecond: round(achieved, 1),
    ofAllowed: round(achieved / perSecond, 3),
    throughputPerSecond: round(sends / ((last - first) / 1000), 1),
    responses429: phase1.filter((e) => e.status === 429).length,
    failed: paced.failed,
  };
  console.log(`pacing: ${JSON.stringify(pacing)}`);
  if (process.env.BENCH_DEBUG) {
    const win = new Map();
    for (const e of phase1) {
      const w = Math.floor((performance.timeOrigin + e.sentAt) / 1000);
      win.set(w, (win.get(w) ?? 0) + 1);
    }
    console.log('per window', [...win.values()].join(','));
    const i429 = phase1.findIndex((e) => e.status === 429);
    if (i429 >= 0)
      console.log(
        'around 429',
        phase1
          .slice(Math.max(0, i429 - 3), i429 + 2)
          .map((e) => [((performance.timeOrigin + e.sentAt) % 1000).toFixed(1), e.status]),
      );
    const gaps = phase1.slice(1).map((e, i) => e.sentAt - /** @type {any} */ (phase1[i]).sentAt);
    console.log('min gap', Math.min(...gaps).toFixed(2), 'max gap', Math.max(...gaps).toFixed(2));
  }

  // Phase 2 — a forced 429 storm. Wait for a fresh window so that phase 1 does not spill over.
  await new Promise((r) => setTimeout(r, 1100));
  await admin(sim, 'POST', '/faults', {
    operationId: 'sendaChatMessage',
    count: stormFaults,
    status: 429,
    delayMs: stormDelayMs,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-category': 'Medium', 'x-ratelimit-type': 'QPS' },
    body: { code: 429, message: 'You have exceeded the number of requests per second for this API. Try again later.' },
  });
  const storm = await sendMany(stormSends, 'storm');
  const phase2 = exchanges.splice(0);
  // Each 429 pauses the label until (its arrival + Retry-After); the client must not send before that,
  // and should send again as soon as the pause is over.
  let pausedUntil = 0;
  let early = 0;
  /** @type {number[]} */
  const resumeLags = [];
  const ordered = [...phase2].sort((a, b) => a.sentAt - b.sentAt);
  for (const e of ordered) {
    if (pausedUntil > 0 && e.sentAt >= pausedUntil - 1) {
      resumeLags.push(e.sentAt - pausedUntil);
      pausedUntil = 0;
    } else if (pausedUntil > 0 && e.sentAt < pausedUntil - 1) {
      // A request that left while paused: only allowed if it was already on the wire before the 429 came back.
      const inFlightAtPause = ordered.some((x) => x.status === 429 && x.doneAt > e.sentAt);
      if (!inFlightAtPause) early++;
    }
    if (e.status === 429) pausedUntil = Math.max(pausedUntil, e.doneAt + Number(e.retryAfter) * 1000);
  }
  const stored = /** @type {Array<{ text?: string }>} */ (await admin(sim, 'GET', `/channels/${channel}/messages`));
  const stormTexts = stored.map((m) => m.text ?? '').filter((t) => t.startsWith('storm '));
  const unique = new Set(stormTexts);
  const stormResult = {
    sends: stormSends,
    forced429: phase2.filter((e) => e.status === 429).length,
    retryAfterSeconds,
    pauses: resumeLags.length,
    resumeLagMs: resumeLags.map((x) => round(x, 1)),
    maxResumeLagMs: round(Math.max(0, ...resumeLags), 1),
    sentWhilePaused: early,
    failed: storm.failed,
    errors: storm.errors,
    posted: stormTexts.length,
    postedOnce: unique.size === stormSends && stormTexts.length === stormSends,
    seconds: round(storm.seconds, 2),
  };
  console.log(`storm: ${JSON.stringify(stormResult)}`);
  done({ pacing, storm: stormResult });
} finally {
  await sim.stop();
}
