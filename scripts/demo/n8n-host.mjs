// The demo's n8n host (--host n8n): n8n 1.123 installed once into .tools with the same recipe as
// the testkit's n8n-install.mjs (the same folder and marker, so one install
// serves both), the package loaded as a custom extension, an owner,
// credentials pointing at the simulator, and the demo workflows (scripts/demo/n8n, plus the example
// examples/n8n/deployment-approval.json) imported and activated: the tour's trigger registers its
// own event subscription through the simulator's Marketplace API; the chatbot's endpoint is
// subscribed by hand, as in the Marketplace.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietEnv } from '@zoom-team-chat/testkit/n8n-host';
import { LAUNCHER, runWithProgress } from '@zoom-team-chat/testkit/nr-host';
import { waitFor } from '@zoom-team-chat/testkit/wait-for';
import { chatbotCard, tour } from './scenario.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
// The package's folder through the root's workspace dependency on it (its dist is loaded below).
const N8N_PACKAGE = path.dirname(createRequire(import.meta.url).resolve('n8n-nodes-zoom-team-chat/package.json'));
/** The repository's example run in the demo as well (examples/n8n). */
const APPROVAL_EXAMPLE = path.join(root, 'examples', 'n8n', 'deployment-approval.json');
const VERSION = '1.123.81';
const S2S_CREDENTIAL = { name: 'Zoom Team Chat account', type: 'zoomTeamChatServerToServerOAuthApi' };
const BOT_CREDENTIAL = { name: 'Zoom Chatbot account', type: 'zoomChatbotApi' };

export const name = 'n8n';
export const defaultPort = 5678;

