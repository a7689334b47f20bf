// Acceptance of the zoom ask node (human in the loop) in a real Node-RED (4.1.8 on this Node by
// default; `--host 5.0` for Node-RED 5.0.7 on Node 22) against the Zoom simulator, with the
// npm-pack tarball installed the palette's way and a file context store in settings.js:
//  - the shipped example examples/use-cases/deployment-approval.json (Server-to-Server account):
//    a deploy request over HTTP asks #general, a thread reply approves it, the flow deploys; a
//    request nobody answers times out;
//  - a Chatbot account: a card with buttons, a click answers it and the card is closed; a forged
//    click is refused by the trigger; a late click is told the question is closed;
//  - a question asked before Node-RED stops is answered after it starts again (file store);
//  - every response type (a card's buttons, a thread reply naming an option, a free-text thread
//    reply) asked in a channel and in a direct message, from one flow: the answer (value, who,
//    when) goes on, the question shows the outcome, a timeout leaves by output 2, a second answer
//    and a forged one (bad signature) change nothing, and only the allowed people can answer.
// Ends with "N passed, N failed"; writes acceptance-results-ask-<host>.json; exit 1 on failure.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import { waitFor as pollUntil } from '@zoom-team-chat/testkit/wait-for';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const { startSimulator } = require('@zoom-team-chat/simulator');
const { signWebhook } = require('@zoom-team-chat/core');
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const started = Date.now();
/** The example's timeout (30 minutes) shortened so that the timed-out path is seen: 6 s. */
const EXAMPLE_TIMEOUT_MIN = 0.1;
/** The timeout of the matrix's timed-out questions: 3 s, run out while the others are answered. */
const MATRIX_TIMEOUT_MIN = 0.05;

