import { createReadStream, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startSimulatorProcess } from './src/lib/child.mjs';
import { mintToken } from './src/lib/sim-info.mjs';
const require = createRequire(import.meta.url);
const core = require('@zoom-team-chat/core');
const file = '/tmp/t8.bin'; writeFileSync(file, Buffer.alloc(64 * 1024 * 1024, 1));
const sim = await startSimulatorProcess({ plan: 'off', fileStorage: 'memory' });
const token = await mintToken(sim);
for (const [name, transport] of [['node-http', core.createNodeHttpTransport()], ['undici', core.createUndiciTransport(require('undici'))], ['fetch', core.createFetchTransport()]]) {
  const reads = [];
  const zoom = core.createZoomClient({ auth: { kind: 'token', accessToken: token }, baseUrls: sim.urls, transport, rateLimits: { FILE: 'off' } });
  const t0 = performance.now();
  await zoom.files.upload({ fileName: 'a.bin', data: { stream: () => { const i = reads.push(0) - 1; const s = createReadStream(file); s.on('data', (c) => reads[i] += c.length); return s; }, length: 64 * 1024 * 1024 } });
  await new Promise(r => setTimeout(r, 500));
  console.log(name, Math.round(performance.now() - t0), 'ms, bytes read per stream (MB):', reads.map(r => (r / 1048576).toFixed(1)));
}
await sim.stop(); rmSync(file);
