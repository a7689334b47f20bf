// Drives the real hosts' action nodes with a batch of items and reads back, per item, what the
// user sees: Node-RED's output message or its Catch node message, n8n's output item or the
// continueOnFail error item. Shared by the faults and fuzz suites.
//
// Node-RED: one tab per target node: POST /rel/<id> (http in) → a function that answers at once
// and emits one message per item → the node → a function (success) or a Catch node scoped to
// the node (failure) that append {key, ok, …} to global context; GET /rel/<id>/results?run=…
// reads that list. n8n: one workflow per target node: Webhook (answers with the last node's
// items) → Code (one item per case, binaries decoded) → Zoom Team Chat (continueOnFail) → Code
// (tags each output item with the case key through n8n's paired items).
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import { simulatorCredentialData } from '@zoom-team-chat/testkit/n8n-host';

// --------------------------------------------------------------------------- Node-RED

const FAN = `const body = msg.payload && typeof msg.payload === 'object' ? msg.payload : {};
const items = Array.isArray(body.items) ? body.items : [];
const run = String(body.run || '');
global.set('rel-' + run, []);
node.send([null, { req: msg.req, res: msg.res, statusCode: 202, payload: { accepted: items.length } }]);
for (const it of items) {
  const m = Object.assign({}, it.msg || {});
  if (typeof it.bufferB64 === 'string') m.payload = Buffer.from(it.bufferB64, 'base64');
  m._relKey = it.key;
  m._relRun = run;
  node.send([m, null]);
}
return null;`;

// Only small facts leave the host: the IDs the ledger needs, and sizes.
const OK = `const k = 'rel-' + msg._relRun;
const p = msg.payload;
const out = Array.isArray(p) ? { count: p.length } : (p && typeof p === 'object') ? { id: p.id || p.message_id || p.file_id || null } : { value: p === undefined ? null : typeof p };
const r = global.get(k) || [];
r.push({ key: msg._relKey, ok: true, out: out });
global.set(k, r);
return null;`;

const ERR = `const k = 'rel-' + msg._relRun;
const r = global.get(k) || [];
r.push({ key: msg._relKey, ok: false, error: msg.error && msg.error.message ? String(msg.error.message) : String(msg.error) });
global.set(k, r);
return null;`;

// ?done=1 also forgets the run, so long runs do not pile results up in the host's memory.
const RESULTS = `const q = (msg.req && msg.req.query) || {};
const run = String(q.run || '');
msg.payload = global.get('rel-' + run) || [];
if (q.done) global.set('rel-' + run, undefined);
return msg;`;

/** The account config node and its credentials for a simulator. */
export function nodeRedAccount(id, sim, { plan = 'business', userId = '' } = {}) {
  return {
    node: {
      id,
      type: 'zoom-team-chat-account',
      name: `reliability ${id}`,
      authKind: 'account',
      userId,
      botJid: '',
      apiUrl: sim.urls.api,
      fileUrl: sim.urls.file,
      oauthUrl: sim.urls.oauth,
      plan,
    },
    credentials: {
      [id]: {
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        accountId: sim.credentials.accountId,
      },
    },
  };
}

/**
 * The nodes of one target tab: `target` is the action node's definition without id, z and wires.
 * Returns the flow nodes; the target's id is `${id}-node`.
 */
export function nodeRedTargetFlow(id, target) {
  const z = `${id}-tab`;
  return [
    { id: z, type: 'tab', label: `reliability ${id}` },
    {
      id: `${id}-in`,
      type: 'http in',
      z,
      name: '',
      url: `/rel/${id}`,
      method: 'post',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 40,
      wires: [[`${id}-fan`]],
    },
    {
      id: `${id}-fan`,
      type: 'function',
      z,
      name: 'fan out',
      func: FAN,
      outputs: 2,
      x: 260,
      y: 40,
      wires: [[`${id}-node`], [`${id}-resp`]],
    },
    { id: `${id}-resp`, type: 'http response', z, name: '', statusCode: '', headers: {}, x: 420, y: 100, wires: [] },
    { ...target, id: `${id}-node`, z, x: 420, y: 40, wires: [[`${id}-ok`]] },
    { id: `${id}-ok`, type: 'function', z, name: 'ok', func: OK, outputs: 1, x: 600, y: 40, wires: [[]] },
    {
      id: `${id}-catch`,
      type: 'catch',
      z,
      name: '',
      scope: [`${id}-node`],
      uncaught: false,
      x: 420,
      y: 160,
      wires: [[`${id}-err`]],
    },
    { id: `${id}-err`, type: 'function', z, name: 'error', func: ERR, outputs: 1, x: 600, y: 160, wires: [[]] },
    {
      id: `${id}-rin`,
      type: 'http in',
      z,
      name: '',
      url: `/rel/${id}/results`,
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 220,
      wires: [[`${id}-rfn`]],
    },
    {
      id: `${id}-rfn`,
      type: 'function',
      z,
      name: 'results',
      func: RESULTS,
      outputs: 1,
      x: 260,
      y: 220,
      wires: [[`${id}-rresp`]],
    },
    { id: `${id}-rresp`, type: 'http response', z, name: '', statusCode: '', headers: {}, x: 420, y: 220, wires: [] },
  ];
}

/**
 * Sends a batch to a deployed target tab and waits until every item has an outcome.
 * items: [{ key, msg, bufferB64? }]. Resolves to Map key → { ok, error?, out? }.
 */