function cacheEnv(tools) {
  const cache = path.join(tools, 'cache');
  return {
    ...process.env,
    XDG_CACHE_HOME: path.join(cache, 'xdg-cache'),
    XDG_DATA_HOME: path.join(cache, 'xdg-data'),
    XDG_STATE_HOME: path.join(cache, 'xdg-state'),
    npm_config_cache: path.join(cache, 'npm'),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** n8n 1.123 on this Node (real-hosts.md): overrides, install without scripts, rebuild the natives. */
export async function install({ tools, log }) {
  const dir = path.join(tools, 'n8n-1.123');
  const marker = path.join(dir, '.installed');
  const result = {
    dir,
    version: VERSION,
    nodeBin: process.execPath,
    bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
  };
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === VERSION) {
    log(`n8n ${VERSION} is already installed in ${path.relative(process.cwd(), dir)}`);
    return result;
  }
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'n8n-host-1',
    private: true,
    dependencies: { n8n: VERSION },
    overrides: { xlsx: '0.18.5', 'isolated-vm': '5.0.4' },
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const env = cacheEnv(tools);
  log(
    `n8n ${VERSION} is not installed yet: installing it once into ${path.relative(process.cwd(), dir)} (about 5–7 minutes, 1.7 GB)`,
  );
  await runWithProgress('npm', ['install', '--ignore-scripts', '--no-save'], {
    label: `npm install n8n@${VERSION} (without install scripts)`,
    log,
    cwd: dir,
    env,
    everyMs: 10_000,
  });
  await runWithProgress('npm', ['rebuild', 'sqlite3', 'isolated-vm'], {
    label: 'npm rebuild sqlite3 isolated-vm (native modules)',
    log,
    cwd: dir,
    env,
    everyMs: 10_000,
  });
  writeFileSync(marker, `${VERSION}\n`);
  return result;
}

async function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** REST calls as the instance owner (what the editor does). */
async function ownerSession(base) {
  const headers = { 'content-type': 'application/json', 'browser-id': 'zoom-team-chat-demo' };
  // The REST routes come up a few seconds after readiness.
  const res = await waitFor(
    'the n8n owner set-up',
    async () => {
      const r = await fetch(`${base}/rest/owner/setup`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          email: 'demo@example.com',
          firstName: 'Demo',
          lastName: 'Owner',
          password: 'Demo-Password-1',
        }),
      }).catch(() => undefined);
      return r?.ok ? r : undefined;
    },
    60_000,
  );
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return async (method, p, body) => {
    const r = await fetch(`${base}/rest${p}`, {
      method,
      headers: { ...headers, cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} /rest${p}: ${r.status} ${text.slice(0, 300)}`);
    const data = text ? JSON.parse(text) : undefined;
    return data?.data ?? data;
  };
}

/** What a browser sends for n8n's answer page (multipart, as its form asks). */
async function postForm(url, fields) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(url, { method: 'POST', body: form });
  return { status: res.status, text: await res.text() };
}

/** Send and Wait for Response: a deploy request is asked in #deploys; Blake opens the link and approves. */
async function deploymentApproval(t, { base }) {
  const { channels, blake } = t.ws;
  const deploys = await t.watch(channels.deploys);
  const request = { service: 'checkout', version: '2.4.1', requestedBy: 'Casey' };
  t.say(`CI/CD POSTs /webhook/deploy-requests ${JSON.stringify(request)}`);
  const res = await fetch(`${base}/webhook/deploy-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  let question;
  let link;
  await t.check('the workflow asked for approval in #deploys, with a link to the answer page, and waits', async () => {
    if (res.status !== 200) throw new Error(`the webhook answered ${res.status}`);
    question = await deploys.next('the question with its link', (m) => m.text.includes('/webhook-waiting/'));
    link = /(https?:\/\/\S+)/.exec(question.text)?.[1];
    if (!question.text.startsWith('🚢 Deploy checkout 2.4.1 to production?') || !link)
      throw new Error(`question ${JSON.stringify(question.text)}`);
    return `“${question.text.split('\n')[0]}” with ${new URL(link).pathname.split('/').slice(0, 3).join('/')}/…`;
  });
  if (!link) return;
  t.say(`${blake.display_name} opens the link (GET: the page with Approve / Decline; answers nothing)`);
  await t.check('opening the link shows Approve and Decline and changes nothing', async () => {
    // The link is in the message a moment before n8n has stored the run as waiting (409 until then).
    const page = await waitFor(
      'the answer page',
      async () => {
        const r = await fetch(link);
        return r.status === 409 ? undefined : await r.text();
      },
      15_000,
    );
    if (!page.includes('name="decision" value="approve"') || !page.includes('name="decision" value="decline"'))
      throw new Error(`page ${page.slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 1000));
    if ((await deploys.fresh()).some((m) => m.text.startsWith('🚀') || m.text.startsWith('❌')))
      throw new Error('the run went on');
    if ((await t.sim.admin.message(question.id)).text !== question.text) throw new Error('the question changed');
  });
  t.say(`${blake.display_name} clicks Approve (the page's form POST)`);
  const answer = await postForm(link, { decision: 'approve' });
  await t.check('the run resumed: “🚀 Deploying …” in #deploys, and the question shows the outcome', async () => {
    if (answer.status !== 200 || !answer.text.includes('Approved')) throw new Error(`POST answered ${answer.status}`);
    const m = await deploys.next('the deployment message', (x) => x.text.startsWith('🚀 Deploying'));
    if (m.text !== '🚀 Deploying checkout 2.4.1 (requested by Casey)')
      throw new Error(`posted ${JSON.stringify(m.text)}`);
    const edited = (await t.sim.admin.message(question.id)).text;
    const outcome = /✅ Approved at [^\n]*/.exec(edited)?.[0];
    if (!outcome || edited.includes('/webhook-waiting/')) throw new Error(`question ${JSON.stringify(edited)}`);
    return `“${m.text}”; the question now ends “${outcome}”`;
  });
}

/** Why an execution failed, from n8n's event log (the REST API returns it in a packed format). */
function executionError(userFolder, id) {
  try {
    const events = readFileSync(path.join(userFolder, '.n8n', 'n8nEventLog.log'), 'utf8').split('\n');
    for (const l of events) {
      if (!l.includes(`"executionId":"${id}"`)) continue;
      const m = /"errorMessage":"((?:[^"\\]|\\.)*)"/.exec(l);
      if (m) return `: ${JSON.parse(`"${m[1]}"`)}`;
    }
  } catch {
    // no event log: the status is all there is
  }
  return '';
}

export async function start({ installed, sim, ws, port, workDir, log, onLog }) {
  if (!(await portFree(port + 1)))
    throw new Error(`n8n's task-runner broker needs port ${port + 1}, which is taken: pass --port`);
  if (!existsSync(path.join(N8N_PACKAGE, 'dist')))
    throw new Error('the n8n package is not built: run `npm run demo -- --host n8n` (it builds first) or `pnpm build`');
  const userFolder = path.join(workDir, 'n8n');
  rmSync(userFolder, { recursive: true, force: true });
  mkdirSync(userFolder, { recursive: true });
  // Loaded as a custom extension: the node types are CUSTOM.<name>.
  const extensions = path.join(userFolder, 'custom-extensions');
  cpSync(path.join(N8N_PACKAGE, 'dist'), path.join(extensions, 'n8n-nodes-zoom-team-chat'), { recursive: true });
  const logPath = path.join(userFolder, 'n8n.log');
  const logFile = createWriteStream(logPath);
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH,
    HOME: userFolder,
    N8N_USER_FOLDER: userFolder,
    N8N_CUSTOM_EXTENSIONS: extensions,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(port),
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `${base}/`,
    N8N_RUNNERS_BROKER_PORT: String(port + 1),
    ...quietEnv(VERSION.split('.')[0]),
    N8N_LOG_LEVEL: 'info',
    DB_SQLITE_POOL_SIZE: '2',
  };
  log(
    `Starting n8n ${installed.version} on ${base}/ (first start creates its database: about 20 s; log: ${path.relative(process.cwd(), logPath)})`,
  );
  const lines = [];
  // Its own process group (stopped as a whole, task runners included); the launcher stops n8n
  // if this process dies without doing so.
  const child = spawn(installed.nodeBin, [LAUNCHER, installed.bin, 'start'], {
    cwd: userFolder,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const onData = (d) => {
    logFile.write(d);
    for (const l of d.toString().split('\n').filter(Boolean)) {
      lines.push(l);
      onLog(l);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const signalGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    signalGroup('SIGINT');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    signalGroup('SIGKILL');
    logFile.end();
  };
  try {
    const t0 = Date.now();
    const ticker = setInterval(() => log(`  … waiting for n8n, ${Math.round((Date.now() - t0) / 1000)} s`), 10_000);
    try {
      await waitFor(
        'n8n to be ready',
        async () => {
          if (child.exitCode !== null)
            throw new Error(`n8n exited (${child.exitCode}); see ${logPath}:\n${lines.slice(-20).join('\n')}`);
          return (
            (await fetch(`${base}/healthz/readiness`).then(
              (r) => r.status,
              () => 0,
            )) === 200
          );
        },
        180_000,
      );
    } finally {
      clearInterval(ticker);
    }
    log(
      `n8n is ready after ${((Date.now() - t0) / 1000).toFixed(1)} s; creating the owner, the credentials and the workflows (REST API)`,
    );
    const call = await ownerSession(base);
    const cloud = {
      cloud: 'custom',
      apiBaseUrl: sim.urls.api,
      fileBaseUrl: sim.urls.file,
      oauthBaseUrl: sim.urls.oauth,
    };
    const sc = sim.credentials;
    await call('POST', '/credentials', {
      ...S2S_CREDENTIAL,
      data: {
        accountId: sc.accountId,
        clientId: sc.clientId,
        clientSecret: sc.clientSecret,
        webhookSecretToken: sc.webhookSecretToken,
        ...cloud,
      },
    });
    await call('POST', '/credentials', {
      ...BOT_CREDENTIAL,
      data: {
        clientId: sc.chatbot.clientId,
        clientSecret: sc.chatbot.clientSecret,
        botJid: sc.chatbot.botJid,
        accountId: sc.chatbot.accountId,
        webhookSecretToken: sc.webhookSecretToken,
        ...cloud,
      },
    });
    const project = await call('GET', '/projects/personal');
    const fill = {
      DEMO_CHANNEL_ID: ws.channels.general.id,
      ALERTS_CHANNEL_ID: ws.channels.alerts.id,
      DEPLOYS_CHANNEL_ID: ws.channels.deploys.id,
      YOUR_ZOOM_EMAIL: ws.owner.email,
      'n8n-nodes-zoom-team-chat.': 'CUSTOM.',
    };
    const workflows = {};
    for (const file of ['tour.json', 'chatbot.json', 'deployment-approval.json']) {
      let raw = readFileSync(
        file === 'deployment-approval.json' ? APPROVAL_EXAMPLE : path.join(here, 'n8n', file),
        'utf8',
      );
      for (const [from, to] of Object.entries(fill)) raw = raw.replaceAll(from, to);
      const created = await call('POST', '/workflows', { ...JSON.parse(raw), active: false, projectId: project.id });
      await call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
      workflows[file] = created;
    }
    const webhookOf = (file) =>
      `${base}/webhook/${workflows[file].nodes.find((n) => n.type === 'CUSTOM.zoomTeamChatTrigger').webhookId}/webhook`;
    const tourUrl = webhookOf('tour.json');
    const botUrl = webhookOf('chatbot.json');
    log(`The tour's trigger registers its event subscription itself (Zoom validates ${new URL(tourUrl).pathname})`);
    await waitFor(
      'the tour trigger’s event subscription',
      async () => (await sim.admin.webhooks()).some((s) => new URL(s.url).href === new URL(tourUrl).href),
      20_000,
    );
    log(`Subscribing the chatbot endpoint ${new URL(botUrl).pathname}, as the Marketplace's Bot endpoint URL`);
    await sim.admin.subscribe({
      url: botUrl,
      events: ['bot_notification'],
      secretToken: sc.webhookSecretToken,
      kind: 'chatbot',
      botJid: sc.chatbot.botJid,
    });

    return {
      base,
      editorUrl: `${base}/ (first visit: sign in as demo@example.com / Demo-Password-1)`,
      log: lines,
      triggers: [tourUrl, botUrl],
      flowsSummary: Object.values(workflows)
        .map((w) => w.name)
        .join(' · '),
      secrets: [sc.clientSecret, sc.chatbot.clientSecret, sc.webhookSecretToken],
      async scenario(t, tr) {
        tr.section('1. One message, every action (scripts/demo/n8n/tour.json)');
        await tour(t, { triggerUrl: tourUrl });
        tr.section('2. A chatbot slash command gets a card (scripts/demo/n8n/chatbot.json)');
        await chatbotCard(t);
        tr.section('3. A deployment waits for approval in #deploys (examples/n8n/deployment-approval.json)');
        await deploymentApproval(t, { base });
        tr.section('n8n executions');
        await t.check('every execution of the demo workflows succeeded', async () => {
          await sim.admin.settleWebhooks();
          const summary = [];
          for (const [file, wf] of Object.entries(workflows)) {
            const list = await call(
              'GET',
              `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: wf.id }))}`,
            );
            const runs = list.results ?? list;
            const bad = runs.filter((e) => e.status !== 'success');
            if (runs.length === 0) throw new Error(`${file}: no execution`);
            if (bad.length > 0)
              throw new Error(
                `${file}: ${bad.map((e) => `execution #${e.id} ${e.status}${executionError(userFolder, e.id)}`).join('; ')}`,
              );
            summary.push(`${file}: ${runs.length}`);
          }
          return summary.join(', ');
        });
      },
      playHints(simUrls) {
        return [
          `open ${base}/ (sign in as demo@example.com / Demo-Password-1) and look at the three demo workflows and their executions`,
          `post as a simulated person:  curl -s ${simUrls.admin}/act/message -H 'content-type: application/json' -d '{"as":"blake.chen@example.com","channel":"general","text":"Hello n8n"}'`,
          `a chatbot command:           curl -s ${simUrls.admin}/act/slash-command -H 'content-type: application/json' -d '{"as":"casey.diaz@example.com","command":"status","channel":"general"}'`,
        ];
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
