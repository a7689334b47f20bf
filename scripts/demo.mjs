#!/usr/bin/env node
// The README's first command (`npm run demo`, after scripts/run.mjs installed and built the
// workspace): the product doing its job end to end on an embedded default, no Zoom account.
// It installs a real host (Node-RED 4.1.8, or n8n 1.123 with --host n8n) into .tools, starts the
// Zoom simulator and the host with our package and the demo flows, runs a scripted scenario
// printing a transcript as it happens, then stays up for you to play (Ctrl-C stops everything).
// Run `node scripts/demo.mjs --help` for the options.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeChildren, freePort } from '@zoom-team-chat/testkit/nr-host';
import { createRun, prepareWorkspace } from '@zoom-team-chat/testkit/scenario';
import { c, createTranscript } from './demo/transcript.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.join(root, '.tools');
const HOSTS = { 'node-red': './demo/node-red-host.mjs', n8n: './demo/n8n-host.mjs' };

const HELP = `Usage: node scripts/demo.mjs [options]   (npm run demo -- [options])

  --host <node-red|n8n>  the host to run the scenario on (default node-red)
  --once                 run the scenario once, check every step, stop, exit 0 or 1
  --results <file>       with --once: write {"suite","passed","failed"} to <file>
  --port <n>             the host's port (default 1880 for Node-RED, 5678 for n8n; a free one
                         if taken; with --once always a free one)
  --sim-port <n>         the simulator's API port; OAuth, file, file target and admin follow
                         (default 9300–9304, free ones if taken; with --once always free ones)
  -h, --help             this help`;

