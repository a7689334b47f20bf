import { startNodeRedHost } from './src/lib/hosts.mjs';
import { closedLoopWebhooks, openLoopWebhooks } from './src/lib/webhook-load.mjs';
const secret = 'bench-secret-xyz';
const t0 = Date.now();
const h = await startNodeRedHost(secret);
console.log('started in', Date.now() - t0, h.url);
try {
  const r = await closedLoopWebhooks({ url: h.url, secret, concurrency: 16, durationMs: 2000 });
  console.log(Math.round(r.rate), r.statuses);
  const o = await openLoopWebhooks({ url: h.url, secret, rate: 500, durationMs: 2000 });
  console.log(o, await h.delivered());
} finally { await h.stop(); }
