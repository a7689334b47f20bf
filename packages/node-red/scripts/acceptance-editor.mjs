// The editor in a real browser (issue 17): headless Chromium drives a real Node-RED (4.1.8 by
// default) the way a person would, through the palette, the edit dialogs, the canvas and the
// Deploy button, against the Zoom simulator. Nothing is configured through flow JSON or the Admin
// API; the deployed flows are only read back, to check what the dialogs saved.
//  - a zoom account config node is added from the trigger's dialog (Server-to-Server credentials,
//    base URLs pointing at the simulator);
//  - the trigger gets WebSocket delivery (a subscription made in the simulator as test set-up)
//    and two events ticked in its checklist; a first Deploy starts the account;
//  - a zoom send node's channel is chosen with the channel picker (the search button lists the
//    deployed account's channels); the trigger is wired to it and to a debug node; Deploy;
//  - a user's message and then a reaction (the second event type) each reach the trigger: the
//    send node's message arrives in the picked channel each time (simulator admin API) and the
//    debug sidebar shows both topics;
//  - the card builder (issue 19): a second zoom send node gets a Chatbot account added from its
//    dialog, Send "Chatbot message", Format "Card", a title, a field and two buttons typed into
//    the editable lists; a zoom trigger on the bot (webhook, bot_notification) is wired to it;
//    Deploy; a slash command makes the bot answer with that card, stored by the simulator as the
//    JSON Zoom expects, and a click on it reports the button's value.
// Each step runs through testkit's step(): on failure a full-page screenshot and the page's
// console errors land in test-artifacts/editor/. Without Chromium (and CI unset) the suite
// records one passing check labelled SKIPPED. Ends with "N passed, N failed"; writes
// acceptance-results-editor-<host>.json; exit 1 on failure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, pageErrors, step } from '@zoom-team-chat/testkit/browser';
import { freePort, installHost, makeUserDir, packTarball, startNodeRed } from '@zoom-team-chat/testkit/nr-host';
import { waitFor as pollUntil } from '@zoom-team-chat/testkit/wait-for';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(root, '..', '..', '.tools');
const require = createRequire(import.meta.url);
const hostKey = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : '4.1';
const artifactsDir = path.join(root, 'test-artifacts', 'editor');
const resultsFile = path.join(root, `acceptance-results-editor-${hostKey}.json`);
const started = Date.now();
const EVENTS = ['team_chat.channel_message_posted', 'team_chat.channel_reaction_added'];
const REPLY = 'Seen by the flow built in the editor';

