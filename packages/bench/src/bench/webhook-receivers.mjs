// Webhook intake in bare servers: node:http + the core's handleWebhookRequest, against @zoom/rivet's own
// HttpReceiver and a bare node:http server with the hand-written HMAC check. Each receiver runs in its
// own process; one load generator POSTs signed deliveries over keep-alive connections (closed loop),
// receivers taking turns in rotating order; the median rate of several rounds counts.
import { fileURLToPath } from 'node:url';
import { benchMain, startReadyChild } from '../lib/child.mjs';
import { median, round } from '@zoom-team-chat/testkit/stats';
import { closedLoopWebhooks, openLoopWebhooks } from '../lib/webhook-load.mjs';
import { withCpu } from '@zoom-team-chat/testkit/proc-cpu';

const { params, done } = benchMain();
const concurrency = params.concurrency ?? 16;
const durationMs = params.durationMs ?? 1500;
const rounds = params.rounds ?? 5;
const latencyMs = params.latencyMs ?? 2000;
const secret = 'bench-webhook-secret-token-0123';
const script = fileURLToPath(new URL('../lib/webhook-server.mjs', import.meta.url));

const kinds = /** @type {const} */ (['bare', 'core', 'rivet']);
const labels = {
  bare: 'bare node:http + createHmac/timingSafeEqual',
  core: 'node:http + core handleWebhookRequest',
  rivet: '@zoom/rivet 0.4.0 HttpReceiver',
};
const servers = await Promise.all(kinds.map((k) => startReadyChild(script, [k, secret])));
try {
  const urls = Object.fromEntries(kinds.map((k, i) => [k, /** @type {any} */ (servers[i]).info.url]));
  // Warm-up (JIT in the receivers and the generator); a receiver that refuses valid deliveries stops here.
  for (const k of kinds) {
    const w = await closedLoopWebhooks({ url: urls[k], secret, concurrency, durationMs: Math.min(durationMs, 1000) });
    if (w.failed > 0 || w.ok === 0)
      throw new Error(`${k}: ${w.failed} deliveries refused (${JSON.stringify(w.statuses)})`);
  }
  /** @type {Record<string, number[]>} */
  const rates = Object.fromEntries(kinds.map((k) => [k, []]));
  /** @type {Record<string, number[]>} receiver CPU microseconds per event */
  const cpu = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < kinds.length; i++) {
      const k = /** @type {(typeof kinds)[number]} */ (kinds[(i + r) % kinds.length]);
      const pid = /** @type {any} */ (servers[kinds.indexOf(k)]).child.pid;
      const { result: res, cpuMs } = await withCpu([pid], () =>
        closedLoopWebhooks({ url: urls[k], secret, concurrency, durationMs }),
      );
      if (res.failed > 0) throw new Error(`${k}: ${res.failed} deliveries refused`);
      /** @type {number[]} */ (rates[k]).push(res.rate);
      /** @type {number[]} */ (cpu[k]).push((cpuMs * 1000) / res.ok);
    }
  }
  // Latency at a fixed, moderate rate (500 events/s) for reference.
  /** @type {Record<string, unknown>} */
  const at500 = {};
  for (const k of kinds) at500[k] = await openLoopWebhooks({ url: urls[k], secret, rate: 500, durationMs: latencyMs });
  const med = Object.fromEntries(kinds.map((k) => [k, median(/** @type {number[]} */ (rates[k]))]));
  const cpuMed = Object.fromEntries(kinds.map((k) => [k, median(/** @type {number[]} */ (cpu[k]))]));
  // Events one core of the receiver can take: the load generator shares this 2-core machine, so the
  // closed-loop rate is partly the generator's; the receiver's own CPU per event is not.
  const perCore = (k) => 1e6 / /** @type {number} */ (cpuMed[k]);
  const rows = kinds.map((k) => ({
    receiver: labels[k],
    kind: k,
    eventsPerSecond: round(/** @type {number} */ (med[k]), 0),
    vsBare: round(/** @type {number} */ (med[k]) / /** @type {number} */ (med.bare)),
    cpuMicrosPerEvent: round(/** @type {number} */ (cpuMed[k]), 1),
    eventsPerCoreSecond: round(perCore(k), 0),
    perCoreVsBare: round(perCore(k) / perCore('bare')),
    rounds: /** @type {number[]} */ (rates[k]).map((x) => round(x, 0)),
    at500: at500[k],
  }));
  done({
    rows,
    concurrency,
    durationMs,
    rounds,
    coreVsRivet: round(/** @type {number} */ (med.core) / /** @type {number} */ (med.rivet)),
    coreVsRivetPerCore: round(perCore('core') / perCore('rivet')),
  });
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
