// Acceptance test in a real Node-RED (4.1.8 on this Node by default; `--host 5.0` for Node-RED
// 5.0.7 on Node 22) against the Zoom simulator:
//  - the npm-pack tarball installs the palette's way (npm install in the user dir) and the nodes,
//    their help, locales and icon are served by the editor;
//  - flows with credentials are deployed through the Admin API v2 (default admin root "/");
//  - a simulated user posts -> signed webhook -> trigger -> send replies in the thread, list reads
//    the history, upload shares a file -> the simulator shows all of it, and nothing loops;
//  - a forged webhook starts no flow; the api node and a chatbot reply work; a card from the send
//    node's card builder reaches the simulator as Zoom's JSON and a bad one is refused before
//    sending; secrets stay out of exported flows and logs.
// Ends with one line "N passed, N failed"; exit code 1 if anything failed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import { deployCard, nodeRedCardBuilder } from '@zoom-team-chat/testkit/card-fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const MODULE = '@zoom-team-chat/node-red-zoom-team-chat';
const TYPES = [
  'zoom-team-chat-account',
  'zoom-team-chat-trigger',
  'zoom-team-chat-send',
  'zoom-team-chat-list',
  'zoom-team-chat-upload',
  'zoom-team-chat-api',
];

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
async function waitFor(what, fn, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { startSimulator } = require('@zoom-team-chat/simulator');
const { signWebhook } = require('@zoom-team-chat/core');

const host = installHost(tools, hostKey);
console.log(`Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}`);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const credentialSecret = 'acceptance-credential-secret';
const userDir = makeUserDir(tools, { port, credentialSecret, install: [tarball], nodeBin: host.nodeBin });
const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
let nr;
try {
  nr = await startNodeRed({ ...host, userDir, port });
  const api = (p, init) => fetch(`${nr.base}${p}`, init);

  await check('the npm-pack tarball installed into the user dir registers all six node types', async () => {
    const r = await api('/nodes', { headers: { accept: 'application/json' } });
    const sets = (await r.json()).filter((s) => s.module === MODULE);
    const types = sets.flatMap((s) => s.types);
    for (const t of TYPES) assert(types.includes(t), `${t} missing from GET /nodes (${types.join(', ')})`);
    for (const s of sets) assert(s.enabled && !s.err, `${s.id} not enabled: ${s.err ?? ''}`);
  });

  await check('the editor gets each node’s help, i18n catalogue and icon', async () => {
    const html = await (await api('/nodes', { headers: { accept: 'text/html' } })).text();
    for (const t of TYPES) assert(html.includes(`data-help-name="${t}"`), `no help for ${t}`);
    for (const t of TYPES) {
      // The editor's i18n namespace of a node set is its id: <module>/<set>.
      const catalogue = await (await api(`/locales/${MODULE}/${t}?lng=en-US`)).json();
      assert(typeof catalogue[t]?.label === 'object', `no en-US catalogue for ${t}`);
    }
    const icon = await api(`/icons/${MODULE}/zoom-team-chat.svg`);
    assert(icon.ok && (await icon.text()).includes('<svg'), `icon not served (${icon.status})`);
  });

  // --- Flows -------------------------------------------------------------------------------
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0];
  const channels = await sim.admin.channels();
  const channel = channels.find(
    (c) => c.members.some((m) => m.userId === owner.id) && c.members.some((m) => m.userId !== owner.id),
  );
  assert(channel, 'the simulator has no channel with the owner and another member');
  const poster = users.find((u) => u.id !== owner.id && channel.members.some((m) => m.userId === u.id));
  const { credentials: sc, urls } = sim;
  // The node leaves the subtitle and text blank: the flow's msg.card gives them (see cardInj).
  const DEPLOY_CARD = deployCard();
  const CARD = { ...nodeRedCardBuilder(DEPLOY_CARD.parts), cardSubtitle: '', cardText: '' };
  const BAD_CARD = 'Card → Buttons → 1: Value is empty (a click reports it)';
  const base = { apiUrl: urls.api, fileUrl: urls.file, oauthUrl: urls.oauth, plan: 'pro' };
  const flows = [
    { id: 'tab1', type: 'tab', label: 'acceptance' },
    {
      id: 'acc',
      type: 'zoom-team-chat-account',
      name: 'sim s2s',
      authKind: 'account',
      userId: owner.email,
      botJid: '',
      ...base,
    },
    {
      id: 'bot',
      type: 'zoom-team-chat-account',
      name: 'sim bot',
      authKind: 'chatbot',
      userId: '',
      botJid: sc.chatbot.botJid,
      ...base,
    },
    {
      id: 'trig',
      type: 'zoom-team-chat-trigger',
      z: 'tab1',
      account: 'acc',
      path: '/zoom/webhook',
      events: 'team_chat.channel_message_posted',
      channels: '',
      ignoreOwn: true,
      dedupe: true,
      wires: [['echo']],
    },
    {
      id: 'echo',
      type: 'change',
      z: 'tab1',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: "'echo: ' & payload.object.message", tot: 'jsonata' }],
      wires: [['send']],
    },
    {
      id: 'send',
      type: 'zoom-team-chat-send',
      z: 'tab1',
      account: 'acc',
      mode: 'message',
      replyInThread: true,
      wires: [['list']],
    },
    {
      id: 'list',
      type: 'zoom-team-chat-list',
      z: 'tab1',
      account: 'acc',
      resource: 'messages',
      returnAll: false,
      limit: 50,
      output: 'array',
      wires: [['summary']],
    },
    {
      id: 'summary',
      type: 'function',
      z: 'tab1',
      func:
        'const n = msg.payload.length;\n' +
        "const text = { zoom: msg.zoom, payload: 'history: ' + n + ' messages' };\n" +
        "const file = { zoom: msg.zoom, payload: Buffer.from(msg.payload.map(m => m.message).join('\\n')), fileName: 'history.txt' };\n" +
        'return [text, file];',
      outputs: 2,
      wires: [['sendSummary'], ['upload']],
    },
    {
      id: 'sendSummary',
      type: 'zoom-team-chat-send',
      z: 'tab1',
      account: 'acc',
      mode: 'message',
      replyInThread: true,
      wires: [[]],
    },
    {
      id: 'upload',
      type: 'zoom-team-chat-upload',
      z: 'tab1',
      account: 'acc',
      mode: 'send',
      replyInThread: true,
      wires: [[]],
    },
    {
      id: 'inj',
      type: 'inject',
      z: 'tab1',
      props: [
        {
          p: 'params',
          v: JSON.stringify({
            path: { userId: owner.email },
            body: { message: 'sent by the api node', to_channel: channel.id },
          }),
          vt: 'json',
        },
      ],
      wires: [['apinode']],
    },
    {
      id: 'apinode',
      type: 'zoom-team-chat-api',
      z: 'tab1',
      account: 'acc',
      operationId: 'sendaChatMessage',
      params: '',
      wires: [[]],
    },
    {
      id: 'btrig',
      type: 'zoom-team-chat-trigger',
      z: 'tab1',
      account: 'bot',
      path: '/zoom/bot',
      events: 'bot_notification',
      ignoreOwn: true,
      dedupe: true,
      wires: [['becho']],
    },
    {
      id: 'becho',
      type: 'change',
      z: 'tab1',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: "'bot heard: ' & payload.cmd", tot: 'jsonata' }],
      wires: [['bsend']],
    },
    {
      id: 'bsend',
      type: 'zoom-team-chat-send',
      z: 'tab1',
      account: 'bot',
      mode: 'chatbot',
      format: 'markdown',
      wires: [[]],
    },
    // The card builder: parts from the node, the subtitle and text from msg.card (the node leaves them blank).
    {
      id: 'cardInj',
      type: 'inject',
      z: 'tab1',
      props: [
        { p: 'toJid', v: channel.jid, vt: 'str' },
        { p: 'userJid', v: owner.jid, vt: 'str' },
        {
          p: 'card',
          v: JSON.stringify({ subtitle: DEPLOY_CARD.parts.subtitle, text: DEPLOY_CARD.parts.text }),
          vt: 'json',
        },
      ],
      wires: [['cardSend']],
    },
    {
      id: 'cardSend',
      type: 'zoom-team-chat-send',
      z: 'tab1',
      account: 'bot',
      mode: 'chatbot',
      format: 'cardBuilder',
      ...CARD,
      wires: [[]],
    },
    {
      id: 'badCardInj',
      type: 'inject',
      z: 'tab1',
      props: [
        { p: 'toJid', v: channel.jid, vt: 'str' },
        { p: 'userJid', v: owner.jid, vt: 'str' },
      ],
      wires: [['badCardSend']],
    },
    {
      id: 'badCardSend',
      type: 'zoom-team-chat-send',
      z: 'tab1',
      account: 'bot',
      mode: 'chatbot',
      format: 'cardBuilder',
      ...CARD,
      cardButtons: [{ text: 'Approve', value: '', style: 'Primary' }],
      wires: [[]],
    },
    { id: 'catch', type: 'catch', z: 'tab1', scope: null, uncaught: false, wires: [['errlog']] },
    {
      id: 'errlog',
      type: 'debug',
      z: 'tab1',
      active: true,
      console: true,
      tostatus: false,
      complete: 'error',
      wires: [],
    },
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
    bot: {
      clientId: sc.chatbot.clientId,
      clientSecret: sc.chatbot.clientSecret,
      accountId: sc.chatbot.accountId,
      webhookSecretToken: sc.webhookSecretToken,
    },
  };
  const secrets = [sc.clientSecret, sc.chatbot.clientSecret, sc.webhookSecretToken];

  await check('flows with credentials deploy through the Admin API v2', async () => {
    await nr.deploy(flows, credentials);
  });

  await check('exported flows and the credentials file hold no secret in clear', async () => {
    const exported = await (await api('/flows', { headers: { 'Node-RED-API-Version': 'v2' } })).text();
    for (const s of secrets) assert(!exported.includes(s), 'a secret is in GET /flows');
    assert(exported.includes('"has_webhookSecretToken":true') || exported.includes('"acc"'), 'flows not returned');
    const credFile = readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
    for (const s of secrets) assert(!credFile.includes(s), 'a secret is in flows_cred.json unencrypted');
  });

  const endpoint = `${nr.base}/zoom/webhook`;
  await check('Zoom’s URL validation of the endpoint is answered by the trigger (subscription accepted)', async () => {
    await sim.admin.subscribe({
      url: endpoint,
      events: ['team_chat.channel_message_posted'],
      secretToken: sc.webhookSecretToken,
    });
    await sim.admin.subscribe({
      url: `${nr.base}/zoom/bot`,
      events: ['bot_notification'],
      secretToken: sc.webhookSecretToken,
      kind: 'chatbot',
      botJid: sc.chatbot.botJid,
    });
  });

  let original;
  await check(
    'a simulated user posts -> signed webhook -> trigger -> the send node replies in the thread',
    async () => {
      original = await sim.admin.postMessage({
        as: poster.email,
        channel: channel.id,
        text: 'hello from the simulator',
      });
      const reply = await waitFor('the echo reply', async () =>
        (await sim.admin.channelMessages(channel.id)).find((m) => m.text === 'echo: hello from the simulator'),
      );
      assert(
        reply.replyTo === original.id,
        `reply not in the thread (replyTo ${reply.replyTo}, expected ${original.id})`,
      );
      assert(reply.senderId === owner.id, 'reply not sent as the account user');
    },
  );

  await check('the list node read the history and its summary lands in the thread', async () => {
    const summary = await waitFor('the history summary', async () =>
      (await sim.admin.channelMessages(channel.id)).find((m) => /^history: \d+ messages$/.test(m.text)),
    );
    assert(Number(/\d+/.exec(summary.text)[0]) >= 2, `history too short: ${summary.text}`);
    assert(summary.replyTo === original.id, 'summary not in the thread');
  });

  await check('the upload node shared a file in the thread, with the listed history as content', async () => {
    const fileMsg = await waitFor('the file message', async () =>
      (await sim.admin.channelMessages(channel.id)).find((m) => m.fileIds.length > 0 && m.replyTo === original.id),
    );
    const file = await sim.admin.file(fileMsg.fileIds[0]);
    assert(file.name === 'history.txt', `file name ${file.name}`);
    const content = (await sim.admin.fileContent(file.id)).toString('utf8');
    assert(content.includes('hello from the simulator'), 'file content does not hold the history');
  });

  await check('the bot’s own replies do not trigger the flow again (no loop)', async () => {
    await sim.admin.settleWebhooks();
    await sleep(500);
    const before = (await sim.admin.channelMessages(channel.id)).length;
    await sim.admin.settleWebhooks();
    await sleep(1000);
    const after = await sim.admin.channelMessages(channel.id);
    assert(after.length === before, `messages kept coming: ${before} -> ${after.length}`);
    assert(after.filter((m) => m.text.startsWith('echo: ')).length === 1, 'more than one echo');
  });

  await check('a forged webhook is refused with 401 and starts no flow', async () => {
    const before = (await sim.admin.channelMessages(channel.id)).length;
    const body = JSON.stringify({
      event: 'team_chat.channel_message_posted',
      event_ts: Date.now(),
      payload: {
        account_id: sc.accountId,
        operator: poster.email,
        operator_id: poster.id,
        object: { message_id: 'forged-1', channel_id: channel.id, message: 'forged' },
      },
    });
    const r = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signWebhook({ secret: 'not-the-secret-token', rawBody: body }),
      },
      body,
    });
    assert(r.status === 401, `forged request answered ${r.status}`);
    await sleep(1000);
    const after = await sim.admin.channelMessages(channel.id);
    assert(after.length === before, 'the forged webhook started the flow');
    assert(
      nr.log.some((l) => l.includes('Refused a request on /zoom/webhook')),
      'no warning in the Node-RED log',
    );
  });

  await check('a correctly signed webhook sent by hand under the default admin root "/" is accepted', async () => {
    const body = JSON.stringify({
      event: 'endpoint.url_validation',
      event_ts: Date.now(),
      payload: { plainToken: 'by-hand' },
    });
    const r = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook({ secret: sc.webhookSecretToken, rawBody: body }) },
      body,
    });
    const json = await r.json();
    assert(
      r.status === 200 && json.plainToken === 'by-hand' && /^[0-9a-f]{64}$/.test(json.encryptedToken),
      `answered ${r.status} ${JSON.stringify(json)}`,
    );
  });

  await check('the api node calls an operation by operationId (inject through the Admin API)', async () => {
    const r = await api('/inject/inj', { method: 'POST' });
    assert(r.ok, `inject failed: ${r.status}`);
    await waitFor('the api node’s message', async () =>
      (await sim.admin.channelMessages(channel.id)).find((m) => m.text === 'sent by the api node'),
    );
  });

  await check('a slash command to the bot -> bot_notification -> the chatbot send node answers', async () => {
    await sim.admin.slashCommand({ as: poster.email, command: 'ping acceptance', channel: channel.id });
    await waitFor('the bot reply', async () => {
      const msgs = await sim.admin.botMessages();
      return msgs.find((m) => JSON.stringify(m).includes('bot heard: ping acceptance'));
    });
  });

  await check(
    'a card from the send node’s card builder arrives at the simulator as the JSON Zoom expects',
    async () => {
      const r = await api('/inject/cardInj', { method: 'POST' });
      assert(r.ok, `inject failed: ${r.status}`);
      const stored = await waitFor('the card', async () =>
        (await sim.admin.botMessages()).find((m) => m.content?.head?.text === DEPLOY_CARD.parts.title),
      );
      const expected = DEPLOY_CARD.zoom;
      assert(
        JSON.stringify(stored.content) === JSON.stringify(expected),
        `stored content ${JSON.stringify(stored.content)}`,
      );
      assert(
        stored.toJid === channel.jid && stored.robotJid === sc.chatbot.botJid,
        'card not sent by the bot to the channel',
      );
      // A click on the built button reports its value, as the bot's flow will read it.
      const click = await sim.admin.click({ as: poster.email, messageId: String(stored.id), value: 'reject' });
      assert(click.actionItem?.value === 'reject', `click reported ${JSON.stringify(click.actionItem)}`);
    },
  );

  await check('a bad card is refused before sending, the error naming the part (Catch sees it)', async () => {
    const before = (await sim.admin.botMessages()).length;
    const r = await api('/inject/badCardInj', { method: 'POST' });
    assert(r.ok, `inject failed: ${r.status}`);
    await waitFor('the refusal in the log', async () => nr.log.some((l) => l.includes(BAD_CARD)));
    await sleep(300);
    const after = (await sim.admin.botMessages()).length;
    assert(after === before, `the bad card was sent (${before} -> ${after} bot messages)`);
  });

  await check(
    'a redeploy moving the trigger to another path removes the old route and serves the new one',
    async () => {
      const moved = flows.map((n) => (n.id === 'trig' ? { ...n, path: '/zoom/moved' } : n));
      await nr.deploy(moved, credentials);
      const body = JSON.stringify({
        event: 'endpoint.url_validation',
        event_ts: Date.now(),
        payload: { plainToken: 'moved' },
      });
      const headers = {
        'content-type': 'application/json',
        ...signWebhook({ secret: sc.webhookSecretToken, rawBody: body }),
      };
      const old = await fetch(endpoint, { method: 'POST', headers, body });
      assert(old.status === 404, `old path still answers ${old.status}`);
      const now = await fetch(`${nr.base}/zoom/moved`, { method: 'POST', headers, body });
      assert(now.status === 200 && (await now.json()).plainToken === 'moved', `new path answered ${now.status}`);
      const bot = await fetch(`${nr.base}/zoom/bot`, { method: 'POST', headers, body });
      assert(bot.status === 200, `the other trigger's route was removed too (${bot.status})`);
    },
  );

  await check('no secret appears in the Node-RED log', async () => {
    const log = nr.log.join('\n');
    for (const s of secrets) assert(!log.includes(s), 'a secret is in the log');
    // The bad card's refusal is the one error this suite causes on purpose.
    const errors = nr.log.filter((l) => /\[error\]/.test(l) && !l.includes(BAD_CARD));
    assert(errors.length === 0, `errors in the log:\n${errors.join('\n')}`);
  });
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  if (results.some((r) => !r.ok) && nr) console.log(`--- Node-RED log ---\n${nr.log.slice(-80).join('\n')}`);
  await nr?.stop();
  await sim.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
// The root test command totals every suite from these files.
writeFileSync(
  path.join(root, `acceptance-results-node-red-${hostKey}.json`),
  JSON.stringify({ suite: `Node-RED ${hostKey}`, passed, failed }),
);
process.exit(failed === 0 ? 0 : 1);
