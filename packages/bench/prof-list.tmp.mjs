import { createRequire } from 'node:module';
import { startSimulatorProcess } from './src/lib/child.mjs';
import { closedLoop } from './src/lib/closed-loop.mjs';
import { mintToken, generalChannelId } from './src/lib/sim-info.mjs';
const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');
const sim = await startSimulatorProcess({ plan: 'off', fileStorage: 'memory' });
const token = await mintToken(sim); const ch = await generalChannelId(sim);
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
const listUrl = `${sim.urls.api}/chat/users/me/messages?to_channel=${ch}&page_size=50`;
for (let i = 0; i < 60; i++) { const r = await undici.request(`${sim.urls.api}/chat/users/me/messages`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ message: 'benchmark message', to_channel: ch }) }); await r.body.dump(); }
const raw = async () => { const r = await undici.request(listUrl, { headers }); return r.body.json(); };
const zoom = core.createZoomClient({ auth: { kind: 'account', ...sim.credentials }, baseUrls: sim.urls, transport: core.createUndiciTransport(undici), rateLimits: { MEDIUM: 'off' } });
const cl = () => zoom.call('getChatMessages', { path: { userId: 'me' }, query: { to_channel: ch, page_size: 50 } });
const which = process.argv[2];
const fns = { raw, core: cl };
for (const n of which ? [which] : ['raw', 'core', 'raw', 'core']) {
  await closedLoop(fns[n], { concurrency: 8, durationMs: 1500 });
  const c0 = process.cpuUsage();
  const r = await closedLoop(fns[n], { concurrency: 8, durationMs: 3000 });
  const cu = process.cpuUsage(c0);
  console.log(n, Math.round(r.rate), 'cpu us/op', Math.round((cu.user + cu.system) / r.ops));
}
await sim.stop();
