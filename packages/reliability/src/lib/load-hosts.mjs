// Hosts for running the load suite on its own (`node src/suites/load.mjs --fast`), started with the
// packages' existing launchers: a real Node-RED 4.1 with the trigger installed from the package's
// npm tarball, and a real n8n 1.123 with the trigger loaded as a custom extension (the built dist).
// Each writes its log into `artifacts` so the secrets suite can grep it.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const toolsDir = path.join(repo, '.tools');
const nodeRedPkg = path.join(repo, 'packages', 'node-red');
const n8nPkg = path.join(repo, 'packages', 'n8n-nodes-zoom-team-chat');

/**
 * A real Node-RED 4.1 (installed into .tools on first use) with the package installed from its
 * tarball. Returns `{ base, deploy(flows, credentials), pid, version, stop() }`.
 * @param {{ artifacts: string, credentialSecret: string }} o
 */
export async function startNodeRed(o) {
  const nr = await import(path.join(nodeRedPkg, 'scripts', 'nr-host.mjs'));
  const host = nr.installHost(toolsDir, '4.1');
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'rel-load-nr-pack-'));
  const tarball = nr.packTarball(nodeRedPkg, packDir, toolsDir);
  const port = await nr.freePort();
  const userDir = nr.makeUserDir(toolsDir, { port, credentialSecret: o.credentialSecret, install: [tarball], nodeBin: host.nodeBin });
  const logFile = path.join(o.artifacts, 'load-node-red.log');
  /** @type {string[]} */
  const lines = [];
  const cleanup = () => {
    writeFileSync(logFile, `${lines.join('\n')}\n`);
    rmSync(userDir, { recursive: true, force: true });
    rmSync(packDir, { recursive: true, force: true });
  };
  let red;
  try {
    red = await nr.startNodeRed({ ...host, userDir, port, onLog: (/** @type {string} */ l) => lines.push(l) });
  } catch (err) {
    cleanup();
    throw err;
  }
  const started = red;
  return {
    base: started.base,
    pid: started.pid,
    version: host.version,
    deploy: (/** @type {unknown[]} */ flows, /** @type {object} */ credentials) => started.deploy(flows, credentials),
    async stop() {
      await started.stop();
      cleanup();
    },
  };
}

/**
 * A real n8n 1.123 (installed by the n8n package's install-n8n.mjs) with the built trigger as a
 * custom extension. Returns `{ base, call, pid, nodeType, version, stop() }`.
 * @param {{ artifacts: string }} o
 */
export async function startN8n(o) {
  if (!existsSync(path.join(toolsDir, 'n8n-1.123', '.installed'))) {
    throw new Error('n8n 1.123 is not installed: node packages/n8n-nodes-zoom-team-chat/test/acceptance/install-n8n.mjs 1');
  }
  if (!existsSync(path.join(n8nPkg, 'dist', 'nodes'))) throw new Error('packages/n8n-nodes-zoom-team-chat/dist is missing: build it first');
  const { startN8n: launch, ownerSession } = await import(path.join(n8nPkg, 'test', 'acceptance', 'n8n-host.mjs'));
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'rel-load-n8n-'));
  const customExtensions = path.join(runDir, 'custom', 'n8n-nodes-zoom-team-chat');
  mkdirSync(path.dirname(customExtensions), { recursive: true });
  cpSync(path.join(n8nPkg, 'dist'), customExtensions, { recursive: true });
  const log = path.join(o.artifacts, 'load-n8n.log');
  let n8n;
  try {
    n8n = await launch({ target: '1', userFolder: path.join(runDir, 'user'), customExtensions, log });
    const { call } = await ownerSession(n8n.base);
    const started = n8n;
    return {
      base: started.base,
      pid: started.pid,
      call,
      nodeType: 'CUSTOM.zoomTeamChatTrigger',
      version: '1.123.81',
      async stop() {
        await started.stop();
        rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await n8n?.stop();
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}
