/**
 * The zoom ask node inside the Node-RED runtime (test helper) against the Zoom simulator: chatbot
 * cards answered by a click (the simulator's signed interactive_message_actions), user messages
 * answered in their thread, timeouts, late and second answers, forged clicks, allowed responders,
 * and open questions that outlive their node.
 */
import { signWebhook } from '@zoom-team-chat/core';
import { startSimulator, type AdminMessage, type AdminUser, type Simulator } from '@zoom-team-chat/simulator';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { carriedStates } from '../src/nodes/zoom-team-chat-ask/zoom-team-chat-ask';
import { allNodes, collect, helper, mountRoot, nextError, statuses, warnings, type TestNode } from './support/red';

let sim: Simulator;
let server: Server | undefined;
let people: { owner: AdminUser; blake: AdminUser; casey: AdminUser; devon: AdminUser };
let general: { id: string; jid: string };

beforeAll(async () => {
  sim = await startSimulator({ fileStorage: 'memory', fixtures: 'default', plan: 'off' });
  const users = await sim.admin.users();
  const by = (prefix: string) => users.find((u) => u.email.startsWith(prefix))!;
  people = {
    owner: users.find((u) => u.role === 'owner')!,
    blake: by('blake.'),
    casey: by('casey.'),
    devon: by('devon.'),
  };
  const channel = (await sim.admin.channels()).find((c) => c.name === 'general')!;
  general = { id: channel.id, jid: channel.jid };
});
afterAll(async () => {
  await sim.close();
});
async function stopAll(): Promise<void> {
  await helper.unload();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  for (const sub of await sim.admin.webhooks()) await sim.admin.unsubscribe(sub.id);
  // A new process starts with no questions handed over in memory.
  carriedStates.clear();
}

afterEach(async () => {
  await stopAll();
  helper.settings({});
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stands for a file on disk: outlives the runtime (a new store instance reads the same data). */
const disk = new Map<string, Map<string, string>>();

/** A Node-RED context store plugin persisting (as JSON) to `disk`, like localfilesystem does. */
function fileLikeStore() {
  const scope = (s: string) => disk.get(s) ?? disk.set(s, new Map()).get(s)!;
  return {
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    get(s: string, key: string, cb: (err: Error | null, value?: unknown) => void) {
      const v = disk.get(s)?.get(key);
      cb(null, v === undefined ? undefined : JSON.parse(v));
    },
    set(s: string, key: string, value: unknown, cb?: (err: Error | null) => void) {
      if (value === undefined) scope(s).delete(key);
      else scope(s).set(key, JSON.stringify(value));
      cb?.(null);
    },
    keys(s: string, cb: (err: Error | null, keys: string[]) => void) {
      cb(null, [...(disk.get(s)?.keys() ?? [])]);
    },
    delete(s: string) {
      disk.delete(s);
      return Promise.resolve();
    },
    // A file is not cleaned by a process that dies; a runtime that keeps the node keeps it too.
    clean: () => Promise.resolve(),
  };
}

async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(40);
  }
}

/** Lets every webhook the simulator has queued arrive and be handled. */
async function settle(): Promise<void> {
  await sim.admin.settleWebhooks();
  await pause(300);
}

const BOT_PATH = '/zoom/bot';
const S2S_PATH = '/zoom/events';

function accounts() {
  const c = sim.credentials;
  const urls = { apiUrl: sim.urls.api, fileUrl: sim.urls.file, oauthUrl: sim.urls.oauth };
  return {
    nodes: [
      {
        id: 'acc',
        type: 'zoom-team-chat-account',
        authKind: 'account',
        plan: 'pro',
        userId: people.owner.email,
        botJid: '',
        ...urls,
      },
      {
        id: 'bot',
        type: 'zoom-team-chat-account',
        authKind: 'chatbot',
        plan: 'pro',
        userId: '',
        botJid: c.chatbot.botJid,
        ...urls,
      },
    ],
    creds: {
      acc: {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        accountId: c.accountId,
        webhookSecretToken: c.webhookSecretToken,
      },
      bot: {
        clientId: c.chatbot.clientId,
        clientSecret: c.chatbot.clientSecret,
        accountId: c.chatbot.accountId,
        webhookSecretToken: c.webhookSecretToken,
      },
    },
  };
}

function askNode(overrides: Record<string, unknown>) {
  return {
    id: 'ask',
    type: 'zoom-team-chat-ask',
    account: 'acc',
    title: 'Deployment approval',
    question: '',
    timeout: 0,
    wires: [['ans'], ['tmo']],
    ...overrides,
  };
}

