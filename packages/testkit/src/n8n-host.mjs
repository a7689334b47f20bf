// Starts a real n8n (installed by n8n-install.mjs) on 127.0.0.1 with a private user folder, and
// talks to it over its REST API the way the editor does.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { n8nBinFor, nodeBinFor, targets, toolsDir } from './n8n-install.mjs';

export async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Two consecutive free ports (n8n's task-runner broker takes the one after the main port). */
async function freePortPair() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    const ok = await new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port + 1, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no two consecutive free ports');
}

/** What keeps a local n8n quiet and offline: no telemetry, banners, templates or look-ups at boot. */
export function quietEnv(major) {
  return {
    N8N_SECURE_COOKIE: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
    N8N_MCP_COMMUNITY_NODE_DISCOVERY_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    // 1.x refuses to start on a module name it does not know.
    ...(String(major) === '2' ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
  };
}

export async function startN8n({ target, userFolder, customExtensions, log, extraEnv = {} }) {
  const port = await freePortPair();
  mkdirSync(userFolder, { recursive: true });
  const major = String(target);
  const env = {
    PATH: process.env.PATH,
    HOME: userFolder,
    N8N_USER_FOLDER: userFolder,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(port),
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_RUNNERS_BROKER_PORT: String(port + 1),
    ...quietEnv(major),
    // Binaries on disk: file uploads then go through the streaming path.
    N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
    N8N_LOG_LEVEL: 'info',
    DB_SQLITE_POOL_SIZE: '2',
    ...(customExtensions ? { N8N_CUSTOM_EXTENSIONS: customExtensions } : {}),
    ...extraEnv,
  };
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(nodeBinFor(target), [n8nBinFor(target), 'start'], {
    cwd: userFolder,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    const status = await fetch(`${base}/healthz/readiness`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    const done = await Promise.race([exited, delay(500).then(() => undefined)]);
    if (done) throw new Error(`n8n ${targets[target].version} exited (${JSON.stringify(done)}); see ${log}`);
    if (Date.now() - started > 180_000) throw new Error(`n8n did not become ready in 180 s; see ${log}`);
  }
  return {
    port,
    base,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited, delay(20_000).then(() => undefined)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      out.end();
    },
  };
}

/** A REST session as the instance owner. */
export async function ownerSession(base) {
  const headers = { 'content-type': 'application/json', 'browser-id': 'acceptance-run' };
  let cookie = '';
  const started = Date.now();
  // The REST routes come up a few seconds after readiness.
  for (;;) {
    const res = await fetch(`${base}/rest/owner/setup`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        email: 'owner@example.com',
        firstName: 'Acceptance',
        lastName: 'Owner',
        password: 'Acceptance-Pass1',
      }),
    }).catch(() => undefined);
    if (res?.ok) {
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      break;
    }
    if (Date.now() - started > 60_000) throw new Error(`owner setup failed: ${res?.status} ${await res?.text()}`);
    await delay(1000);
  }
  const call = async (method, path, body) => {
    const res = await fetch(`${base}/rest${path}`, {
      method,
      headers: { ...headers, cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!res.ok) {
      const error = new Error(`${method} /rest${path}: ${res.status} ${text.slice(0, 500)}`);
      error.status = res.status;
      throw error;
    }
    return data?.data ?? data;
  };
  /** A non-REST path of the editor (the node type catalogue), with the session. */
  const getJson = async (path) => {
    const res = await fetch(`${base}${path}`, { headers: { ...headers, cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return await res.json();
  };
  return { call, getJson };
}

export const logPath = (dir, name) => join(dir, `${name}.log`);

/** `npm pack` of a package folder, as published (its "files", package.json, README, LICENSE). */
export function npmPack(pkgDir, outDir) {
  mkdirSync(outDir, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
    cwd: pkgDir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(toolsDir, 'cache', 'npm') },
  })
    .trim()
    .split('\n')
    .pop();
  return join(outDir, name);
}

/** What n8n does when it installs a community package: unpack, drop dev/peer deps, npm install. */
export function installCommunityPackage(tarball, userFolder) {
  const nodesDir = join(userFolder, '.n8n', 'nodes');
  // The name comes from the tarball itself, so any package's tarball lands under its own name.
  const { name } = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const target = join(nodesDir, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
  writeFileSync(join(target, 'package.json'), JSON.stringify(kept, null, 2));
  execFileSync(
    'npm',
    [
      'install',
      '--audit=false',
      '--fund=false',
      '--bin-links=false',
      '--install-strategy=shallow',
      '--ignore-scripts=true',
      '--package-lock=false',
      '--offline',
    ],
    {
      cwd: target,
      stdio: 'ignore',
      env: { ...process.env, npm_config_cache: join(toolsDir, 'cache', 'npm') },
    },
  );
  writeFileSync(
    join(nodesDir, 'package.json'),
    JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: kept.version } }, null, 2),
  );
  return target;
}

/** The executions of one workflow, newest first (the list endpoint's shape differs by version). */
export async function executionsOf(call, workflowId) {
  const list = await call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
  return list.results ?? list;
}

/**
 * Why an execution failed: n8n keeps run data "flatted" (values in one array, objects refer to
 * them by index), so this reads the error objects out of that array.
 */
export async function executionError(call, id) {
  const execution = await call('GET', `/executions/${id}`);
  let table;
  try {
    table = JSON.parse(execution.data);
  } catch {
    return 'run data not readable';
  }
  if (!Array.isArray(table)) return 'run data not readable';
  const deref = (v) => (typeof v === 'string' && /^\d+$/.test(v) ? table[Number(v)] : v);
  const messages = new Set();
  for (const entry of table) {
    if (
      entry &&
      typeof entry === 'object' &&
      !Array.isArray(entry) &&
      'message' in entry &&
      ('stack' in entry || 'node' in entry || 'description' in entry)
    ) {
      const message = deref(entry.message);
      const description = deref(entry.description);
      const node = deref(entry.node);
      const nodeName = node && typeof node === 'object' ? deref(node.name) : undefined;
      if (typeof message === 'string') {
        messages.add(
          `${nodeName ? `${nodeName}: ` : ''}${message}${typeof description === 'string' && description ? ` (${description})` : ''}`,
        );
      }
    }
  }
  return [...messages].join('; ') || 'no error message in the run data';
}

/** What a Server-to-Server credential needs to talk to a simulator (`extra`: plan, share, …). */
export function simulatorCredentialData(sim, extra = {}) {
  return {
    accountId: sim.credentials.accountId,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    webhookSecretToken: sim.credentials.webhookSecretToken,
    cloud: 'custom',
    apiBaseUrl: sim.urls.api,
    fileBaseUrl: sim.urls.file,
    oauthBaseUrl: sim.urls.oauth,
    ...extra,
  };
}
