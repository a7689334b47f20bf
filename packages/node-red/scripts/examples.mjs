// Acceptance test of the shipped use-case examples (examples/use-cases) in a real Node-RED
// (4.1.8 on this Node by default; `--host 5.0` for Node-RED 5.0.7 on Node 22) against the Zoom
// simulator: the npm-pack tarball is installed the palette's way, every example is deployed at
// once through the Admin API v2 (credentials pointing at the simulator, tab environment
// variables set to simulator channels), each trigger is subscribed, and each example's
// scenario (the testkit's nr-use-cases.mjs) drives it and checks the simulator's state.
// Ends with "N passed, N failed"; writes acceptance-results-examples-<host>.json; exit 1 on failure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import {
  configureFlows,
  readFlow,
  runUseCases,
  subscribeTriggers,
  useCaseFiles,
} from '@zoom-team-chat/testkit/nr-use-cases';
import { createRun, prepareWorkspace } from '@zoom-team-chat/testkit/scenario';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const started = Date.now();

const report = {
  say: (text) => console.log(`     ${text}`),
  pass: (name, detail) => console.log(`PASS ${name}${detail ? `\n       ${detail}` : ''}`),
  fail: (name, err) => console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`),
};

const { startSimulator } = require('@zoom-team-chat/simulator');
const host = installHost(tools, hostKey);
console.log(`Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}`);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const userDir = makeUserDir(tools, {
  port,
  credentialSecret: 'examples-credential-secret',
  install: [tarball],
  nodeBin: host.nodeBin,
});
const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
let nr;
let t;
const setupFailures = [];
try {
  nr = await startNodeRed({ ...host, userDir, port });
  const ws = await prepareWorkspace(sim);
  const files = useCaseFiles(root);
  t = createRun({ sim, base: nr.base, ws, report });

  const secrets = [
    sim.credentials.clientSecret,
    sim.credentials.chatbot.clientSecret,
    sim.credentials.webhookSecretToken,
    ws.secrets.WEBHOOK_TOKEN,
  ];
  let configured;
  await t.check(
    `the ${files.length} use-case examples deploy together through the Admin API v2, with credentials`,
    async () => {
      if (files.length < 6)
        throw new Error(
          `only ${files.length} use-case examples in ${path.relative(root, path.dirname(files[0] ?? ''))}`,
        );
      configured = configureFlows(files.map(readFlow), { sim, env: ws.env, secrets: ws.secrets });
      await nr.deploy(configured.flows, configured.credentials);
      return files.map((f) => path.basename(f, '.json')).join(', ');
    },
  );
  if (!configured) throw new Error('nothing deployed');

  await t.check('each trigger answers Zoom’s URL validation (the simulator accepts every subscription)', async () => {
    await subscribeTriggers(sim, nr.base, configured.triggers);
    return configured.triggers.map((x) => x.path).join(', ');
  });

  await runUseCases(t, files, { onTitle: (title, file) => console.log(`\n-- ${title} (${file})`) });

  console.log('\n-- Hygiene');
  await t.check('no secret in the exported flows, and the tab credential is not exported', async () => {
    const exported = await (await fetch(`${nr.base}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } })).text();
    for (const s of secrets) if (exported.includes(s)) throw new Error('a secret is in GET /flows');
  });
  await t.check('no error and no secret in the Node-RED log', async () => {
    const log = nr.log.join('\n');
    for (const s of secrets) if (log.includes(s)) throw new Error('a secret is in the log');
    const errors = nr.log.filter((l) => /\[error\]/.test(l));
    if (errors.length > 0) throw new Error(`errors in the log:\n${errors.join('\n')}`);
  });
} catch (err) {
  setupFailures.push(err);
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  const results = t?.results ?? [];
  if ((setupFailures.length > 0 || results.some((r) => !r.ok)) && nr)
    console.log(`--- Node-RED log ---\n${nr.log.slice(-60).join('\n')}`);
  await nr?.stop();
  await sim.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
}
const results = t?.results ?? [];
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + setupFailures.length;
console.log(`\n${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
writeFileSync(
  path.join(root, `acceptance-results-examples-${hostKey}.json`),
  JSON.stringify({ suite: `Node-RED ${hostKey} examples`, passed, failed }),
);
process.exit(failed === 0 ? 0 : 1);
