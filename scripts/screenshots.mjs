#!/usr/bin/env node
// The README's pictures: a real Node-RED and a real n8n, each with an example flow/workflow
// loaded (its Zoom account pointed at the local simulator, so the nodes show live status), shot by
// headless Chromium. Writes examples/screenshots/node-red.png and examples/screenshots/n8n.png,
// and the Node-RED edit dialogs of the example's nodes, opened the way a person opens them:
// node-red-trigger.png, node-red-send.png (its channel picker open) and node-red-account.png; and
// the n8n panels of a version 2 trigger (WebSocket delivery, two events) and of Message → Send
// with its channel picked from the list: n8n-trigger.png and n8n-send.png.
//
//   node scripts/screenshots.mjs [--only node-red|n8n] [--out <dir>]
//        [--node-red-flow <file.json>] [--n8n-workflow <file.json>]
//
// Needs: the workspace built (`npm test` or `pnpm build`); Debian's Chromium at /usr/bin/chromium
// (`apt-get install -y chromium`), driven through testkit's browser helper; n8n 1.123 in .tools
// (installed by the n8n package's `test:acceptance`, or `node packages/testkit/src/n8n-install.mjs 1`).
// Node-RED 4.1 is installed into .tools on first use. Everything binds 127.0.0.1 on free ports;
// every process started here is stopped on exit or Ctrl-C. A picture that cannot be taken leaves
// a full-page screenshot of what the browser showed in .tools/screenshots/failures.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, step as browserStep, trackPage } from '@zoom-team-chat/testkit/browser';
import { n8nNode, n8nWorkflow } from '@zoom-team-chat/testkit/n8n-workflows';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const work = join(tools, 'screenshots');
const VIEWPORT = { width: 1280, height: 600 };
// Tall enough for the trigger's whole dialog (its events checklist) without scrolling.
const DIALOG_VIEWPORT = { width: 1280, height: 1000 };

// The packages shot, through the root's workspace dependencies on them (no paths into their folders).
const requireHere = createRequire(import.meta.url);
const packageDir = (name) => dirname(requireHere.resolve(`${name}/package.json`));
const PACKAGES = {
  simulator: packageDir('@zoom-team-chat/simulator'),
  nodeRed: packageDir('@zoom-team-chat/node-red-zoom-team-chat'),
  n8n: packageDir('n8n-nodes-zoom-team-chat'),
};

const opts = parseArgs(process.argv.slice(2));
const cleanups = [];
let stopping = false;

async function main() {
  for (const dir of Object.values(PACKAGES)) {
    const dist = relative(root, join(dir, 'dist'));
    if (!existsSync(join(dir, 'dist'))) fail(`${dist} is missing: build the workspace first (npm test, or pnpm build)`);
  }
  mkdirSync(opts.out, { recursive: true });
  const launched = await launchBrowser({ artifactsDir: join(work, 'failures') });
  if (launched.skipped) fail(launched.skipped);
  cleanups.push(() => launched.close());
  const { startSimulator } = requireHere('@zoom-team-chat/simulator');
  const sim = await startSimulator({ plan: 'off', fileStorage: 'memory' });
  cleanups.push(() => sim.close());

  if (opts.only !== 'n8n') await shootNodeRed(launched, sim);
  if (opts.only !== 'node-red') await shootN8n(launched.browser, sim);
}

// ---------------------------------------------------------------------------------------------
// Node-RED