/**
 * Deploys both accounts, a trigger on each (their Events filters leave the clicks and replies out:
 * the ask node must get them anyway), `nodes`, and the two output collectors; subscribes the
 * triggers' URLs with the simulator.
 */
async function deploy(
  nodes: Array<Record<string, unknown>>,
  options: { contextStorage?: Record<string, unknown>; triggers?: boolean } = {},
) {
  const { nodes: accountNodes, creds } = accounts();
  helper.settings(options.contextStorage ? { contextStorage: options.contextStorage } : {});
  const flow = [
    ...accountNodes,
    ...(options.triggers === false
      ? []
      : [
          {
            id: 'trig-bot',
            type: 'zoom-team-chat-trigger',
            account: 'bot',
            path: BOT_PATH,
            events: 'bot_notification',
            wires: [[]],
          },
          {
            id: 'trig-s2s',
            type: 'zoom-team-chat-trigger',
            account: 'acc',
            path: S2S_PATH,
            events: 'chat_channel.created',
            wires: [[]],
          },
        ]),
    ...nodes,
    { id: 'ans', type: 'helper' },
    { id: 'tmo', type: 'helper' },
  ];
  await helper.load(allNodes, accountNodes, creds);
  // The helper skips the runtime's loading of settings.contextStorage; the flows below start with it.
  if (options.contextStorage) await (helper as unknown as { _context: { load(): Promise<void> } })._context.load();
  const root = mountRoot();
  await helper.setFlows(flow, 'full', creds);
  server = createServer(root);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secretToken = sim.credentials.webhookSecretToken;
  if (options.triggers !== false) {
    await sim.admin.subscribe({
      url: `${base}${BOT_PATH}`,
      events: ['interactive_message_actions'],
      secretToken,
      kind: 'chatbot',
      botJid: sim.credentials.chatbot.botJid,
    });
    await sim.admin.subscribe({
      url: `${base}${S2S_PATH}`,
      events: ['team_chat.channel_message_posted', 'team_chat.dm_message_posted', 'chat_message.replied'],
      secretToken,
    });
  }
  const node = (id: string) => helper.getNode(id) as TestNode;
  return { flow, creds, base, node, answered: collect(node('ans')), timedOut: collect(node('tmo')) };
}

type BotMessage = {
  id: string;
  content: { head?: { text?: string }; body?: Array<Record<string, any>> };
  toJid: string;
  visibleToUser?: string;
  userJid: string;
};

async function botMessages(): Promise<BotMessage[]> {
  return (await sim.admin.botMessages()) as unknown as BotMessage[];
}

/** The card the ask node posted (the newest bot message with buttons), once it is there. */
async function postedCard(before: Set<string>): Promise<BotMessage> {
  return waitFor('the question card', async () =>
    (await botMessages()).find((m) => !before.has(m.id) && (m.content.body ?? []).some((b) => b.type === 'actions')),
  );
}

async function botMessageIds(): Promise<Set<string>> {
  return new Set((await botMessages()).map((m) => m.id));
}

async function channelMessages(): Promise<AdminMessage[]> {
  return sim.admin.channelMessages(general.id);
}

/** The question message the ask node posted in #general. */
async function postedQuestion(text: string): Promise<AdminMessage> {
  return waitFor('the question message', async () =>
    (await channelMessages()).find((m) => m.text.includes(text) && m.replyTo === undefined),
  );
}

async function threadOf(id: string): Promise<AdminMessage[]> {
  return (await channelMessages()).filter((m) => m.replyTo === id);
}

