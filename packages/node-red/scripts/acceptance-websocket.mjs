// Acceptance test of the trigger's WebSocket delivery in a real Node-RED (4.1.8 on this Node by
// default; `--host 5.0` for Node-RED 5.0.7 on Node 22) against the Zoom simulator:
//  - Node-RED runs with httpNodeRoot: false (no node route at all) and the simulator holds no
//    webhook subscription: events can only come over the socket Node-RED opens;
//  - two triggers on one subscription share ONE socket (the simulator's socket count);
//  - the simulator drops the socket 5 times while a user keeps posting: every event emitted while
//    connected reaches each trigger exactly once, and those emitted while disconnected never do
//    (the simulator's delivery ledger against what the flows logged);
//  - expired tokens: the socket is closed, a fresh token is minted and the trigger reconnects;
//  - a wrong subscription ID: a clear error and a red status, no reconnect loop (upgrades counted);
//  - Download files: a file a person posts reaches the flow in msg.files, byte for byte;
//  - a redeploy leaves no socket behind; no token or secret in the Node-RED log.
// `--long` runs the drop phase for 60 s (issue 10's figure) instead of about 25 s.
// Ends with "N passed, N failed"; writes acceptance-results-websocket-<host>.json; exit 1 on failure.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import { waitFor as pollUntil } from '@zoom-team-chat/testkit/wait-for';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const LONG = process.argv.includes('--long');
const DROP_PHASE_MS = LONG ? 60_000 : 22_000;
const DROPS = 5;
const EVENT = 'team_chat.channel_message_posted';
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The poll interval this suite's checks were tuned for.
const waitFor = (what, fn, ms = 10_000) => pollUntil(what, fn, ms, 50);

const { startSimulator } = require('@zoom-team-chat/simulator');

