// Profiling harness for the request pipeline (not a benchmark): the simulator in its own process
// (rate limits off), then `op` (send or list) in a closed loop through raw undici.request and the
// core on one transport, printing client CPU per request for each. Run under `node --cpu-prof` to see
// where the core's extra microseconds go:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof src/tools/profile-request.mjs send undici 8 4000
// Arguments: op (send|list), transport (undici|node-http|fetch), concurrency, milliseconds per contender,
// then optionally raw|core|both. With STUB=1 the server is stub-zoom.mjs instead of the simulator:
// fixed answers, so the client's CPU per request is far steadier (the simulator slows as messages
// pile up and shares the two cores).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startSimulatorProcess } from '../lib/child.mjs';
import { closedLoop } from '../lib/closed-loop.mjs';
import { generalChannelId, mintToken } from '../lib/sim-info.mjs';

const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');

const [op = 'send', transportName = 'undici', concurrencyArg = '8', msArg = '4000', only = 'both'] =
  process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const durationMs = Math.min(Number(msArg), 30_000);

/** The stub, shaped like the simulator handle the rest of this script uses. */
async function startStub() {
  const child = fork(fileURLToPath(new URL('./stub-zoom.mjs', import.meta.url)));
  const port = await new Promise((resolve) => child.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  return {
    urls: { api: `${base}/v2`, file: `${base}/v2`, oauth: base },
    credentials: { accountId: 'acc', clientId: 'cid', clientSecret: 'secret' },
    stop: async () => void child.kill(),
  };
}

const stub = process.env.STUB === '1';
const sim = stub
  ? await startStub()
  : await startSimulatorProcess({ precompile: true, plan: 'off', fileStorage: 'memory', fixtures: 'default' });
try {
  const token = stub ? 'tok' : await mintToken(/** @type {any} */ (sim));
  const channel = stub ? 'abcdef0123456789abcdef0123456789' : await generalChannelId(/** @type {any} */ (sim));
  const api = sim.urls.api;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'bench' };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const transports = {
    undici: () => core.createUndiciTransport(undici),
    'node-http': () => core.createNodeHttpTransport(),
    fetch: () => core.createFetchTransport(),
  };
  const make = transports[/** @type {keyof typeof transports} */ (transportName)];
  if (!make) throw new Error(`transport must be one of ${Object.keys(transports).join(', ')}`);
  const zoom = core.createZoomClient({
    auth: { kind: 'account', ...sim.credentials },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport: make(),
    rateLimits: { LIGHT: 'off', MEDIUM: 'off', HEAVY: 'off', 'RESOURCE-INTENSIVE': 'off', FILE: 'off' },
  });
  const fns = {
    raw: {
      send: async () => {
        const res = await undici.request(`${api}/chat/users/me/messages`, {
          method: 'POST',
          headers: jsonHeaders,
          body: JSON.stringify({ message: 'benchmark message', to_channel: channel }),
        });
        return res.body.json();
      },
      list: async () => {
        const res = await undici.request(`${api}/chat/users/me/messages?to_channel=${channel}&page_size=50`, {
          method: 'GET',
          headers,
        });
        return res.body.json();
      },
    },
    core: {
      send: () => zoom.messages.send({ message: 'benchmark message', to_channel: channel }),
      list: () =>
        zoom.call('getChatMessages', { path: { userId: 'me' }, query: { to_channel: channel, page_size: 50 } }),
    },
  };
  const names = only === 'both' ? ['raw', 'core'] : [only];
  /** @type {Record<string, number[]>} */
  const cpuPer = Object.fromEntries(names.map((n) => [n, []]));
  /** @type {Record<string, number[]>} */
  const rates = Object.fromEntries(names.map((n) => [n, []]));
  const pick = (name) => fns[/** @type {'raw' | 'core'} */ (name)][/** @type {'send' | 'list'} */ (op)];
  if (process.env.WARM_ALL_TRANSPORTS) {
    // What the request-rate benchmark does: clients on every transport in one process.
    for (const other of Object.keys(transports).filter((t) => t !== transportName)) {
      const z = core.createZoomClient({
        auth: { kind: 'account', ...sim.credentials },
        baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
        transport: transports[/** @type {keyof typeof transports} */ (other)](),
        rateLimits: { LIGHT: 'off', MEDIUM: 'off', HEAVY: 'off', 'RESOURCE-INTENSIVE': 'off', FILE: 'off' },
      });
      await closedLoop(() => z.messages.send({ message: 'benchmark message', to_channel: channel }), {
        concurrency,
        durationMs: 500,
      });
      await closedLoop(
        () => z.call('getChatMessages', { path: { userId: 'me' }, query: { to_channel: channel, page_size: 50 } }),
        { concurrency, durationMs: 500 },
      );
    }
  }
  for (const name of names) await closedLoop(pick(name), { concurrency, durationMs: 500 });
  // Alternate in short rounds: the simulator slows as messages pile up, and the machine is shared.
  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const cpu0 = process.cpuUsage();
      const r = await closedLoop(pick(name), { concurrency, durationMs: durationMs / rounds });
      const cpu = process.cpuUsage(cpu0);
      cpuPer[name]?.push((cpu.user + cpu.system) / Math.max(1, r.ops));
      rates[name]?.push(r.rate);
      if (r.errors) throw new Error(`${name}: ${r.errors} errors, first: ${r.firstError}`);
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const name of names) {
    console.log(
      `${name} ${op} c=${concurrency}: ${Math.round(med(rates[name]))}/s, ${med(cpuPer[name]).toFixed(1)} µs CPU per request (median of ${rounds})`,
    );
  }
} finally {
  await sim.stop();
}
