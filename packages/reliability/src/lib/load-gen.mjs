// Open-loop load of signed Zoom deliveries with Zoom-style retries: every `retryEvery`-th delivery
// is sent again with the very same headers (x-zm-request-id, x-zm-request-timestamp, x-zm-signature)
// and body, either at the same moment (a retry racing the original) or up to a second and a half
// later, as Zoom re-sends a delivery it thinks failed. Bounded in count (rate × duration plus the
// retries) and time (every request has a timeout). Keeps a ledger of what was sent and answered.
import { createRequire } from 'node:module';
import { signedDelivery } from '@zoom-team-chat/testkit/events';
import { percentile, round } from '@zoom-team-chat/testkit/stats';

// The same undici version as the bench's load generator (which this mirrors), so both measure alike.
const require = createRequire(import.meta.url);
const { Pool } = require('undici');

/** Zoom gives up on an unanswered delivery after this long and retries later. */
export const ZOOM_ACK_MS = 3000;

/**
 * @typedef {{ messageId: string, requestId: string, statuses: number[], retried: boolean }} Sent
 * @typedef {{
 *   url: string, secret: string, rate: number, durationMs: number,
 *   retryEvery?: number, connections?: number, maxInFlight?: number, timeoutMs?: number,
 * }} LoadOptions
 */

/** @param {LoadOptions} o */
function check(o) {
  for (const k of /** @type {const} */ (['rate', 'durationMs'])) {
    if (!Number.isFinite(o[k]) || o[k] <= 0) throw new Error(`load: ${k} must be a positive number`);
  }
  if (typeof o.url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url))
    throw new Error('load: url must be http://127.0.0.1:<port>/…');
  if (typeof o.secret !== 'string' || o.secret === '') throw new Error('load: secret must be a non-empty string');
}

/**
 * Runs the load; resolves once every request is answered or timed out.
 * Latency counts from the scheduled send time (a stalled receiver shows as latency, not as a
 * slower sender). Past `maxInFlight` pending requests a delivery is not sent and counted as `shed`
 * (to Zoom that is an unanswered delivery: it counts as a missed ack too).
 * @param {LoadOptions} o
 */
export async function runLoad(o) {
  check(o);
  const u = new URL(o.url);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const pool = new Pool(u.origin, {
    connections: o.connections ?? 64,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const total = Math.round((o.rate * o.durationMs) / 1000);
  const retryEvery = o.retryEvery ?? 10;
  const maxInFlight = o.maxInFlight ?? 1024;
  /** @type {Sent[]} */
  const sent = [];
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  let inFlight = 0;
  let shed = 0;
  let errors = 0;
  let overAck = 0;
  let late = 0;
  /** @type {Promise<void>[]} */
  const pending = [];

  /** @param {Sent} entry @param {{ body: string, headers: Record<string, string> }} d @param {number} due */
  const send = (entry, d, due) => {
    if (inFlight >= maxInFlight) {
      shed++;
      overAck++;
      return;
    }
    inFlight++;
    const from = Math.min(due, performance.now());
    pending.push(
      pool.request({ path: u.pathname, method: 'POST', headers: d.headers, body: d.body }).then(
        async (res) => {
          await res.body.dump();
          inFlight--;
          const ms = performance.now() - from;
          latencies.push(ms);
          if (ms > ZOOM_ACK_MS) {
            overAck++;
            late++;
          }
          entry.statuses.push(res.statusCode);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        },
        () => {
          inFlight--;
          errors++;
          overAck++;
          entry.statuses.push(0);
        },
      ),
    );
  };

  const interval = 1000 / o.rate;
  const t0 = performance.now();
  /** @type {Array<{ at: number, entry: Sent, d: { body: string, headers: Record<string, string> } }>} */
  const retries = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    // Retries whose time has come go out first, in order.
    while (retries.length > 0 && /** @type {any} */ (retries[0]).at <= performance.now()) {
      const r = /** @type {any} */ (retries.shift());
      send(r.entry, r.d, r.at);
    }
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const d = signedDelivery(o.secret, i);
    const entry = {
      messageId: JSON.parse(d.body).payload.object.message_id,
      requestId: d.headers['x-zm-request-id'],
      statuses: [],
      retried: false,
    };
    sent.push(entry);
    send(entry, d, due);
    if (retryEvery > 0 && i % retryEvery === 0) {
      entry.retried = true;
      // Half race the original (sent while it is still being handled), half come later.
      if ((i / retryEvery) % 2 === 0) send(entry, d, performance.now());
      else {
        // Kept in time order: the loop above only looks at the head.
        const retry = { at: performance.now() + 100 + ((i * 37) % 1400), entry, d };
        let k = retries.length;
        while (k > 0 && /** @type {any} */ (retries[k - 1]).at > retry.at) k--;
        retries.splice(k, 0, retry);
      }
    }
  }
  while (retries.length > 0) {
    const r = /** @type {any} */ (retries.shift());
    const wait = r.at - performance.now();
    if (wait > 1) await new Promise((res) => setTimeout(res, wait));
    send(r.entry, r.d, r.at);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const requests = latencies.length + errors;
  return {
    rate: o.rate,
    seconds: round(seconds, 1),
    events: sent.length,
    retriesSent: sent.filter((s) => s.retried).length,
    requests,
    shed,
    errors,
    statuses,
    /** Requests answered after Zoom's 3 s, not answered (error/timeout) or not sent (shed). */
    overAck,
    /** Of those, answered but after 3 s. */
    late,
    /** Answered within Zoom's 3 s. */
    inTime: latencies.length - late,
    achieved: round(latencies.length / seconds, 0),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(Math.max(0, ...latencies), 1),
    sent,
  };
}

/**
 * Exactly-once check of a ledger against the event ids the flow/workflow saw.
 * Every delivery acknowledged with 200 (first attempt or retry) must appear exactly once; one
 * never acknowledged may appear at most once (it may have been processed after the sender gave
 * up); nothing may appear twice; ids not sent by this run are counted apart (other traffic).
 * @param {Sent[]} sent @param {string[]} seenIds
 */
export function exactlyOnce(sent, seenIds) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const id of seenIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  let acked = 0;
  let missing = 0;
  let duplicated = 0;
  let unackedDelivered = 0;
  const known = new Set();
  for (const s of sent) {
    known.add(s.messageId);
    const n = counts.get(s.messageId) ?? 0;
    if (n > 1) duplicated++;
    if (s.statuses.includes(200)) {
      acked++;
      if (n === 0) missing++;
    } else if (n === 1) unackedDelivered++;
  }
  let foreign = 0;
  for (const id of counts.keys()) if (!known.has(id)) foreign++;
  return {
    acked,
    delivered: seenIds.length - foreign,
    missing,
    duplicated,
    unackedDelivered,
    foreign,
    ok: missing === 0 && duplicated === 0,
  };
}
