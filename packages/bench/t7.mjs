import { readFileSync } from 'node:fs';
import { startN8nHost } from './src/lib/hosts.mjs';
import { signedDelivery } from './src/lib/events.mjs';
const secret = 'bench-secret-xyz';
const h = await startN8nHost(secret);
try {
  await new Promise(r => setTimeout(r, 3000));
  for (let i = 0; i < 5; i++) { const d = signedDelivery(secret, i); const t = performance.now(); const r = await fetch(h.url, { method: 'POST', headers: d.headers, body: d.body }); console.log(r.status, await r.text(), Math.round(performance.now() - t)); }
  const { execSync } = await import('node:child_process');
  console.log(execSync('uptime; ps aux --sort=-%cpu | head -8').toString());
  console.log(readFileSync(h.logFile, 'utf8').split('\n').slice(-40).join('\n'));
} finally { await h.stop(); }