function parseArgs(argv) {
  const opts = { host: 'node-red', once: false, results: undefined, port: undefined, simPort: undefined };
  const value = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
    return v;
  };
  const port = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) usage(`${name} must be a port number (1–65535), got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--once') opts.once = true;
    else if (a === '--host') {
      opts.host = value(i++, '--host');
      if (!HOSTS[opts.host]) usage(`--host must be one of ${Object.keys(HOSTS).join(', ')}, got "${opts.host}"`);
    } else if (a === '--results') opts.results = path.resolve(value(i++, '--results'));
    else if (a === '--port') opts.port = port(value(i++, '--port'), '--port');
    else if (a === '--sim-port') opts.simPort = port(value(i++, '--sim-port'), '--sim-port');
    else usage(`unknown option "${a}"`);
  }
  if (opts.results && !opts.once) usage('--results needs --once');
  return opts;
}

function usage(message) {
  console.error(`demo: ${message}\n\n${HELP}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const hostModule = await import(HOSTS[opts.host]);
const started = Date.now();
const tr = createTranscript({ start: started });
// Interactive: .tools/demo/<host dir> stays after the demo (flows, logs) until the next one.
// --once: a directory of its own (runs can overlap, e.g. CI and a user), removed when all passed.
mkdirSync(path.join(tools, 'demo'), { recursive: true });
const workDir = opts.once ? mkdtempSync(path.join(tools, 'demo', 'once-')) : path.join(tools, 'demo');

// --- Stopping: Ctrl-C / SIGTERM / errors stop the host (its whole process group) and the simulator.
const cleanups = [];
let stopping;
function stopAll() {
  stopping ??= (async () => {
    tr.stop();
    for (const child of activeChildren) child.kill('SIGTERM');
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`while stopping: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return stopping;
}
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    signals++;
    if (signals > 1) {
      console.error('\nStopping at once.');
      process.exit(130);
    }
    tr.flush();
    console.log(`\n${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping ${hostModule.name} and the simulator…`);
    void stopAll().then(() => {
      console.log('Stopped. Bye.');
      process.exit(opts.once ? 130 : 0);
    });
  });
}

async function startSim(sim) {
  // The root's workspace dependency, whose main file is its build.
  const simulatorPackage = createRequire(import.meta.url).resolve('@zoom-team-chat/simulator/package.json');
  if (!existsSync(path.join(path.dirname(simulatorPackage), 'dist', 'index.js')))
    throw new Error('the simulator is not built: run `npm run demo` (it builds first) or `pnpm build`');
  const { startSimulator } = createRequire(import.meta.url)('@zoom-team-chat/simulator');
  const hooks = { onRequest: tr.onRequest, webhooks: { onRecord: tr.onDelivery }, plan: 'pro', fileStorage: 'memory' };
  if (sim.port !== undefined) {
    const p = sim.port;
    try {
      return await startSimulator({
        ...hooks,
        ports: { api: p, oauth: p + 1, file: p + 2, fileTarget: p + 3, admin: p + 4 },
      });
    } catch (err) {
      if (sim.required || err?.code !== 'EADDRINUSE') throw err;
      tr.info(c.yellow(`ports ${p}–${p + 4} are taken: the simulator uses free ports instead`));
    }
  }
  return startSimulator(hooks);
}

async function hostPort() {
  if (opts.once) return opts.port ?? freePort();
  const wanted = opts.port ?? hostModule.defaultPort;
  const free = await freePort();
  const probe = await import('node:net').then(
    (net) =>
      new Promise((resolve) => {
        const s = net.createServer();
        s.once('error', () => resolve(false));
        s.listen(wanted, '127.0.0.1', () => s.close(() => resolve(true)));
      }),
  );
  if (probe) return wanted;
  if (opts.port !== undefined) throw new Error(`--port ${wanted} is taken`);
  tr.info(c.yellow(`port ${wanted} is taken: ${hostModule.name} uses ${free} instead`));
  return free;
}

let results = [];
let setupError;
try {
  console.log(
    c.bold(`Zoom Team Chat demo on ${hostModule.name}, against the embedded Zoom simulator (no Zoom account needed)`),
  );
  tr.section(`Setting up (${opts.once ? 'run once and check' : 'interactive'})`);
  const installed = await hostModule.install({ tools, log: tr.info });

  const sim = await startSim(opts.once ? {} : { port: opts.simPort ?? 9300, required: opts.simPort !== undefined });
  cleanups.push(() => sim.close());
  tr.info(`Zoom simulator running: API ${sim.urls.api}, admin ${sim.urls.admin}`);
  const ws = await prepareWorkspace(sim);
  tr.info(
    `Channels: ${Object.keys(ws.channels)
      .map((n) => `#${n}`)
      .join(
        ', ',
      )}; people: ${[ws.blake, ws.casey, ws.devon].map((u) => u.display_name).join(', ')}; the app acts as ${ws.owner.display_name}`,
  );

  const port = await hostPort();
  const host = await hostModule.start({ tools, installed, sim, ws, port, workDir, log: tr.info, onLog: tr.hostLog });
  cleanups.push(() => host.stop());
  tr.attach(sim, { hostName: hostModule.name, users: ws.users, channels: ws.channels });

  tr.section('Ready');
  tr.flush();
  const s = sim.urls;
  console.log(`  ${c.bold(`${hostModule.name} editor`.padEnd(22))} ${c.cyan(host.editorUrl)}`);
  console.log(
    `  ${c.bold('Zoom simulator'.padEnd(22))} API ${s.api} · OAuth ${s.oauth} · file host ${s.file} · admin ${s.admin}`,
  );
  console.log(`  ${c.bold('Flows'.padEnd(22))} ${host.flowsSummary}`);
  console.log(`  ${c.bold('Webhooks'.padEnd(22))} ${host.triggers.join(', ')}`);
  console.log(
    `  ${c.dim(`Setup took ${((Date.now() - started) / 1000).toFixed(1)} s. Legend: ▶ what people and other systems do, ⇢ webhooks Zoom delivers, ⇠ API calls, ✓ checks.`)}`,
  );

  const t = createRun({ sim, base: host.base, ws, report: tr });
  await host.scenario(t, tr);
  // The last echoes of the app's own messages, before the summary.
  await sim.admin.settleWebhooks();

  tr.section('Hygiene');
  await t.check(`no error and no secret in the ${hostModule.name} log`, async () => {
    const log = host.log.join('\n');
    for (const secret of host.secrets) if (log.includes(secret)) throw new Error('a secret is in the log');
    const errors = host.log.filter((l) => /\[error\]/.test(l));
    if (errors.length > 0) throw new Error(`errors in the log:\n${errors.slice(0, 10).join('\n')}`);
  });
  results = t.results;
  const failed = results.filter((r) => !r.ok);
  tr.section(`${results.length - failed.length} passed, ${failed.length} failed`);
  tr.flush();
  for (const f of failed) console.log(`  ${c.red('✗')} ${f.name}: ${f.error}`);

  if (!opts.once) {
    console.log(`\n${c.bold('The demo stays up. Try:')}`);
    for (const hint of host.playHints(s)) console.log(`  • ${hint}`);
    console.log(`Everything that happens in the chat is printed below. ${c.bold('Ctrl-C stops everything.')}\n`);
    tr.showEveryone();
    await new Promise(() => {
      // until a signal
    });
  }
} catch (err) {
  setupError = err;
  tr.flush();
  console.error(`\n${c.red('The demo could not run:')} ${err instanceof Error ? err.stack : String(err)}`);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (setupError ? 1 : 0);
if (opts.results) {
  mkdirSync(path.dirname(opts.results), { recursive: true });
  writeFileSync(opts.results, `${JSON.stringify({ suite: `demo (${hostModule.name})`, passed, failed })}\n`);
}
await stopAll();
if (opts.once) {
  if (failed === 0) rmSync(workDir, { recursive: true, force: true });
  else console.log(`The host's files and log are kept in ${path.relative(process.cwd(), workDir)}`);
}
console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 ? 0 : 1);
