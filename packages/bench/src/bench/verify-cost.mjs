// Cost of verifying one webhook delivery: the core against the same check written by hand with
// crypto.createHmac + timingSafeEqual, like with like. verifyWebhookSignature only verifies; it is
// compared with the bare HMAC check. verifyWebhook verifies and parses (it returns the event); it is
// compared with the HMAC check plus JSON.parse, and, for reference, with the bare check too.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { benchMain } from '../lib/child.mjs';
import { signedDelivery } from '@zoom-team-chat/testkit/events';
import { median, round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const { verifyWebhook, verifyWebhookSignature } = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const events = params.events ?? 50_000;
const rounds = params.rounds ?? 9;
const secret = 'bench-webhook-secret-token-0123';

// Distinct deliveries, as Buffers (what a server reads off the socket).
const deliveries = Array.from({ length: 256 }, (_, i) => {
  const d = signedDelivery(secret, i);
  return { raw: Buffer.from(d.body), headers: d.headers };
});

/** The hand-written check: header format, HMAC over v0:{ts}:{body}, constant-time compare, 5-minute window. */
function rawVerify(raw, headers) {
  const sig = headers['x-zm-signature'];
  const ts = headers['x-zm-request-timestamp'];
  if (typeof sig !== 'string' || typeof ts !== 'string' || sig.length !== 67 || !sig.startsWith('v0='))
    throw new Error('bad headers');
  const received = Buffer.from(sig.slice(3), 'hex');
  const digest = createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest();
  if (received.length !== 32 || !timingSafeEqual(digest, received)) throw new Error('bad signature');
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error('stale');
  return true;
}

/** @type {Record<string, (raw: Buffer, headers: Record<string, string>) => unknown>} */
const contenders = {
  'raw createHmac + timingSafeEqual': rawVerify,
  'raw createHmac + timingSafeEqual + JSON.parse': (raw, headers) => {
    rawVerify(raw, headers);
    return JSON.parse(raw.toString('utf8'));
  },
  'core verifyWebhookSignature (verifies only)': (rawBody, headers) => {
    verifyWebhookSignature({ rawBody, headers, secrets: secret });
    return true;
  },
  'core verifyWebhook (verifies and parses)': (rawBody, headers) =>
    verifyWebhook({ rawBody, headers, secrets: secret }),
};
const names = Object.keys(contenders);

let sink = 0;
/** @param {(raw: Buffer, headers: Record<string, string>) => unknown} fn */
function batch(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const d = /** @type {(typeof deliveries)[number]} */ (deliveries[i & 255]);
    if (fn(d.raw, d.headers)) sink++;
  }
  return Number(process.hrtime.bigint() - t0) / n; // ns per event
}

for (const name of names) batch(/** @type {any} */ (contenders[name]), Math.min(events, 5_000)); // warm-up (JIT)
/** @type {Record<string, number[]>} */
const ns = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = /** @type {string} */ (names[(k + r) % names.length]);
    /** @type {number[]} */ (ns[name]).push(batch(/** @type {any} */ (contenders[name]), events));
  }
}
const med = Object.fromEntries(names.map((n) => [n, median(/** @type {number[]} */ (ns[n]))]));
const perSecond = (n) => 1e9 / /** @type {number} */ (med[n]);
const core = 'core verifyWebhook (verifies and parses)';
const coreOnly = 'core verifyWebhookSignature (verifies only)';
const rows = names.map((name) => ({
  contender: name,
  nsPerEvent: round(/** @type {number} */ (med[name]), 0),
  perSecond: round(perSecond(name), 0),
}));
done({
  rows,
  bodyBytes: deliveries[0]?.raw.length,
  events,
  rounds,
  ratioVsHmac: round(perSecond(core) / perSecond('raw createHmac + timingSafeEqual')),
  ratioSignatureVsHmac: round(perSecond(coreOnly) / perSecond('raw createHmac + timingSafeEqual')),
  ratioVsHmacParse: round(perSecond(core) / perSecond('raw createHmac + timingSafeEqual + JSON.parse')),
  sink: sink > 0,
});
