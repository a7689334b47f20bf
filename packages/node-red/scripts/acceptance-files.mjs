// A 50 MB file round trip in a real Node-RED (4.1.8 on this Node by default; `--host 5.0` for
// Node-RED 5.0.7 on Node 22) against the Zoom simulator (issue 19: "a 50 MB file round-trips
// (upload, then download through the trigger and by ID) byte for byte with bounded memory"):
//  - a zoom upload node uploads 50 MB of random bytes, read (streamed) from the file path the
//    suite hands it through an http-in route, to the user's chat files; the simulator stores the
//    same SHA-256 (Zoom's sendChatFile takes 20 MB at most, uploadAChatFile 1 GB);
//  - (a) a zoom message node, action Download files by file ID, Max size 60, returns msg.payload
//    as a Buffer with the same SHA-256;
//  - (b) a zoom send node shares the file in a channel (a message with file_ids); a zoom trigger
//    with Download files (Max size 60) gets the team_chat.file_shared event with msg.files[0]
//    holding the same bytes;
//  - (c) the same share reaching a trigger with Max size 10: the event is emitted once, its
//    msg.files entry an error naming Max size, and nothing larger than the cap is read;
//  - for each transfer, Node-RED's resident memory (VmRSS of its process) before, at the peak and
//    after is printed; msg.payload is a Buffer, so one file's size of growth is expected, and the
//    peak growth must stay under 3× the file.
// Ends with "N passed, N failed"; writes acceptance-results-files-<host>.json; exit 1 on failure.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import { peakRssDuring, rssBytes } from '@zoom-team-chat/testkit/proc-mem';
import { waitFor as pollUntil } from '@zoom-team-chat/testkit/wait-for';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const MB = 1024 * 1024;
const FILE_BYTES = 50 * MB;
const FILE_NAME = 'random-50mb.bin';
const EVENT = 'team_chat.file_shared';
/** Peak resident growth allowed per transfer, in file sizes: the Buffer itself plus transient copies. */
const RSS_FACTOR = 3;
const started = Date.now();

const results = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name}${typeof detail === 'string' ? `\n       ${detail}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const waitFor = (what, fn, ms = 60_000) => pollUntil(what, fn, ms, 100);
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

const { startSimulator } = require('@zoom-team-chat/simulator');

const host = installHost(tools, hostKey);
console.log(`Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}`);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const userDir = makeUserDir(tools, {
  port,
  credentialSecret: 'files-acceptance-secret',
  install: [tarball],
  nodeBin: host.nodeBin,
});
// The random file the upload node reads; only its hash stays in this process.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nr-files-'));
const filePath = path.join(dataDir, FILE_NAME);
const ORIGINAL = (() => {
  const bytes = randomBytes(FILE_BYTES);
  writeFileSync(filePath, bytes);
  return sha256(bytes);
})();
// Stored on disk (the simulator's default): the simulator shares this process, and 50 MB kept in
// memory three times over would only blur what is measured.
const sim = await startSimulator({ plan: 'pro', fileStorage: 'disk' });
let nr;

/** Node-RED's RSS with its flows running, before any transfer: each peak is held against it too. */
let idle;

/**
 * Runs `fn` (one transfer) while sampling Node-RED's resident memory; prints before / peak / after.
 * Fails when the peak grows `factor` × the file over the RSS just before, or 3× over the idle RSS
 * (memory kept from earlier transfers adds up there).
 */
async function measured(label, fn, factor = RSS_FACTOR) {
  const { result, before, peak, growth, exact } = await peakRssDuring(nr.pid, fn);
  const after = rssBytes(nr.pid);
  assert(before !== undefined && after !== undefined, `no /proc/${nr.pid}/status to read Node-RED's RSS from`);
  const times = (bytes) => `${(bytes / FILE_BYTES).toFixed(2)}× the file`;
  const figure =
    `${label}: Node-RED RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(growth)} = ${times(growth)}` +
    `${exact ? '' : ', sampled'}; idle was ${mb(idle)}, +${mb(peak - idle)} = ${times(peak - idle)}), after ${mb(after)}`;
  console.log(`       ${figure}`);
  assert(growth < factor * FILE_BYTES, `${figure}: grew ${factor}× the file or more`);
  assert(peak - idle < RSS_FACTOR * FILE_BYTES, `${figure}: ${RSS_FACTOR}× the file or more over idle`);
  return { result, figure };
}

/** The log lines of Node-RED processes this run stopped: the last checks read them too. */
const earlierLog = [];

