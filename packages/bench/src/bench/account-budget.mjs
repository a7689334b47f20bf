// One rate budget per Zoom account (issue 15), against the simulator on plan Pro with Zoom's
// per-channel windows on. Each figure is the burst's time ÷ the least time Zoom's limits allow.
//  1. `executions` sends at once through as many clients (what as many n8n executions do), each to a
//     contact: one shared budget (rateLimitKey) against the old per-client pacing.
//  2. `channelSends` sends at once into one channel (windows 10/1 s, 30/10 s, 60/100 s, 450/1000 s).
//  3. The same contact burst split over two limiters with share 0.5 each: what two n8n workers do.
import { createRequire } from 'node:module';
import { benchMain, startSimulatorProcess } from '../lib/child.mjs';
import { admin, generalChannelId, mintToken } from '../lib/sim-info.mjs';
import { round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const executions = params.executions ?? 200;
const channelSends = params.channelSends ?? 100;
const MEDIUM_PER_SECOND = 20; // Pro
const WINDOWS = core.getOperation('sendaChatMessage').channelLimits.windows;

/** The earliest the n-th of `count` messages can go into one channel under the windows (greedy, exact). */
function channelMinimumMs(count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    let at = i === 0 ? 0 : /** @type {number} */ (times[i - 1]);
    for (const w of WINDOWS)
      if (times.length >= w.max) at = Math.max(at, /** @type {number} */ (times[times.length - w.max]) + w.windowMs);
    at = Math.max(at, (i * 1000) / MEDIUM_PER_SECOND - 1000); // never faster than the label either
    times.push(at);
  }
  return /** @type {number} */ (times.at(-1));
}

const sim = await startSimulatorProcess({ precompile: params.precompile ?? true, plan: 'pro', fileStorage: 'memory' });
try {
  const channel = await generalChannelId(sim);
  let keys = 0;
  // One token for every client, minted once (n8n keeps it in the credential): the figures are pacing.
  const accessToken = await mintToken(sim);
  const transport = core.createNodeHttpTransport();
  let refused = 0;
  const counting = async (/** @type {any} */ req) => {
    const res = await transport(req);
    if (res.status === 429) refused++;
    return res;
  };
  const client = (extra = {}) =>
    core.createZoomClient({
      auth: { kind: 'token', accessToken },
      baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
      transport: counting,
      ...extra,
    });

  /** Fires `n` sends at once from `makeClient(i)`; counts the 429s Zoom answered (the callers never see them). */
  async function burst(n, makeClient, body) {
    await new Promise((r) => setTimeout(r, 1100)); // a fresh second window
    refused = 0;
    const t0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        makeClient(i).call('sendaChatMessage', { path: { userId: 'me' }, body: body(i) }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const failed = results.filter((r) => r.status === 'rejected');
    return {
      n,
      seconds: round(seconds, 2),
      exactSeconds: seconds,
      failed: failed.length,
      error: failed[0] ? String(failed[0].reason?.message ?? failed[0].reason).slice(0, 160) : undefined,
      responses429: refused,
    };
  }
  const users = /** @type {Array<{ email: string, role: string }>} */ (await admin(sim, 'GET', '/users'));
  const contacts = users.filter((u) => u.role !== 'owner').map((u) => u.email);
  const toContact = (i) => ({ message: `budget ${i}`, to_contact: contacts[i % contacts.length] });
  const contactMinimum = (executions - 1) / MEDIUM_PER_SECOND;

  const key = core.accountRateLimitKey({
    apiBaseUrl: sim.urls.api,
    accountId: `${sim.credentials.accountId}-${++keys}`,
  });
  const shared = await burst(executions, () => client({ rateLimitKey: key }), toContact);
  // Before: each execution paced alone and gave up after 7 rate-limited attempts.
  const alone = await burst(executions, () => client({ maxRateLimitRetries: 6 }), toContact);
  const keyA = core.accountRateLimitKey({ apiBaseUrl: sim.urls.api, accountId: `worker-a-${++keys}` });
  const keyB = core.accountRateLimitKey({ apiBaseUrl: sim.urls.api, accountId: `worker-b-${++keys}` });
  const workers = await burst(
    executions,
    (i) => client({ rateLimitKey: i % 2 ? keyA : keyB, rateLimitShare: 0.5 }),
    toContact,
  );
  const oneChannel = client({
    rateLimitKey: core.accountRateLimitKey({ apiBaseUrl: sim.urls.api, accountId: `channel-${++keys}` }),
  });
  const channelRun = await burst(
    channelSends,
    () => oneChannel,
    (i) => ({ message: `channel ${i}`, to_channel: channel }),
  );
  const result = {
    executions,
    contactMinimumSeconds: round(contactMinimum, 1),
    shared: { ...shared, ofMinimum: round(shared.exactSeconds / contactMinimum, 2) },
    alone: { ...alone, ofMinimum: round(alone.exactSeconds / contactMinimum, 2) },
    workers: { ...workers, ofMinimum: round(workers.exactSeconds / contactMinimum, 2) },
    channelSends,
    channelMinimumSeconds: round(channelMinimumMs(channelSends) / 1000, 1),
    channel: {
      ...channelRun,
      ofMinimum: round(channelRun.exactSeconds / (channelMinimumMs(channelSends) / 1000 || 1), 2),
    },
  };
  console.log(`account budget: ${JSON.stringify(result)}`);
  done(result);
} finally {
  await sim.stop();
}