describe('zoom ask with a Chatbot account: a card with buttons', () => {
  it('posts the card, a click answers it (output 1, value without the token), and the card is closed', async () => {
    const d = await deploy([askNode({ account: 'bot', toJid: general.jid, userJid: people.owner.jid })]);
    const seenStatus = statuses(d.node('ask'));
    const before = await botMessageIds();
    d.node('ask').receive({ payload: 'Deploy shop 2.4 to production?', correlation: 'build-42' });
    const card = await postedCard(before);
    expect(card.toJid).toBe(general.jid);
    expect(card.content.head?.text).toBe('Deployment approval');
    const buttons = card.content.body!.find((b) => b.type === 'actions')!.items as Array<{
      text: string;
      value: string;
      style: string;
    }>;
    expect(buttons.map((b) => [b.text, b.style])).toEqual([
      ['Approve', 'Primary'],
      ['Decline', 'Danger'],
    ]);
    // The value names the question (a token), not just the answer.
    expect(buttons[0]!.value).toMatch(/^[0-9a-f]{16}:approve$/);
    await waitFor('status waiting (1)', () => seenStatus.some((s) => s.text === 'waiting (1)'));

    const click = await sim.admin.click({ as: people.casey.email, messageId: card.id, text: 'Approve' });
    expect(click.actionItem.value).toBe(buttons[0]!.value);
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.payload).toBe('approve');
    expect(msg.correlation).toBe('build-42');
    expect(msg.zoom.answer).toMatchObject({
      value: 'approve',
      text: 'Approve',
      userId: people.casey.id,
      userJid: people.casey.jid,
      userName: people.casey.display_name,
      via: 'button',
    });
    expect(Date.parse(msg.zoom.answer.respondedAt)).toBeGreaterThan(0);
    expect(msg.zoom.question).toMatchObject({ kind: 'chatbot', messageId: card.id, toJid: general.jid });
    expect(d.timedOut).toHaveLength(0);

    // The buttons are gone, the outcome in their place.
    const edited = await waitFor('the edited card', async () =>
      (await botMessages()).find((m) => m.id === card.id && !(m.content.body ?? []).some((b) => b.type === 'actions')),
    );
    const lines = edited.content.body!.map((b) => b.text as string);
    expect(lines[0]).toBe('Deploy shop 2.4 to production?');
    expect(lines[1]).toMatch(
      new RegExp(`^✅ Approve — by ${people.casey.display_name} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`),
    );
    await waitFor('status answered', () => seenStatus.at(-1)?.text === 'answered');
  });

  it('a second click (both made before the card was closed) changes nothing and is told the question is closed', async () => {
    const d = await deploy([askNode({ account: 'bot', toJid: general.jid, userJid: people.owner.jid })]);
    const before = await botMessageIds();
    d.node('ask').receive({ payload: 'Restart the database?' });
    const card = await postedCard(before);
    await Promise.all([
      sim.admin.click({ as: people.casey.email, messageId: card.id, text: 'Decline' }),
      sim.admin.click({ as: people.devon.email, messageId: card.id, text: 'Approve' }),
    ]);
    await settle();
    await waitFor('the answer', () => d.answered[0]);
    await settle();
    expect(d.answered).toHaveLength(1);
    expect(d.answered[0]!.payload).toBe('decline');
    expect(d.answered[0]!.zoom.answer.userId).toBe(people.casey.id);
    const notice = await waitFor('the closed notice', async () =>
      (await botMessages()).find((m) => !before.has(m.id) && m.id !== card.id && m.visibleToUser === people.devon.jid),
    );
    expect(notice.content.body![0]!.text).toMatch(/^This question is closed\. ❌ Decline — by Casey Diaz/);
    expect(notice.toJid).toBe(general.jid);
    const final = (await botMessages()).find((m) => m.id === card.id)!;
    expect(final.content.body![1]!.text).toMatch(/^❌ Decline — by Casey Diaz/);
  });

  it('a forged click (bad signature) is refused by the trigger and changes nothing; a real click still answers', async () => {
    const d = await deploy([askNode({ account: 'bot', toJid: general.jid, userJid: people.owner.jid })]);
    const before = await botMessageIds();
    d.node('ask').receive({ payload: 'Give Devon admin rights?' });
    const card = await postedCard(before);
    const value = (card.content.body!.find((b) => b.type === 'actions')!.items as Array<{ value: string }>)[0]!.value;
    const forged = JSON.stringify({
      event: 'interactive_message_actions',
      event_ts: Date.now(),
      payload: {
        accountId: sim.credentials.chatbot.accountId,
        robotJid: sim.credentials.chatbot.botJid,
        toJid: general.jid,
        messageId: card.id,
        actionItem: { text: 'Approve', value },
        userId: people.devon.id,
        userJid: people.devon.jid,
        userName: people.devon.display_name,
        timestamp: Date.now(),
        original: card.content,
      },
    });
    const res = await fetch(`${d.base}${BOT_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook({ secret: 'not-the-secret', rawBody: forged }) },
      body: forged,
    });
    expect(res.status).toBe(401);
    await pause(300);
    expect(d.answered).toHaveLength(0);
    expect((await botMessages()).find((m) => m.id === card.id)!.content.body!.some((b) => b.type === 'actions')).toBe(
      true,
    );

    // The same body signed with the real secret is what Zoom would send: it answers.
    const genuine = await fetch(`${d.base}${BOT_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signWebhook({ secret: sim.credentials.webhookSecretToken, rawBody: forged }),
      },
      body: forged,
    });
    expect(genuine.status).toBe(200);
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.zoom.answer).toMatchObject({ value: 'approve', userId: people.devon.id });
  });

  it('allowed responders: a click by anybody else is ignored (and they are told), the allowed one answers', async () => {
    const d = await deploy([
      askNode({
        account: 'bot',
        toJid: general.jid,
        userJid: people.owner.jid,
        allowed: `${people.casey.id}, someone@else`,
      }),
    ]);
    const before = await botMessageIds();
    d.node('ask').receive({ payload: 'Ship it?' });
    const card = await postedCard(before);
    await sim.admin.click({ as: people.devon.email, messageId: card.id, text: 'Approve' });
    const told = await waitFor('the notice to Devon', async () =>
      (await botMessages()).find((m) => m.visibleToUser === people.devon.jid && !before.has(m.id)),
    );
    expect(told.content.body![0]!.text).toBe('You are not one of the people who can answer this question.');
    expect(d.answered).toHaveLength(0);
    await sim.admin.click({ as: people.casey.email, messageId: card.id, text: 'Decline' });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.zoom.answer).toMatchObject({ value: 'decline', userId: people.casey.id });
  });
});

