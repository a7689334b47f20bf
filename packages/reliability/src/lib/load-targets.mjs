// What the load suite puts into each host and how it reads back what reached the flow/workflow:
// Node-RED: trigger → function node recording each event's message_id in flow context, read back
// through an `http in` route of the same flow; n8n: a workflow with the trigger alone, each event
// one saved execution, read back through the REST API.
import { readFileSync } from 'node:fs';
import { accountNode, channelMessageTrigger } from '@zoom-team-chat/testkit/nr-flows';

/** Resident set size of a process in MB (Linux /proc), or null. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const EVENT = 'team_chat.channel_message_posted';

/**
 * Flows for Node-RED: the trigger on `path` (de-duplication on, as shipped) and the recorder.
 * `idsPath` answers GET with `{ ids: [...] }`, every message_id that reached the flow in order.
 * @param {{ path: string, idsPath: string }} o
 */
export function nodeRedLoadFlows(o) {
  return [
    { id: 'loadTab', type: 'tab', label: 'reliability load' },
    // Never called (nothing here sends): it points at a closed port.
    accountNode('loadAcc', { name: 'load', plan: 'pro' }),
    channelMessageTrigger({ id: 'loadTrig', z: 'loadTab', account: 'loadAcc', path: o.path, wires: [['loadRec']] }),
    {
      id: 'loadRec',
      type: 'function',
      z: 'loadTab',
      name: 'record event ids',
      func: "const ids = flow.get('loadIds') || [];\nids.push(msg.payload && msg.payload.object ? msg.payload.object.message_id : '?');\nflow.set('loadIds', ids);\nreturn null;",
      outputs: 1,
      x: 400,
      y: 60,
      wires: [[]],
    },
    {
      id: 'loadIdsIn',
      type: 'http in',
      z: 'loadTab',
      name: '',
      url: o.idsPath,
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 150,
      y: 140,
      wires: [['loadIdsFn']],
    },
    {
      id: 'loadIdsFn',
      type: 'function',
      z: 'loadTab',
      name: 'ids',
      func: "msg.payload = { ids: flow.get('loadIds') || [] };\nreturn msg;",
      outputs: 1,
      x: 400,
      y: 140,
      wires: [['loadIdsOut']],
    },
    {
      id: 'loadIdsOut',
      type: 'http response',
      z: 'loadTab',
      name: '',
      statusCode: '200',
      headers: {},
      x: 600,
      y: 140,
      wires: [],
    },
  ];
}

/** Credentials for nodeRedLoadFlows' account node. @param {string} secret */
export function nodeRedLoadCredentials(secret) {
  return {
    loadAcc: {
      clientId: 'load-client',
      clientSecret: 'load-client-secret-not-used',
      accountId: 'load-account',
      webhookSecretToken: secret,
    },
  };
}

/** @param {string} idsUrl */
export async function nodeRedSeenIds(idsUrl) {
  const r = await fetch(idsUrl);
  if (!r.ok) throw new Error(`GET ${idsUrl}: ${r.status}`);
  const body = /** @type {any} */ (await r.json());
  if (!Array.isArray(body?.ids)) throw new Error(`GET ${idsUrl}: no ids array`);
  return /** @type {string[]} */ (body.ids);
}

/**
 * Creates and activates the n8n load workflow (the trigger alone, de-duplication as shipped)
 * through the shared host's helpers (credential secrets registered, workflow exported at the end).
 * @param {any} n8n ctx.hosts.n8n @param {string} secret
 */
export async function createN8nLoadWorkflow(n8n, secret) {
  const credential = await n8n.credential(
    'zoomTeamChatWebhookApi',
    { webhookSecretToken: secret },
    'load webhook secret',
  );
  const webhookId = `load-${Date.now().toString(36)}`;
  const wf = await n8n.workflow(
    {
      name: 'reliability load',
      connections: {},
      nodes: [
        {
          id: 'b7c3e7a2-0c5d-4a59-9a8e-9d6f3b1f0101',
          name: 'Zoom Team Chat Trigger',
          type: `${n8n.prefix}.zoomTeamChatTrigger`,
          typeVersion: 1,
          position: [0, 0],
          webhookId,
          credentials: { zoomTeamChatWebhookApi: { id: credential.id, name: credential.name } },
          parameters: { authentication: 'webhookSecret', events: [EVENT], options: {} },
        },
      ],
    },
    { webhookId },
  );
  return { url: /** @type {string} */ (wf.webhookUrl), workflowId: String(wf.id), deactivate: wf.deactivate };
}

/**
 * n8n's own Webhook node (answers at once, verifies nothing, starts an execution per request):
 * what the host itself allows, to compare the trigger with under the same load.
 * @param {any} n8n ctx.hosts.n8n
 */
export async function createN8nPlainWorkflow(n8n) {
  const webhookId = `load-plain-${Date.now().toString(36)}`;
  const wf = await n8n.workflow(
    {
      name: 'reliability load: n8n Webhook node',
      connections: {},
      nodes: [
        {
          id: 'b7c3e7a2-0c5d-4a59-9a8e-9d6f3b1f0102',
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          webhookId,
          parameters: { httpMethod: 'POST', path: webhookId, responseMode: 'onReceived', options: {} },
        },
      ],
    },
    { webhookId, webhookPath: '' },
  );
  return { url: `${n8n.base}/webhook/${webhookId}`, workflowId: String(wf.id), deactivate: wf.deactivate };
}

/**
 * Count of the workflow's executions and how many are still running (list endpoint, one page).
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} call
 */
export async function n8nExecutionCount(call, workflowId) {
  const list = await call('GET', `/executions?limit=1&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
  return Number(list.count ?? 0);
}

/**
 * The message_id each execution of the workflow started with, read from the saved run data
 * (n8n keeps it "flatted": all values in one array): the ids of `known` found in it, one list
 * entry per execution (an execution without any yields '?').
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} call
 * @param {string} workflowId @param {Set<string>} known
 */
export async function n8nSeenIds(call, workflowId, known, { concurrency = 4 } = {}) {
  /** @type {string[]} */
  const execIds = [];
  let lastId;
  for (let page = 0; page < 1000; page++) {
    const q = `limit=100&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}${lastId ? `&lastId=${lastId}` : ''}`;
    const list = await call('GET', `/executions?${q}`);
    const results = /** @type {any[]} */ (list.results ?? list);
    if (results.length === 0) break;
    for (const e of results) execIds.push(String(e.id));
    lastId = results.at(-1).id;
  }
  /** @type {string[]} */
  const ids = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < execIds.length) {
      const id = execIds[next++];
      const execution = await call('GET', `/executions/${id}`);
      statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
      let table = [];
      try {
        table = JSON.parse(execution.data);
      } catch {
        // unreadable run data: counted as '?'
      }
      const found = Array.isArray(table) ? table.filter((v) => typeof v === 'string' && known.has(v)) : [];
      // The event's message_id appears once in the trigger's output item.
      ids.push(...(found.length > 0 ? [...new Set(found)] : ['?']));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ids, executions: execIds.length, statuses };
}