const results = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail: typeof detail === 'string' ? detail : '' });
    console.log(`PASS ${name}${typeof detail === 'string' ? `\n       ${detail}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const waitFor = (what, fn, ms = 15_000) => pollUntil(what, fn, ms, 100);

const host = installHost(tools, hostKey);
console.log(`Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}`);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const userDir = makeUserDir(tools, {
  port,
  credentialSecret: 'ask-acceptance-secret',
  install: [tarball],
  nodeBin: host.nodeBin,
});
// A persistent store for the nodes that choose it (the chatbot question here); the default stays memory.
appendFileSync(
  path.join(userDir, 'settings.js'),
  "module.exports.contextStorage = { default: { module: 'memory' }, file: { module: 'localfilesystem' } };\n",
);
const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
let nr;
try {
  nr = await startNodeRed({ ...host, userDir, port });
  const users = await sim.admin.users();
  const person = (prefix) => users.find((u) => u.email.startsWith(prefix));
  const owner = users.find((u) => u.role === 'owner');
  const [casey, devon] = [person('casey.'), person('devon.')];
  const general = (await sim.admin.channels()).find((c) => c.name === 'general');
  assert(owner && casey && devon && general, 'the simulator seed lacks its owner, Casey, Devon or #general');
  const sc = sim.credentials;
  const simUrls = { apiUrl: sim.urls.api, fileUrl: sim.urls.file, oauthUrl: sim.urls.oauth };

  // The shipped example, pointed at the simulator: its tab variable names #general.
  const example = JSON.parse(
    readFileSync(path.join(root, 'examples', 'use-cases', 'deployment-approval.json'), 'utf8'),
  );
  for (const n of example) {
    if (n.type === 'tab') for (const e of n.env ?? []) if (e.name === 'APPROVAL_CHANNEL') e.value = general.id;
    if (n.type === 'zoom-team-chat-account') Object.assign(n, simUrls, { userId: owner.email });
    if (n.type === 'zoom-team-chat-ask') n.timeout = EXAMPLE_TIMEOUT_MIN;
  }
  const exampleAccount = example.find((n) => n.type === 'zoom-team-chat-account');
  const exampleTrigger = example.find((n) => n.type === 'zoom-team-chat-trigger');

  // A chatbot question: POST /ask-bot asks, every outcome is recorded (GET /ask-results).
  const record = (port) =>
    `const all = global.get('askResults') || [];\nall.push({ port: '${port}', payload: msg.payload, ticket: msg.ticket, zoom: { answer: msg.zoom.answer, question: msg.zoom.question, timedOut: msg.zoom.timedOut } });\nglobal.set('askResults', all);\nreturn null;`;
  const botFlow = [
    { id: 'tabBot', type: 'tab', label: 'ask with a chatbot' },
    {
      id: 'bot',
      type: 'zoom-team-chat-account',
      name: 'sim bot',
      authKind: 'chatbot',
      userId: '',
      botJid: sc.chatbot.botJid,
      plan: 'pro',
      ...simUrls,
    },
    {
      id: 'trigBot',
      type: 'zoom-team-chat-trigger',
      z: 'tabBot',
      account: 'bot',
      path: '/zoom/ask-bot',
      events: 'bot_notification',
      ignoreOwn: true,
      dedupe: true,
      wires: [[]],
    },
    { id: 'askIn', type: 'http in', z: 'tabBot', url: '/ask-bot', method: 'post', wires: [['askAck', 'askPrep']] },
    {
      id: 'askPrep',
      type: 'change',
      z: 'tabBot',
      rules: [
        { t: 'set', p: 'ticket', pt: 'msg', to: 'payload.ticket', tot: 'msg' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'payload.question', tot: 'msg' },
      ],
      wires: [['askBot']],
    },
    {
      id: 'askAck',
      type: 'change',
      z: 'tabBot',
      rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '202', tot: 'num' }],
      wires: [['askResp']],
    },
    { id: 'askResp', type: 'http response', z: 'tabBot', wires: [] },
    {
      id: 'askBot',
      type: 'zoom-team-chat-ask',
      z: 'tabBot',
      account: 'bot',
      title: 'Access request',
      question: '',
      buttons: [
        { label: 'Approve', value: 'approve', style: 'Primary' },
        { label: 'Decline', value: 'decline', style: 'Danger' },
      ],
      toJid: general.jid,
      userJid: owner.jid,
      timeout: 0,
      allowed: '',
      store: 'file',
      wires: [['recAnswered'], ['recTimedOut']],
    },
    { id: 'recAnswered', type: 'function', z: 'tabBot', func: record('answered'), outputs: 1, wires: [[]] },
    { id: 'recTimedOut', type: 'function', z: 'tabBot', func: record('timed out'), outputs: 1, wires: [[]] },
    { id: 'resIn', type: 'http in', z: 'tabBot', url: '/ask-results', method: 'get', wires: [['resGet']] },
    {
      id: 'resGet',
      type: 'function',
      z: 'tabBot',
      func: "msg.payload = global.get('askResults') || [];\nreturn msg;",
      outputs: 1,
      wires: [['resOut']],
    },
    { id: 'resOut', type: 'http response', z: 'tabBot', wires: [] },
  ];
  // Every response type, in a channel and in a DM: POST /ask says which node asks (`type`) where
  // (msg.channel / msg.contact, or msg.toJid / msg.userJid for the bot), for how long and whom it
  // allows; every outcome is recorded with its `case` (GET /matrix-results).
  const recordCase = (port) =>
    `const all = global.get('matrix') || [];\nall.push({ case: msg.case, port: '${port}', payload: msg.payload, zoom: { answer: msg.zoom.answer, question: msg.zoom.question, timedOut: msg.zoom.timedOut } });\nglobal.set('matrix', all);\nreturn null;`;
  const matrixAsk = (id, more) => ({
    id,
    type: 'zoom-team-chat-ask',
    z: 'tabMatrix',
    title: '',
    question: '',
    freeText: false,
    channel: '',
    contact: '',
    toJid: '',
    userJid: '',
    timeout: '',
    allowed: '',
    store: '',
    wires: [['mxAnswered'], ['mxTimedOut']],
    ...more,
  });
  const matrixFlow = [
    { id: 'tabMatrix', type: 'tab', label: 'ask: every response type, channel and DM' },
    {
      id: 'user',
      type: 'zoom-team-chat-account',
      name: 'sim user',
      authKind: 'account',
      userId: owner.email,
      botJid: '',
      plan: 'pro',
      ...simUrls,
    },
    {
      id: 'trigUser',
      type: 'zoom-team-chat-trigger',
      z: 'tabMatrix',
      account: 'user',
      delivery: 'webhook',
      path: '/zoom/ask-user',
      events: 'team_chat.channel_message_posted,team_chat.dm_message_posted',
      ignoreOwn: true,
      dedupe: true,
      wires: [[]],
    },
    { id: 'mxIn', type: 'http in', z: 'tabMatrix', url: '/ask', method: 'post', wires: [['mxAck', 'mxRoute']] },
    {
      id: 'mxAck',
      type: 'change',
      z: 'tabMatrix',
      rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '202', tot: 'num' }],
      wires: [['mxResp']],
    },
    { id: 'mxResp', type: 'http response', z: 'tabMatrix', wires: [] },
    {
      id: 'mxRoute',
      type: 'function',
      z: 'tabMatrix',
      func: "const q = msg.payload;\nmsg.case = q.case;\nmsg.payload = q.question;\nfor (const k of ['channel', 'contact', 'toJid', 'userJid', 'timeout', 'allowed']) if (q[k] !== undefined) msg[k] = q[k];\nreturn [q.type === 'options' ? msg : null, q.type === 'free' ? msg : null, q.type === 'bot' ? msg : null];",
      outputs: 3,
      wires: [['mxOptions'], ['mxFree'], ['mxBot']],
    },
    matrixAsk('mxOptions', {
      account: 'user',
      title: 'Approval',
      buttons: [
        { label: 'Approve', value: 'approve', style: 'Primary' },
        { label: 'Decline', value: 'decline', style: 'Danger' },
      ],
    }),
    matrixAsk('mxFree', { account: 'user', buttons: [], freeText: true }),
    matrixAsk('mxBot', {
      account: 'bot',
      title: 'Approval',
      buttons: [
        { label: 'Approve', value: 'approve', style: 'Primary' },
        { label: 'Decline', value: 'decline', style: 'Danger' },
      ],
    }),
    { id: 'mxAnswered', type: 'function', z: 'tabMatrix', func: recordCase('answered'), outputs: 1, wires: [[]] },
    { id: 'mxTimedOut', type: 'function', z: 'tabMatrix', func: recordCase('timed out'), outputs: 1, wires: [[]] },
    { id: 'mxResIn', type: 'http in', z: 'tabMatrix', url: '/matrix-results', method: 'get', wires: [['mxResGet']] },
    {
      id: 'mxResGet',
      type: 'function',
      z: 'tabMatrix',
      func: "msg.payload = global.get('matrix') || [];\nreturn msg;",
      outputs: 1,
      wires: [['mxResp']],
    },
  ];
  const credentials = {
    user: {
      clientId: sc.clientId,
      clientSecret: sc.clientSecret,
      accountId: sc.accountId,
      webhookSecretToken: sc.webhookSecretToken,
    },
    [exampleAccount.id]: {
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

  const api = (p, init) => fetch(`${nr.base}${p}`, init);
  const post = (p, body) =>
    api(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const askResults = async () => (await api('/ask-results')).json();
  const thread = async (id) => (await sim.admin.channelMessages(general.id)).filter((m) => m.replyTo === id);
  const cardsNow = async () => new Set((await sim.admin.botMessages()).map((m) => m.id));
  const newCard = (before) =>
    waitFor('the question card', async () =>
      (await sim.admin.botMessages()).find(
        (m) => !before.has(m.id) && m.content?.body?.some((b) => b.type === 'actions'),
      ),
    );
  const buttonsOf = (card) => card.content.body.find((b) => b.type === 'actions').items;
  const closedCard = (id) =>
    waitFor('the card without buttons', async () => {
      const m = (await sim.admin.botMessages()).find((x) => x.id === id);
      return m && !m.content.body.some((b) => b.type === 'actions') ? m : undefined;
    });
  /** An interactive_message_actions delivery as Zoom would sign it (or not). */
  const clickBody = (card, value, who, toJid = general.jid) =>
    JSON.stringify({
      event: 'interactive_message_actions',
      event_ts: Date.now(),
      payload: {
        accountId: sc.chatbot.accountId,
        robotJid: sc.chatbot.botJid,
        toJid,
        channelName: toJid === general.jid ? general.name : who.display_name,
        messageId: card.id,
        actionItem: { text: 'Approve', value },
        userId: who.id,
        userJid: who.jid,
        userName: who.display_name,
        timestamp: Date.now(),
        original: card.content,
      },
    });
  const postClick = (body, secret) =>
    api('/zoom/ask-bot', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook({ secret, rawBody: body }) },
      body,
    });

  await check(
    'the node is installed from the tarball, with its help and catalogue; the flows deploy through the Admin API',
    async () => {
      const sets = (await (await api('/nodes', { headers: { accept: 'application/json' } })).json()).filter((s) =>
        s.types.includes('zoom-team-chat-ask'),
      );
      assert(
        sets.length === 1 && sets[0].enabled && !sets[0].err,
        `zoom-team-chat-ask not registered: ${JSON.stringify(sets)}`,
      );
      const html = await (await api('/nodes', { headers: { accept: 'text/html' } })).text();
      assert(
        html.includes('data-help-name="zoom-team-chat-ask"') && html.includes("paletteLabel: 'zoom ask'"),
        'no help or palette label for zoom ask',
      );
      const catalogue = await (await api(`/locales/${sets[0].id}?lng=en-US`)).json();
      assert(catalogue['zoom-team-chat-ask']?.output?.answered === 'answered', 'no en-US catalogue for zoom ask');
      await nr.deploy([...example, ...botFlow, ...matrixFlow], credentials);
      await sim.admin.subscribe({
        url: `${nr.base}${exampleTrigger.path}`,
        events: ['team_chat.channel_message_posted'],
        secretToken: sc.webhookSecretToken,
      });
      await sim.admin.subscribe({
        url: `${nr.base}/zoom/ask-bot`,
        events: ['interactive_message_actions'],
        secretToken: sc.webhookSecretToken,
        kind: 'chatbot',
        botJid: sc.chatbot.botJid,
      });
      await sim.admin.subscribe({
        url: `${nr.base}/zoom/ask-user`,
        events: ['team_chat.channel_message_posted', 'team_chat.dm_message_posted'],
        secretToken: sc.webhookSecretToken,
      });
      return `deployed ${example.length} nodes of examples/use-cases/deployment-approval.json, ${botFlow.length} chatbot nodes and ${matrixFlow.length} nodes asking in every way; the three triggers subscribed`;
    },
  );

  console.log('\n-- The example: deployment approval (Server-to-Server account, answers in the thread)');
  let approvedQuestion;
  await check(
    'POST /deploy-requests is answered 202 and the question is posted in #general, asking for a reply in its thread',
    async () => {
      const r = await post('/deploy-requests', { service: 'shop', version: '2.4.0', requestedBy: 'ci@example.com' });
      assert(r.status === 202, `answered ${r.status}`);
      approvedQuestion = await waitFor('the question', async () =>
        (await sim.admin.channelMessages(general.id)).find(
          (m) => m.text.includes('Deploy shop 2.4.0 to production?') && !m.replyTo,
        ),
      );
      assert(approvedQuestion.senderId === owner.id, 'not sent as the app user');
      assert(approvedQuestion.text.includes('Reply in this thread: Approve / Decline'), approvedQuestion.text);
      return approvedQuestion.text.split('\n').join(' | ');
    },
  );
  await check(
    'a reply "approve" in the thread answers it: the flow deploys (its message in the thread) and the outcome is posted',
    async () => {
      await sim.admin.reply({ as: casey.email, channel: general.id, replyTo: approvedQuestion.id, text: 'approve' });
      const deploying = await waitFor('the deploying message', async () =>
        (await thread(approvedQuestion.id)).find((m) => m.text.startsWith('🚀 Deploying shop 2.4.0')),
      );
      assert(deploying.text.includes(casey.email), deploying.text);
      const outcome = await waitFor('the outcome', async () =>
        (await thread(approvedQuestion.id)).find((m) => m.text.startsWith('✅ Approve — by')),
      );
      return `${deploying.text} / ${outcome.text}`;
    },
  );
  await check(
    'a late "decline" in the closed thread changes nothing and is told, once, that the question is closed',
    async () => {
      await sim.admin.reply({ as: devon.email, channel: general.id, replyTo: approvedQuestion.id, text: 'decline' });
      await sim.admin.reply({ as: devon.email, channel: general.id, replyTo: approvedQuestion.id, text: 'decline!' });
      await sim.admin.settleWebhooks();
      await sleep(800);
      const replies = await thread(approvedQuestion.id);
      const notices = replies.filter((m) => m.text.startsWith('This question is closed.'));
      assert(notices.length === 1, `${notices.length} closed notices`);
      assert(replies.filter((m) => m.text.startsWith('🚀')).length === 1, 'deployed twice');
      return notices[0].text;
    },
  );
  await check(
    `a request nobody answers times out (${EXAMPLE_TIMEOUT_MIN * 60} s here): the thread says so and nothing is deployed`,
    async () => {
      const r = await post('/deploy-requests', { service: 'billing', version: '7.1.0', requestedBy: 'ci@example.com' });
      assert(r.status === 202, `answered ${r.status}`);
      const q = await waitFor('the question', async () =>
        (await sim.admin.channelMessages(general.id)).find(
          (m) => m.text.includes('Deploy billing 7.1.0') && !m.replyTo,
        ),
      );
      const line = await waitFor(
        'the timeout in the thread',
        async () => (await thread(q.id)).find((m) => m.text.startsWith('⌛ No answer by')),
        20_000,
      );
      assert(!(await thread(q.id)).some((m) => m.text.startsWith('🚀')), 'deployed without an answer');
      return line.text;
    },
  );

  console.log('\n-- A Chatbot account: a card with buttons');
  let firstCard;
  let firstValue;
  await check(
    'the card is posted to #general with Approve / Decline buttons whose values carry the question token',
    async () => {
      const before = await cardsNow();
      const r = await post('/ask-bot', { question: 'Give Devon access to the billing dashboard?', ticket: 'ACC-1' });
      assert(r.status === 202, `answered ${r.status}`);
      firstCard = await newCard(before);
      const buttons = buttonsOf(firstCard);
      assert(
        buttons.map((b) => `${b.text}/${b.style}`).join(',') === 'Approve/Primary,Decline/Danger',
        JSON.stringify(buttons),
      );
      assert(
        buttons.every((b) => /^[0-9a-f]{16}:(approve|decline)$/.test(b.value)),
        JSON.stringify(buttons),
      );
      firstValue = buttons[0].value;
      return `${firstCard.content.head.text}: ${firstCard.content.body[0].text} [${buttons.map((b) => b.value).join(', ')}]`;
    },
  );
  await check('a forged click (wrong signature) is refused with 401 and changes nothing', async () => {
    const r = await postClick(clickBody(firstCard, firstValue, devon), 'not-the-secret');
    assert(r.status === 401, `answered ${r.status}`);
    await sleep(500);
    assert((await askResults()).length === 0, 'something left the node');
    const card = (await sim.admin.botMessages()).find((m) => m.id === firstCard.id);
    assert(
      card.content.body.some((b) => b.type === 'actions'),
      'the card was changed',
    );
  });
  await check('Casey clicks Decline: output 1 with the plain value and who clicked; the card is closed', async () => {
    await sim.admin.click({ as: casey.email, messageId: firstCard.id, text: 'Decline' });
    const [res] = await waitFor('the answer', async () => {
      const all = await askResults();
      return all.length > 0 ? all : undefined;
    });
    assert(res.port === 'answered' && res.payload === 'decline' && res.ticket === 'ACC-1', JSON.stringify(res));
    assert(
      res.zoom.answer.via === 'button' &&
        res.zoom.answer.userId === casey.id &&
        res.zoom.answer.userName === casey.display_name,
      JSON.stringify(res.zoom.answer),
    );
    const card = await closedCard(firstCard.id);
    return `${JSON.stringify(res.zoom.answer)}; card now: ${card.content.body.map((b) => b.text).join(' | ')}`;
  });
  await check(
    'a late click (a stale client, signed by Zoom) changes nothing; only the clicker is told the question is closed',
    async () => {
      const before = await cardsNow();
      const r = await postClick(clickBody(firstCard, firstValue, devon), sc.webhookSecretToken);
      assert(r.status === 200, `answered ${r.status}`);
      const notice = await waitFor('the notice', async () =>
        (await sim.admin.botMessages()).find((m) => !before.has(m.id)),
      );
      assert(
        notice.visibleToUser === devon.jid &&
          notice.content.body[0].text.startsWith('This question is closed. ❌ Decline'),
        JSON.stringify(notice),
      );
      assert((await askResults()).length === 1, 'a second answer left the node');
      return notice.content.body[0].text;
    },
  );

  console.log('\n-- Every response type, in a channel and in a direct message (one flow, POST /ask)');
  const matrixResults = async () => (await api('/matrix-results')).json();
  const outcomesOf = async (c) => (await matrixResults()).filter((r) => r.case === c);
  const oneOutcome = (c, ms) =>
    waitFor(
      `the outcome of ${c}`,
      async () => {
        const all = await outcomesOf(c);
        return all.length > 0 ? all : undefined;
      },
      ms,
    );
  const dmOf = (who) => sim.admin.directMessages(owner.email, who.email);
  const messagesIn = (where) => (where === general ? sim.admin.channelMessages(general.id) : dmOf(where));
  const repliesTo = async (where, q) => (await messagesIn(where)).filter((m) => m.replyTo === q.id);
  const replyLine = (where, q, prefix, ms) =>
    waitFor(
      `"${prefix}…" in the thread`,
      async () => (await repliesTo(where, q)).find((m) => m.text.startsWith(prefix)),
      ms,
    );
  const answerAs = (who, where, q, text) =>
    sim.admin.reply({
      as: who.email,
      ...(where === general ? { channel: general.id } : { to: owner.email }),
      replyTo: q.id,
      text,
    });
  const cardText = (card) =>
    [
      card.content.head?.sub_head?.text,
      ...card.content.body.map((b) => b.text ?? b.items?.map((i) => i.text).join('/')),
    ]
      .filter((t) => t !== undefined)
      .join(' | ');
  const cardNow = async (id) => (await sim.admin.botMessages()).find((m) => m.id === id);
  const answeredRecently = (answer) => {
    const at = Date.parse(answer.respondedAt);
    return Number.isFinite(at) && Math.abs(Date.now() - at) < 120_000;
  };
  /** The event Zoom sends for a reply in a DM thread, for forging (so a bad signature is the only flaw). */
  const dmReplyBody = (q, who, text) =>
    JSON.stringify({
      event: 'team_chat.dm_message_posted',
      event_ts: Date.now(),
      payload: {
        account_id: sc.accountId,
        operator: who.email,
        operator_id: who.id,
        operator_member_id: who.member_id,
        by_external_user: false,
        object: {
          message_id: `forged-${Date.now()}`,
          reply_main_message_id: q.id,
          session_id: who.id,
          date_time: new Date().toISOString(),
          timestamp: Date.now(),
          contact_email: owner.email,
          contact_id: owner.id,
          contact_member_id: owner.member_id,
          message: text,
        },
      },
    });
  const postUserEvent = (body, secret) =>
    api('/zoom/ask-user', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? signWebhook({ secret, rawBody: body }) : {}) },
      body,
    });
  const dmJid = (who) => `${who.jid}/robot_${sc.chatbot.botJid}`;
  const timeout = MATRIX_TIMEOUT_MIN;
  const cases = {
    optChan: {
      type: 'options',
      where: general,
      question: 'Grant Devon admin rights on the wiki?',
      allowed: [casey.email],
    },
    optDm: { type: 'options', where: casey, question: 'Approve the refund for order 1042?' },
    optDmLate: { type: 'options', where: devon, question: 'Approve the expense report for March?', timeout },
    freeChan: { type: 'free', where: general, question: 'Which version goes out tonight?', allowed: devon.email },
    freeChanLate: { type: 'free', where: general, question: 'Who takes the on-call shift on Friday?', timeout },
    freeDm: { type: 'free', where: devon, question: 'What should the next release be called?' },
    freeDmLate: { type: 'free', where: casey, question: 'Which room for the retro?', timeout },
    botChan: { type: 'bot', where: general, question: 'Restart the staging cluster?', allowed: [devon.id] },
    botChanLate: { type: 'bot', where: general, question: 'Rotate the API keys now?', timeout },
    botDm: { type: 'bot', where: casey, question: 'Give Casey access to the billing dashboard?' },
    botDmLate: { type: 'bot', where: devon, question: "Extend Devon's trial licence?", timeout },
  };
  const asked = {};
  await check(
    `11 questions from one flow: buttons, options in the thread and free text, each in #general and in a DM; 5 of them with a ${timeout * 60} s timeout`,
    async () => {
      for (const [c, q] of Object.entries(cases)) {
        const where =
          q.type === 'bot'
            ? q.where === general
              ? { toJid: general.jid, userJid: owner.jid }
              : { toJid: q.where.jid, userJid: q.where.jid }
            : q.where === general
              ? { channel: general.id }
              : { contact: q.where.email };
        const r = await post('/ask', {
          case: c,
          type: q.type,
          question: q.question,
          timeout: q.timeout ?? 0,
          ...(q.allowed !== undefined ? { allowed: q.allowed } : {}),
          ...where,
        });
        assert(r.status === 202, `${c}: answered ${r.status}`);
      }
      for (const [c, q] of Object.entries(cases)) {
        asked[c] =
          q.type === 'bot'
            ? await waitFor(`the card of ${c}`, async () =>
                (await sim.admin.botMessages()).find((m) => m.content?.body?.[0]?.text === q.question),
              )
            : await waitFor(`the question of ${c}`, async () =>
                (await messagesIn(q.where)).find((m) => !m.replyTo && m.text.includes(q.question)),
              );
        const shown = q.type === 'bot' ? cardText(asked[c]) : asked[c].text;
        if (q.type === 'bot') {
          const dest = q.where === general ? general.jid : q.where.jid;
          assert(asked[c].toJid === dest, `${c}: the card went to ${asked[c].toJid}, not ${dest}`);
          assert(shown.includes('Approve/Decline'), `${c}: ${shown}`);
        } else {
          assert(asked[c].senderId === owner.id, `${c}: not sent as the app user`);
          if (q.where !== general) assert(asked[c].toUserId === q.where.id, `${c}: not a DM to ${q.where.email}`);
          const how =
            q.type === 'free' ? 'Reply in this thread with your answer.' : 'Reply in this thread: Approve / Decline';
          assert(shown.includes(how), `${c}: ${shown}`);
        }
        assert(q.timeout === undefined || shown.includes('Answer by'), `${c} names no deadline: ${shown}`);
      }
      return Object.entries(asked)
        .map(([c, m]) => `${c}: ${cases[c].type === 'bot' ? cardText(m) : m.text.split('\n').join(' | ')}`)
        .join('\n       ');
    },
  );

  await check(
    'buttons in a DM with the bot: a forged click (bad signature) is refused; the click answers with value, user and time; the card shows the outcome; a second click changes nothing',
    async () => {
      const card = asked.botDm;
      const token = buttonsOf(card).find((b) => b.text === 'Decline').value;
      const forged = await postClick(clickBody(card, token, casey, dmJid(casey)), 'not-the-secret');
      assert(forged.status === 401, `the forged click was answered ${forged.status}`);
      await sleep(300);
      assert((await outcomesOf('botDm')).length === 0, 'the forged click answered');
      assert(
        (await cardNow(card.id)).content.body.some((b) => b.type === 'actions'),
        'the forged click closed the card',
      );
      await sim.admin.click({ messageId: card.id, text: 'Approve' });
      const [res] = await oneOutcome('botDm');
      const a = res.zoom.answer;
      assert(res.port === 'answered' && res.payload === 'approve', JSON.stringify(res));
      assert(
        a.via === 'button' && a.userId === casey.id && a.userJid === casey.jid && answeredRecently(a),
        JSON.stringify(a),
      );
      assert(
        res.zoom.question.kind === 'chatbot' && res.zoom.question.toJid === casey.jid,
        JSON.stringify(res.zoom.question),
      );
      const closed = await closedCard(card.id);
      assert(cardText(closed).includes(`✅ Approve — by ${casey.display_name} at`), cardText(closed));
      const before = await cardsNow();
      const late = await postClick(clickBody(card, token, casey, dmJid(casey)), sc.webhookSecretToken);
      assert(late.status === 200, `the late click was answered ${late.status}`);
      const notice = await waitFor('the closed notice', async () =>
        (await sim.admin.botMessages()).find((m) => !before.has(m.id)),
      );
      assert(
        notice.visibleToUser === casey.jid &&
          notice.content.body[0].text.startsWith('This question is closed. ✅ Approve'),
        JSON.stringify(notice),
      );
      await sleep(300);
      assert((await outcomesOf('botDm')).length === 1, 'the second click left the node');
      return `${JSON.stringify(a)}; card: ${cardText(closed)}`;
    },
  );

  await check(
    'buttons in #general allowed to Devon only: Casey’s click is refused (only she is told), Devon’s answers',
    async () => {
      const card = asked.botChan;
      const before = await cardsNow();
      await sim.admin.click({ as: casey.email, messageId: card.id, text: 'Approve' });
      const notice = await waitFor('the refusal', async () =>
        (await sim.admin.botMessages()).find((m) => !before.has(m.id)),
      );
      assert(
        notice.visibleToUser === casey.jid &&
          notice.content.body[0].text === 'You are not one of the people who can answer this question.',
        JSON.stringify(notice),
      );
      await sleep(300);
      assert((await outcomesOf('botChan')).length === 0, 'Casey’s click answered');
      assert(
        (await cardNow(card.id)).content.body.some((b) => b.type === 'actions'),
        'Casey’s click closed the card',
      );
      await sim.admin.click({ as: devon.email, messageId: card.id, text: 'Decline' });
      const [res] = await oneOutcome('botChan');
      assert(
        res.payload === 'decline' && res.zoom.answer.userId === devon.id && answeredRecently(res.zoom.answer),
        JSON.stringify(res),
      );
      const closed = await closedCard(card.id);
      assert(cardText(closed).includes(`❌ Decline — by ${devon.display_name}`), cardText(closed));
      return `refused: ${notice.content.body[0].text}; answered: ${cardText(closed)}`;
    },
  );

  await check(
    'options in a DM thread: a forged reply (bad signature) is refused; Casey’s "Approve" answers with value, user and time; the outcome is in the thread; her second answer changes nothing',
    async () => {
      const q = asked.optDm;
      const forged = await postUserEvent(dmReplyBody(q, casey, 'decline'), 'not-the-secret');
      assert(forged.status === 401, `the forged reply was answered ${forged.status}`);
      await answerAs(casey, casey, q, 'Approve');
      const [res] = await oneOutcome('optDm');
      const a = res.zoom.answer;
      assert(res.port === 'answered' && res.payload === 'approve', `the forged reply counted? ${JSON.stringify(res)}`);
      assert(
        a.via === 'thread' && a.userEmail === casey.email && a.userId === casey.id && answeredRecently(a),
        JSON.stringify(a),
      );
      assert(
        res.zoom.question.kind === 'message' && res.zoom.question.contact === casey.email,
        JSON.stringify(res.zoom.question),
      );
      const outcome = await replyLine(casey, q, '✅ Approve — by');
      await answerAs(casey, casey, q, 'decline');
      const notice = await replyLine(casey, q, 'This question is closed. ✅ Approve');
      await sim.admin.settleWebhooks();
      await sleep(300);
      assert((await outcomesOf('optDm')).length === 1, 'the second answer left the node');
      return `${JSON.stringify(a)}; thread: ${outcome.text} / ${notice.text}`;
    },
  );

  await check(
    'options in a #general thread allowed to Casey only: Devon’s "approve" is refused in the thread, Casey’s "decline, not today" answers',
    async () => {
      const q = asked.optChan;
      await answerAs(devon, general, q, 'approve');
      const refused = await replyLine(general, q, `${devon.email}: you are not one of the people`);
      await sleep(300);
      assert((await outcomesOf('optChan')).length === 0, 'Devon’s reply answered');
      await answerAs(casey, general, q, 'Decline, not today');
      const [res] = await oneOutcome('optChan');
      assert(
        res.payload === 'decline' &&
          res.zoom.answer.userEmail === casey.email &&
          res.zoom.answer.text === 'Decline, not today',
        JSON.stringify(res),
      );
      const outcome = await replyLine(general, q, `❌ Decline — by ${casey.email}`);
      return `${refused.text} / ${outcome.text}`;
    },
  );

  await check(
    'free text in a #general thread allowed to Devon only: Casey is refused, Devon’s words are the answer; a second answer changes nothing',
    async () => {
      const q = asked.freeChan;
      await answerAs(casey, general, q, '2.4.0');
      await replyLine(general, q, `${casey.email}: you are not one of the people`);
      await sleep(300);
      assert((await outcomesOf('freeChan')).length === 0, 'Casey’s reply answered');
      await answerAs(devon, general, q, '2.4.1 with the login hotfix');
      const [res] = await oneOutcome('freeChan');
      const a = res.zoom.answer;
      assert(res.payload === '2.4.1 with the login hotfix' && a.value === res.payload, JSON.stringify(res));
      assert(a.via === 'thread' && a.userEmail === devon.email && answeredRecently(a), JSON.stringify(a));
      const outcome = await replyLine(general, q, `✅ Answered by ${devon.email} at`);
      assert(outcome.text.endsWith(': 2.4.1 with the login hotfix'), outcome.text);
      await answerAs(casey, general, q, '2.5.0 instead');
      const notice = await replyLine(general, q, 'This question is closed. ✅ Answered by');
      await sim.admin.settleWebhooks();
      await sleep(300);
      assert((await outcomesOf('freeChan')).length === 1, 'the second answer left the node');
      return `${outcome.text} / ${notice.text}`;
    },
  );

  await check(
    'free text in a DM thread: forged replies (bad or no signature) are refused; Devon’s words answer; his second answer changes nothing',
    async () => {
      const q = asked.freeDm;
      for (const secret of ['not-the-secret', undefined]) {
        const forged = await postUserEvent(dmReplyBody(q, devon, 'Forged name'), secret);
        assert(forged.status === 401, `a forged reply was answered ${forged.status}`);
      }
      await answerAs(devon, devon, q, 'Aurora');
      const [res] = await oneOutcome('freeDm');
      const a = res.zoom.answer;
      assert(res.payload === 'Aurora' && a.userEmail === devon.email && answeredRecently(a), JSON.stringify(res));
      assert(res.zoom.question.contact === devon.email, JSON.stringify(res.zoom.question));
      const outcome = await replyLine(devon, q, `✅ Answered by ${devon.email} at`);
      await answerAs(devon, devon, q, 'Borealis');
      const notice = await replyLine(devon, q, 'This question is closed.');
      await sim.admin.settleWebhooks();
      await sleep(300);
      const all = await outcomesOf('freeDm');
      assert(all.length === 1 && all[0].payload === 'Aurora', JSON.stringify(all));
      return `${outcome.text} / ${notice.text}`;
    },
  );

  await check(
    `timeouts: the 5 questions nobody answered leave by output 2 (payload unchanged); each says so (card or thread); a late answer changes nothing`,
    async () => {
      const late = Object.keys(cases).filter((c) => cases[c].timeout !== undefined);
      const lines = [];
      for (const c of late) {
        const [res] = await oneOutcome(c, 20_000);
        assert(
          res.port === 'timed out' &&
            res.zoom.timedOut === true &&
            res.payload === cases[c].question &&
            !res.zoom.answer,
          `${c}: ${JSON.stringify(res)}`,
        );
        if (cases[c].type === 'bot') {
          const card = await closedCard(asked[c].id);
          assert(cardText(card).includes('⌛ No answer by'), `${c}: ${cardText(card)}`);
          lines.push(`${c}: ${cardText(card)}`);
        } else {
          const line = await replyLine(cases[c].where, asked[c], '⌛ No answer by');
          lines.push(`${c}: ${line.text}`);
        }
      }
      await answerAs(casey, casey, asked.freeDmLate, 'Room 4');
      await replyLine(casey, asked.freeDmLate, 'This question is closed. ⌛');
      const before = await cardsNow();
      const token = buttonsOf(asked.botDmLate)[0].value;
      await postClick(clickBody(asked.botDmLate, token, devon, dmJid(devon)), sc.webhookSecretToken);
      await waitFor('the closed notice to Devon', async () =>
        (await sim.admin.botMessages()).find(
          (m) =>
            !before.has(m.id) &&
            m.visibleToUser === devon.jid &&
            m.content.body[0].text.startsWith('This question is closed. ⌛'),
        ),
      );
      await sim.admin.settleWebhooks();
      await sleep(300);
      for (const c of late) assert((await outcomesOf(c)).length === 1, `${c} left the node twice`);
      return lines.join('\n       ');
    },
  );

  console.log('\n-- Restart: the open question is kept in the file context store');
  let secondCard;
  await check(
    'a question asked, then Node-RED stops and starts again: a click answers it from the stored message',
    async () => {
      const before = await cardsNow();
      await post('/ask-bot', { question: 'Reboot the build server tonight?', ticket: 'OPS-2' });
      secondCard = await newCard(before);
      await sleep(300);
      await nr.stop();
      nr = await startNodeRed({ ...host, userDir, port });
      await waitFor('the flows to start', async () => nr.log.some((l) => l.includes('[info] Started flows')));
      await sim.admin.click({ as: devon.email, messageId: secondCard.id, text: 'Approve' });
      const [res] = await waitFor('the answer', async () => {
        const r = await api('/ask-results');
        const all = r.ok ? await r.json() : undefined;
        return Array.isArray(all) && all.length > 0 ? all : undefined;
      });
      assert(res.port === 'answered' && res.payload === 'approve' && res.ticket === 'OPS-2', JSON.stringify(res));
      assert(res.zoom.question.messageId === secondCard.id, JSON.stringify(res.zoom.question));
      await closedCard(secondCard.id);
      return `after the restart: ${JSON.stringify(res.zoom.answer)}`;
    },
  );

  console.log('\n-- Hygiene');
  await check('no error and no secret in the Node-RED log; no secret in the exported flows', async () => {
    const log = nr.log.join('\n');
    for (const s of secrets) assert(!log.includes(s), 'a secret is in the log');
    const errors = nr.log.filter((l) => /\[error\]/.test(l));
    assert(errors.length === 0, `errors in the log:\n${errors.join('\n')}`);
    const exported = await (await api('/flows', { headers: { 'Node-RED-API-Version': 'v2' } })).text();
    for (const s of secrets) assert(!exported.includes(s), 'a secret is in GET /flows');
  });
} catch (err) {
  results.push({ name: 'setup', ok: false, detail: err instanceof Error ? err.message : String(err) });
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  if (results.some((r) => !r.ok) && nr) console.log(`--- Node-RED log ---\n${nr.log.slice(-60).join('\n')}`);
  await nr?.stop();
  await sim.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\n${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
writeFileSync(
  path.join(root, `acceptance-results-ask-${hostKey}.json`),
  JSON.stringify({ suite: `Node-RED ${hostKey} ask`, passed, failed, checks: results, at: new Date().toISOString() }),
);
process.exit(failed === 0 ? 0 : 1);