/** Starts Node-RED on the user directory (its flows.json, once deployed) and notes its idle RSS. */
async function startHost() {
  if (nr) earlierLog.push(...nr.log);
  nr = await startNodeRed({ ...host, userDir, port });
  idle = rssBytes(nr.pid);
}

try {
  await startHost();
  const api = (p, init) => fetch(`${nr.base}${p}`, init);
  const json = async (p, init) => {
    const r = await api(p, init);
    const text = await r.text();
    assert(r.ok, `${init?.method ?? 'GET'} ${p} answered ${r.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  const post = (p, body) =>
    json(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0];
  const channel = (await sim.admin.channels()).find((c) => c.members.some((m) => m.userId === owner.id));
  assert(channel, 'the simulator has no channel the owner is in');
  const sc = sim.credentials;
  const secrets = [sc.clientSecret, sc.webhookSecretToken];

  // What a flow does with a downloaded Buffer, and what this suite reads back: the bytes' SHA-256.
  const describe = `const p = msg.payload;
msg.payload = { isBuffer: Buffer.isBuffer(p), bytes: p.length, sha256: crypto.createHash('sha256').update(p).digest('hex'),
  filename: msg.filename, mimetype: msg.mimetype, fileId: msg.fileId };
return msg;`;
  // Each trigger's events, by the function node's name, with each file's hash instead of its bytes.
  const record = `const files = Array.isArray(msg.files) ? msg.files.map((f) => {
  const { payload, ...rest } = f;
  return payload === undefined ? rest
    : { ...rest, isBuffer: Buffer.isBuffer(payload), bytes: payload.length, sha256: crypto.createHash('sha256').update(payload).digest('hex') };
}) : undefined;
const received = flow.get('received') || {};
(received[node.name] = received[node.name] || []).push({ topic: msg.topic, files });
flow.set('received', received);
return null;`;
  const crypto = [{ var: 'crypto', module: 'crypto' }];
  const fn = (id, name, func, wires = []) => ({
    id,
    type: 'function',
    z: 'tab',
    name,
    func,
    outputs: 1,
    libs: crypto,
    wires: [wires],
  });
  const httpIn = (id, method, url, wires) => ({
    id,
    type: 'http in',
    z: 'tab',
    url,
    method,
    upload: false,
    wires: [wires],
  });
  const trigger = (id, maxSize, wires) => ({
    id,
    type: 'zoom-team-chat-trigger',
    z: 'tab',
    account: 'acc',
    delivery: 'webhook',
    path: `/zoom/files-${maxSize}`,
    events: EVENT,
    channels: '',
    // The flow shares the file itself (zoom send): its own file events are what it waits for.
    ignoreOwn: false,
    dedupe: true,
    downloadFiles: true,
    maxSize,
    wires: [wires],
  });
  const flows = [
    { id: 'tab', type: 'tab', label: 'files acceptance' },
    {
      id: 'acc',
      type: 'zoom-team-chat-account',
      name: 'sim s2s',
      authKind: 'account',
      userId: owner.email,
      botJid: '',
      plan: 'pro',
      apiUrl: sim.urls.api,
      fileUrl: sim.urls.file,
      oauthUrl: sim.urls.oauth,
    },
    // Upload: the file's path and name from the request; the node streams it from disk.
    httpIn('upIn', 'post', '/acceptance/upload', ['upArgs']),
    {
      id: 'upArgs',
      type: 'change',
      z: 'tab',
      rules: [
        { t: 'set', p: 'filename', pt: 'msg', to: 'payload.path', tot: 'msg' },
        { t: 'set', p: 'fileName', pt: 'msg', to: 'payload.name', tot: 'msg' },
      ],
      wires: [['upload']],
    },
    { id: 'upload', type: 'zoom-team-chat-upload', z: 'tab', account: 'acc', mode: 'upload', wires: [['res']] },
    // (a) Download by file ID.
    httpIn('dlIn', 'get', '/acceptance/download', ['dlArgs']),
    {
      id: 'dlArgs',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'fileId', pt: 'msg', to: 'payload.fileId', tot: 'msg' }],
      wires: [['download']],
    },
    {
      id: 'download',
      type: 'zoom-team-chat-message',
      z: 'tab',
      account: 'acc',
      mode: 'download',
      maxSize: 60,
      wires: [['describe']],
    },
    fn('describe', 'describe the download', describe, ['res']),
    // (b), (c) Share the uploaded file in the channel: a message whose file_ids name it.
    httpIn('shareIn', 'post', '/acceptance/share', ['shareBody']),
    {
      id: 'shareBody',
      type: 'change',
      z: 'tab',
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          to: '{"message": payload.text, "file_ids": [payload.fileId]}',
          tot: 'jsonata',
        },
      ],
      wires: [['share']],
    },
    {
      id: 'share',
      type: 'zoom-team-chat-send',
      z: 'tab',
      account: 'acc',
      mode: 'message',
      channel: channel.id,
      textFormat: 'plain',
      replyInThread: false,
      wires: [['res']],
    },
    trigger('trig60', 60, ['rec60']),
    fn('rec60', 'max 60', record),
    trigger('trig10', 10, ['rec10']),
    fn('rec10', 'max 10', record),
    httpIn('recIn', 'get', '/acceptance/received', ['recOut']),
    fn('recOut', 'received events', "msg.payload = flow.get('received') || {};\nreturn msg;", ['res']),
    { id: 'res', type: 'http response', z: 'tab', statusCode: '', headers: {}, wires: [] },
    // A failed node answers its request with the error, instead of leaving it hanging.
    {
      id: 'catch',
      type: 'catch',
      z: 'tab',
      scope: ['upload', 'download', 'share'],
      uncaught: false,
      wires: [['fail']],
    },
    fn('fail', 'error answer', 'msg.statusCode = 500;\nmsg.payload = { error: msg.error.message };\nreturn msg;', [
      'res',
    ]),
  ];
  // Nodes without coordinates would be taken for config nodes.
  flows.forEach((n, i) => {
    if (n.z) Object.assign(n, { x: 150 + (i % 4) * 200, y: 60 + Math.floor(i / 4) * 60 });
  });
  const credentials = {
    acc: {
      clientId: sc.clientId,
      clientSecret: sc.clientSecret,
      accountId: sc.accountId,
      webhookSecretToken: sc.webhookSecretToken,
    },
  };
  await nr.deploy(flows, credentials);
  idle = rssBytes(nr.pid);
  const received = async (name) => (await json('/acceptance/received'))[name] ?? [];

  let fileId;
  await check(
    `the upload node uploads a ${mb(FILE_BYTES)} file from its path; Zoom stores it byte for byte`,
    async () => {
      const { result } = await measured('upload', () =>
        post('/acceptance/upload', { path: filePath, name: FILE_NAME }),
      );
      fileId = result.id;
      assert(typeof fileId === 'string' && fileId !== '', `the upload node answered ${JSON.stringify(result)}`);
      const stored = await sim.admin.file(fileId);
      assert(stored.size === FILE_BYTES, `stored ${stored.size} bytes, sent ${FILE_BYTES}`);
      assert(stored.sha256 === ORIGINAL, `stored SHA-256 ${stored.sha256}, sent ${ORIGINAL}`);
      assert(stored.name === FILE_NAME, `stored as "${stored.name}"`);
      return `file ${fileId}, SHA-256 ${ORIGINAL.slice(0, 16)}…`;
    },
  );

  await check(
    '(a) zoom message, Download files by file ID (Max size 60): msg.payload is a Buffer of the same bytes',
    async () => {
      assert(fileId, 'no file was uploaded');
      const { result: got } = await measured('download by ID', () =>
        json(`/acceptance/download?fileId=${encodeURIComponent(fileId)}`),
      );
      assert(got.isBuffer === true, `msg.payload is not a Buffer: ${JSON.stringify(got)}`);
      assert(got.bytes === FILE_BYTES, `msg.payload holds ${got.bytes} bytes`);
      assert(got.sha256 === ORIGINAL, `SHA-256 ${got.sha256}, uploaded ${ORIGINAL}`);
      assert(
        got.filename === FILE_NAME && got.fileId === fileId,
        `msg.filename ${got.filename}, msg.fileId ${got.fileId}`,
      );
      return `msg.filename ${got.filename}, msg.mimetype ${got.mimetype}`;
    },
  );

  await check(
    '(b) the file shared in the channel reaches the trigger (Download files, Max size 60) in msg.files, byte for byte',
    async () => {
      assert(fileId, 'no file was uploaded');
      // A fresh Node-RED (same flows): the trigger's download is measured from idle, not on top of
      // heap the download by ID left for the garbage collector.
      await nr.stop();
      await startHost();
      await waitFor('the flows to start', () => nr.log.some((l) => l.includes('[info] Started flows')), 30_000);
      idle = rssBytes(nr.pid);
      // Test set-up, as the app's Marketplace page would: the event subscription (validated by the trigger).
      const sub = await sim.admin.subscribe({
        url: `${nr.base}/zoom/files-60`,
        events: [EVENT],
        secretToken: sc.webhookSecretToken,
      });
      try {
        const { result } = await measured('share + trigger download', async () => {
          const shared = await post('/acceptance/share', { fileId, text: 'the 50 MB file' });
          const events = await waitFor('the trigger’s event with its file', async () => {
            const got = await received('max 60');
            return got.length > 0 ? got : undefined;
          });
          return { shared, events };
        });
        const message = (await sim.admin.channelMessages(channel.id)).find((m) => m.id === result.shared.id);
        assert(
          message?.fileIds.includes(fileId),
          `the shared message ${JSON.stringify(message)} does not carry the file`,
        );
        await sim.admin.settleWebhooks();
        const events = await received('max 60');
        assert(events.length === 1, `${events.length} events: ${JSON.stringify(events)}`);
        const [event] = events;
        assert(
          event.topic === EVENT && Array.isArray(event.files) && event.files.length === 1,
          `event ${JSON.stringify(event)}`,
        );
        const [f] = event.files;
        assert(f.isBuffer === true, `msg.files[0].payload is not a Buffer: ${JSON.stringify(f)}`);
        assert(f.bytes === FILE_BYTES && f.size === FILE_BYTES, `msg.files[0]: ${f.bytes} bytes, size ${f.size}`);
        assert(f.sha256 === ORIGINAL, `SHA-256 ${f.sha256}, uploaded ${ORIGINAL}`);
        assert(f.fileId === fileId && f.fileName === FILE_NAME, `msg.files[0] is ${f.fileName} (${f.fileId})`);
        assert(typeof f.mimeType === 'string' && f.mimeType !== '', `msg.files[0].mimeType ${f.mimeType}`);
        return `msg.files[0]: ${JSON.stringify({ ...f, sha256: `${f.sha256.slice(0, 16)}…` })}`;
      } finally {
        await sim.admin.unsubscribe(sub.id);
      }
    },
  );

  await check(
    '(c) with Max size 10 the trigger emits the event once, its file an error naming Max size (nothing read whole)',
    async () => {
      assert(fileId, 'no file was uploaded');
      const sub = await sim.admin.subscribe({
        url: `${nr.base}/zoom/files-10`,
        events: [EVENT],
        secretToken: sc.webhookSecretToken,
      });
      // A refused file is not read: far less than one file of growth (the bound is the file itself).
      await measured(
        'share + refused trigger download',
        async () => {
          await post('/acceptance/share', { fileId, text: 'the 50 MB file, again' });
          await waitFor('the trigger’s event', async () => (await received('max 10')).length > 0);
        },
        1,
      );
      await sim.admin.settleWebhooks();
      const events = await received('max 10');
      assert(events.length === 1, `${events.length} events: ${JSON.stringify(events)}`);
      const [f, ...more] = events[0].files ?? [];
      assert(f && more.length === 0, `msg.files ${JSON.stringify(events[0].files)}`);
      assert(f.fileId === fileId && f.bytes === undefined, `msg.files[0] ${JSON.stringify(f)}`);
      assert(typeof f.error === 'string' && /Max size/.test(f.error), `msg.files[0].error ${JSON.stringify(f.error)}`);
      assert((await received('max 60')).length === 1, 'the Max size 60 trigger got the second share too');
      assert(
        nr.log.some((l) => l.includes('[warn]') && l.includes(`File ${fileId}`) && l.includes('not downloaded')),
        'no warning in the Node-RED log',
      );
      await sim.admin.unsubscribe(sub.id);
      return `msg.files[0]: ${JSON.stringify(f)}`;
    },
  );

  await check('no secret and no error in the Node-RED logs (both processes)', async () => {
    const lines = [...earlierLog, ...nr.log];
    const log = lines.join('\n');
    for (const s of secrets) assert(!log.includes(s), 'a secret is in the log');
    const errors = lines.filter((l) => /\[error\]/.test(l));
    assert(errors.length === 0, `errors in the log:\n${errors.join('\n')}`);
  });
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  if (results.some((r) => !r.ok) && nr) console.log(`--- Node-RED log ---\n${nr.log.slice(-60).join('\n')}`);
  await nr?.stop();
  await sim.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
writeFileSync(
  path.join(root, `acceptance-results-files-${hostKey}.json`),
  JSON.stringify({ suite: `Node-RED ${hostKey} 50 MB files`, passed, failed }),
);
process.exit(failed === 0 ? 0 : 1);
