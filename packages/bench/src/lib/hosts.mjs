// Real hosts for the webhook-intake benchmark, started with the testkit's launchers (the ones the
// Node-RED and n8n acceptance suites use): a real Node-RED with the trigger node installed from the package's
// npm tarball, and a real n8n 1.123 with the trigger node loaded as a custom extension.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { n8nWorkflow } from '@zoom-team-chat/testkit/n8n-workflows';
import { accountNode, channelMessageTrigger } from '@zoom-team-chat/testkit/nr-flows';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const toolsDir = path.join(repo, '.tools');
// The packages under test, through this package's workspace dependencies on them.
const requireHere = createRequire(import.meta.url);
const nodeRedPkg = path.dirname(requireHere.resolve('@zoom-team-chat/node-red-zoom-team-chat/package.json'));
const n8nPkg = path.dirname(requireHere.resolve('n8n-nodes-zoom-team-chat/package.json'));

/**
 * Node-RED 4.1 with one flow: trigger (events: team_chat.channel_message_posted) → a function node
 * that counts deliveries in flow context (read back to check that every acknowledged event reached the flow).
 * @param {string} secret
 */
export async function startNodeRedHost(secret) {
  const nr = await import('@zoom-team-chat/testkit/nr-host');
  const host = nr.installHost(toolsDir, '4.1');
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'bench-nr-pack-'));
  const tarball = nr.packTarball(nodeRedPkg, packDir, toolsDir);
  const port = await nr.freePort();
  const userDir = nr.makeUserDir(toolsDir, {
    port,
    credentialSecret: 'bench-credential-secret',
    install: [tarball],
    nodeBin: host.nodeBin,
  });
  let red;
  try {
    red = await nr.startNodeRed({ ...host, userDir, port });
    const flows = [
      { id: 'tab', type: 'tab', label: 'bench' },
      // Never called during the benchmark (nothing sends): it points at a closed port.
      accountNode('acc', { name: 'bench', plan: 'pro' }),
      channelMessageTrigger({ id: 'trig', z: 'tab', account: 'acc', path: '/zoom/events', wires: [['count']] }),
      {
        id: 'count',
        type: 'function',
        z: 'tab',
        func: "flow.set('delivered', (flow.get('delivered') || 0) + 1);\nreturn null;",
        outputs: 1,
        x: 400,
        y: 60,
        wires: [[]],
      },
      // Node-RED's own minimal endpoint (no verification at all): the ceiling this host allows.
      {
        id: 'plainIn',
        type: 'http in',
        z: 'tab',
        name: '',
        url: '/plain',
        method: 'post',
        upload: false,
        swaggerDoc: '',
        x: 150,
        y: 140,
        wires: [['plainOut']],
      },
      {
        id: 'plainOut',
        type: 'http response',
        z: 'tab',
        name: '',
        statusCode: '200',
        headers: {},
        x: 400,
        y: 140,
        wires: [],
      },
    ];
    await red.deploy(flows, {
      acc: {
        clientId: 'bench-client',
        clientSecret: 'bench-secret',
        accountId: 'bench-account',
        webhookSecretToken: secret,
      },
    });
    return {
      url: `${red.base}/zoom/events`,
      plainUrl: `${red.base}/plain`,
      version: host.version,
      /** Events that reached the flow (after filters and de-duplication). */
      async delivered() {
        const r = await fetch(`${red.base}/context/flow/tab/delivered`);
        const body = /** @type {any} */ (await r.json());
        return Number(body?.msg ?? 0);
      },
      async stop() {
        await red.stop();
        rmSync(userDir, { recursive: true, force: true });
        rmSync(packDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await red?.stop();
    rmSync(userDir, { recursive: true, force: true });
    rmSync(packDir, { recursive: true, force: true });
    throw err;
  }
}

export function n8nInstalled() {
  return existsSync(path.join(toolsDir, 'n8n-1.123', '.installed')) && existsSync(path.join(n8nPkg, 'dist'));
}

/**
 * n8n 1.123 with one active workflow: the Zoom Team Chat Trigger ("Secret Token Only" credential,
 * event team_chat.channel_message_posted). Default n8n settings: each event is an execution, saved.
 * @param {string} secret
 */
export async function startN8nHost(secret) {
  const { startN8n, ownerSession } = await import('@zoom-team-chat/testkit/n8n-host');
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'bench-n8n-'));
  const { userFolder, customExtensions } = customExtensionsIn(runDir);
  let n8n;
  try {
    n8n = await startN8n({ target: '1', userFolder, customExtensions, log: path.join(runDir, 'n8n.log') });
    const { call } = await ownerSession(n8n.base);
    const credential = await call('POST', '/credentials', {
      name: 'bench webhook secret',
      type: 'zoomTeamChatWebhookApi',
      data: { webhookSecretToken: secret },
    });
    const webhookId = `bench-${Date.now().toString(36)}`;
    const workflow = await call('POST', '/workflows', triggerWorkflow({ prefix: 'CUSTOM', credential, webhookId }));
    await call('PATCH', `/workflows/${workflow.id}`, { active: true, versionId: workflow.versionId });
    // n8n's own Webhook node (answers at once, no verification): the ceiling this host allows.
    const plainId = `${webhookId}-plain`;
    const plain = await call(
      'POST',
      '/workflows',
      n8nWorkflow('bench plain webhook', [
        {
          id: 'a7c3e7a2-0c5d-4a59-9a8e-9d6f3b1f0002',
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          webhookId: plainId,
          parameters: { httpMethod: 'POST', path: plainId, responseMode: 'onReceived', options: {} },
        },
      ]),
    );
    await call('PATCH', `/workflows/${plain.id}`, { active: true, versionId: plain.versionId });
    const plainUrl = `${n8n.base}/webhook/${plainId}`;
    const url = `${n8n.base}/webhook/${webhookId}/webhook`;
    // The webhook goes live about a second after activation.
    await untilLive(url, 20_000);
    return {
      url,
      plainUrl,
      version: '1.123.81',
      logFile: path.join(runDir, 'n8n.log'),
      async stop() {
        await n8n.stop();
        rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await n8n?.stop();
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}

/** A user folder and the package's build as a custom extension (node types CUSTOM.*), in runDir. */
function customExtensionsIn(runDir) {
  const customExtensions = path.join(runDir, 'custom', 'n8n-nodes-zoom-team-chat');
  mkdirSync(path.dirname(customExtensions), { recursive: true });
  cpSync(path.join(n8nPkg, 'dist'), customExtensions, { recursive: true });
  return { userFolder: path.join(runDir, 'user'), customExtensions };
}

/** Until a production webhook URL answers something other than 404 (n8n makes it live after activating). */
async function untilLive(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(
      () => undefined,
    );
    if (r && r.status !== 404) return;
    if (Date.now() > deadline) throw new Error(`n8n webhook ${url} did not go live (last status ${r?.status})`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** The trigger workflow (Secret Token only, team_chat.channel_message_posted) as both intake benchmarks use it. */
function triggerWorkflow({ prefix, credential, webhookId }) {
  return n8nWorkflow('bench intake', [
    {
      id: 'a7c3e7a2-0c5d-4a59-9a8e-9d6f3b1f0001',
      name: 'Zoom Team Chat Trigger',
      type: `${prefix}.zoomTeamChatTrigger`,
      typeVersion: 1,
      position: [0, 0],
      webhookId,
      credentials: { zoomTeamChatWebhookApi: { id: credential.id, name: credential.name } },
      parameters: { authentication: 'webhookSecret', events: ['team_chat.channel_message_posted'], options: {} },
    },
  ]);
}

/**
 * n8n 1.123 on a fresh PostgreSQL database with the trigger workflow active, in regular mode (one
 * process) or queue mode (main + 2 webhook processes + 2 workers, Redis; the URL is the balancer
 * in front of the webhook processes). Throws an Error starting "queue mode needs" (or "… has no
 * PostgreSQL") when the services are missing.
 * @param {{ mode: 'regular' | 'queue', secret: string }} o
 */
export async function startN8nTriggerHost({ mode, secret }) {
  const { startN8n, ownerSession, npmPack } = await import('@zoom-team-chat/testkit/n8n-host');
  const { startQueueMode, freshPostgresDatabase } = await import('@zoom-team-chat/testkit/queue-mode-host');
  const runDir = mkdtempSync(path.join(os.tmpdir(), `bench-n8n-${mode}-`));
  const webhookId = `bench-${mode}-${Date.now().toString(36)}`;
  /** @type {{ call: Function, stop: () => Promise<void>, base: string, webhookBase: string }} */
  let host;
  try {
    if (mode === 'queue') {
      const q = await startQueueMode({
        target: '1',
        runDir,
        packageTarball: npmPack(n8nPkg, path.join(runDir, 'pack')),
        webhookProcesses: 2,
        workers: 2,
      });
      host = {
        call: q.call,
        stop: q.stop,
        base: q.main.base,
        webhookBase: q.balancer.base,
        prefix: 'n8n-nodes-zoom-team-chat',
      };
    } else {
      const db = await freshPostgresDatabase('1');
      const { userFolder, customExtensions } = customExtensionsIn(runDir);
      const n8n = await startN8n({
        target: '1',
        userFolder,
        customExtensions,
        log: path.join(runDir, 'n8n.log'),
        extraEnv: db.env,
      }).catch(async (err) => {
        await db.drop();
        throw err;
      });
      const { call } = await ownerSession(n8n.base);
      host = {
        call,
        base: n8n.base,
        webhookBase: n8n.base,
        prefix: 'CUSTOM',
        stop: async () => {
          await n8n.stop();
          await db.drop();
        },
      };
    }
    const credential = await host.call('POST', '/credentials', {
      name: 'bench webhook secret',
      type: 'zoomTeamChatWebhookApi',
      data: { webhookSecretToken: secret },
    });
    const workflow = await host.call(
      'POST',
      '/workflows',
      triggerWorkflow({ prefix: host.prefix, credential, webhookId }),
    );
    await host.call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
    const url = `${host.webhookBase}/webhook/${webhookId}/webhook`;
    await untilLive(url, 60_000);
    return {
      url,
      version: '1.123.81',
      async stop() {
        await host.stop();
        rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await host?.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}