describe('zoom ask with a user account: a message answered in its thread', () => {
  it('a reply naming an option answers; the outcome is posted in the thread; a late reply is told once that it is closed', async () => {
    const d = await deploy([askNode({ channel: general.id })]);
    d.node('ask').receive({ payload: 'Roll out the new pricing page?', ticket: 'OPS-7' });
    const question = await postedQuestion('Roll out the new pricing page?');
    expect(question.text).toBe(
      'Deployment approval\nRoll out the new pricing page?\n\nReply in this thread: Approve / Decline',
    );
    expect(question.senderId).toBe(people.owner.id);

    // Chatting is not answering: one hint per person.
    await sim.admin.reply({ as: people.blake.email, channel: general.id, replyTo: question.id, text: 'why now?' });
    await sim.admin.reply({ as: people.blake.email, channel: general.id, replyTo: question.id, text: 'hmm' });
    await settle();
    expect(d.answered).toHaveLength(0);
    expect((await threadOf(question.id)).filter((m) => m.text.startsWith('Not an answer'))).toHaveLength(1);

    await sim.admin.reply({
      as: people.casey.email,
      channel: general.id,
      replyTo: question.id,
      text: 'Decline, not before the freeze ends.',
    });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.payload).toBe('decline');
    expect(msg.ticket).toBe('OPS-7');
    expect(msg.zoom.answer).toMatchObject({
      value: 'decline',
      text: 'Decline, not before the freeze ends.',
      userId: people.casey.id,
      userEmail: people.casey.email,
      via: 'thread',
    });
    expect(msg.zoom.question).toMatchObject({ kind: 'message', messageId: question.id, channel: general.id });
    const outcome = await waitFor('the outcome in the thread', async () =>
      (await threadOf(question.id)).find((m) => m.text.startsWith('❌ Decline — by')),
    );
    expect(outcome.text).toMatch(new RegExp(`^❌ Decline — by ${people.casey.email} at .+ UTC$`));

    // Late (and second) answers: nothing leaves; Devon is told once.
    await sim.admin.reply({ as: people.devon.email, channel: general.id, replyTo: question.id, text: 'approve' });
    await sim.admin.reply({ as: people.devon.email, channel: general.id, replyTo: question.id, text: 'approve!!' });
    await settle();
    expect(d.answered).toHaveLength(1);
    const closedNotices = (await threadOf(question.id)).filter((m) => m.text.startsWith('This question is closed.'));
    expect(closedNotices).toHaveLength(1);
    // Our own replies came back as events too and were not taken for answers.
    const ours = (await threadOf(question.id)).filter((m) => m.senderId === people.owner.id).map((m) => m.text);
    expect(ours).toHaveLength(3);
    expect(ours[0]).toMatch(/^Not an answer: reply with one of Approve \/ Decline\.$/);
    expect(ours[1]).toMatch(/^❌ Decline — by /);
    expect(ours[2]).toMatch(/^This question is closed\. ❌ Decline — by /);
  });

  it('times out: output 2 with msg.zoom.timedOut, the outcome in the thread, and a later reply answers nothing', async () => {
    const d = await deploy([askNode({ channel: general.id, timeout: 0.01, freeText: true })]);
    const seenStatus = statuses(d.node('ask'));
    d.node('ask').receive({ payload: 'Anyone to review PR 12?', topic: 'review' });
    const question = await postedQuestion('Anyone to review PR 12?');
    expect(question.text).toContain('Reply in this thread: Approve / Decline (or any other answer).');
    expect(question.text).toMatch(/Answer by .+ UTC\.$/);
    const msg = await waitFor('the timeout', () => d.timedOut[0]);
    expect(msg.zoom.timedOut).toBe(true);
    expect(msg.payload).toBe('Anyone to review PR 12?');
    expect(msg.topic).toBe('review');
    expect(msg.zoom.question.expiresAt).toBeDefined();
    await waitFor('status timed out', () => seenStatus.at(-1)?.text === 'timed out');
    await waitFor('the timeout in the thread', async () =>
      (await threadOf(question.id)).find((m) => m.text.startsWith('⌛ No answer by')),
    );
    await sim.admin.reply({ as: people.casey.email, channel: general.id, replyTo: question.id, text: 'I can do it' });
    await settle();
    expect(d.answered).toHaveLength(0);
    expect(d.timedOut).toHaveLength(1);
    await waitFor('the closed notice', async () =>
      (await threadOf(question.id)).find((m) => m.text.startsWith('This question is closed. ⌛')),
    );
  });

  it('free text: any reply is the answer when "Accept any text" is on', async () => {
    const d = await deploy([askNode({ channel: general.id, freeText: true, buttons: [] })]);
    d.node('ask').receive({ payload: 'Which version goes out tonight?' });
    const question = await postedQuestion('Which version goes out tonight?');
    expect(question.text).toContain('Reply in this thread with your answer.');
    await sim.admin.reply({ as: people.devon.email, channel: general.id, replyTo: question.id, text: ' 2.4.1 ' });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.payload).toBe('2.4.1');
    expect(msg.zoom.answer).toMatchObject({ value: '2.4.1', text: ' 2.4.1 ', via: 'thread' });
  });

  it('allowed responders (by email): another person is ignored and told once; the allowed one answers', async () => {
    const d = await deploy([askNode({ channel: general.id, allowed: people.casey.email })]);
    d.node('ask').receive({ payload: 'Merge the hotfix?' });
    const question = await postedQuestion('Merge the hotfix?');
    await sim.admin.reply({ as: people.devon.email, channel: general.id, replyTo: question.id, text: 'approve' });
    await waitFor('the notice', async () =>
      (await threadOf(question.id)).find((m) => m.text.includes('you are not one of the people who can answer')),
    );
    expect(d.answered).toHaveLength(0);
    await sim.admin.reply({ as: people.casey.email, channel: general.id, replyTo: question.id, text: 'APPROVE' });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.zoom.answer).toMatchObject({ value: 'approve', userEmail: people.casey.email });
  });

  it('asks a contact in a direct message; the reply in that thread answers', async () => {
    const d = await deploy([
      askNode({ contact: people.blake.email, question: 'Can you take the on-call shift on Friday?' }),
    ]);
    d.node('ask').receive({ payload: 'ignored: the node has a question' });
    const question = await waitFor('the direct message', async () =>
      (await sim.admin.directMessages(people.owner.email, people.blake.email)).find((m) =>
        m.text.includes('on-call shift'),
      ),
    );
    await sim.admin.reply({ as: people.blake.email, to: people.owner.email, replyTo: question.id, text: 'approve' });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg.zoom.answer).toMatchObject({ value: 'approve', userEmail: people.blake.email, via: 'thread' });
  });
});

