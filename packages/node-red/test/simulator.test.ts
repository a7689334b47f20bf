/**
 * The nodes inside the Node-RED runtime (test helper) against the Zoom simulator over real HTTP:
 * the simulator validates the endpoint URL, signs and delivers webhooks to RED.httpNode (mounted
 * behind an admin app at "/", as in a default Node-RED), and checks every API request against the spec.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '@zoom-team-chat/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allNodes, helper, mountRoot, nextMessage, type TestNode } from './support/red';

let sim: Simulator;
let server: Server | undefined;
beforeAll(async () => {
  sim = await startSimulator({ fileStorage: 'memory', fixtures: 'default' });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await helper.unload();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  for (const sub of await sim.admin.webhooks()) await sim.admin.unsubscribe(sub.id);
});

async function setup(nodes: Array<Record<string, unknown>>) {
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0]!;
  const channels = await sim.admin.channels();
  const channel = channels.find((c) => c.members.some((m) => m.userId === owner.id) && c.members.length > 1)!;
  const poster = users.find((u) => u.id !== owner.id && channel.members.some((m) => m.userId === u.id))!;
  const c = sim.credentials;
  const account = {
    id: 'acc1',
    type: 'zoom-team-chat-account',
    authKind: 'account',
    userId: owner.email,
    botJid: c.chatbot.botJid,
    apiUrl: sim.urls.api,
    fileUrl: sim.urls.file,
    oauthUrl: sim.urls.oauth,
  };
  const creds = {
    acc1: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      accountId: c.accountId,
      webhookSecretToken: c.webhookSecretToken,
    },
  };
  await helper.load(allNodes, [account], creds);
  const root = mountRoot();
  await helper.setFlows([account, ...nodes, { id: 'out', type: 'helper' }], 'full', creds);
  server = createServer(root);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { owner, channel, poster, base, out: helper.getNode('out') as TestNode };
}

describe('against the simulator', () => {
  it('a user posts, the trigger fires on the signed webhook and the send node answers in the thread', async () => {
    const { channel, poster, base, out, owner } = await setup([
      {
        id: 'trig',
        type: 'zoom-team-chat-trigger',
        account: 'acc1',
        path: '/zoom/sim',
        events: 'team_chat.channel_message_posted',
        wires: [['send']],
      },
      {
        id: 'send',
        type: 'zoom-team-chat-send',
        account: 'acc1',
        text: 'got it',
        replyInThread: true,
        wires: [['out']],
      },
    ]);
    await sim.admin.subscribe({
      url: `${base}/zoom/sim`,
      events: ['team_chat.channel_message_posted'],
      secretToken: sim.credentials.webhookSecretToken,
    });
    const sent = nextMessage(out, 8000);
    const original = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'ping from a user' });
    const msg = await sent;
    expect(msg.topic).toBe('team_chat.channel_message_posted');
    const reply = (await sim.admin.channelMessages(channel.id)).find((m) => m.id === msg.payload.id);
    expect(reply).toMatchObject({ text: 'got it', replyTo: original.id, senderId: owner.id });
    await sim.admin.settleWebhooks();
    await new Promise((r) => setTimeout(r, 300));
    // Our own reply came back as a webhook too, and was not answered again.
    expect((await sim.admin.channelMessages(channel.id)).filter((m) => m.text === 'got it')).toHaveLength(1);
  });

  it('lists the channel history, shares a file and calls an operation by id', async () => {
    const { channel, out, owner } = await setup([
      { id: 'list', type: 'zoom-team-chat-list', account: 'acc1', resource: 'messages', limit: 5, wires: [['out']] },
      { id: 'up', type: 'zoom-team-chat-upload', account: 'acc1', mode: 'send', wires: [['out']] },
      {
        id: 'api',
        type: 'zoom-team-chat-api',
        account: 'acc1',
        operationId: 'getChannels',
        returnAll: true,
        wires: [['out']],
      },
    ]);
    const before = await sim.admin.channelMessages(channel.id);
    let got = nextMessage(out, 8000);
    helper.getNode('list')!.receive({ channel: channel.id });
    const listed = (await got).payload as Array<{ id: string }>;
    expect(listed.length).toBe(Math.min(5, before.length));
    expect(before.map((m) => m.id)).toEqual(expect.arrayContaining(listed.map((m) => m.id)));

    got = nextMessage(out, 8000);
    helper.getNode('up')!.receive({ payload: Buffer.from('file body'), fileName: 'notes.txt', channel: channel.id });
    const sent = (await got).payload as { id: string };
    const fileMessage = (await sim.admin.channelMessages(channel.id)).find((m) => m.id === sent.id)!;
    const file = await sim.admin.file(fileMessage.fileIds[0]!);
    expect(file.name).toBe('notes.txt');
    expect((await sim.admin.fileContent(file.id)).toString()).toBe('file body');

    got = nextMessage(out, 8000);
    helper.getNode('api')!.receive({ params: { userId: owner.email } });
    const all = (await got).payload as Array<{ id: string }>;
    expect(all.length).toBeGreaterThan(0);
  });
});
