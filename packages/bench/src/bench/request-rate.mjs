// Client request rate against the simulator (rate limits off): send a message and list a page of 50
// messages, at concurrency 1, 8 and 32, for raw undici.request, raw fetch, the core client on each of
// its transports, and Zoom's @zoom/rivet. For reference also undici's dispatcher driven by hand (the
// lower-level API the core's undici transport uses, without undici.request's stream for the body). Every contender does the same HTTP exchange (same URL, method,
// headers, JSON body) and parses the JSON answer. The simulator runs in its own process; contenders
// take turns in rotating order, several short rounds each, and the median rate counts.
import { createRequire } from 'node:module';
import { benchMain, startSimulatorProcess } from '../lib/child.mjs';
import { closedLoop } from '../lib/closed-loop.mjs';
import { createRivetClient } from '../lib/rivet.mjs';
import { generalChannelId, mintToken } from '../lib/sim-info.mjs';
import { median, round } from '@zoom-team-chat/testkit/stats';

const require = createRequire(import.meta.url);
const undici = require('undici');
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const concurrencies = params.concurrencies ?? [1, 8, 32];
const rounds = params.rounds ?? 3;
const durationMs = params.durationMs ?? 1000;
const warmupMs = params.warmupMs ?? 250;

const sim = await startSimulatorProcess({
  precompile: params.precompile ?? true,
  plan: 'off',
  fileStorage: 'memory',
  fixtures: 'default',
});
try {
  const token = await mintToken(sim);
  const channel = await generalChannelId(sim);
  const api = sim.urls.api;
  const sendUrl = `${api}/chat/users/me/messages`;
  const listUrl = `${api}/chat/users/me/messages?to_channel=${channel}&page_size=50`;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'bench' };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const sendBody = () => JSON.stringify({ message: 'benchmark message', to_channel: channel });

  /**
   * One exchange through undici's global dispatcher, body collected as it arrives, JSON parsed.
   * @param {'GET' | 'POST'} method
   * @param {string} url
   * @param {Record<string, string>} hdrs
   * @param {string} [body]
   */
  const rawDispatch = (method, url, hdrs, body) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      /** @type {Buffer[]} */
      const chunks = [];
      let status = 0;
      undici.getGlobalDispatcher().dispatch(
        { origin: u.origin, path: u.pathname + u.search, method, headers: hdrs, body },
        {
          onConnect() {},
          onHeaders(/** @type {number} */ code) {
            status = code;
            return true;
          },
          onData(/** @type {Buffer} */ chunk) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            resolve({ status, data: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          },
          onError: reject,
        },
      );
    });
  const check = (status, expected) => {
    if (status !== expected) throw new Error(`HTTP ${status}`);
  };
  const coreClient = (transport) =>
    core.createZoomClient({
      auth: { kind: 'account', ...sim.credentials },
      baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
      transport,
      rateLimits: { LIGHT: 'off', MEDIUM: 'off', HEAVY: 'off', 'RESOURCE-INTENSIVE': 'off', FILE: 'off' },
      // The simulator runs with plan 'off' (no limits at all): the client's own cost is measured.
      channelPacing: false,
    });
  const nodeHttp = core.createNodeHttpTransport();
  const clients = {
    'core (undici transport)': coreClient(core.createUndiciTransport(undici)),
    'core (node:http transport)': coreClient(nodeHttp),
    'core (fetch transport)': coreClient(core.createFetchTransport()),
  };
  const rivet = createRivetClient(sim);

  /** @type {Record<string, { send: () => Promise<unknown>, list: () => Promise<unknown> }>} */
  const contenders = {
    'raw undici.request': {
      send: async () => {
        const res = await undici.request(sendUrl, { method: 'POST', headers: jsonHeaders, body: sendBody() });
        const data = await res.body.json();
        check(res.statusCode, 201);
        return data;
      },
      list: async () => {
        const res = await undici.request(listUrl, { method: 'GET', headers });
        const data = await res.body.json();
        check(res.statusCode, 200);
        return data;
      },
    },
    'raw undici dispatcher': {
      send: async () => {
        const res = /** @type {any} */ (await rawDispatch('POST', sendUrl, jsonHeaders, sendBody()));
        check(res.status, 201);
        return res.data;
      },
      list: async () => {
        const res = /** @type {any} */ (await rawDispatch('GET', listUrl, headers));
        check(res.status, 200);
        return res.data;
      },
    },
    'raw fetch': {
      send: async () => {
        const res = await fetch(sendUrl, { method: 'POST', headers: jsonHeaders, body: sendBody() });
        const data = await res.json();
        check(res.status, 201);
        return data;
      },
      list: async () => {
        const res = await fetch(listUrl, { headers });
        const data = await res.json();
        check(res.status, 200);
        return data;
      },
    },
    ...Object.fromEntries(
      Object.entries(clients).map(([name, zoom]) => [
        name,
        {
          send: () => zoom.messages.send({ message: 'benchmark message', to_channel: channel }),
          // One page, one request (messages.list would follow next_page_token through the history).
          list: () =>
            zoom.call('getChatMessages', { path: { userId: 'me' }, query: { to_channel: channel, page_size: 50 } }),
        },
      ]),
    ),
    '@zoom/rivet 0.4.0': {
      send: () =>
        rivet.endpoints.chatMessages.sendChatMessage({
          path: { userId: 'me' },
          body: { message: 'benchmark message', to_channel: channel },
        }),
      list: () =>
        rivet.endpoints.chatMessages.listUsersChatMessages({
          path: { userId: 'me' },
          query: { to_channel: channel, page_size: 50 },
        }),
    },
  };
  const names = Object.keys(contenders);

  // Every contender once, to mint tokens and open connections; a wrong answer stops the benchmark.
  // Then a longer warm-up of each, so that JIT compilation is not measured.
  for (const name of names) {
    const c = /** @type {(typeof contenders)[string]} */ (contenders[name]);
    await c.send();
    const listed = /** @type {any} */ (await c.list());
    const page = listed?.data ?? listed;
    if (!Array.isArray(page?.messages)) throw new Error(`${name}: list did not return messages`);
  }
  for (const name of names) {
    for (const op of /** @type {const} */ (['send', 'list'])) {
      await closedLoop(/** @type {(typeof contenders)[string]} */ (contenders[name])[op], {
        concurrency: 8,
        durationMs: warmupMs * 2,
      });
    }
  }

  /** @type {Array<Record<string, unknown>>} */
  const rows = [];
  for (const op of /** @type {const} */ (['send', 'list'])) {
    for (const concurrency of concurrencies) {
      /** @type {Record<string, number[]>} */
      const rates = Object.fromEntries(names.map((n) => [n, []]));
      /** @type {Record<string, number[]>} */
      const cpus = Object.fromEntries(names.map((n) => [n, []]));
      for (let r = 0; r < rounds; r++) {
        // Rotate who goes first: the simulator's state grows and the machine is shared.
        const order = names.map((_, i) => /** @type {string} */ (names[(i + r) % names.length]));
        for (const name of order) {
          const fn = /** @type {(typeof contenders)[string]} */ (contenders[name])[op];
          if (warmupMs > 0) await closedLoop(fn, { concurrency, durationMs: warmupMs });
          const cpu0 = process.cpuUsage();
          const result = await closedLoop(fn, { concurrency, durationMs });
          const cpu = process.cpuUsage(cpu0);
          /** @type {number[]} */ (cpus[name]).push((cpu.user + cpu.system) / Math.max(1, result.ops));
          if (result.errors > 0)
            throw new Error(`${name} ${op} c=${concurrency}: ${result.errors} errors, first: ${result.firstError}`);
          /** @type {number[]} */ (rates[name]).push(result.rate);
        }
      }
      const med = Object.fromEntries(names.map((n) => [n, median(/** @type {number[]} */ (rates[n]))]));
      const undiciRate = /** @type {number} */ (med['raw undici.request']);
      for (const name of names) {
        rows.push({
          op,
          concurrency,
          contender: name,
          rate: round(/** @type {number} */ (med[name]), 0),
          vsUndici: round(/** @type {number} */ (med[name]) / undiciRate),
          // Client-side CPU per request: what the contender itself costs, steadier than rates on a shared machine.
          cpuMicros: round(median(/** @type {number[]} */ (cpus[name])), 0),
          rounds: /** @type {number[]} */ (rates[name]).map((x) => round(x, 0)),
        });
      }
      console.log(
        `${op} c=${concurrency}: ${names.map((n) => `${n} ${Math.round(/** @type {number} */ (med[n]))}/s`).join(', ')}`,
      );
    }
  }
  nodeHttp.close();
  done({ rows, rounds, durationMs });
} finally {
  await sim.stop();
}