async function shootNodeRed(launched, sim) {
  const host = await import('@zoom-team-chat/testkit/nr-host');
  const nr = await host.installHostAsync(tools, '4.1', { log: step });
  const port = await host.freePort();
  const packDir = join(work, 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const tarball = host.packTarball(PACKAGES.nodeRed, packDir, tools);
  step('Node-RED: installing the package from its npm tarball into a fresh user directory');
  const userDir = host.makeUserDir(tools, {
    port,
    credentialSecret: 'screenshots',
    install: [tarball],
    nodeBin: nr.nodeBin,
    dir: join(work, 'node-red-user'),
  });
  const red = await host.startNodeRed({ nodeBin: nr.nodeBin, redJs: nr.redJs, userDir, port });
  cleanups.push(() => red.stop());

  const flows = JSON.parse(readFileSync(opts.nodeRedFlow, 'utf8'));
  const credentials = {};
  const c = sim.credentials;
  for (const n of flows.filter((f) => f.type === 'zoom-team-chat-account')) {
    Object.assign(n, { apiUrl: sim.urls.api, fileUrl: sim.urls.file, oauthUrl: sim.urls.oauth });
    credentials[n.id] =
      n.authKind === 'chatbot'
        ? {
            clientId: c.chatbot.clientId,
            clientSecret: c.chatbot.clientSecret,
            accountId: c.chatbot.accountId,
            botJid: c.chatbot.botJid,
            webhookSecretToken: c.webhookSecretToken,
          }
        : {
            clientId: c.clientId,
            clientSecret: c.clientSecret,
            accountId: c.accountId,
            webhookSecretToken: c.webhookSecretToken,
          };
  }
  await red.deploy(flows, credentials);
  step(`Node-RED: deployed ${relative(root, opts.nodeRedFlow)} at ${red.base}`);

  const page = await launched.newPage({ viewport: VIEWPORT });
  await page.goto(`${red.base}/`, { waitUntil: 'load' });
  await page.waitForSelector('#red-ui-workspace-chart .red-ui-flow-node', { timeout: 60_000 });
  // Status text under the nodes arrives over the editor's websocket after the first paint.
  await page
    .waitForSelector('#red-ui-workspace-chart .red-ui-flow-node-status-label', { timeout: 20_000 })
    .catch(() => undefined);
  // The picture is about the flow: the palette shows only the Zoom nodes, the sidebar is closed.
  await page.locator('#red-ui-palette-search input').pressSequentially('zoom');
  await page.evaluate(() => {
    // eslint-disable-next-line no-undef -- runs in the page
    for (const el of document.querySelectorAll('.red-ui-notification')) el.remove();
    // eslint-disable-next-line no-undef
    RED.menu.setSelected('menu-item-sidebar', false);
  });
  await settle(page);
  await shoot(page, 'node-red.png', '#red-ui-workspace-chart .red-ui-flow-node');
  await shootNodeRedDialogs(page, flows);
  await page.close();
}

/** The example's trigger, account and send dialogs, each opened from the canvas like a person would. */
async function shootNodeRedDialogs(page, flows) {
  const named = (type) => flows.find((n) => n.type === type)?.name ?? fail(`the flow has no ${type} node`);
  const onCanvas = (type) =>
    page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group', { hasText: named(type) }).first();
  const tray = (title) =>
    page.locator('.red-ui-tray', { has: page.locator('.red-ui-tray-titlebar', { hasText: title }) }).last();
  await page.setViewportSize(DIALOG_VIEWPORT);

  await browserStep(page, 'the trigger dialog', async () => {
    await onCanvas('zoom-team-chat-trigger').dblclick();
    await tray('Edit zoom trigger node').waitFor();
    // The events checklist arrives from the runtime after the dialog opens.
    await page.locator('#zoom-trigger-events-list input.zoom-trigger-event:checked').first().waitFor();
    await shootDialog(page, tray('Edit zoom trigger node'), 'node-red-trigger.png');
  });

  await browserStep(page, 'the account dialog (the pencil next to Account)', async () => {
    await page.locator('#node-input-btn-account-edit').click();
    const account = tray('Edit zoom account node');
    await account.waitFor();
    // Blank base URLs (Zoom's cloud, shown as placeholders) are what a reader sets up; the
    // simulator's 127.0.0.1 addresses would only puzzle. Cancelled below, so nothing is saved.
    for (const field of ['apiUrl', 'fileUrl', 'oauthUrl']) await page.locator(`#node-config-input-${field}`).fill('');
    await shootDialog(page, account, 'node-red-account.png');
    await page.locator('#node-config-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').click();
    await page.locator('.red-ui-tray').first().waitFor({ state: 'detached' });
  });

  await browserStep(page, 'the send dialog with its channel picker open', async () => {
    await onCanvas('zoom-team-chat-send').dblclick();
    await tray('Edit zoom send node').waitFor();
    await page.locator('.zoom-channel-picker-button').click();
    await page.locator('ul.zoom-channel-picker-menu:visible li').first().waitFor();
    await page.mouse.move(DIALOG_VIEWPORT.width - 10, DIALOG_VIEWPORT.height - 10); // no hover highlight
    await shootDialog(page, tray('Edit zoom send node'), 'node-red-send.png');
    await page.locator('#node-dialog-cancel').click();
  });
}

/** The dialog alone (the tray, with whatever the page draws over it, such as the picker's list). */
async function shootDialog(page, trayLocator, name) {
  await trayLocator.locator('.red-ui-tray-body').first().waitFor();
  await page.waitForTimeout(600); // the tray's slide-in animation
  const file = join(opts.out, name);
  await trayLocator.screenshot({ path: file });
  step(`wrote ${relative(root, file)}`);
}

// ---------------------------------------------------------------------------------------------
// n8n

async function shootN8n(browser, sim) {
  const { targets } = await import('@zoom-team-chat/testkit/n8n-install');
  const { startN8n, ownerSession, npmPack, installCommunityPackage } = await import('@zoom-team-chat/testkit/n8n-host');
  if (!existsSync(join(targets[1].dir, '.installed'))) {
    fail(
      `n8n ${targets[1].version} is not installed in ${relative(root, targets[1].dir)}: node packages/testkit/src/n8n-install.mjs 1`,
    );
  }
  const userFolder = join(work, 'n8n-user');
  rmSync(userFolder, { recursive: true, force: true });
  step('n8n: installing the package from its npm tarball as a community package');
  installCommunityPackage(npmPack(PACKAGES.n8n, join(work, 'pack')), userFolder);
  step(`n8n ${targets[1].version}: starting (about 20 s)`);
  const n8n = await startN8n({ target: 1, userFolder, log: join(work, 'n8n.log') });
  cleanups.push(() => n8n.stop());
  const { call } = await ownerSession(n8n.base);

  const cloud = { cloud: 'custom', apiBaseUrl: sim.urls.api, fileBaseUrl: sim.urls.file, oauthBaseUrl: sim.urls.oauth };
  const c = sim.credentials;
  const wanted = {
    zoomTeamChatServerToServerOAuthApi: { accountId: c.accountId, clientId: c.clientId, clientSecret: c.clientSecret },
    zoomChatbotApi: {
      clientId: c.chatbot.clientId,
      clientSecret: c.chatbot.clientSecret,
      botJid: c.chatbot.botJid,
      accountId: c.chatbot.accountId,
    },
  };
  const workflow = JSON.parse(readFileSync(opts.n8nWorkflow, 'utf8'));
  // The examples name their credentials; n8n links an imported workflow to credentials by name.
  const refs = new Map();
  for (const node of workflow.nodes)
    for (const [type, ref] of Object.entries(node.credentials ?? {})) refs.set(type, ref.name);
  const credentials = {};
  for (const [type, name] of refs) {
    if (!wanted[type]) fail(`${relative(root, opts.n8nWorkflow)} uses a ${type} credential this script does not know`);
    credentials[type] = await call('POST', '/credentials', {
      name,
      type,
      data: { ...wanted[type], webhookSecretToken: c.webhookSecretToken, ...cloud },
    });
  }
  const project = await call('GET', '/projects/personal');
  const created = await call('POST', '/workflows', { ...workflow, active: false, projectId: project.id });
  step(`n8n: imported ${relative(root, opts.n8nWorkflow)} as workflow ${created.id}`);

  const context = await browser.newContext({ viewport: { ...VIEWPORT, height: 720 }, deviceScaleFactor: 1 });
  // A login without a browser-id header gives a session cookie the page may use as is.
  const login = await context.request.post(`${n8n.base}/rest/login`, {
    data: { emailOrLdapLoginId: 'owner@example.com', email: 'owner@example.com', password: 'Acceptance-Pass1' },
  });
  if (!login.ok()) fail(`n8n login failed: ${login.status()} ${(await login.text()).slice(0, 300)}`);
  const page = await context.newPage();
  await page.goto(`${n8n.base}/workflow/${created.id}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
  await dismissN8nPopups(page);
  // "Zoom to fit", so every node and note is in the picture.
  await page.locator('[data-test-id="zoom-to-fit"]').first().click({ timeout: 5000 });
  // One step out, so the bottom row clears the floating "Execute workflow" button.
  await page.locator('[data-test-id="zoom-out-button"]').first().click({ timeout: 5000 });
  await page.mouse.move(VIEWPORT.width / 2, 90); // no tooltip in the picture
  await settle(page);
  await shoot(page, 'n8n.png', '[data-test-id="canvas-node"]');

  const s2s = 'zoomTeamChatServerToServerOAuthApi';
  credentials[s2s] ??= await call('POST', '/credentials', {
    name: 'Zoom Team Chat account',
    type: s2s,
    data: { ...wanted[s2s], ...cloud },
  });
  const panels = await call('POST', '/workflows', {
    ...(await panelsWorkflow(sim, credentials[s2s])),
    projectId: project.id,
  });
  step(`n8n: workflow ${panels.id} for the panels`);
  // A page of a context has no failure pictures of its own until tracked.
  trackPage(page, join(work, 'failures'));
  await page.setViewportSize(DIALOG_VIEWPORT);
  await page.goto(`${n8n.base}/workflow/${panels.id}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
  await dismissN8nPopups(page);
  await browserStep(page, 'the n8n trigger panel', () => shootN8nPanel(page, PANEL_TRIGGER, 'n8n-trigger.png'));
  await browserStep(page, 'the n8n send panel', () => shootN8nPanel(page, PANEL_SEND, 'n8n-send.png'));
  await context.close();
}

const PANEL_TRIGGER = 'Zoom Team Chat Trigger';
const PANEL_SEND = 'Send a message';

/**
 * A version 2 trigger on WebSocket delivery wired to Message → Send, for the panel pictures. The
 * subscription is made in the simulator and shown by its ID alone (what the Marketplace shows),
 * not by the simulator's 127.0.0.1 endpoint; the channel is picked from the simulator's list.
 */
async function panelsWorkflow(sim, credential) {
  const events = ['team_chat.channel_message_posted', 'team_chat.channel_reaction_added'];
  const subscription = await sim.admin.createWebSocketSubscription({ events, name: 'n8n panels' });
  const channel =
    (await sim.admin.channels()).find((ch) => ch.name === 'engineering') ?? fail('the simulator has no #engineering');
  const credentials = { zoomTeamChatServerToServerOAuthApi: { id: credential.id, name: credential.name } };
  const type = 'n8n-nodes-zoom-team-chat';
  return n8nWorkflow(
    'Zoom Team Chat panels',
    [
      n8nNode(PANEL_TRIGGER, `${type}.zoomTeamChatTrigger`, {
        typeVersion: 2,
        webhookId: randomUUID(),
        credentials,
        parameters: {
          authentication: 'serverToServerOAuth',
          delivery: 'websocket',
          subscription: subscription.id,
          events,
          options: { ignoreOwnMessages: true },
        },
      }),
      n8nNode(PANEL_SEND, `${type}.zoomTeamChat`, {
        typeVersion: 2,
        position: [320, 0],
        credentials,
        parameters: {
          resource: 'message',
          operation: 'send',
          target: 'channel',
          channelId: { __rl: true, mode: 'list', value: channel.id, cachedResultName: channel.name },
          message: '**Heads-up:** the weekly report is ready, see [the dashboard](https://example.com/report)',
        },
      }),
    ],
    { [PANEL_TRIGGER]: { main: [[{ node: PANEL_SEND, type: 'main', index: 0 }]] } },
  );
}

/** Opens a node's panel from the canvas (double-click) and shoots its parameters column, cropped to what it shows. */
async function shootN8nPanel(page, nodeName, name) {
  await page.locator('[data-test-id="canvas-node"]', { hasText: nodeName }).first().dblclick();
  const settings = page.locator('[data-test-id="ndv"] .node-settings').first();
  await settings.locator('[data-test-id="parameter-item"]').first().waitFor({ timeout: 20_000 });
  await page.mouse.move(DIALOG_VIEWPORT.width - 10, DIALOG_VIEWPORT.height - 10); // no hover effects
  await page.waitForTimeout(800); // the panel's opening animation
  const box = await settings.boundingBox();
  if (!box) fail(`${nodeName}: the panel has no size`);
  // The column runs to the window's bottom; the picture stops below its last field. The top few
  // pixels hold part of the panel's drag handle.
  const bottom = await settings
    .locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]')
    .evaluateAll((items) => Math.max(...items.map((i) => i.getBoundingClientRect().bottom)));
  const top = box.y + 6;
  const file = join(opts.out, name);
  await page.screenshot({
    path: file,
    clip: { x: box.x, y: top, width: box.width, height: Math.min(box.y + box.height, bottom + 12) - top },
  });
  step(`wrote ${relative(root, file)}`);
  await page.locator('[data-test-id="back-to-canvas"], [data-test-id="ndv-close-button"]').first().click();
  await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}

async function dismissN8nPopups(page) {
  for (const selector of [
    '[data-test-id="close-button"]',
    '.el-dialog__headerbtn',
    '.el-notification__closeBtn',
    'button:has-text("Got it")',
  ]) {
    for (const el of await page.locator(selector).all()) await el.click({ timeout: 1000 }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------

async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
}

/** Takes the PNG and refuses a picture without the flow in it (a login page, an empty canvas). */
async function shoot(page, name, nodeSelector) {
  const nodes = await page.locator(nodeSelector).count();
  if (nodes < 3) fail(`${name}: only ${nodes} flow node(s) on the page at ${page.url()}; not taking the picture`);
  const file = join(opts.out, name);
  await page.screenshot({ path: file });
  step(`wrote ${relative(root, file)} (${nodes} nodes)`);
}

function parseArgs(args) {
  const o = {
    only: undefined,
    out: join(root, 'examples', 'screenshots'),
    nodeRedFlow: join(PACKAGES.nodeRed, 'examples', 'use-cases', 'collaborative-tasks.json'),
    n8nWorkflow: join(root, 'examples/n8n/collaborative-tasks.json'),
  };
  for (let i = 0; i < args.length; i++) {
    const value = () => args[++i] ?? fail(`${args[i - 1]} needs a value`);
    if (args[i] === '--only') o.only = value();
    else if (args[i] === '--out') o.out = resolve(value());
    else if (args[i] === '--node-red-flow') o.nodeRedFlow = resolve(value());
    else if (args[i] === '--n8n-workflow') o.n8nWorkflow = resolve(value());
    else
      fail(
        `unknown argument ${args[i]} (usage: screenshots.mjs [--only node-red|n8n] [--out dir] [--node-red-flow f] [--n8n-workflow f])`,
      );
  }
  if (o.only !== undefined && o.only !== 'node-red' && o.only !== 'n8n') fail('--only takes node-red or n8n');
  for (const f of [o.nodeRedFlow, o.n8nWorkflow]) if (!existsSync(f)) fail(`${f} does not exist`);
  return o;
}

function step(text) {
  console.log(`== ${text}`);
}

function fail(message) {
  throw new Error(message);
}

async function cleanup() {
  if (stopping) return;
  stopping = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${err.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

main().then(cleanup, async (err) => {
  console.error(`screenshots: ${err.message}`);
  await cleanup();
  process.exitCode = 1;
});
