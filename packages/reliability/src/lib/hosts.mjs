// The real hosts every suite shares: ONE Node-RED 4.1 and ONE n8n 1.123, each started on first
// use (a suite that needs neither starts nothing) with our package installed the way the
// packages' own acceptance suites install it (Node-RED: the npm-pack tarball npm-installed into
// the user dir; n8n: the built dist as a custom extension). The launchers are imported, not copied.
// Everything a host writes (logs, exported flows, execution data) lands in ctx.artifacts so the
// secrets suite can grep it; every simulator started here registers its secrets and tokens.
//
// In a suite (ctx.hosts):
//   const sim = await ctx.hosts.simulator({ plan: 'off' });   // startSimulator options; closed at the end
//   const nr = await ctx.hosts.nodeRed;     // shared Node-RED 4.1: base, pid, rss(), log, admin(method, path, body)
//   await nr.deploy(flows, credentials);    // full deploy (replaces all flows); deployNodes(...) = 'nodes' deploy
//   nr.counterNode({ id, z, key, wires }) / nr.debugNode({ id, z }) / await nr.runs(key)   // count flow runs
//   const n8n = await ctx.hosts.n8n;        // shared n8n 1.123: base, pid, rss(), call(method, '/rest-path', body), prefix 'CUSTOM'
//   const cred = await n8n.credential(type, data);              // secret-looking fields registered
//   const wf = await n8n.workflow({ name, nodes, connections }, { webhookId });   // created + activated, webhook live
//   wf.webhookUrl, await wf.count(), await wf.executions(), await wf.error(executionId), await wf.deactivate()
//   ctx.secret(label, value)                // any other secret you create
// Standalone (a suite run on its own): createHosts({ artifacts, secrets, log }) then closeAll().
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const toolsDir = path.join(repoRoot, '.tools');
const require = createRequire(import.meta.url);
// The packages under test, through this package's workspace dependencies on them.
const nodeRedPkg = path.dirname(require.resolve('@zoom-team-chat/node-red-zoom-team-chat/package.json'));
const n8nPkg = path.dirname(require.resolve('n8n-nodes-zoom-team-chat/package.json'));

export const NODE_RED_MODULE = '@zoom-team-chat/node-red-zoom-team-chat';
/** n8n type prefix of nodes loaded from N8N_CUSTOM_EXTENSIONS. */
export const N8N_PREFIX = 'CUSTOM';

/** Resident set size of a process in bytes (Linux /proc), or undefined when it is gone. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until fn() is truthy (polled), or throws naming `what`. */
export async function waitFor(what, fn, timeoutMs = 15_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}

