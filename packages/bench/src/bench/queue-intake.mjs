// Zoom's deliveries acknowledged within its 3 s, per second, by the package's trigger in a real
// n8n 1.123 on PostgreSQL: regular mode (one process runs the trigger and every execution) against
// queue mode (main + 2 webhook processes behind a round-robin balancer + 2 workers, Redis). Open
// loop at each offered rate for `durationMs` (every delivery distinct and signed; latency from its
// scheduled time); a delivery answered later than 3 s is one Zoom counts as failed and retries.
// All processes share this machine's cores, as the load generator does.
import { benchMain } from '../lib/child.mjs';
import { n8nInstalled, startN8nTriggerHost } from '../lib/hosts.mjs';
import { round } from '@zoom-team-chat/testkit/stats';
import { openLoopWebhooks } from '../lib/webhook-load.mjs';

const { params, done } = benchMain();
const rates = params.rates ?? [5, 10, 25, 50];
const durationMs = params.durationMs ?? 10_000;
const secret = 'bench-queue-secret-token-0123';

/** @type {Record<string, unknown>} */
const result = { rates, durationMs };
if (params.n8n === false || !n8nInstalled()) {
  result.skipped =
    params.n8n === false
      ? 'quick mode'
      : 'n8n 1.123 is not installed in .tools (node packages/testkit/src/n8n-install.mjs 1)';
} else {
  for (const mode of /** @type {const} */ (['regular', 'queue'])) {
    let host;
    try {
      host = await startN8nTriggerHost({ mode, secret });
    } catch (err) {
      result[mode] = { skipped: err instanceof Error ? err.message : String(err) };
      continue;
    }
    try {
      // Warm-up: n8n keeps working for a while after it reports ready.
      await openLoopWebhooks({ url: host.url, secret, rate: 10, durationMs: 2000 });
      const steps = [];
      for (const rate of rates) {
        const r = await openLoopWebhooks({
          url: host.url,
          secret,
          rate,
          durationMs,
          maxInFlight: 100_000,
          connections: 128,
          timeoutMs: 60_000,
        });
        const step = { ...r, ackedWithin3sPerSecond: round(r.within / (durationMs / 1000), 1) };
        steps.push(step);
        console.log(
          `  ${mode} ${rate}/s: ${step.ackedWithin3sPerSecond}/s acked within 3 s (${r.within} of ${r.sent}), p50 ${r.p50} ms, p99 ${r.p99} ms, failed ${r.failed}`,
        );
        // Let the executions of this step drain before the next one.
        await new Promise((res) => setTimeout(res, 5000));
      }
      result[mode] = { steps };
    } finally {
      await host.stop();
    }
  }
}
done(result);
