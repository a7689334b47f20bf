// `node-red-dev validate` (the Node-RED catalogue's own checks: P01–P08, N01, N02, D01–D03) run
// against the built package. The tool fetches https://catalogue.nodered.org/catalogue.json, which
// no machine here reaches: a local stub answers it (axios 0.21 sends https requests through an
// http proxy as absolute-URL GETs), while NO_PROXY lets the npm registry through for P06/P07/D03.
// Exits non-zero unless every check passes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const devDir = path.join(tools, 'node-red-dev');
const cli = path.join(devDir, 'node_modules', 'node-red-dev', 'bin', 'run');
const VERSION = '0.1.6';
const CHECKS = ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03'];

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const file of Object.values(pkg['node-red'].nodes)) {
  if (!existsSync(path.join(root, file))) {
    console.error(`validate: ${file} is missing: run the build first`);
    process.exit(1);
  }
}

function installTool() {
  const installed = path.join(devDir, 'node_modules', 'node-red-dev', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === VERSION) return;
  mkdirSync(devDir, { recursive: true });
  if (!existsSync(path.join(devDir, 'package.json')))
    writeFileSync(path.join(devDir, 'package.json'), '{"name":"node-red-dev-host","private":true}\n');
  console.log(`installing node-red-dev@${VERSION} into ${devDir}`);
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '-E', `node-red-dev@${VERSION}`],
    {
      cwd: devDir,
      stdio: 'inherit',
      env: { ...process.env, npm_config_cache: path.join(tools, 'cache', 'npm') },
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * The catalogue as the stub serves it: modules whose node types a new package must not reuse.
 * `zoom-config` is a real, taken type (the existing Zoom meeting nodes); the others are our own
 * types published under our name (which N01 allows). Add entries here to re-check names.
 */
const catalogue = {
  name: 'Node-RED Community catalogue (local stub)',
  updated_at: new Date().toISOString(),
  modules: [
    {
      id: 'node-red-contrib-zoom',
      version: '1.0.0',
      types: ['zoom-config', 'zoom-meeting'],
      keywords: ['node-red', 'zoom'],
    },
    {
      id: 'node-red-contrib-slack',
      version: '2.0.0',
      types: ['slack', 'slack-rtm-in', 'slack-rtm-out'],
      keywords: ['node-red', 'slack'],
    },
    { id: pkg.name, version: pkg.version, types: Object.keys(pkg['node-red'].nodes), keywords: pkg.keywords },
  ],
};

const stubHits = [];
const stub = createServer((req, res) => {
  stubHits.push(req.url);
  if (req.method === 'GET' && /^https?:\/\/catalogue\.nodered\.org\/catalogue\.json$/.test(req.url ?? '')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(catalogue));
    return;
  }
  // Anything else would leave the machine: refuse rather than forward.
  res.writeHead(502, { 'content-type': 'text/plain' });
  res.end(`catalogue stub: ${req.url} is not served here`);
});
await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
const proxy = `http://127.0.0.1:${stub.address().port}`;

installTool();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'nr-validate-'));
const scorecardFile = path.join(tmp, 'scorecard.json');
const env = {
  ...process.env,
  https_proxy: proxy,
  HTTPS_PROXY: proxy,
  http_proxy: proxy,
  HTTP_PROXY: proxy,
  no_proxy: 'registry.npmjs.org',
  NO_PROXY: 'registry.npmjs.org',
};
const child = await new Promise((resolve) => {
  const p = spawn(process.execPath, [cli, 'validate', '-p', root, '-o', scorecardFile], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout.on('data', (d) => {
    out += d;
    process.stdout.write(d);
  });
  p.stderr.on('data', (d) => {
    out += d;
    process.stderr.write(d);
  });
  // The tool can leave stdin-reading handles open; it never takes more than a minute here.
  const timer = setTimeout(() => p.kill('SIGTERM'), 120_000);
  p.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, out });
  });
});
stub.close();

let scorecard;
try {
  scorecard = JSON.parse(readFileSync(scorecardFile, 'utf8'));
} catch {
  console.error(`validate: node-red-dev wrote no scorecard (exit ${child.code})`);
  process.exit(1);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (!stubHits.some((u) => u.includes('catalogue.nodered.org'))) {
  console.error('validate: the catalogue stub was never asked: the N01/P08 checks did not run against it');
  process.exit(1);
}
const failed = CHECKS.filter((c) => scorecard[c]?.test !== true);
for (const c of CHECKS)
  console.log(`${scorecard[c]?.test === true ? 'pass' : 'FAIL'} ${c} ${JSON.stringify(scorecard[c] ?? null)}`);
console.log(`${CHECKS.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