async function buildPackage(pkgDir, log) {
  // Cheap (about a second) and makes a standalone run test the current source. Tried three
  // times: in a shared working tree a file may be caught half-written.
  let r;
  for (let attempt = 1; attempt <= 3; attempt++) {
    r = spawnSync(process.execPath, [path.join(pkgDir, 'scripts', 'build.mjs')], { encoding: 'utf8' });
    if (r.status === 0) {
      log?.(`built ${path.relative(repoRoot, pkgDir)}`);
      return;
    }
    if (attempt < 3) await delay(3000);
  }
  throw new Error(`build of ${path.basename(pkgDir)} failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
}

/** Inserts settings (a JS object literal's properties, as source) at the top of a settings.js. */
function patchSettings(userDir, extraSource) {
  const file = path.join(userDir, 'settings.js');
  const text = readFileSync(file, 'utf8');
  if (!text.includes('module.exports = {')) throw new Error(`unexpected settings.js shape in ${userDir}`);
  writeFileSync(file, text.replace('module.exports = {', `module.exports = {\n${extraSource}`));
}

/**
 * @param {{ artifacts: string, secrets: Set<string>, labels?: Map<string, string>, log?: (line: string) => void }} opts
 */
export function createHosts({ artifacts, secrets, labels = new Map(), log = () => {} }) {
  mkdirSync(artifacts, { recursive: true });
  const closers = [];
  const simulators = [];
  let simCount = 0;
  let nrInstall; // { host, tarball, packDir, installedModules }
  let nodeRedPromise;
  let n8nPromise;
  let nrVariantCount = 0;
  const variants = [];

  const secret = (label, value) => {
    if (typeof value !== 'string' || value === '') return;
    secrets.add(value);
    if (!labels.has(value)) labels.set(value, label);
  };

  // ---------------------------------------------------------------- simulator
  /** A simulator whose secrets are registered and whose request log goes to artifacts. */
  async function simulator(options = {}) {
    const { startSimulator } = require('@zoom-team-chat/simulator');
    const n = ++simCount;
    const logFile = path.join(artifacts, `simulator-requests-${n}.log`);
    const sim = await startSimulator({
      plan: 'pro',
      fileStorage: 'memory',
      ...options,
      onRequest: (entry) => {
        appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
        options.onRequest?.(entry);
      },
    });
    const c = sim.credentials;
    secret('S2S client secret', c.clientSecret);
    secret('webhook secret token', c.webhookSecretToken);
    secret('chatbot client secret', c.chatbot.clientSecret);
    secret('user OAuth client secret', c.userOAuth.clientSecret);
    const record = { sim, n, closed: false };
    simulators.push(record);
    const close = sim.close.bind(sim);
    sim.close = async () => {
      if (record.closed) return;
      await harvest(record);
      record.closed = true;
      await close();
    };
    closers.push(() => sim.close());
    return sim;
  }

  /** Registers every access/refresh token a simulator minted and saves what it delivered. */
  async function harvest(record) {
    const { sim, n } = record;
    if (record.closed) return;
    // TokenStore keeps them in private maps: read at runtime, the only place the issued values exist.
    const store = sim.sim?.tokens;
    for (const [label, map] of [
      ['access token minted by the simulator', store?.tokens],
      ['refresh token minted by the simulator', store?.refresh],
    ]) {
      if (map instanceof Map) for (const token of map.keys()) secret(label, token);
    }
    try {
      writeFileSync(
        path.join(artifacts, `simulator-deliveries-${n}.json`),
        JSON.stringify(await sim.admin.deliveries(), null, 1),
      );
    } catch (err) {
      log(`simulator ${n}: deliveries not saved (${err.message})`);
    }
  }

  // ---------------------------------------------------------------- Node-RED
  async function nrTarball() {
    if (nrInstall) return nrInstall;
    const nr = await import('@zoom-team-chat/testkit/nr-host');
    const host = await nr.installHostAsync(toolsDir, '4.1', { log });
    await buildPackage(nodeRedPkg, log);
    const packDir = mkdtempSync(path.join(os.tmpdir(), 'rel-nr-pack-'));
    const tarball = nr.packTarball(nodeRedPkg, packDir, toolsDir);
    nrInstall = { nr, host, tarball, packDir, modulesDir: undefined };
    closers.push(() => rmSync(packDir, { recursive: true, force: true }));
    return nrInstall;
  }

  /**
   * Starts a Node-RED with our tarball installed. `settings`: extra settings.js properties as
   * source (e.g. `httpNodeRoot: '/hooks',`). The first start npm-installs the tarball; later ones copy it.
   */
  async function startNodeRedInstance(name, settings = '') {
    const { nr, host, tarball } = await nrTarball();
    const port = await nr.freePort();
    const credentialSecret = `reliability-credential-secret-${name}-${Date.now().toString(36)}`;
    secret('Node-RED credentialSecret', credentialSecret);
    const userDir = mkdtempSync(path.join(os.tmpdir(), `rel-nr-${name}-`));
    if (nrInstall.modulesDir) {
      nr.makeUserDir(toolsDir, { port, credentialSecret, install: [], nodeBin: host.nodeBin, dir: userDir });
      cpSync(nrInstall.modulesDir, path.join(userDir, 'node_modules'), { recursive: true });
    } else {
      nr.makeUserDir(toolsDir, { port, credentialSecret, install: [tarball], nodeBin: host.nodeBin, dir: userDir });
      nrInstall.modulesDir = path.join(userDir, 'node_modules');
    }
    if (settings) patchSettings(userDir, settings);
    const logFile = path.join(artifacts, `node-red-${name}.log`);
    const red = await nr.startNodeRed({
      ...host,
      userDir,
      port,
      onLog: (line) => appendFileSync(logFile, `${line}\n`),
    });
    log(`Node-RED ${host.version} (${name}) on ${red.base}, pid ${red.pid}`);
    const instance = nodeRedApi(red, { name, userDir, version: host.version, logFile });
    closers.push(async () => {
      await instance.saveArtifacts().catch((err) => log(`Node-RED ${name}: artifacts not saved (${err.message})`));
      await red.stop();
      rmSync(userDir, { recursive: true, force: true });
    });
    return instance;
  }

  function nodeRedApi(red, { name, userDir, version, logFile }) {
    const admin = async (method, p, body, headers = {}) => {
      const r = await fetch(`${red.base}${p}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`Node-RED ${method} ${p}: ${r.status} ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : undefined;
    };
    const startedCount = () => red.log.filter((l) => /\[info\] Started (flows|modified (nodes|flows))/.test(l)).length;
    let exportCount = 0;
    // Every deployed flow set is exported (what a user would share): the secrets suite greps them all.
    const exportFlows = async () => {
      const flows = await admin('GET', '/flows');
      writeFileSync(
        path.join(artifacts, `node-red-${name}-flows-export-${++exportCount}.json`),
        JSON.stringify(flows, null, 1),
      );
    };
    return {
      name,
      version,
      base: red.base,
      pid: red.pid,
      userDir,
      logFile,
      /** Log lines so far (the array grows). */
      log: red.log,
      rss: () => rssOf(red.pid),
      admin,
      /** Full deploy (replaces every flow), resolved once the flows have started; then exported to artifacts. */
      async deploy(flows, credentials = {}) {
        const result = await red.deploy(flows, credentials);
        await exportFlows();
        return result;
      },
      /** Deploy of type `nodes` (only changed nodes restart), resolved once they have started. */
      async deployNodes(flows, credentials = {}) {
        const before = startedCount();
        const current = await admin('GET', '/flows', undefined, { 'Node-RED-API-Version': 'v2' });
        await admin(
          'POST',
          '/flows',
          { rev: current.rev, flows, credentials },
          { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'nodes' },
        );
        await waitFor('the nodes-only deploy to start', () => startedCount() > before, 15_000, 50);
        await exportFlows();
      },
      /**
       * A function node that counts the messages reaching it in global context `key` (read with
       * runs(key)) and passes them on; wire a trigger to it to count flow runs.
       */
      counterNode({ id, z, key, wires = [[]], x = 400, y = 60 }) {
        return {
          id,
          type: 'function',
          z,
          name: `count ${key}`,
          func: `global.set(${JSON.stringify(key)}, (global.get(${JSON.stringify(key)}) || 0) + 1);\nreturn msg;`,
          outputs: 1,
          x,
          y,
          wires,
        };
      },
      /** A debug node printing whole messages to the Node-RED log (so node output is in the artifacts). */
      debugNode({ id, z, x = 650, y = 60 }) {
        return {
          id,
          type: 'debug',
          z,
          name: `out ${id}`,
          active: true,
          tosidebar: false,
          console: true,
          tostatus: false,
          complete: 'true',
          targetType: 'full',
          x,
          y,
          wires: [],
        };
      },
      /** How many messages reached counterNode(key) so far. */
      async runs(key) {
        const r = await fetch(`${red.base}/context/global/${encodeURIComponent(key)}`);
        if (!r.ok) return 0;
        const body = await r.json().catch(() => ({}));
        const n = Number(body?.msg ?? 0);
        return Number.isFinite(n) ? n : 0;
      },
      /** GET /flows (what the editor exports) and the encrypted credentials file, into artifacts. */
      async saveArtifacts() {
        await exportFlows();
        const cred = path.join(userDir, 'flows_cred.json');
        if (existsSync(cred)) cpSync(cred, path.join(artifacts, `node-red-${name}-flows_cred.json`));
      },
    };
  }

  // ---------------------------------------------------------------- n8n
  async function startN8nInstance() {
    const { install, targets } = await import('@zoom-team-chat/testkit/n8n-install');
    const { startN8n, ownerSession, executionsOf, executionError } = await import('@zoom-team-chat/testkit/n8n-host');
    const n8nPackageName = require('n8n-nodes-zoom-team-chat/package.json').name;
    if (!existsSync(path.join(targets[1].dir, '.installed')))
      log(`installing n8n ${targets[1].version} (about 5 minutes, once)`);
    install('1');
    await buildPackage(n8nPkg, log);
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'rel-n8n-'));
    const userFolder = path.join(runDir, 'user');
    const customExtensions = path.join(runDir, 'custom', n8nPackageName);
    mkdirSync(path.dirname(customExtensions), { recursive: true });
    cpSync(path.join(n8nPkg, 'dist'), customExtensions, { recursive: true });
    const logFile = path.join(artifacts, 'n8n.log');
    const started = Date.now();
    const n8n = await startN8n({ target: '1', userFolder, customExtensions, log: logFile });
    const { call } = await ownerSession(n8n.base);
    log(
      `n8n ${targets[1].version} on ${n8n.base}, pid ${n8n.pid} (ready in ${Math.round((Date.now() - started) / 1000)} s)`,
    );
    const workflows = [];
    const instance = {
      version: targets[1].version,
      base: n8n.base,
      pid: n8n.pid,
      prefix: N8N_PREFIX,
      logFile,
      userFolder,
      /** REST call as the owner (returns `data`); throws with the status on failure. */
      call,
      rss: () => rssOf(n8n.pid),
      /** Creates a credential; its secret fields are registered. */
      async credential(type, data, name = `${type} ${Date.now().toString(36)}`) {
        for (const [k, v] of Object.entries(data))
          if (/secret|token|password/i.test(k)) secret(`n8n credential ${k}`, v);
        return await call('POST', '/credentials', { name, type, data });
      },
      /**
       * Creates and activates a workflow. `webhookPath`: the trigger's webhook path suffix
       * ('webhook' for our trigger) to wait for until it answers (not 404).
       * Returns { id, versionId, webhookUrl?, executions(), count(), deactivate() }.
       */
      async workflow(wf, { webhookId, webhookPath = 'webhook', activate = true } = {}) {
        const created = await call('POST', '/workflows', { active: false, settings: { executionOrder: 'v1' }, ...wf });
        workflows.push(created.id);
        const webhookUrl = webhookId ? `${n8n.base}/webhook/${webhookId}/${webhookPath}` : undefined;
        if (activate) {
          await call('PATCH', `/workflows/${created.id}`, { active: true, versionId: created.versionId });
          if (webhookUrl) {
            await waitFor(
              `n8n webhook ${webhookUrl} to go live`,
              async () => {
                const r = await fetch(webhookUrl, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: '{}',
                }).catch(() => undefined);
                return r !== undefined && r.status !== 404;
              },
              20_000,
              250,
            );
          }
        }
        return {
          id: created.id,
          versionId: created.versionId,
          webhookUrl,
          executions: () => executionsOf(call, created.id),
          count: async () => (await executionsOf(call, created.id)).length,
          error: (executionId) => executionError(call, executionId),
          deactivate: () => call('PATCH', `/workflows/${created.id}`, { active: false }),
        };
      },
      /** Executions (list and full run data) of every workflow created here, into artifacts. */
      async saveArtifacts() {
        const all = [];
        for (const id of workflows) {
          const list = await executionsOf(call, id).catch(() => []);
          for (const e of list.slice(0, 200))
            all.push(await call('GET', `/executions/${e.id}`).catch((err) => ({ id: e.id, error: err.message })));
        }
        writeFileSync(path.join(artifacts, 'n8n-execution-data.json'), JSON.stringify(all, null, 1));
        const wfs = [];
        for (const id of workflows)
          wfs.push(await call('GET', `/workflows/${id}`).catch((err) => ({ id, error: err.message })));
        writeFileSync(path.join(artifacts, 'n8n-workflows-export.json'), JSON.stringify(wfs, null, 1));
        // The database holds executions and (encrypted) credentials: a plaintext secret in it is a leak.
        const db = path.join(userFolder, '.n8n', 'database.sqlite');
        if (existsSync(db)) cpSync(db, path.join(artifacts, 'n8n-database.sqlite'));
      },
    };
    closers.push(async () => {
      await instance.saveArtifacts().catch((err) => log(`n8n: artifacts not saved (${err.message})`));
      await n8n.stop();
      rmSync(runDir, { recursive: true, force: true });
    });
    return instance;
  }

  return {
    /** The shared Node-RED 4.1 (default settings: admin and node root "/"); started on first await. */
    get nodeRed() {
      nodeRedPromise ??= startNodeRedInstance('shared');
      return nodeRedPromise;
    },
    /** The shared n8n 1.123; started on first await. */
    get n8n() {
      n8nPromise ??= startN8nInstance();
      return n8nPromise;
    },
    /** Was a shared host started (without starting it)? */
    started: () => ({ nodeRed: nodeRedPromise !== undefined, n8n: n8nPromise !== undefined }),
    /** Another Node-RED with extra settings (source text), stopped with the rest. */
    nodeRedWith: (settings) => {
      const p = startNodeRedInstance(`variant${++nrVariantCount}`, settings);
      variants.push(p);
      return p;
    },
    simulator,
    secret,
    labels,
    /** Registers tokens of simulators still open, and saves each host's exports (secrets suite calls this). */
    async collectArtifacts() {
      for (const record of simulators) await harvest(record);
      if (nodeRedPromise)
        await (await nodeRedPromise.catch(() => undefined))
          ?.saveArtifacts()
          .catch((err) => log(`Node-RED artifacts: ${err.message}`));
      if (n8nPromise)
        await (await n8nPromise.catch(() => undefined))
          ?.saveArtifacts()
          .catch((err) => log(`n8n artifacts: ${err.message}`));
    },
    /** Stops everything started here, newest first. */
    async closeAll() {
      // A host still starting (another failed first) registers its closer once up: wait for it.
      await Promise.allSettled([nodeRedPromise, n8nPromise, ...variants]);
      while (closers.length > 0) {
        const close = closers.pop();
        try {
          await close();
        } catch (err) {
          log(`close failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    },
  };
}