const results = [];
function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const skipped = results.some((r) => r.skipped);
  console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const suite = `Node-RED ${hostKey} editor in Chromium${skipped ? ' (SKIPPED: no Chromium)' : ''}`;
  writeFileSync(
    resultsFile,
    JSON.stringify({ suite, passed, failed, ...(skipped ? { skipped: true } : {}), checks: results }),
  );
  process.exit(failed === 0 ? 0 : 1);
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const waitFor = (what, fn, ms = 15_000) => pollUntil(what, fn, ms, 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// run-acceptance.mjs prints this heading for the other suites; this one runs on one host only.
console.log(`\n=== acceptance-editor.mjs on Node-RED ${hostKey}`);
const browser = await launchBrowser({ artifactsDir }).catch((err) => {
  // CI=true without Chromium, or a Chromium that does not start: one clear failure, counted.
  const name = 'Chromium starts for the editor suite';
  results.push({ name, ok: false });
  console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  finish();
});
if (browser.skipped) {
  // A machine without Chromium still runs every other suite; CI=true never gets here.
  const name = `SKIPPED: the editor suite needs a browser: ${browser.skipped}`;
  results.push({ name, ok: true, skipped: true });
  console.log(`PASS ${name}`);
  finish();
}

const { startSimulator } = require('@zoom-team-chat/simulator');
const host = installHost(tools, hostKey);
console.log(
  `Node-RED ${host.version} on Node ${hostKey === '4.1' ? process.version : host.nodeBin}, edited in ${browser.browser.version()}`,
);
const packDir = mkdtempSync(path.join(os.tmpdir(), 'nr-tarball-'));
const tarball = packTarball(root, packDir, tools);
const port = await freePort();
const userDir = makeUserDir(tools, {
  port,
  credentialSecret: 'editor-acceptance-secret',
  install: [tarball],
  nodeBin: host.nodeBin,
});
const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
let nr;
let page;
let stopped = false;
let cleaning;
/** Everything this run started, stopped once (at the end, or on Ctrl-C / SIGTERM). */
function cleanup() {
  cleaning ??= (async () => {
    const stages = [
      () => browser.close(),
      () => nr?.stop(),
      () => sim.close(),
      () => rmSync(userDir, { recursive: true, force: true }),
      () => rmSync(packDir, { recursive: true, force: true }),
    ];
    // Each stage on its own: one that fails must not leave the others' processes or files behind.
    for (const stage of stages)
      await Promise.resolve()
        .then(stage)
        .catch((err) => console.log(`cleanup: ${err instanceof Error ? err.message : err}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/** One check = one user-visible step; after a failure the rest cannot mean anything, so they are not run. */
async function check(name, fn) {
  if (stopped) {
    console.log(`SKIP ${name} (an earlier step failed)`);
    return undefined;
  }
  try {
    const detail = await step(page, name, fn);
    results.push({ name, ok: true });
    console.log(`PASS ${name}${typeof detail === 'string' ? `\n       ${detail}` : ''}`);
    return detail;
  } catch (err) {
    stopped = true;
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

try {
  nr = await startNodeRed({ ...host, userDir, port });
  const users = await sim.admin.users();
  const person = (prefix) => users.find((u) => u.email.startsWith(prefix));
  const owner = users.find((u) => u.role === 'owner');
  const [casey, devon] = [person('casey.'), person('devon.')];
  const channels = await sim.admin.channels();
  const general = channels.find((c) => c.name === 'general');
  const engineering = channels.find((c) => c.name === 'engineering');
  assert(
    owner && casey && devon && general && engineering,
    'the simulator seed lacks its owner, Casey, Devon, #general or #engineering',
  );
  // Test set-up, as a Zoom admin would do it in the Marketplace: the WebSocket subscription.
  const sub = await sim.admin.createWebSocketSubscription({ events: EVENTS, name: 'editor acceptance' });
  const sc = sim.credentials;
  const sockets = async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets ?? [];

  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const chart = page.locator('#red-ui-workspace-chart');
  const nodeOnCanvas = (label) => chart.locator('g.red-ui-flow-node-group', { hasText: label });
  const trayOpen = (title) => page.locator('.red-ui-tray-titlebar', { hasText: title }).last().waitFor();
  /** "Done", then wait for the tray to slide away: until then it covers the canvas's ports. */
  async function done() {
    await page.locator('#node-dialog-ok').click();
    await page.locator('.red-ui-tray').first().waitFor({ state: 'detached' });
  }

  async function dropFromPalette(type, x, y) {
    await page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).dragTo(chart, { targetPosition: { x, y } });
  }
  /** Drags from one node's output port to another's input port, as a person draws a wire. */
  async function wire(fromLabel, toLabel) {
    const from = await nodeOnCanvas(fromLabel).locator('.red-ui-flow-port-output .red-ui-flow-port').boundingBox();
    const to = await nodeOnCanvas(toLabel).locator('.red-ui-flow-port-input .red-ui-flow-port').boundingBox();
    assert(from && to, `the ports of ${fromLabel} or ${toLabel} are not on the canvas`);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
  }
  async function deploy() {
    const before = nr.log.filter((l) => l.includes('[info] Started flows')).length;
    await page.locator('#red-ui-header-button-deploy').click();
    await page.locator('.red-ui-notification', { hasText: 'Successfully deployed' }).last().waitFor();
    await waitFor('the flows to start', () => nr.log.filter((l) => l.includes('[info] Started flows')).length > before);
    await page
      .locator('.red-ui-notification', { hasText: 'Successfully deployed' })
      .last()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
  }

  await check('the editor opens and shows the Zoom Team Chat nodes in the palette', async () => {
    await page.goto(`${nr.base}/`);
    await page.locator('.red-ui-palette-node[data-palette-type="zoom-team-chat-trigger"]').waitFor({ timeout: 60_000 });
    await page.locator('#red-ui-palette-search input').pressSequentially('zoom');
    await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor({ state: 'hidden' });
    const types = await page
      .locator('.red-ui-palette-node:visible')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-palette-type')));
    for (const t of ['zoom-team-chat-trigger', 'zoom-team-chat-send'])
      assert(types.includes(t), `${t} is not in the filtered palette (${types.join(', ')})`);
  });

  await check('drag a zoom trigger onto the canvas and open its dialog', async () => {
    await dropFromPalette('zoom-team-chat-trigger', 160, 120);
    await nodeOnCanvas('zoom trigger').dblclick();
    await trayOpen('Edit zoom trigger node');
  });

  await check(
    'add a zoom account from the trigger dialog: Server-to-Server credentials and the simulator base URLs',
    async () => {
      await page.locator('#node-input-btn-account-add').click();
      await trayOpen('Add new zoom account config node');
      await page.locator('#node-config-input-name').fill('Simulator S2S');
      await page.locator('#node-config-input-authKind').selectOption('account');
      await page.locator('#node-config-input-clientId').fill(sc.clientId);
      await page.locator('#node-config-input-clientSecret').fill(sc.clientSecret);
      await page.locator('#node-config-input-accountId').fill(sc.accountId);
      await page.locator('#node-config-input-webhookSecretToken').fill(sc.webhookSecretToken);
      await page.locator('#node-config-input-userId').fill(owner.email);
      await page.locator('#node-config-input-plan').selectOption('pro');
      await page.locator('#node-config-input-apiUrl').fill(sim.urls.api);
      await page.locator('#node-config-input-fileUrl').fill(sim.urls.file);
      await page.locator('#node-config-input-oauthUrl').fill(sim.urls.oauth);
      await page.locator('#node-config-dialog-ok').click();
      await trayOpen('Edit zoom trigger node');
      const chosen = await page.locator('#node-input-account option:checked').textContent();
      assert(chosen?.trim() === 'Simulator S2S', `the trigger's Account shows "${chosen}"`);
    },
  );

  await check(
    `choose WebSocket delivery with the simulator's subscription and tick two events (${EVENTS.join(', ')})`,
    async () => {
      await page.locator('#node-input-delivery').selectOption('websocket');
      await page.locator('#node-input-subscription').fill(sub.endpointUrl);
      // The checklist comes from the runtime (zoom-team-chat/events) after the dialog opens; each
      // event is found through the filter box, then the filter is cleared.
      const filter = page.locator('#zoom-trigger-events-filter');
      for (const event of EVENTS) {
        await filter.fill(event.split('.')[1]);
        await page
          .locator(
            `#zoom-trigger-events-list label.zoom-trigger-event-row:not(.zoom-trigger-filtered) input[value="${event}"]`,
          )
          .check();
      }
      await filter.fill('');
      const ticked = await page
        .locator('#zoom-trigger-events-list input.zoom-trigger-event:checked')
        .evaluateAll((els) => els.map((e) => e.value));
      assert(JSON.stringify(ticked.sort()) === JSON.stringify([...EVENTS].sort()), `ticked: ${ticked.join(', ')}`);
      const summary = (await page.locator('#zoom-trigger-events-summary').textContent())?.trim();
      assert(/\b2\b/.test(summary ?? ''), `the summary says "${summary}"`);
      await done();
      await nodeOnCanvas('zoom trigger (websocket)').waitFor();
      return `summary: "${summary}"`;
    },
  );

  await check(
    'first Deploy: the account starts and the trigger connects (status "connected" under the node)',
    async () => {
      await deploy();
      await nodeOnCanvas('zoom trigger (websocket)')
        .locator('.red-ui-flow-node-status-label', { hasText: 'connected' })
        .waitFor();
      await waitFor('one socket open at the simulator', async () => (await sockets()).length === 1);
    },
  );

  await check(
    'drag a zoom send node in and pick #engineering with the channel picker (lists the deployed account\u2019s channels)',
    async () => {
      await dropFromPalette('zoom-team-chat-send', 480, 120);
      await nodeOnCanvas('zoom send').dblclick();
      await trayOpen('Edit zoom send node');
      // Node-RED leaves a new node's config property on "none" even with one account defined.
      await page.locator('#node-input-account').selectOption({ label: 'Simulator S2S' });
      await page.locator('.zoom-channel-picker-button').click();
      const menu = page.locator('ul.zoom-channel-picker-menu:visible');
      await menu.locator('li', { hasText: 'engineering' }).waitFor();
      const listed = await menu.locator('li').allTextContents();
      await menu.locator('li', { hasText: 'engineering' }).click();
      const value = await page.locator('#node-input-channel').inputValue();
      assert(value === engineering.id, `Channel holds "${value}", not #engineering's ID ${engineering.id}`);
      await page.locator('#node-input-text').fill(REPLY);
      await done();
      return `Channel = ${value}, picked from: ${listed.map((l) => l.split('  (')[0]).join(', ')}`;
    },
  );

  await check(
    'drag a debug node in and wire the trigger\u2019s output to the send node and to the debug node',
    async () => {
      // The palette still shows only the Zoom nodes: search for the debug node like anyone would.
      await page.locator('#red-ui-palette-search input').fill('');
      await page.locator('#red-ui-palette-search input').pressSequentially('debug');
      await dropFromPalette('debug', 480, 240);
      await wire('zoom trigger (websocket)', 'zoom send');
      await wire('zoom trigger (websocket)', 'debug');
      await waitFor(
        'two wires on the canvas',
        async () => (await chart.locator('g.red-ui-flow-link').count()) === 2,
        5000,
      );
    },
  );

  await check('Deploy: the editor saved what was set in the dialogs (read back from the runtime)', async () => {
    await deploy();
    // Reading the deployed flows back (no configuring through the API) shows what the dialogs wrote.
    const flows = await (await fetch(`${nr.base}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } })).json();
    const byType = (t) => flows.flows.filter((n) => n.type === t);
    const [acc, trig, send, debug] = [
      'zoom-team-chat-account',
      'zoom-team-chat-trigger',
      'zoom-team-chat-send',
      'debug',
    ].map((t) => byType(t));
    assert(
      acc.length === 1 && trig.length === 1 && send.length === 1 && debug.length === 1,
      `deployed ${acc.length} account(s), ${trig.length} trigger(s), ${send.length} send and ${debug.length} debug node(s)`,
    );
    assert(
      acc[0].authKind === 'account' &&
        acc[0].apiUrl === sim.urls.api &&
        acc[0].oauthUrl === sim.urls.oauth &&
        acc[0].userId === owner.email,
      `account ${JSON.stringify(acc[0])}`,
    );
    const events = trig[0].events.split(',').map((e) => e.trim());
    assert(
      trig[0].delivery === 'websocket' && trig[0].subscription === sub.endpointUrl,
      `trigger delivery ${trig[0].delivery}, subscription ${trig[0].subscription}`,
    );
    assert(events.length === 2 && EVENTS.every((e) => events.includes(e)), `trigger events "${trig[0].events}"`);
    assert(trig[0].account === acc[0].id && send[0].account === acc[0].id, 'a node is not linked to the account');
    assert(
      trig[0].wires.length === 1 && [send[0].id, debug[0].id].every((id) => trig[0].wires[0].includes(id)),
      `trigger wires ${JSON.stringify(trig[0].wires)}`,
    );
    assert(
      send[0].channel === engineering.id && send[0].text === REPLY,
      `send node channel ${send[0].channel}, text ${send[0].text}`,
    );
    await nodeOnCanvas('zoom trigger (websocket)')
      .locator('.red-ui-flow-node-status-label', { hasText: 'connected' })
      .waitFor();
    await waitFor('one socket open at the simulator', async () => (await sockets()).length === 1);
    return `events "${trig[0].events}", channel ${send[0].channel}`;
  });

  let posted;
  await check(
    'Casey posts in #general: the event reaches the trigger and the send node\u2019s message arrives in #engineering',
    async () => {
      posted = await sim.admin.postMessage({
        as: casey.email,
        channel: general.id,
        text: 'hello from the editor test',
      });
      const replies = await waitFor('the message in #engineering', async () => {
        const found = (await sim.admin.channelMessages(engineering.id)).filter((m) => m.text === REPLY);
        return found.length > 0 ? found : undefined;
      });
      assert(replies[0].senderId === owner.id, `sent by ${replies[0].sender}, not the account's user ${owner.email}`);
      // The flow's own message is a channel_message_posted too: "Ignore own messages" must drop it.
      await sleep(1500);
      const after = (await sim.admin.channelMessages(engineering.id)).filter((m) => m.text === REPLY);
      assert(after.length === 1, `${after.length} messages in #engineering: the flow answered its own message`);
      return `message ${replies[0].id} in #engineering, sent as ${replies[0].sender}`;
    },
  );

  await check(
    'Devon reacts to it (the second ticked event): it reaches the trigger too and a second message arrives',
    async () => {
      await sim.admin.react({ as: devon.email, messageId: posted.id, emoji: '👍' });
      await waitFor(
        'a second message in #engineering',
        async () => (await sim.admin.channelMessages(engineering.id)).filter((m) => m.text === REPLY).length === 2,
      );
      const reaction = (await sim.admin.webSocketDeliveries(sub.id)).filter(
        (e) => e.event === EVENTS[1] && e.delivered,
      );
      assert(reaction.length === 1, `${reaction.length} ${EVENTS[1]} deliveries in the simulator's ledger`);
    },
  );

  await check('the debug sidebar shows both events, by topic, as the trigger emitted them', async () => {
    await page.locator('#red-ui-tab-debug-link-button').click();
    const topics = page.locator('#red-ui-sidebar-content .red-ui-debug-msg-topic');
    await waitFor('two debug messages', async () => (await topics.count()) >= 2);
    const shown = (await topics.allTextContents()).map((t) => t.trim());
    assert(shown.length === 2, `${shown.length} debug messages: ${shown.join(', ')}`);
    for (const event of EVENTS)
      assert(
        shown.some((t) => t.startsWith(event)),
        `no debug message with topic ${event} (${shown.join(', ')})`,
      );
    return shown.join(', ');
  });

  // --- The card builder of zoom send (issue 19): a bot answers a slash command with a card ---
  const CARD = {
    title: 'Deploy 2.4.1?',
    field: { label: 'Service', value: 'api · production', short: true },
    buttons: [
      { text: 'Approve', value: 'approve', style: 'Primary' },
      { text: 'Reject', value: 'reject', style: 'Danger' },
    ],
  };
  /** The editable list `listId` of the open dialog: its add button (in the wrapper Node-RED puts round the <ol>) and rows. */
  const editableList = (listId) => ({
    add: page.locator('.form-row', { has: page.locator(`#${listId}`) }).locator('button.red-ui-editableList-addButton'),
    rows: page.locator(`#${listId} > li`),
  });

  await check(
    'drag a second zoom send node in and add a Chatbot account from its dialog (bot credentials, bot JID, the simulator base URLs)',
    async () => {
      await page.locator('#red-ui-palette-search input').fill('');
      await page.locator('#red-ui-palette-search input').pressSequentially('zoom');
      await page.locator('.red-ui-palette-node[data-palette-type="debug"]').waitFor({ state: 'hidden' });
      await dropFromPalette('zoom-team-chat-send', 480, 360);
      // Both send nodes are labelled "zoom send" until this one is named; d3 appends the new one last.
      await waitFor('a second zoom send node', async () => (await nodeOnCanvas('zoom send').count()) === 2, 5000);
      await nodeOnCanvas('zoom send').last().dblclick();
      await trayOpen('Edit zoom send node');
      await page.locator('#node-input-btn-account-add').click();
      await trayOpen('Add new zoom account config node');
      await page.locator('#node-config-input-name').fill('Simulator bot');
      await page.locator('#node-config-input-authKind').selectOption('chatbot');
      // A chatbot token acts as the bot: the dialog hides "Act as user" and asks for the bot's JID.
      await page.locator('#node-config-input-userId').waitFor({ state: 'hidden' });
      await page.locator('#node-config-input-clientId').fill(sc.chatbot.clientId);
      await page.locator('#node-config-input-clientSecret').fill(sc.chatbot.clientSecret);
      await page.locator('#node-config-input-accountId').fill(sc.chatbot.accountId);
      await page.locator('#node-config-input-botJid').fill(sc.chatbot.botJid);
      await page.locator('#node-config-input-webhookSecretToken').fill(sc.webhookSecretToken);
      await page.locator('#node-config-input-plan').selectOption('pro');
      await page.locator('#node-config-input-apiUrl').fill(sim.urls.api);
      await page.locator('#node-config-input-fileUrl').fill(sim.urls.file);
      await page.locator('#node-config-input-oauthUrl').fill(sim.urls.oauth);
      await page.locator('#node-config-dialog-ok').click();
      await trayOpen('Edit zoom send node');
      const chosen = await page.locator('#node-input-account option:checked').textContent();
      assert(chosen?.trim() === 'Simulator bot', `the send node's Account shows "${chosen}"`);
    },
  );

  await check(
    'choose Send "Chatbot message" and Format "Card": the card builder replaces Text; fill the Title, a field and two buttons',
    async () => {
      await page.locator('#node-input-mode').selectOption('chatbot');
      await page.locator('#node-input-format').selectOption('cardBuilder');
      await page.locator('#node-input-cardTitle').waitFor();
      // The builder has its own Text: the message's Text box would say nothing for a card.
      await page.locator('#node-input-text').waitFor({ state: 'hidden' });
      await page.locator('#node-input-channel').waitFor({ state: 'hidden' });
      await page.locator('#node-input-cardTitle').fill(CARD.title);
      const fields = editableList('zoom-send-card-fields');
      await fields.add.click();
      const field = fields.rows.nth(0);
      await field.locator('.zoom-send-field-label').fill(CARD.field.label);
      await field.locator('.zoom-send-field-value').fill(CARD.field.value);
      await field.locator('.zoom-send-field-short').check();
      const buttons = editableList('zoom-send-card-buttons');
      for (const [i, b] of CARD.buttons.entries()) {
        await buttons.add.click();
        const row = buttons.rows.nth(i);
        await row.locator('.zoom-send-button-text').fill(b.text);
        await row.locator('.zoom-send-button-value').fill(b.value);
        await row.locator('.zoom-send-button-style').selectOption(b.style);
      }
      assert((await fields.rows.count()) === 1, `${await fields.rows.count()} field rows`);
      assert((await buttons.rows.count()) === 2, `${await buttons.rows.count()} button rows`);
      // Every row shows at once: a list box that scrolls inside the scrolling dialog hid the first button.
      for (const id of ['zoom-send-card-fields', 'zoom-send-card-buttons']) {
        const box = await page
          .locator(`#${id}`)
          .evaluate((ol) => ({ scroll: ol.parentElement.scrollHeight, client: ol.parentElement.clientHeight }));
        assert(
          box.scroll <= box.client + 1,
          `#${id} shows ${box.client} of its ${box.scroll} px: rows are scrolled away`,
        );
      }
      // To JID stays blank: after the bot's trigger the card answers in the conversation of the command.
      await page.locator('#node-input-name').fill('card reply');
      await done();
      await nodeOnCanvas('card reply').waitFor();
    },
  );

  await check(
    'drag a zoom trigger in for the bot (account "Simulator bot", webhook on /zoom/bot, event bot_notification) and wire it to the card node',
    async () => {
      await dropFromPalette('zoom-team-chat-trigger', 160, 360);
      await waitFor('a second zoom trigger', async () => (await nodeOnCanvas('zoom trigger').count()) === 2, 5000);
      await nodeOnCanvas('zoom trigger').last().dblclick();
      await trayOpen('Edit zoom trigger node');
      await page.locator('#node-input-account').selectOption({ label: 'Simulator bot' });
      await page.locator('#node-input-delivery').selectOption('webhook');
      await page.locator('#node-input-path').fill('/zoom/bot');
      await page.locator('#zoom-trigger-events-filter').fill('bot_notification');
      await page
        .locator(
          '#zoom-trigger-events-list label.zoom-trigger-event-row:not(.zoom-trigger-filtered) input[value="bot_notification"]',
        )
        .check();
      await done();
      await wire('zoom trigger /zoom/bot', 'card reply');
      await waitFor(
        'three wires on the canvas',
        async () => (await chart.locator('g.red-ui-flow-link').count()) === 3,
        5000,
      );
    },
  );

  await check('Deploy: the card node saved the card built in the dialog (read back from the runtime)', async () => {
    await deploy();
    const flows = await (await fetch(`${nr.base}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } })).json();
    const bot = flows.flows.find((n) => n.type === 'zoom-team-chat-account' && n.name === 'Simulator bot');
    const card = flows.flows.find((n) => n.type === 'zoom-team-chat-send' && n.name === 'card reply');
    const trig = flows.flows.find((n) => n.type === 'zoom-team-chat-trigger' && n.path === '/zoom/bot');
    assert(bot && card && trig, `deployed: bot account ${!!bot}, card node ${!!card}, bot trigger ${!!trig}`);
    assert(
      bot.authKind === 'chatbot' && bot.botJid === sc.chatbot.botJid && bot.apiUrl === sim.urls.api,
      `bot account ${JSON.stringify(bot)}`,
    );
    assert(card.account === bot.id && trig.account === bot.id, 'the card node or the bot trigger is not on the bot');
    assert(trig.events === 'bot_notification' && trig.wires[0]?.[0] === card.id, `bot trigger ${JSON.stringify(trig)}`);
    const saved = { mode: card.mode, format: card.format, title: card.cardTitle, fields: card.cardFields };
    const want = { mode: 'chatbot', format: 'cardBuilder', title: CARD.title, fields: [CARD.field] };
    assert(JSON.stringify(saved) === JSON.stringify(want), `card node ${JSON.stringify(saved)}`);
    assert(
      JSON.stringify(card.cardButtons) === JSON.stringify(CARD.buttons),
      `buttons ${JSON.stringify(card.cardButtons)}`,
    );
    return `card node: ${JSON.stringify({ ...saved, buttons: card.cardButtons })}`;
  });

  await check('reopen the card node: the dialog shows the field and the buttons as they were typed', async () => {
    await nodeOnCanvas('card reply').dblclick();
    await trayOpen('Edit zoom send node');
    await page.locator('#node-input-cardTitle').waitFor();
    const fields = editableList('zoom-send-card-fields');
    const buttons = editableList('zoom-send-card-buttons');
    const shown = {
      format: await page.locator('#node-input-format').inputValue(),
      title: await page.locator('#node-input-cardTitle').inputValue(),
      fields: await fields.rows.evaluateAll((rows) =>
        rows.map((r) => ({
          label: r.querySelector('.zoom-send-field-label').value,
          value: r.querySelector('.zoom-send-field-value').value,
          short: r.querySelector('.zoom-send-field-short').checked,
        })),
      ),
      buttons: await buttons.rows.evaluateAll((rows) =>
        rows.map((r) => ({
          text: r.querySelector('.zoom-send-button-text').value,
          value: r.querySelector('.zoom-send-button-value').value,
          style: r.querySelector('.zoom-send-button-style').value,
        })),
      ),
    };
    const want = { format: 'cardBuilder', title: CARD.title, fields: [CARD.field], buttons: CARD.buttons };
    assert(JSON.stringify(shown) === JSON.stringify(want), `the dialog shows ${JSON.stringify(shown)}`);
    await page.locator('#node-dialog-cancel').click();
    await page.locator('.red-ui-tray').first().waitFor({ state: 'detached' });
  });

  await check(
    'Casey sends the bot a slash command: the card built in the dialog arrives at the simulator as the JSON Zoom expects',
    async () => {
      // Test set-up, as the app's Marketplace page would: the bot's endpoint URL (validated by the trigger).
      await sim.admin.subscribe({
        url: `${nr.base}/zoom/bot`,
        events: ['bot_notification'],
        secretToken: sc.webhookSecretToken,
        kind: 'chatbot',
        botJid: sc.chatbot.botJid,
      });
      await sim.admin.slashCommand({ as: casey.email, command: 'deploy 2.4.1', channel: engineering.id });
      const stored = await waitFor('the card', async () =>
        (await sim.admin.botMessages()).find((m) => m.content?.head?.text === CARD.title),
      );
      const expected = {
        head: { text: CARD.title },
        body: [
          { type: 'fields', items: [{ key: CARD.field.label, value: CARD.field.value, short: true }] },
          { type: 'actions', items: CARD.buttons },
        ],
      };
      assert(
        JSON.stringify(stored.content) === JSON.stringify(expected),
        `stored content ${JSON.stringify(stored.content)}`,
      );
      assert(
        stored.toJid === engineering.jid && stored.robotJid === sc.chatbot.botJid,
        `card sent by ${stored.robotJid} to ${stored.toJid}, not by the bot to #engineering`,
      );
      // The buttons are live: a click reports the value typed into the dialog.
      const click = await sim.admin.click({ as: casey.email, messageId: String(stored.id), value: 'reject' });
      assert(click.actionItem?.value === 'reject', `click reported ${JSON.stringify(click.actionItem)}`);
      return JSON.stringify(stored.content);
    },
  );

  await check('the editor page logged no error and the Node-RED log has none', async () => {
    const errors = pageErrors(page);
    assert(errors.length === 0, `the editor page reported:\n${errors.join('\n')}`);
    const nrErrors = nr.log.filter((l) => /\[error\]/.test(l));
    assert(nrErrors.length === 0, `Node-RED errors:\n${nrErrors.join('\n')}`);
  });
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  if (results.some((r) => !r.ok) && nr) console.log(`--- Node-RED log ---\n${nr.log.slice(-60).join('\n')}`);
  await cleanup();
}
finish();
