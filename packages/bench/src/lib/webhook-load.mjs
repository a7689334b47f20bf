// Load generators for webhook receivers: signed deliveries POSTed over keep-alive connections,
// each delivery unique (fresh request ID, message ID and signature). Bounded in count and time.
import { createRequire } from 'node:module';
import { signedDelivery } from '@zoom-team-chat/testkit/events';
import { percentile, round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const { Pool } = require('undici');

let seq = 0;
/**
 * POSTs one signed delivery; resolves the HTTP status once the answer is read.
 * @param {any} pool @param {string} path @param {string} secret
 */
async function post(pool, path, secret) {
  const d = signedDelivery(secret, seq++);
  const res = await pool.request({ path, method: 'POST', headers: d.headers, body: d.body });
  await res.body.dump();
  return res.statusCode;
}

/**
 * Closed loop: `concurrency` senders back to back for `durationMs` (at most `maxEvents`).
 * @param {{ url: string, secret: string, concurrency: number, durationMs: number, maxEvents?: number }} o
 */
export async function closedLoopWebhooks(o) {
  const u = new URL(o.url);
  const pool = new Pool(u.origin, { connections: o.concurrency });
  let ok = 0;
  let failed = 0;
  let sent = 0;
  /** @type {Record<string, number>} */
  const statuses = {};
  const t0 = performance.now();
  const deadline = t0 + o.durationMs;
  const max = o.maxEvents ?? Infinity;
  const sender = async () => {
    while (performance.now() < deadline && sent < max) {
      sent++;
      try {
        const status = await post(pool, u.pathname, o.secret);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, sender));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { ok, failed, statuses, seconds, rate: ok / seconds };
}

/**
 * Open loop: deliveries scheduled at a fixed `rate` for `durationMs`, whatever the receiver does;
 * latency counts from the scheduled time (no coordinated omission). At most `maxInFlight` pending:
 * past that a delivery is counted as `overloaded` instead of sent.
 * `within` counts the answers that came within `withinMs` (default 3000: what Zoom counts as delivered).
 * @param {{ url: string, secret: string, rate: number, durationMs: number, connections?: number, maxInFlight?: number, timeoutMs?: number, withinMs?: number }} o
 */
export async function openLoopWebhooks(o) {
  const u = new URL(o.url);
  const pool = new Pool(u.origin, {
    connections: o.connections ?? 64,
    headersTimeout: o.timeoutMs ?? 10_000,
    bodyTimeout: o.timeoutMs ?? 10_000,
  });
  const total = Math.round((o.rate * o.durationMs) / 1000);
  const maxInFlight = o.maxInFlight ?? 512;
  /** @type {number[]} */
  const latencies = [];
  let ok = 0;
  let failed = 0;
  let overloaded = 0;
  let inFlight = 0;
  /** @type {Promise<void>[]} */
  const pending = [];
  const interval = 1000 / o.rate;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      overloaded++;
      continue;
    }
    inFlight++;
    // From the scheduled time when we are late (a stalled receiver shows as latency), else from now.
    const from = Math.min(due, performance.now());
    pending.push(
      post(pool, u.pathname, o.secret).then(
        (status) => {
          inFlight--;
          if (status === 200) {
            ok++;
            latencies.push(performance.now() - from);
          } else failed++;
        },
        () => {
          inFlight--;
          failed++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const withinMs = o.withinMs ?? 3000;
  return {
    rate: o.rate,
    sent: total - overloaded,
    ok,
    within: latencies.filter((ms) => ms <= withinMs).length,
    failed,
    overloaded,
    achieved: round(ok / seconds, 0),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(Math.max(0, ...latencies), 1),
  };
}