describe('zoom ask: set-up mistakes', () => {
  it('warns (once) when no zoom trigger uses its account, since no answer could arrive', async () => {
    const d = await deploy([askNode({ channel: general.id })], { triggers: false });
    const warned = warnings(d.node('ask'));
    d.node('ask').receive({ payload: 'Is anybody listening?' });
    d.node('ask').receive({ payload: 'Still nobody?' });
    await postedQuestion('Still nobody?');
    expect(warned.filter((w) => w.startsWith('No zoom trigger uses this account node'))).toHaveLength(1);
  });

  it('reports a missing question or destination through done(err), for Catch nodes', async () => {
    const d = await deploy([askNode({ account: 'bot', toJid: '', userJid: people.owner.jid })]);
    let failed = nextError(d.node('ask'));
    d.node('ask').receive({ payload: { not: 'a question' } });
    expect((await failed).message).toMatch(/^The question is required/);
    failed = nextError(d.node('ask'));
    d.node('ask').receive({ payload: 'To whom?' });
    expect((await failed).message).toMatch(/^The channel or user JID \(To JID\) is required/);
    expect(d.answered).toHaveLength(0);
  });
});

describe('zoom ask: open questions outlive their node', () => {
  it('a redeploy re-creates the node from its context: the answer to a question asked before leaves from the new node', async () => {
    const d = await deploy([askNode({ channel: general.id })]);
    d.node('ask').receive({ payload: 'Rotate the API keys?', ticket: 'SEC-3', req: { not: 'stored' } });
    const question = await postedQuestion('Rotate the API keys?');
    const first = d.node('ask');
    // Same id, new settings: Node-RED closes the node and creates it again; its context stays.
    const changed = d.flow.map((n) => (n.id === 'ask' ? { ...n, name: 'renamed' } : n));
    await helper.setFlows(changed, 'nodes', d.creds);
    const second = d.node('ask');
    expect(second).not.toBe(first);
    const answered = collect(d.node('ans'));
    await pause(200);
    await sim.admin.reply({ as: people.casey.email, channel: general.id, replyTo: question.id, text: 'approve' });
    const msg = await waitFor('the answer', () => answered[0]);
    expect(msg.payload).toBe('approve');
    // The stored copy of the message: small and JSON-safe (req is never stored).
    expect(msg.ticket).toBe('SEC-3');
    expect(msg.req).toBeUndefined();
    expect(msg._msgid).toBeDefined();
  });

  it("with a persistent context store (the node's Context store setting) a question survives a restart of Node-RED", async () => {
    const contextStorage = { disk: { module: fileLikeStore } };
    let d = await deploy([askNode({ channel: general.id, store: 'disk', timeout: 30 })], { contextStorage });
    d.node('ask').receive({ payload: 'Upgrade the cluster tonight?', ticket: 'OPS-9' });
    const question = await postedQuestion('Upgrade the cluster tonight?');
    const saved = await waitFor('the question on disk', () => {
      // The node's scope: its id (and its flow's, when it has one).
      const state = [...disk.entries()].find(([scope]) => scope.split(':')[0] === 'ask')?.[1].get('zoomAskQuestions');
      const pending =
        state === undefined ? [] : Object.values((JSON.parse(state) as { pending: Record<string, any> }).pending);
      return pending.length === 1 ? pending[0] : undefined;
    });
    expect(saved).toMatchObject({
      messageId: question.id,
      channel: general.id,
      msg: { ticket: 'OPS-9', payload: 'Upgrade the cluster tonight?' },
    });
    expect(saved.expiresAt - saved.askedAt).toBe(30 * 60_000);

    // Node-RED stops (nothing in memory survives), then starts again from the same store.
    await stopAll();
    d = await deploy([askNode({ channel: general.id, store: 'disk', timeout: 30 })], { contextStorage });
    const seenStatus = statuses(d.node('ask'));
    await pause(200);
    await sim.admin.reply({ as: people.casey.email, channel: general.id, replyTo: question.id, text: 'approve' });
    const msg = await waitFor('the answer', () => d.answered[0]);
    expect(msg).toMatchObject({
      payload: 'approve',
      ticket: 'OPS-9',
      zoom: { answer: { value: 'approve', via: 'thread' } },
    });
    await waitFor('status answered', () => seenStatus.at(-1)?.text === 'answered');
  });

  it('a question whose time ran out while the flows were stopped leaves by output 2 when they start again', async () => {
    const d = await deploy([askNode({ channel: general.id, timeout: 0.02 })]);
    d.node('ask').receive({ payload: 'Approve the invoice?', invoice: 991 });
    const question = await postedQuestion('Approve the invoice?');
    await pause(200);
    const redNodes = (helper as unknown as { _redNodes: { stopFlows(): Promise<void>; startFlows(): Promise<void> } })
      ._redNodes;
    await redNodes.stopFlows();
    await pause(1_500);
    await redNodes.startFlows();
    const timedOut = collect(d.node('tmo'));
    const msg = await waitFor('the timeout at start', () => timedOut[0], 8_000);
    expect(msg.zoom.timedOut).toBe(true);
    expect(msg.invoice).toBe(991);
    expect(msg.payload).toBe('Approve the invoice?');
    await waitFor('the timeout in the thread', async () =>
      (await threadOf(question.id)).find((m) => m.text.startsWith('⌛ No answer by')),
    );
  });
});