export async function nodeRedBatch(base, id, items, { timeoutMs = 120_000 } = {}) {
  const run = randomUUID();
  const r = await fetch(`${base}/rel/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ run, items }),
  });
  if (r.status !== 202) throw new Error(`Node-RED /rel/${id} answered ${r.status}: ${(await r.text()).slice(0, 300)}`);
  const deadline = Date.now() + timeoutMs;
  let last = [];
  for (;;) {
    const res = await fetch(`${base}/rel/${id}/results?run=${run}`);
    if (res.ok) last = await res.json();
    if (last.length >= items.length) break;
    if (Date.now() > deadline) break;
    await delay(items.length > 50 ? 200 : 100);
  }
  const final = await fetch(`${base}/rel/${id}/results?run=${run}&done=1`).catch(() => undefined);
  if (final?.ok) last = await final.json();
  return collect(items, last, 'Node-RED');
}

function collect(items, outcomes, host) {
  const byKey = new Map();
  for (const o of outcomes) {
    const list = byKey.get(o.key) ?? [];
    list.push(o);
    byKey.set(o.key, list);
  }
  const out = new Map();
  for (const it of items) {
    const list = byKey.get(it.key) ?? [];
    if (list.length === 0)
      out.set(it.key, { ok: false, missing: true, error: `no outcome from ${host} (neither output nor error)` });
    else if (list.length > 1 && list.some((o) => o.ok) && list.some((o) => !o.ok))
      out.set(it.key, {
        ok: false,
        both: true,
        error: `both an output and an error: ${list.find((o) => !o.ok).error}`,
      });
    else out.set(it.key, { ...list[0], outcomes: list.length });
  }
  return out;
}

// --------------------------------------------------------------------------- n8n

const SPLIT = `const body = ($input.first() && $input.first().json.body) || {};
const items = Array.isArray(body.items) ? body.items : [];
return items.map((it) => {
  const out = { json: Object.assign({}, it.json || {}, { _key: it.key }) };
  if (it.binary) out.binary = { data: { data: it.binary.b64, mimeType: it.binary.mimeType || 'application/octet-stream', fileName: it.binary.fileName } };
  return out;
});`;

const TAG = `return $input.all().map((it, i) => {
  let key = null;
  try { key = $('Split').itemMatching(i).json._key; } catch (e) { key = null; }
  const j = it.json || {};
  const keys = Object.keys(j);
  const failed = typeof j.error === 'string' && keys.every((k) => k === 'error' || k === 'description');
  return { json: failed ? { key, ok: false, error: j.error, description: j.description || '' } : { key, ok: true, out: { id: j.id || j.message_id || j.file_id || null } } };
});`;

/** An n8n workflow (webhook → split → the Zoom node → tag) for one target node. */
export function n8nTargetWorkflow({ name, prefix, credential, parameters, webhookId }) {
  return {
    name,
    nodes: [
      {
        id: randomUUID(),
        name: 'In',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId,
        parameters: {
          httpMethod: 'POST',
          path: `${webhookId}/run`,
          responseMode: 'lastNode',
          responseData: 'allEntries',
          options: {},
        },
      },
      {
        id: randomUUID(),
        name: 'Split',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [220, 0],
        parameters: { mode: 'runOnceForAllItems', jsCode: SPLIT },
      },
      {
        id: randomUUID(),
        name: 'Zoom',
        type: `${prefix}.zoomTeamChat`,
        typeVersion: 1,
        position: [440, 0],
        onError: 'continueRegularOutput',
        credentials: { zoomTeamChatServerToServerOAuthApi: { id: credential.id, name: credential.name } },
        parameters: { authentication: 'serverToServerOAuth', ...parameters },
      },
      {
        id: randomUUID(),
        name: 'Tag',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [660, 0],
        parameters: { mode: 'runOnceForAllItems', jsCode: TAG },
      },
    ],
    connections: {
      In: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
      Split: { main: [[{ node: 'Zoom', type: 'main', index: 0 }]] },
      Zoom: { main: [[{ node: 'Tag', type: 'main', index: 0 }]] },
    },
  };
}

/** The S2S credential of a simulator in n8n. */
export async function n8nCredential(n8n, sim, name) {
  return await n8n.credential('zoomTeamChatServerToServerOAuthApi', simulatorCredentialData(sim), name);
}

/** Creates and activates the workflow; returns its run URL. */
export async function n8nTarget(n8n, { name, credential, parameters }) {
  const webhookId = randomUUID();
  const wf = await n8n.workflow(n8nTargetWorkflow({ name, prefix: n8n.prefix, credential, parameters, webhookId }), {
    webhookId,
    webhookPath: 'run',
  });
  return { ...wf, runUrl: wf.webhookUrl };
}

/** An answer's body as JSON, or undefined when it is not JSON (an error page, say). */
function jsonOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Runs one execution with these items ([{ key, json, binary? }]) and returns Map key → outcome.
 * An execution that fails as a whole (the node threw despite continueOnFail) gives every item
 * that error.
 */
export async function n8nBatch(target, items, { timeoutMs = 180_000 } = {}) {
  const res = await fetch(target.runUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let data = jsonOrUndefined(text);
  if (!res.ok || !Array.isArray(data)) {
    // A single item comes back as an object, not an array.
    if (res.ok && data && typeof data === 'object' && 'key' in data) data = [data];
    else {
      const error = `the execution failed as a whole: HTTP ${res.status} ${text.slice(0, 300)}`;
      return new Map(items.map((it) => [it.key, { ok: false, whole: true, error }]));
    }
  }
  const outcomes = data.map((d) =>
    d.ok === false ? { key: d.key, ok: false, error: `${d.error}${d.description ? ` — ${d.description}` : ''}` } : d,
  );
  return collect(items, outcomes, 'n8n');
}
