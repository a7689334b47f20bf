// Webhook intake in real hosts: a real Node-RED 4.1 with the package's trigger node (installed from its
// npm tarball) and a real n8n 1.123 with the package's trigger node, against a bare node:http server doing
// the same HMAC verification (own process). Per receiver: capacity (closed loop, `concurrency` senders),
// then open-loop steps at rising rates (fixed schedule; latency from the scheduled time, so a stalled
// receiver shows up as latency, not as a slower sender), stopping once a step overloads it.
import { fileURLToPath } from 'node:url';
import { benchMain, startReadyChild } from '../lib/child.mjs';
import { n8nInstalled, startN8nHost, startNodeRedHost } from '../lib/hosts.mjs';
import { median, round } from '@zoom-team-chat/testkit/stats';
import { closedLoopWebhooks, openLoopWebhooks } from '../lib/webhook-load.mjs';

const { params, done } = benchMain();
const concurrency = params.concurrency ?? 16;
const durationMs = params.durationMs ?? 2000;
const rounds = params.rounds ?? 3;
const stepMs = params.stepMs ?? 2000;
const rates = params.rates ?? [100, 250, 500, 1000, 2000];
const n8nRates = params.n8nRates ?? [10, 25, 50, 100];
const withN8n = params.n8n ?? true;
const secret = 'bench-webhook-secret-token-0123';

/** Open-loop steps until one overloads the receiver (p99 over 1 s, refusals or shed deliveries). */
async function steps(url, list) {
  const out = [];
  for (const rate of list) {
    const r = await openLoopWebhooks({ url, secret, rate, durationMs: stepMs, maxInFlight: 256, timeoutMs: 15_000 });
    out.push(r);
    console.log(
      `  ${rate}/s: achieved ${r.achieved}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, failed ${r.failed}, shed ${r.overloaded}`,
    );
    if (r.p99 > 1000 || r.failed > 0 || r.overloaded > 0) break;
  }
  return out;
}

const bare = await startReadyChild(fileURLToPath(new URL('../lib/webhook-server.mjs', import.meta.url)), [
  'bare',
  secret,
]);
const nodeRed = await startNodeRedHost(secret);
/** @type {Record<string, unknown>} */
const result = { concurrency, durationMs, rounds, stepMs };
try {
  const targets = { bare: bare.info.url, nodeRed: nodeRed.url, nodeRedPlain: nodeRed.plainUrl };
  for (const [k, url] of Object.entries(targets)) {
    const w = await closedLoopWebhooks({ url, secret, concurrency, durationMs: 1000 });
    if (w.failed > 0 || w.ok === 0) throw new Error(`${k}: deliveries refused (${JSON.stringify(w.statuses)})`);
  }
  const before = await nodeRed.delivered();
  /** @type {Record<string, number[]>} */
  const cap = { bare: [], nodeRed: [], nodeRedPlain: [] };
  let acked = 0;
  const order = ['bare', 'nodeRed', 'nodeRedPlain'];
  for (let r = 0; r < rounds; r++) {
    for (const k of order.map((_, i) => /** @type {string} */ (order[(i + r) % order.length]))) {
      const res = await closedLoopWebhooks({
        url: targets[/** @type {'bare'} */ (k)],
        secret,
        concurrency,
        durationMs,
      });
      if (res.failed > 0) throw new Error(`${k}: ${res.failed} deliveries refused`);
      if (k === 'nodeRed') acked += res.ok;
      /** @type {number[]} */ (cap[k]).push(res.rate);
    }
  }
  // Every acknowledged delivery must have reached the flow (not only been answered 200).
  await new Promise((r) => setTimeout(r, 500));
  const reachedFlow = (await nodeRed.delivered()) - before;
  console.log('bare steps');
  const bareSteps = await steps(targets.bare, rates);
  console.log(`Node-RED ${nodeRed.version} steps`);
  const nodeRedSteps = await steps(targets.nodeRed, rates);
  const plainAt500 = await openLoopWebhooks({
    url: targets.nodeRedPlain,
    secret,
    rate: 500,
    durationMs: stepMs,
    maxInFlight: 256,
    timeoutMs: 15_000,
  });
  const bareCap = median(cap.bare);
  const nrCap = median(cap.nodeRed);
  const plainCap = median(cap.nodeRedPlain);
  result.bare = { eventsPerSecond: round(bareCap, 0), rounds: cap.bare.map((x) => round(x, 0)), steps: bareSteps };
  result.nodeRed = {
    version: nodeRed.version,
    eventsPerSecond: round(nrCap, 0),
    vsBare: round(nrCap / bareCap),
    rounds: cap.nodeRed.map((x) => round(x, 0)),
    acked,
    reachedFlow,
    steps: nodeRedSteps,
    p99At500: /** @type {any} */ (nodeRedSteps.find((s) => s.rate === 500))?.p99 ?? null,
  };
  // Node-RED's own http-in → http-response flow, no verification: what the host itself allows.
  result.nodeRedPlain = {
    eventsPerSecond: round(plainCap, 0),
    vsBare: round(plainCap / bareCap),
    rounds: cap.nodeRedPlain.map((x) => round(x, 0)),
    at500: plainAt500,
  };
} finally {
  await nodeRed.stop();
}

if (withN8n && n8nInstalled()) {
  const n8n = await startN8nHost(secret);
  try {
    // n8n keeps working for a while after it reports ready (migrations, caches): wait until a
    // single delivery is answered quickly, at most 30 s.
    const settleUntil = Date.now() + 30_000;
    while (Date.now() < settleUntil) {
      const one = await openLoopWebhooks({ url: n8n.url, secret, rate: 5, durationMs: 1000 });
      if (one.p99 < 100) break;
    }
    const capRes = await closedLoopWebhooks({ url: n8n.url, secret, concurrency, durationMs: durationMs * 2 });
    console.log(`n8n ${n8n.version} capacity ${round(capRes.rate, 0)}/s`);
    const plainRes = await closedLoopWebhooks({ url: n8n.plainUrl, secret, concurrency, durationMs: durationMs * 2 });
    console.log(`n8n ${n8n.version} own Webhook node capacity ${round(plainRes.rate, 0)}/s`);
    console.log(`n8n ${n8n.version} steps`);
    const n8nSteps = await steps(n8n.url, n8nRates);
    const bareCap = /** @type {any} */ (result.bare).eventsPerSecond;
    result.n8n = {
      version: n8n.version,
      eventsPerSecond: round(capRes.rate, 1),
      vsBare: round(capRes.rate / bareCap, 4),
      failed: capRes.failed,
      steps: n8nSteps,
      plainEventsPerSecond: round(plainRes.rate, 1),
    };
  } finally {
    await n8n.stop();
  }
} else {
  result.n8n = {
    skipped: withN8n
      ? 'n8n 1.123 is not installed in .tools (node packages/testkit/src/n8n-install.mjs 1)'
      : 'disabled',
  };
}
await bare.stop();
done(result);
