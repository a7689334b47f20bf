import { createRequire } from 'node:module';
import { startSimulatorProcess } from './lib/child.mjs';
import { closedLoop } from './lib/closed-loop.mjs';
import { mintToken, generalChannelId } from './lib/sim-info.mjs';
import { createRivetClient } from './lib/rivet.mjs';
const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');
const sim = await startSimulatorProcess({ plan: 'off', fileStorage: 'memory' });
const token = await mintToken(sim); const ch = await generalChannelId(sim);
const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' };
const send = async () => { const r = await undici.request(`${sim.urls.api}/chat/users/me/messages`, { method: 'POST', headers, body: JSON.stringify({ message: 'benchmark message', to_channel: ch }) }); await r.body.json(); };
const zoom = core.createZoomClient({ auth: { kind: 'account', ...sim.credentials }, baseUrls: sim.urls, transport: core.createUndiciTransport(undici), rateLimits: { MEDIUM: 'off' } });
const csend = () => zoom.messages.send({ message: 'benchmark message', to_channel: ch });
const rivet = createRivetClient(sim);
const rsend = () => rivet.endpoints.chatMessages.sendChatMessage({ path: { userId: 'me' }, body: { message: 'benchmark message', to_channel: ch } });
const which = process.argv[2];
for (let round = 0; round < (process.argv[3] ? +process.argv[3] : 3); round++) for (const [n, f] of [['raw', send], ['core', csend], ['rivet', rsend]]) {
  if (which && which !== n) continue;
  await closedLoop(f, { concurrency: 8, durationMs: 300 });
  const c0 = process.cpuUsage();
  const r = await closedLoop(f, { concurrency: 8, durationMs: 1000 });
  const cu = process.cpuUsage(c0);
  console.log(n, 'rate', Math.round(r.rate), 'cpu us/op', Math.round((cu.user + cu.system) / r.ops));
}
await sim.stop();
