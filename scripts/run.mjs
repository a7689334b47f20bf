#!/usr/bin/env node
// The README's two commands go through here, so a fresh machine with only Node 20 and npm can run them:
//   npm test       -> install, build, lint, typecheck and every test suite; ends with "N passed, N failed"
//   npm run demo   -> install, build, then the end-to-end demo (see scripts/demo.mjs)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const [command = 'test', ...rest] = process.argv.slice(2);

// Caches and state stay inside the checkout, never under the user's home.
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? join(tools, 'cache'),
  XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? join(tools, 'data'),
  XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? join(tools, 'state'),
  npm_config_cache: process.env.npm_config_cache ?? join(tools, 'npm-cache'),
};

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function ensurePnpm() {
  const binDir = join(tools, 'pnpm', 'node_modules', '.bin');
  const local = join(binDir, 'pnpm');
  // turbo looks pnpm up on PATH.
  env.PATH = `${binDir}${delimiter}${env.PATH ?? ''}`;
  if (existsSync(local)) return local;
  const onPath = spawnSync('pnpm', ['--version'], { env, encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() === PNPM_VERSION) return 'pnpm';
  step(`Installing pnpm ${PNPM_VERSION} into .tools/pnpm`);
  mkdirSync(join(tools, 'pnpm'), { recursive: true });
  const status = run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefix',
    join(tools, 'pnpm'),
    `pnpm@${PNPM_VERSION}`,
  ]);
  if (status !== 0 || !existsSync(local)) throw new Error('Could not install pnpm');
  return local;
}

function install(pnpm) {
  step('Installing the workspace (pnpm install --frozen-lockfile)');
  if (run(pnpm, ['install', '--frozen-lockfile']) !== 0) process.exit(1);
}

/** Sums vitest's JSON reports and every acceptance suite's `acceptance-results*.json` ({ suite, passed, failed }). */
function tally(packages) {
  let passed = 0;
  let failed = 0;
  const lines = [];
  for (const pkg of packages) {
    const dir = join(root, 'packages', pkg);
    const unit = join(dir, 'test-results.json');
    if (existsSync(unit)) {
      const r = JSON.parse(readFileSync(unit, 'utf8'));
      // A file that failed to load counts as a failure even though it ran no test.
      const broken = (r.testResults ?? []).filter(
        (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
      ).length;
      passed += r.numPassedTests;
      failed += r.numFailedTests + broken;
      lines.push(`  ${pkg}: ${r.numPassedTests} passed, ${r.numFailedTests + broken} failed`);
    } else if (existsSync(join(dir, 'test'))) {
      failed += 1;
      lines.push(`  ${pkg}: no test results (the suite did not run)`);
    }
    for (const file of acceptanceFiles(dir)) {
      const r = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      passed += r.passed;
      failed += r.failed;
      lines.push(`  ${pkg} (acceptance, ${r.suite ?? file}): ${r.passed} passed, ${r.failed} failed`);
    }
  }
  return { passed, failed, lines };
}

/** Starts testkit's install-hosts; resolves to its log once it has ended (whatever its outcome). */
function installHostsInBackground() {
  mkdirSync(tools, { recursive: true });
  const logFile = join(tools, 'install-hosts.log');
  // A file, not a pipe: the unit tests' spawnSync blocks this process's event loop, and a full pipe
  // would stall the installs behind it.
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(root, 'packages', 'testkit', 'src', 'install-hosts.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', out, out],
  });
  return new Promise((resolve) => {
    const done = (why) => {
      closeSync(out);
      resolve(
        `${readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((l) => /: (ready|install failed)/.test(l))
          .join('\n')}${why}`,
      );
    };
    child.once('error', (error) => done(`\n(could not start the host installs: ${error.message})`));
    child.once('exit', (code) =>
      done(code === 0 ? '' : `\n(see ${logFile}; each suite installs its host again and reports)`),
    );
  });
}

function acceptanceFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /^acceptance-results.*\.json$/.test(f)) : [];
}

const pnpm = ensurePnpm();
install(pnpm);
const turbo = (tasks, extra = []) =>
  run(pnpm, ['exec', 'turbo', 'run', ...tasks, '--continue', '--output-logs=new-only', ...extra]);

if (command === 'test') {
  const packages = readdirSync(join(root, 'packages'));
  for (const pkg of packages) {
    const dir = join(root, 'packages', pkg);
    for (const file of acceptanceFiles(dir)) rmSync(join(dir, file), { force: true });
  }
  const acceptance = !rest.includes('--unit-only');
  // The real hosts' npm installs need no build: they run beside the unit tests.
  const hosts = acceptance ? installHostsInBackground() : undefined;
  step('Build, lint, typecheck and unit tests (turbo)');
  const status = turbo(['build', 'lint', 'lint:root', 'typecheck', 'test']);
  let acceptanceStatus = 0;
  let demoStatus = 0;
  if (acceptance) {
    step('Real hosts (installed in the background meanwhile)');
    console.log(await hosts);
    step('Acceptance tests on real hosts');
    acceptanceStatus = turbo(['test:acceptance'], ['--concurrency=1']);
    step('The demo, once, checked step by step (npm run demo -- --once)');
    demoStatus = run(process.execPath, [
      join(root, 'scripts', 'demo.mjs'),
      '--once',
      '--results',
      join(root, 'packages', 'node-red', 'acceptance-results-demo.json'),
    ]);
  }
  const { passed, failed, lines } = tally(packages);
  step('Summary');
  for (const line of lines) console.log(line);
  const ok = status === 0 && acceptanceStatus === 0 && demoStatus === 0 && failed === 0;
  if (status !== 0) console.log('  (turbo reported a failing build, lint, typecheck or test task)');
  if (acceptanceStatus !== 0) console.log('  (an acceptance task failed)');
  if (demoStatus !== 0) console.log('  (the demo failed)');
  console.log(`${passed} passed, ${failed + (ok ? 0 : failed === 0 ? 1 : 0)} failed`);
  process.exit(ok ? 0 : 1);
} else if (command === 'demo') {
  step('Building');
  if (turbo(['build']) !== 0) process.exit(1);
  // Ctrl-C reaches the demo too (same process group); it cleans up and exits, then so do we.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
  process.exit(run(process.execPath, [join(root, 'scripts', 'demo.mjs'), ...rest]));
} else {
  console.error(`Unknown command "${command}". Use: test | demo`);
  process.exit(2);
}
