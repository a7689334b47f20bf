import { createRequire } from 'node:module';
import { startSimulatorProcess } from './lib/child.mjs';
import { closedLoop } from './lib/closed-loop.mjs';
import { mintToken, generalChannelId } from './lib/sim-info.mjs';
const require = createRequire(import.meta.url);
const undici = require('undici');
const sim = await startSimulatorProcess({ plan: 'off', fileStorage: 'memory' });
const token = await mintToken(sim); const ch = await generalChannelId(sim);
const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' };
const listUrl = `${sim.urls.api}/chat/users/me/messages?to_channel=${ch}&page_size=50`;
const list = async () => { const r = await undici.request(listUrl, { headers }); await r.body.json(); };
const send = async () => { const r = await undici.request(`${sim.urls.api}/chat/users/me/messages`, { method: 'POST', headers, body: JSON.stringify({ message: 'benchmark message', to_channel: ch }) }); await r.body.json(); };
for (let i = 0; i < 60; i++) await send();
for (const total of [100, 5000, 30000]) {
  while (true) { const r = await closedLoop(send, { concurrency: 8, durationMs: 100000, maxOps: total }); break; }
  const c0 = process.cpuUsage();
  const r = await closedLoop(list, { concurrency: 8, durationMs: 1000 });
  const cu = process.cpuUsage(c0);
  console.log('after', total, 'list rate', Math.round(r.rate), 'client cpu us/op', Math.round((cu.user + cu.system) / r.ops));
}
await sim.stop();