/** Every upgrade request the simulator answered (status only: the query holds the token). */
const upgrades = [];
const tokenRequests = [];
const host = installHost(tools, hostKey);
console.log(
  `Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}; drop phase ${DROP_PHASE_MS / 1000} s`,
);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const userDir = makeUserDir(tools, {
  port,
  credentialSecret: 'ws-acceptance-secret',
  install: [tarball],
  nodeBin: host.nodeBin,
});
// No HTTP node routes at all: whatever reaches the flows came over the socket.
appendFileSync(path.join(userDir, 'settings.js'), 'module.exports.httpNodeRoot = false;\n');
const sim = await startSimulator({
  plan: 'pro',
  fileStorage: 'memory',
  webSocket: { closeOnTokenExpiry: true },
  onRequest: (e) => {
    if (e.server === 'ws') upgrades.push({ status: e.status, at: Date.now() });
    if (e.server === 'oauth' && e.path.includes('token')) tokenRequests.push({ status: e.status, at: Date.now() });
  },
});
let nr;
try {
  nr = await startNodeRed({ ...host, userDir, port });
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0];
  const channels = await sim.admin.channels();
  const channel = channels.find(
    (c) => c.members.some((m) => m.userId === owner.id) && c.members.some((m) => m.userId !== owner.id),
  );
  assert(channel, 'the simulator has no channel with the owner and another member');
  const poster = users.find((u) => u.id !== owner.id && channel.members.some((m) => m.userId === u.id));
  const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT], name: 'node-red acceptance' });
  const sc = sim.credentials;
  const secrets = [sc.clientSecret, sc.webhookSecretToken];

  // Each trigger logs one line per event through a console debug node (no HTTP needed to observe).
  const logLine = (tag) =>
    `msg.payload = ['WSEVENT', '${tag}', msg.topic, (msg.payload.object || {}).message_id, msg.zoom.delivery, msg.zoom.subscriptionId].join(' ');\nreturn msg;`;
  const dbg = (id) => ({
    id,
    type: 'debug',
    z: 'ws',
    active: true,
    tosidebar: false,
    console: true,
    tostatus: false,
    complete: 'payload',
    targetType: 'msg',
    wires: [],
  });
  const trigger = (id, name, subscription, wires) => ({
    id,
    type: 'zoom-team-chat-trigger',
    z: 'ws',
    name,
    account: 'acc',
    delivery: 'websocket',
    subscription,
    path: '/zoom/team-chat',
    events: EVENT,
    channels: channel.id,
    ignoreOwn: true,
    dedupe: true,
    wires: [wires],
  });
  const baseFlows = [
    { id: 'ws', type: 'tab', label: 'websocket acceptance' },
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
    trigger('trigA', 'A', sub.endpointUrl, ['fA']),
    { id: 'fA', type: 'function', z: 'ws', name: 'log A', func: logLine('A'), outputs: 1, wires: [['dA']] },
    dbg('dA'),
    // The same subscription, its URL written out by hand: still the same socket.
    trigger('trigB', 'B', `${sim.urls.ws}?subscriptionId=${sub.id}`, ['fB', 'echo']),
    { id: 'fB', type: 'function', z: 'ws', name: 'log B', func: logLine('B'), outputs: 1, wires: [['dB']] },
    dbg('dB'),
    {
      id: 'echo',
      type: 'function',
      z: 'ws',
      name: 'echo?',
      func: "if (!/^echo /.test(msg.payload.object.message)) return null;\nmsg.payload = 'ws ' + msg.payload.object.message;\nreturn msg;",
      outputs: 1,
      wires: [['send']],
    },
    {
      id: 'send',
      type: 'zoom-team-chat-send',
      z: 'ws',
      account: 'acc',
      mode: 'message',
      replyInThread: true,
      wires: [[]],
    },
    { id: 'st', type: 'status', z: 'ws', scope: null, wires: [['fSt']] },
    {
      id: 'fSt',
      type: 'function',
      z: 'ws',
      func: "msg.payload = ['WSSTATUS', msg.status.source.id, msg.status.fill || '-', msg.status.text || ''].join(' ');\nreturn msg;",
      outputs: 1,
      wires: [['dSt']],
    },
    dbg('dSt'),
  ];
  baseFlows.forEach((n, i) => {
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
  const lines = (prefix) => nr.log.filter((l) => l.includes(prefix)).map((l) => l.slice(l.indexOf(prefix)));
  const statusLines = (id) => lines(`WSSTATUS ${id} `);
  const sockets = async (id = sub.id) =>
    (await sim.admin.webSocketSubscriptions()).find((s) => s.id === id)?.sockets ?? [];
  const seen = (tag, messageId) => lines(`WSEVENT ${tag} `).filter((l) => l.split(' ')[3] === messageId).length;

  await check(
    'the trigger deploys in WebSocket mode on a Node-RED without HTTP node routes (httpNodeRoot: false)',
    async () => {
      await nr.deploy(baseFlows, credentials);
      // The trigger's webhook path (it keeps its default) is not served: nothing listens for Zoom.
      const probe = await fetch(`${nr.base}/zoom/team-chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert(probe.status === 404, `POST /zoom/team-chat answered ${probe.status}`);
      await waitFor(
        'status "connected" on both triggers',
        () =>
          statusLines('trigA').some((l) => l.endsWith('green connected')) &&
          statusLines('trigB').some((l) => l.endsWith('green connected')),
      );
      return `${statusLines('trigA').join(' → ')}`;
    },
  );

  await check('two triggers on one subscription share ONE socket (simulator socket count)', async () => {
    const open = await waitFor('an open socket', async () =>
      (await sockets()).length > 0 ? await sockets() : undefined,
    );
    await sleep(500);
    const again = await sockets();
    assert(again.length === 1, `${again.length} sockets open for the subscription`);
    return `1 socket (${open[0].id}), ${upgrades.filter((u) => u.status === 101).length} upgrade(s) so far`;
  });

  await check(
    'a user posts -> the event arrives over the socket at both triggers, with msg.zoom.delivery "websocket"; no webhook anywhere',
    async () => {
      const m = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'hello over the socket' });
      await waitFor('both triggers', () => seen('A', m.id) === 1 && seen('B', m.id) === 1);
      const line = lines('WSEVENT A ').find((l) => l.includes(m.id));
      assert(line.endsWith(`websocket ${sub.id}`), `logged ${line}`);
      assert((await sim.admin.webhooks()).length === 0, 'the simulator has a webhook subscription');
      return line;
    },
  );

  await check(
    'the flow replies in the thread through the send node (echo), and its own reply does not trigger it again',
    async () => {
      const m = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'echo over websocket' });
      const reply = await waitFor('the reply', async () =>
        (await sim.admin.channelMessages(channel.id)).find((x) => x.text === 'ws echo over websocket'),
      );
      assert(reply.replyTo === m.id, `reply not in the thread (replyTo ${reply.replyTo})`);
      await sleep(1000);
      assert(seen('A', reply.id) === 0, 'the bot’s own reply reached the trigger');
      const replies = (await sim.admin.channelMessages(channel.id)).filter((x) => x.text.startsWith('ws echo'));
      assert(replies.length === 1, `${replies.length} replies`);
    },
  );

  await check(
    `the simulator drops the socket ${DROPS} times, about every ${((DROP_PHASE_MS - 3000) / DROPS / 1000).toFixed(0)} s, while a user posts ~10 events/s: every event emitted while connected arrives exactly once per trigger, none while disconnected`,
    async () => {
      await sim.admin.clearWebSocketDeliveries();
      const posted = [];
      let posting = true;
      const postLoop = (async () => {
        let i = 0;
        while (posting) {
          const m = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: `ledger ${++i}` });
          posted.push(m.id);
          await sleep(100);
        }
      })();
      const drops = [];
      const phaseStart = Date.now();
      for (let d = 0; d < DROPS; d++) {
        // Evenly spread; each drop waits for the trigger to be back (a drop of nothing proves nothing).
        await sleep(Math.max(0, phaseStart + ((d + 1) * (DROP_PHASE_MS - 3000)) / DROPS - Date.now()));
        await waitFor(`the socket to be back before drop ${d + 1}`, async () => (await sockets()).length === 1, 30_000);
        const { dropped } = await sim.admin.dropWebSockets({ subscriptionId: sub.id });
        assert(dropped === 1, `drop ${d + 1} closed ${dropped} sockets`);
        drops.push(Date.now() - phaseStart);
      }
      await waitFor('the socket after the last drop', async () => (await sockets()).length === 1, 30_000);
      await sleep(Math.max(1500, phaseStart + DROP_PHASE_MS - Date.now()));
      posting = false;
      await postLoop;
      await sleep(1500);
      const ledger = (await sim.admin.webSocketDeliveries(sub.id)).filter((e) => e.event === EVENT);
      assert(
        ledger.length === posted.length,
        `${ledger.length} ledger entries for ${posted.length} posts (one socket, one entry per event expected)`,
      );
      let delivered = 0;
      let lost = 0;
      const problems = [];
      ledger.forEach((entry, i) => {
        const id = posted[i];
        for (const tag of ['A', 'B']) {
          const n = seen(tag, id);
          const want = entry.delivered ? 1 : 0;
          if (n !== want)
            problems.push(
              `${tag} got message ${i + 1} ${n}× (${entry.delivered ? 'emitted while connected' : `lost: ${entry.reason ?? 'no socket'}`})`,
            );
        }
        if (entry.delivered) delivered++;
        else lost++;
      });
      assert(problems.length === 0, problems.slice(0, 10).join('; '));
      // Both kinds must occur, or the run proved less than it claims.
      assert(delivered > 0 && lost > 0, `${delivered} delivered, ${lost} lost: the drops did not overlap the posting`);
      return `${((Date.now() - phaseStart) / 1000).toFixed(1)} s, ${posted.length} events: ${delivered} emitted while connected, each arrived once at A and once at B; ${lost} emitted while disconnected, none arrived; drops at ${drops.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')}`;
    },
  );

  await check('the status showed "reconnecting (Ns)" and came back to "connected" after each drop', async () => {
    const st = statusLines('trigA');
    const reconnecting = st.filter((l) => /yellow reconnecting \(\d+s\)$/.test(l));
    assert(reconnecting.length >= DROPS, `${reconnecting.length} reconnecting statuses: ${st.slice(-12).join(' | ')}`);
    assert(st.at(-1).endsWith('green connected'), `last status ${st.at(-1)}`);
    return `${reconnecting.length} reconnecting statuses, e.g. "${reconnecting[0].split(' ').slice(2).join(' ')}"`;
  });

  await check(
    'expired tokens: the simulator closes the socket, a fresh token is minted and the trigger reconnects',
    async () => {
      const tokensBefore = tokenRequests.length;
      const upgradesBefore = upgrades.length;
      const { closedWebSockets } = await sim.admin.expireTokens();
      assert(closedWebSockets === 1, `${closedWebSockets} sockets closed on expiry`);
      await waitFor(
        'a new socket',
        async () => (await sockets()).length === 1 && upgrades.slice(upgradesBefore).some((u) => u.status === 101),
        20_000,
      );
      assert(tokenRequests.length > tokensBefore, 'no new token was requested');
      const m = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'after the token expired' });
      await waitFor('the event after reconnecting', () => seen('A', m.id) === 1 && seen('B', m.id) === 1);
      const after = upgrades.slice(upgradesBefore).map((u) => u.status);
      assert(after.filter((s) => s === 401).length <= 1, `upgrades after expiry: ${after.join(', ')}`);
      return `${tokenRequests.length - tokensBefore} new token(s); upgrades after expiry: ${after.join(', ')}`;
    },
  );

  await check(
    'Download files: a person posts a file in a channel; the trigger emits it once in msg.files with the same bytes (sha256)',
    async () => {
      const fileSub = await sim.admin.createWebSocketSubscription({ events: ['team_chat.file_shared'], name: 'files' });
      const withFiles = {
        ...trigger('trigF', 'files', fileSub.endpointUrl, ['fF']),
        events: 'team_chat.file_shared',
        channels: '',
        downloadFiles: true,
        maxSize: '20',
      };
      // Small enough for one debug line: the bytes travel base64 in the log and are hashed here.
      const logFiles =
        "msg.payload = 'WSFILE ' + msg.topic + ' ' + JSON.stringify(msg.files.map((f) => ({ fileId: f.fileId, fileName: f.fileName, mimeType: f.mimeType, size: f.size, error: f.error, isBuffer: Buffer.isBuffer(f.payload), b64: f.payload ? f.payload.toString('base64') : null })));\nreturn msg;";
      const extra = [
        { ...withFiles, x: 150, y: 460 },
        {
          id: 'fF',
          type: 'function',
          z: 'ws',
          name: 'log files',
          func: logFiles,
          outputs: 1,
          wires: [['dF']],
          x: 350,
          y: 460,
        },
        { ...dbg('dF'), x: 550, y: 460 },
      ];
      await nr.deploy([...baseFlows, ...extra], credentials);
      await waitFor('the file trigger connected', async () => (await sockets(fileSub.id)).length === 1, 20_000);
      const bytes = randomBytes(600);
      const { file } = await sim.admin.uploadFile({
        as: poster.email,
        channel: channel.id,
        fileName: 'report.bin',
        base64: bytes.toString('base64'),
        contentType: 'application/octet-stream',
      });
      const fileLines = () => lines('WSFILE ');
      const line = await waitFor('msg.files', () => fileLines()[0], 15_000);
      const [got] = JSON.parse(line.slice(line.indexOf('[')));
      const sha = (b) => createHash('sha256').update(b).digest('hex');
      assert(
        got.fileId === file.id && got.fileName === 'report.bin',
        `files entry ${JSON.stringify({ ...got, b64: undefined })}`,
      );
      assert(
        got.isBuffer && got.size === bytes.length && !got.error,
        `files entry ${JSON.stringify({ ...got, b64: undefined })}`,
      );
      assert(sha(Buffer.from(got.b64, 'base64')) === sha(bytes), 'the bytes differ');
      await sleep(1000);
      assert(fileLines().length === 1, `${fileLines().length} file events emitted`);
      return `${got.fileName} (${got.mimeType}, ${got.size} bytes), sha256 ${sha(bytes).slice(0, 16)}… as posted`;
    },
  );

  await check('a wrong subscription ID: one clear error, a red status, no reconnect loop', async () => {
    const bad = trigger('trigBad', 'bad', `${sim.urls.ws}?subscriptionId=not-a-subscription`, []);
    const upgradesBefore = upgrades.length;
    await nr.deploy([...baseFlows, { ...bad, x: 150, y: 400 }], credentials);
    await waitFor('the red status', () => statusLines('trigBad').some((l) => l.includes(' red failed: ')));
    await sleep(5000);
    const notFound = upgrades.slice(upgradesBefore).filter((u) => u.status === 404).length;
    assert(notFound >= 1 && notFound <= 2, `${notFound} upgrades answered 404 in 5 s`);
    const errors = nr.log.filter((l) => /\[error\]/.test(l) && l.includes('not-a-subscription'));
    assert(errors.length === 1, `${errors.length} error lines naming the subscription:\n${errors.join('\n')}`);
    return `${statusLines('trigBad').at(-1)}; ${notFound} refused upgrade(s); ${errors[0].slice(errors[0].indexOf('[error]'))}`;
  });

  await check('a full redeploy keeps exactly one socket, and removing the triggers closes it', async () => {
    await nr.deploy(baseFlows, credentials);
    await waitFor('one socket after the redeploy', async () => (await sockets()).length === 1);
    await sleep(1000);
    assert((await sockets()).length === 1, `${(await sockets()).length} sockets after a redeploy`);
    await nr.deploy(
      baseFlows.filter((n) => n.type !== 'zoom-team-chat-trigger'),
      credentials,
    );
    await waitFor('no socket left', async () => (await sockets()).length === 0, 5000);
  });

  await check('no token, secret or unexpected error in the Node-RED log', async () => {
    const log = nr.log.join('\n');
    for (const s of secrets) assert(!log.includes(s), 'a secret is in the log');
    assert(!/access_token=(?!\*\*\*)/.test(log), 'an access token is in the log');
    const errors = nr.log.filter((l) => /\[error\]/.test(l) && !l.includes('not-a-subscription'));
    assert(errors.length === 0, `errors in the log:\n${errors.join('\n')}`);
  });
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  if (results.some((r) => !r.ok) && nr)
    console.log(
      `--- Node-RED log ---\n${nr.log
        .filter((l) => !l.includes('WSEVENT'))
        .slice(-80)
        .join('\n')}`,
    );
  await nr?.stop();
  await sim.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
writeFileSync(
  path.join(root, `acceptance-results-websocket-${hostKey}.json`),
  JSON.stringify({ suite: `Node-RED ${hostKey} WebSocket`, passed, failed }),
);
process.exit(failed === 0 ? 0 : 1);
