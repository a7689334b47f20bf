// The Node-RED package's use-case example flows (its examples/use-cases, copied from the
// repository's examples/node-red) configured for the Zoom simulator, and one scenario per example
// that drives it the way its users would (a person posting in a channel, a slash command, an HTTP
// call from another system, the schedule firing) and checks the effect in the simulator's state.
// Here, not in the Node-RED package, because two runners share it: that package's acceptance test
// of its shipped examples (scripts/examples.mjs) and the repository's demo (scripts/demo.mjs), so
// the demo proves the examples too. The example files themselves are read from the package folder
// the caller names (they ship in its tarball).
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { assert, quote } from './scenario.mjs';
import { failedWorkflowRun } from './third-party.mjs';
import { waitFor } from './wait-for.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The example flow files of the Node-RED package: `packageRoot` is that package's folder. */
export function useCaseFiles(packageRoot) {
  const dir = path.join(packageRoot, 'examples', 'use-cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readFlow(file) {
  const nodes = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(nodes)) throw new Error(`${file} is not a flow (an array of nodes)`);
  return nodes;
}

function list(value) {
  return String(value ?? '')
    .split(/[\n,]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Merges flow files into one deployment: the tabs' environment variables filled from `env`
 * (a variable without a value is an error: an example must not run with a blank setting),
 * account nodes pointed at the simulator, and credentials for the accounts and for tab
 * variables of type "cred". Returns the flows, the credentials (by node id) and the triggers.
 */
export function configureFlows(flowArrays, { sim, env, secrets }) {
  const byId = new Map();
  for (const nodes of flowArrays) {
    for (const n of nodes) {
      const prev = byId.get(n.id);
      // Examples share their account nodes (same id, same settings) so imports reuse one.
      if (prev && JSON.stringify(prev) !== JSON.stringify(n))
        throw new Error(`node id ${n.id} is used twice with different settings`);
      byId.set(n.id, structuredClone(n));
    }
  }
  const flows = [...byId.values()];
  const sc = sim.credentials;
  const credentials = {};
  for (const n of flows) {
    if (n.type === 'tab') {
      for (const e of n.env ?? []) {
        if (e.type === 'cred') {
          if (!(e.name in secrets)) throw new Error(`flow "${n.label}" has a credential ${e.name} with no value`);
          credentials[n.id] = { ...credentials[n.id], [e.name]: secrets[e.name] };
        } else {
          if (!(e.name in env))
            throw new Error(`flow "${n.label}" has an environment variable ${e.name} with no value`);
          e.value = env[e.name];
        }
      }
    }
    if (n.type === 'zoom-team-chat-account') {
      Object.assign(n, { apiUrl: sim.urls.api, fileUrl: sim.urls.file, oauthUrl: sim.urls.oauth });
      if (n.authKind === 'chatbot') {
        n.botJid = sc.chatbot.botJid;
        credentials[n.id] = {
          clientId: sc.chatbot.clientId,
          clientSecret: sc.chatbot.clientSecret,
          accountId: sc.chatbot.accountId,
          webhookSecretToken: sc.webhookSecretToken,
        };
      } else if (n.authKind === 'account') {
        credentials[n.id] = {
          clientId: sc.clientId,
          clientSecret: sc.clientSecret,
          accountId: sc.accountId,
          webhookSecretToken: sc.webhookSecretToken,
        };
      } else {
        throw new Error(`account node ${n.id}: auth kind ${n.authKind} is not set up for the simulator here`);
      }
    }
  }
  // Webhook triggers only: a WebSocket trigger connects to its subscription itself.
  const triggers = flows
    .filter((n) => n.type === 'zoom-team-chat-trigger' && n.delivery !== 'websocket')
    .map((n) => {
      const events = list(n.events);
      if (events.length === 0)
        throw new Error(`trigger ${n.id} (${n.path}) has no event filter: say which events it wants`);
      return { id: n.id, path: n.path, events, chatbot: byId.get(n.account)?.authKind === 'chatbot' };
    });
  return { flows, credentials, triggers };
}

/** Registers each trigger's URL with the simulator, which runs Zoom's URL validation against it. */
export async function subscribeTriggers(sim, base, triggers) {
  const sc = sim.credentials;
  for (const t of triggers) {
    await sim.admin.subscribe({
      url: `${base}${t.path}`,
      events: t.events,
      secretToken: sc.webhookSecretToken,
      ...(t.chatbot ? { kind: 'chatbot', botJid: sc.chatbot.botJid } : {}),
    });
  }
}

/** The flow of an example: its nodes, found by type and name. */
function nodeOf(nodes, type, name) {
  const n = nodes.find((x) => x.type === type && (name === undefined || x.name === name));
  if (!n) throw new Error(`the flow has no ${type}${name ? ` named "${name}"` : ''}`);
  return n;
}

async function settle(sim) {
  await sim.admin.settleWebhooks();
  await sleep(300);
}

const today = () => new Date().toISOString().slice(0, 10);

/** One scenario per example file (by file name). */
export const USE_CASES = [
  {
    file: 'notifications-and-alerts.json',
    title: 'Notifications and alerts into a channel',
    async run(t, nodes) {
      const { channels, owner, devon } = t.ws;
      const alerts = await t.watch(channels.alerts);
      const runbook = 'https://runbooks.example.com/disk-almost-full';
      let alert;
      t.say(
        'A monitoring system calls POST /alerts {"severity":"critical","title":"Disk almost full","runbook":"https://runbooks.example.com/…",…}',
      );
      await t.check('an alert POSTed to /alerts is answered 202 and posted into #alerts', async () => {
        const r = await t.http('/alerts', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            severity: 'critical',
            title: 'Disk almost full',
            text: '/var on db-1 is 93% full',
            source: 'db-1',
            runbook,
          }),
        });
        const body = await r.json();
        assert(r.status === 202 && body.posted === true, `answered ${r.status} ${JSON.stringify(body)}`);
        alert = await alerts.next('the alert in #alerts', (x) => x.text.startsWith('🔴 [CRITICAL] Disk almost full'));
        assert(alert.senderId === owner.id, `not sent by the app user: ${JSON.stringify(alert)}`);
        assert(body.messageId === alert.id, `the answer names message ${body.messageId}, #alerts has ${alert.id}`);
        return `#alerts: ${quote(alert.text)}`;
      });
      await t.check(
        'the alert is Markdown turned into Zoom rich text: bold title, runbook link, bulleted details, @mention of the person on call',
        async () => {
          assert(alert, 'no alert to look at');
          const { text } = alert;
          const rich = alert.richText ?? [];
          const at = (r) => text.slice(r.start_position, r.end_position + 1);
          const ranges = (type) => rich.filter((r) => r.format_type === type);
          const bold = ranges('Bold').map(at);
          assert(bold.length === 1 && bold[0] === '[CRITICAL] Disk almost full', `Bold over ${JSON.stringify(bold)}`);
          const links = ranges('AddLink');
          assert(
            links.length === 1 && links[0].format_attr === runbook && at(links[0]) === 'Open the runbook',
            `AddLink ${JSON.stringify(links)}`,
          );
          const lists = ranges('BulletedList').map(at);
          assert(
            lists.length === 1 && lists[0] === '/var on db-1 is 93% full\nSource: db-1',
            `BulletedList over ${JSON.stringify(lists)}`,
          );
          const mentions = alert.atItems ?? [];
          assert(
            mentions.length === 1 && [devon.email, devon.id].includes(mentions[0].at_contact),
            `at_items ${JSON.stringify(mentions)}`,
          );
          const shown = at(mentions[0]);
          assert(
            shown === `@${devon.display_name}` || shown === `@${devon.email}`,
            `the mention reads ${JSON.stringify(shown)}`,
          );
          // What people read: the markup is gone.
          assert(!/\*\*|~~|\]\(|\\|^\s*[-*] /m.test(text), `markup left in the text: ${JSON.stringify(text)}`);
          return `bold “${bold[0]}”, link “${at(links[0])}”, 2 bulleted lines, mention ${shown}; no markup left`;
        },
      );
      await t.check('an alert without a title is refused with 400 and nothing is posted', async () => {
        const r = await t.http('/alerts', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ severity: 'info' }),
        });
        const body = await r.json();
        assert(r.status === 400 && /title/.test(body.error), `answered ${r.status} ${JSON.stringify(body)}`);
        await settle(t.sim);
        const fresh = (await alerts.fresh()).filter((m) => !m.text.startsWith('🔴'));
        assert(fresh.length === 0, `posted anyway: ${quote(fresh[0]?.text)}`);
        return `400 ${JSON.stringify(body)}`;
      });
      t.say('The schedule fires (the inject node "every weekday at 09:00", pressed through the Admin API)');
      await t.check('the scheduled status message lands in #alerts', async () => {
        await t.inject(nodeOf(nodes, 'inject').id);
        const m = await alerts.next('the scheduled message', (x) =>
          x.text.startsWith('🟢 Daily status: all systems normal'),
        );
        return `#alerts: ${quote(m.text)}`;
      });
    },
  },
  {
    file: 'chatbot-commands-with-cards.json',
    title: 'A chatbot that answers commands with cards',
    async run(t) {
      const { channels, casey } = t.ws;
      const command = async (cmd, what, pred) => {
        const before = new Set((await t.sim.admin.botMessages()).map((m) => m.id));
        await t.sim.admin.slashCommand({ as: casey.email, command: cmd, channel: channels.general.id });
        return waitFor(what, async () => (await t.sim.admin.botMessages()).find((m) => !before.has(m.id) && pred(m)));
      };
      t.say(`${casey.display_name} in #general: “/simbot help”`);
      await t.check(
        'the slash command "help" gets a card listing the commands, in the channel it came from',
        async () => {
          const m = await command('help', 'the help card', (x) => x.content?.head?.text === 'What I can do');
          assert(m.toJid === channels.general.jid, `card sent to ${m.toJid}, not #general`);
          const fields = m.content.body?.find((b) => b.type === 'fields')?.items ?? [];
          assert(fields.map((f) => f.key).join(',') === 'help,status,echo <text>', `fields ${JSON.stringify(fields)}`);
          return `card “${m.content.head.text}”: ${fields.map((f) => f.key).join(' | ')}`;
        },
      );
      t.say(`${casey.display_name} in #general: “/simbot status”`);
      await t.check('the slash command "status" gets a status card naming who asked', async () => {
        const m = await command('status', 'the status card', (x) => x.content?.head?.text === 'Service status');
        const fields = m.content.body?.find((b) => b.type === 'fields')?.items ?? [];
        const asked = fields.find((f) => f.key === 'Asked by')?.value;
        assert(asked === casey.display_name, `Asked by: ${asked}`);
        return `card “${m.content.head.text}” (${m.content.head.sub_head?.text}), asked by ${asked}`;
      });
    },
  },
  {
    file: 'share-files.json',
    title: 'Sharing files into a channel',
    async run(t, nodes) {
      const { channels, blake, devon } = t.ws;
      const reports = await t.watch(channels.reports);
      const sharedFile = (name) =>
        waitFor(`the file ${name} in #reports`, async () => {
          for (const x of await reports.fresh()) {
            if (x.fileIds.length === 0) continue;
            const f = await t.sim.admin.file(x.fileIds[0]);
            if (f.name === name) return f;
          }
          return undefined;
        });
      await t.post(devon, channels.reports, 'Numbers for the export: 42 sign-ups this week');
      await t.post(blake, channels.reports, 'And 7 "enterprise" trials, quotes included');
      t.say('The daily export fires (the inject node "every day at 17:00", pressed through the Admin API)');
      await t.check('the daily export lists #reports and shares it there as a CSV file', async () => {
        await t.inject(nodeOf(nodes, 'inject').id);
        const f = await sharedFile(`channel-export-${today()}.csv`);
        const csv = (await t.sim.admin.fileContent(f.id)).toString('utf8');
        const rows = csv.trim().split('\n');
        assert(rows[0] === 'time,sender,message', `header ${rows[0]}`);
        assert(
          rows.some((r) => r.endsWith('"devon.patel@example.com","Numbers for the export: 42 sign-ups this week"')),
          `Devon’s message is not in the CSV:\n${csv}`,
        );
        assert(
          rows.some((r) => r.endsWith('"blake.chen@example.com","And 7 ""enterprise"" trials, quotes included"')),
          `Blake’s message is not quoted as CSV:\n${csv}`,
        );
        return `${f.name} (${rows.length - 1} rows, ${f.size} bytes) shared in #reports`;
      });
      t.say('Another system uploads a file: curl -F file=@release-notes.md POST /files');
      await t.check('a file POSTed to /files as multipart form data is shared in #reports (201)', async () => {
        const content = '# Release 2.4\n\n- faster search\n- dark mode\n';
        const form = new FormData();
        form.append('file', new Blob([content], { type: 'text/markdown' }), 'release-notes.md');
        const r = await t.http('/files', { method: 'POST', body: form });
        const body = await r.json();
        assert(
          r.status === 201 && body.shared === true && body.fileName === 'release-notes.md',
          `answered ${r.status} ${JSON.stringify(body)}`,
        );
        const f = await sharedFile('release-notes.md');
        const got = (await t.sim.admin.fileContent(f.id)).toString('utf8');
        assert(got === content, 'the shared bytes differ from the uploaded ones');
        return `${f.name} (${f.size} bytes) shared in #reports`;
      });
      await t.check('a POST /files without a file is refused with 400', async () => {
        const form = new FormData();
        form.append('comment', 'no file here');
        const r = await t.http('/files', { method: 'POST', body: form });
        const body = await r.json();
        assert(r.status === 400 && /multipart/.test(body.error), `answered ${r.status} ${JSON.stringify(body)}`);
        return `400 ${JSON.stringify(body)}`;
      });
      // The other way: a person shares a file, the flow downloads it (zoom message → Download files).
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(12_345 - 9)]);
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      t.say(
        `${blake.display_name} shares report.pdf (${pdf.length.toLocaleString('en-US')} bytes) in #reports: “Q2 report”`,
      );
      const shared = await t.sim.admin.uploadFile({
        as: blake.email,
        channel: channels.reports.id,
        fileName: 'report.pdf',
        base64: pdf.toString('base64'),
        contentType: 'application/pdf',
        message: 'Q2 report',
      });
      await t.check(
        'a file a person shares in #reports is downloaded by the flow, which answers in its thread with its name, size and SHA-256',
        async () => {
          const m = await reports.next(
            'the receipt in the thread',
            (x) => x.replyTo === shared.message.id && x.text.startsWith('📥'),
          );
          const [first, second] = m.text.split('\n');
          assert(
            first === `📥 Received report.pdf from ${blake.email}: 12,345 bytes (application/pdf)`,
            `answered ${quote(m.text)}`,
          );
          // The bytes went there and back: the flow's hash of what it downloaded is the hash of what Blake shared.
          assert(
            second === `SHA-256 ${sha256}` && shared.file.sha256 === sha256,
            `hash ${second}, ours ${sha256}, the simulator's ${shared.file.sha256}`,
          );
          return `in the thread: ${quote(first)}, SHA-256 ${sha256.slice(0, 12)}… matches`;
        },
      );
      await t.check('files the flow shares itself get no receipt (the trigger skips its own messages)', async () => {
        await settle(t.sim);
        const fresh = await reports.fresh();
        const own = new Set(fresh.filter((x) => x.fileIds.length > 0 && x.senderId === t.ws.owner.id).map((x) => x.id));
        assert(own.size === 2, `${own.size} files shared by the app`);
        const receipts = fresh.filter((x) => x.text.startsWith('📥'));
        assert(
          receipts.length === 1 && !own.has(receipts[0].replyTo),
          `${receipts.length} receipts: ${receipts.map((x) => quote(x.text)).join(', ')}`,
        );
      });
    },
  },
  {
    file: 'collaborative-tasks.json',
    title: 'Managing collaborative tasks',
    async run(t) {
      const { channels, blake, casey, owner } = t.ws;
      const projects = await t.watch(channels.projects);
      const tasks = async () => {
        const r = await t.http('/tasks');
        assert(r.ok, `GET /tasks answered ${r.status}`);
        return r.json();
      };
      const todo = await t.post(blake, channels.projects, 'todo: write the release notes');
      await t.check('a message with the keyword becomes task #1, confirmed in its thread', async () => {
        const m = await projects.next('the confirmation', (x) =>
          x.text.startsWith('📌 Task #1 tracked: write the release notes'),
        );
        assert(m.replyTo === todo.id, `not in the thread of the todo (replyTo ${m.replyTo})`);
        assert(m.senderId === owner.id, 'not sent by the app user');
        return `in the thread: ${quote(m.text)}`;
      });
      await t.check('the task is tracked in the flow context (GET /tasks)', async () => {
        const list = await tasks();
        assert(list.length === 1, `${list.length} tasks`);
        const [task] = list;
        assert(
          task.id === 1 &&
            task.text === 'write the release notes' &&
            task.owner === blake.email &&
            task.done === false &&
            task.messageId === todo.id,
          JSON.stringify(task),
        );
        return `GET /tasks → ${JSON.stringify({ id: task.id, text: task.text, owner: task.owner, done: task.done })}`;
      });
      const chat = await t.post(casey, channels.projects, 'Nice, I can review them tomorrow');
      const done = await t.post(casey, channels.projects, 'done #1');
      await t.check('"done #1" closes the task, confirmed in its thread', async () => {
        const m = await projects.next(
          'the done confirmation',
          (x) => x.text === '✅ Task #1 done: write the release notes',
        );
        assert(m.replyTo === done.id, 'not in the thread of the done message');
        const [task] = await tasks();
        assert(task.done === true && task.doneBy === casey.email, JSON.stringify(task));
        return `in the thread: ${quote(m.text)}; GET /tasks shows it done by ${task.doneBy}`;
      });
      await t.check('a message without a keyword gets no answer', async () => {
        await settle(t.sim);
        const replies = (await projects.fresh()).filter((m) => m.replyTo === chat.id);
        assert(replies.length === 0, `answered: ${quote(replies[0]?.text)}`);
      });
      const ask = await t.post(blake, channels.projects, 'tasks');
      await t.check('"tasks" lists the open tasks (none left)', async () => {
        const m = await projects.next('the task list', (x) => x.replyTo === ask.id);
        assert(m.text === 'No open tasks.', `answered ${quote(m.text)}`);
        return `in the thread: ${quote(m.text)}`;
      });
    },
  },
  {
    file: 'channel-relay.json',
    title: 'Real-time relay between channels',
    async run(t) {
      const { channels, blake, devon, owner } = t.ws;
      const engineering = await t.watch(channels.engineering);
      await t.post(blake, channels.support, 'Customer reports login errors on the EU cluster');
      await t.check('a message in #support is relayed into #engineering with its author', async () => {
        const m = await engineering.next('the relayed message', (x) => x.text.startsWith('💬 '));
        assert(
          m.text === '💬 blake.chen@example.com in #support: Customer reports login errors on the EU cluster',
          `relayed as ${quote(m.text)}`,
        );
        assert(m.senderId === owner.id, 'not sent by the app user');
        return `#engineering: ${quote(m.text)}`;
      });
      await t.post(devon, channels.projects, 'This one stays in #projects');
      await t.check('messages of other channels are not relayed', async () => {
        await settle(t.sim);
        const relayed = (await engineering.fresh()).filter((m) => m.text.startsWith('💬 '));
        assert(
          relayed.length === 1,
          `${relayed.length} relayed messages: ${relayed.map((m) => quote(m.text)).join(', ')}`,
        );
      });
    },
  },
  {
    file: 'events-over-websocket.json',
    title: 'Events without a public URL (WebSocket delivery)',
    async run(t) {
      const { channels, casey, owner, wsSubscription } = t.ws;
      const ops = await t.watch(channels.ops);
      const sockets = async () =>
        (await t.sim.admin.webSocketSubscriptions()).find((x) => x.id === wsSubscription.id)?.sockets ?? [];
      await t.check(
        'the trigger connected to its WebSocket subscription (one socket open, no webhook URL)',
        async () => {
          const open = await waitFor('the socket', async () => ((await sockets()).length > 0 ? sockets() : undefined));
          assert(open.length === 1, `${open.length} sockets`);
          return `subscription ${wsSubscription.id}: 1 socket`;
        },
      );
      const ping = await t.post(casey, channels.ops, '!ping');
      await t.check('"!ping" is answered in its thread: the event came over the socket', async () => {
        const m = await ops.next('the pong', (x) => x.text.startsWith('🏓 pong'));
        assert(m.replyTo === ping.id, `not in the thread of !ping (replyTo ${m.replyTo})`);
        assert(m.senderId === owner.id, 'not sent by the app user');
        const sent = (await t.sim.admin.webSocketDeliveries(wsSubscription.id)).filter((e) => e.delivered);
        assert(sent.length > 0, 'the simulator sent nothing over the socket');
        return `in the thread: ${quote(m.text)}`;
      });
      t.say('The connection drops (the simulator closes the socket, as a network failure would)');
      await t.check('after a drop the trigger reconnects by itself and answers "!help"', async () => {
        const { dropped } = await t.sim.admin.dropWebSockets({ subscriptionId: wsSubscription.id });
        assert(dropped === 1, `${dropped} sockets dropped`);
        await waitFor('the socket to come back', async () => (await sockets()).length === 1, 15_000);
        const help = await t.post(casey, channels.ops, '!help');
        const m = await ops.next('the help', (x) => x.text.startsWith('Commands:'));
        assert(m.replyTo === help.id, 'not in the thread of !help');
        return `reconnected; in the thread: ${quote(m.text)}`;
      });
      const chat = await t.post(casey, channels.ops, 'just chatting');
      await t.check('a message without a command gets no answer', async () => {
        await settle(t.sim);
        const replies = (await ops.fresh()).filter((m) => m.replyTo === chat.id);
        assert(replies.length === 0, `answered: ${quote(replies[0]?.text)}`);
      });
    },
  },
  {
    file: 'third-party-webhook.json',
    title: 'Integrating a third-party app (a CI webhook)',
    async run(t) {
      const { channels, secrets } = t.ws;
      const builds = await t.watch(channels.builds);
      const run = failedWorkflowRun({
        repo: 'acme/shop',
        workflow: 'CI',
        branch: 'main',
        url: 'https://github.com/acme/shop/actions/runs/42',
        commit: 'Add the checkout page\n\nLonger description',
        actor: 'octocat',
      });
      const post = (body, headers = {}, query = '') =>
        t.http(`/hooks/ci${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', ...headers },
          body: JSON.stringify(body),
        });
      t.say('GitHub Actions calls POST /hooks/ci (workflow_run, completed, failure) with the shared token');
      await t.check('a CI result is posted into #builds (202)', async () => {
        const r = await post(run, { 'x-webhook-token': secrets.WEBHOOK_TOKEN });
        assert(r.status === 202, `answered ${r.status} ${await r.text()}`);
        const m = await builds.next('the CI message', (x) => x.text.startsWith('❌ acme/shop: CI on main failure'));
        assert(
          m.text.includes('Add the checkout page (octocat)') &&
            m.text.includes('https://github.com/acme/shop/actions/runs/42'),
          quote(m.text),
        );
        return `#builds: ${quote(m.text)}`;
      });
      await t.check('a call without the right token is refused with 401 and nothing is posted', async () => {
        const r = await post(run, { 'x-webhook-token': 'wrong' });
        assert(r.status === 401, `answered ${r.status}`);
        const r2 = await post(run);
        assert(r2.status === 401, `no token: answered ${r2.status}`);
        await settle(t.sim);
        assert((await builds.fresh()).length === 1, 'something was posted');
        return '401 for a wrong and for a missing token';
      });
      await t.check('a run that has not completed yet is acknowledged (204) without a message', async () => {
        const r = await post({ ...run, action: 'requested' }, {}, `?token=${secrets.WEBHOOK_TOKEN}`);
        assert(r.status === 204, `answered ${r.status}`);
        await settle(t.sim);
        assert((await builds.fresh()).length === 1, 'something was posted');
      });
      await t.check('a generic {"text": …} payload is posted as is (token in the query string)', async () => {
        const r = await post({ text: 'Deploy of shop 2.4 to staging finished' }, {}, `?token=${secrets.WEBHOOK_TOKEN}`);
        assert(r.status === 202, `answered ${r.status}`);
        const m = await builds.next('the text message', (x) => x.text === 'Deploy of shop 2.4 to staging finished');
        return `#builds: ${quote(m.text)}`;
      });
    },
  },
  {
    file: 'deployment-approval.json',
    title: 'Approvals: a deployment waits for a person (zoom ask)',
    async run(t) {
      const { channels, casey, devon, owner } = t.ws;
      const deploys = channels.deploys;
      const watch = await t.watch(deploys);
      const thread = async (main) =>
        (await t.sim.admin.channelMessages(deploys.id)).filter((m) => m.replyTo === main.id);
      let question;
      t.say(
        'CI asks for a deployment: POST /deploy-requests {"service":"shop","version":"2.4.0","requestedBy":"ci@example.com"}',
      );
      await t.check(
        'the request is answered 202 and the question is posted in #deploys, to be answered in its thread',
        async () => {
          const r = await t.http('/deploy-requests', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ service: 'shop', version: '2.4.0', requestedBy: 'ci@example.com' }),
          });
          assert(r.status === 202, `answered ${r.status} ${await r.text()}`);
          question = await watch.next(
            'the question',
            (x) => !x.replyTo && x.text.includes('Deploy shop 2.4.0 to production?'),
          );
          assert(question.senderId === owner.id, 'not sent by the app user');
          assert(question.text.includes('Reply in this thread: Approve / Decline'), quote(question.text));
          return `#deploys: ${quote(question.text.split('\n')[1])}, asking for Approve / Decline in the thread`;
        },
      );
      if (!question) return;
      await t.reply(casey, deploys, question, 'approve');
      await t.check(
        '“approve” answers the question: the flow goes on and deploys, and the thread shows the outcome',
        async () => {
          const deploying = await watch.next(
            'the deploying message',
            (x) => x.replyTo === question.id && x.text.startsWith('🚀 Deploying shop 2.4.0'),
          );
          assert(deploying.text === `🚀 Deploying shop 2.4.0 (approved by ${casey.email})`, quote(deploying.text));
          const outcome = await watch.next(
            'the outcome',
            (x) => x.replyTo === question.id && x.text.startsWith('✅ Approve — by'),
          );
          assert(outcome.text.startsWith(`✅ Approve — by ${casey.email} at `), quote(outcome.text));
          return `in the thread: ${quote(deploying.text)}; the question: ${quote(outcome.text.replace(/ at .*$/, ''))}`;
        },
      );
      await t.reply(devon, deploys, question, 'decline');
      await t.check(
        'a second answer changes nothing: Devon is told once that the question is closed, nothing else happens',
        async () => {
          const notice = await watch.next(
            'the notice',
            (x) => x.replyTo === question.id && x.text.startsWith('This question is closed.'),
          );
          assert(notice.text.startsWith(`This question is closed. ✅ Approve — by ${casey.email}`), quote(notice.text));
          await settle(t.sim);
          const replies = (await thread(question)).filter((m) => m.senderId === owner.id);
          const count = (prefix) => replies.filter((m) => m.text.startsWith(prefix)).length;
          assert(
            count('🚀') === 1 && count('❌') === 0 && count('This question is closed.') === 1 && replies.length === 3,
            `the app's replies: ${replies.map((m) => quote(m.text)).join(', ')}`,
          );
          return `in the thread: ${quote(notice.text)}`;
        },
      );
    },
  },
];

/** Runs the scenario of each example file given (all use cases must be known). */
export async function runUseCases(t, files, { onTitle } = {}) {
  for (const file of files) {
    const name = path.basename(file);
    const useCase = USE_CASES.find((u) => u.file === name);
    if (!useCase) {
      await t.check(`${name} has a scenario`, () => {
        throw new Error(`no scenario for ${name} in nr-use-cases.mjs: every example must be run`);
      });
      continue;
    }
    onTitle?.(useCase.title, name);
    await useCase.run(t, readFlow(file));
  }
}
