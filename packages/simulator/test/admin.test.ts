/** The admin API: acting as a human, seeding, resetting, webhook subscriptions, marketplace endpoints. */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, type Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: string;
}

/** A webhook endpoint that answers Zoom's url_validation and records (and checks) deliveries. */
async function receiver(secret: string): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw);
      if (body.event === 'endpoint.url_validation') {
        const encryptedToken = createHmac('sha256', secret).update(body.payload.plainToken).digest('hex');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ plainToken: body.payload.plainToken, encryptedToken }));
        return;
      }
      got.push({ headers: req.headers, body, raw });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  for (const w of await sim.admin.webhooks()) await sim.admin.unsubscribe(w.id);
  await sim.reset();
});
afterAll(async () => sim.close());

const u = (first: string) => [...sim.state.users.values()].find((x) => x.first_name === first)!;

describe('acting as a human', () => {
  it('posts, replies, reacts, edits and deletes, changing state and emitting events', async () => {
    const m = await sim.admin.postMessage({ as: u('Blake').email, channel: 'general', text: 'hello team' });
    expect(m).toMatchObject({ sender: u('Blake').email, text: 'hello team', status: 'Normal' });
    const r = await sim.admin.reply({ as: u('Casey').email, channel: 'general', text: 'hi!', replyTo: m.id });
    expect(r.replyTo).toBe(m.id);
    await sim.admin.react({ as: u('Devon').email, messageId: m.id, emoji: 'U+1F389' });
    await sim.admin.editMessage({ messageId: m.id, text: 'hello everyone' });
    await sim.admin.deleteMessage({ messageId: r.id });
    const all = await sim.admin.channelMessages('general');
    const byId = Object.fromEntries(all.map((x) => [x.id, x]));
    expect(byId[m.id]).toMatchObject({
      text: 'hello everyone',
      status: 'Edited',
      history: ['hello team'],
      reactions: [{ emoji: 'U+1F389', userIds: [u('Devon').id] }],
    });
    expect(byId[r.id]!.status).toBe('Deleted');
    expect((await sim.admin.events()).map((e) => e.event)).toEqual([
      'chat_message.sent',
      'team_chat.channel_message_posted',
      'chat_message.replied',
      'team_chat.channel_message_posted',
      'team_chat.channel_reaction_added',
      'chat_message.updated',
      'team_chat.channel_message_updated',
      'chat_message.deleted',
      'team_chat.channel_message_deleted',
    ]);
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it('uploads a file into a channel and joins a channel', async () => {
    const { file, message } = await sim.admin.uploadFile({
      as: u('Blake').email,
      channel: 'general',
      fileName: 'notes.md',
      text: '# Notes',
    });
    expect(file).toMatchObject({ name: 'notes.md', size: 7, messageId: message.id });
    expect((await sim.admin.fileContent(file.id)).toString()).toBe('# Notes');
    const joined = await sim.admin.join({ as: u('Casey').email, channel: 'random' });
    expect(joined.members.map((m) => m.email)).toContain(u('Casey').email);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events).toEqual([
      'team_chat.file_uploaded',
      'chat_message.sent',
      'team_chat.channel_message_posted',
      'team_chat.file_shared',
      'chat_channel.member_joined',
    ]);
  });

  it('sends a slash command to the bot (bot_notification) and installs it (bot_installed)', async () => {
    await sim.admin.slashCommand({ as: u('Blake').email, command: '/simbot deploy staging', channel: 'general' });
    await sim.admin.installBot({ as: u('Casey').email });
    const events = await sim.admin.events();
    expect(events.map((e) => e.event)).toEqual(['bot_notification', 'bot_installed']);
    expect(events[0]!.payload).toMatchObject({
      cmd: 'deploy staging',
      robotJid: sim.credentials.chatbot.botJid,
      toJid: [...sim.state.channels.values()].find((c) => c.name === 'general')!.jid,
      userId: u('Blake').id,
      channelName: 'general',
    });
  });

  it('reports bad input clearly', async () => {
    await expect(sim.admin.postMessage({ as: 'nobody', channel: 'general', text: 'x' })).rejects.toThrow(
      /as: no user nobody/,
    );
    await expect(sim.admin.postMessage({ text: 'x' })).rejects.toThrow(/give 'channel'/);
    await expect(sim.admin.react({ messageId: 'nope', emoji: 'x' })).rejects.toThrow(/no message nope/);
    await expect(sim.admin.request('GET', '/nope')).rejects.toMatchObject({ status: 404 });
  });
});

describe('seed and reset', () => {
  it('adds users and channels, and reset brings the seed back with the same IDs', async () => {
    const before = await sim.admin.channels();
    const seeded = await sim.admin.seed({
      users: [{ email: 'fran.ng@example.com' }],
      channels: [{ name: 'ops', type: 3, members: ['fran.ng@example.com', u('Alex').email] }],
    });
    expect(seeded.users[0]).toMatchObject({ first_name: 'Fran', last_name: 'Ng' });
    expect(seeded.channels[0]).toMatchObject({ name: 'ops', owner: 'fran.ng@example.com' });
    await expect(sim.admin.seed({ users: [{ email: 'fran.ng@example.com' }] })).rejects.toThrow(/exists/);
    await sim.admin.reset();
    const ids = (list: Array<{ id: string; name: string; members: unknown[] }>) =>
      list.map((c) => [c.id, c.name, c.members]);
    expect(ids(await sim.admin.channels())).toEqual(ids(before));
    await sim.admin.reset({ fixtures: 'minimal' });
    expect(await sim.admin.channels()).toEqual([]);
    expect((await sim.admin.users()).map((x) => x.email)).toEqual(['alex.morgan@example.com']);
  });

  it('lists its routes', async () => {
    const listed = await sim.admin.request<{ routes: Array<{ method: string; path: string }> }>('GET', '/');
    expect(listed.routes).toEqual(ADMIN_ROUTES.map((r) => ({ method: r.method, path: r.path, summary: r.summary })));
  });
});

describe('webhooks', () => {
  it('subscribes after url_validation and delivers signed events for API calls and human actions', async () => {
    const secret = sim.credentials.webhookSecretToken;
    const hook = await receiver(secret);
    try {
      const sub = await sim.admin.subscribe({
        url: hook.url,
        events: ['team_chat.channel_message_posted', 'chat_channel.member_joined'],
      });
      expect(sub.id).toEqual(expect.any(String));
      const t = await token(sim);
      const general = [...sim.state.channels.values()].find((c) => c.name === 'general')!;
      await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
        token: t,
        body: { message: 'via API', to_channel: general.id },
      });
      await sim.admin.join({ as: u('Casey').email, channel: 'random' });
      await sim.admin.settleWebhooks();
      expect(hook.got.map((g) => g.body.event)).toEqual([
        'team_chat.channel_message_posted',
        'chat_channel.member_joined',
      ]);
      const first = hook.got[0]!;
      expect(first.body.payload.object).toMatchObject({
        message: 'via API',
        channel_id: general.id,
        channel_name: 'general',
      });
      const ts = first.headers['x-zm-request-timestamp'] as string;
      const expected = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${first.raw}`).digest('hex')}`;
      expect(first.headers['x-zm-signature']).toBe(expected);
      const deliveries = await sim.admin.deliveries();
      expect(deliveries.filter((d) => d['outcome'] === 'delivered')).toHaveLength(2);
    } finally {
      await hook.close();
    }
  });

  it('refuses a subscription whose endpoint fails the challenge', async () => {
    const hook = await receiver('not-the-secret');
    try {
      await expect(sim.admin.subscribe({ url: hook.url, events: ['chat_message.sent'] })).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/validation/i),
      });
      expect(await sim.admin.webhooks()).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it("serves Zoom's marketplace event_subscription endpoints", async () => {
    const hook = await receiver(sim.credentials.webhookSecretToken);
    try {
      const t = await token(sim);
      const created = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
        token: t,
        body: {
          events: ['chat_message.sent'],
          event_subscription_name: 'mine',
          event_webhook_url: hook.url,
          subscription_scope: 'account',
        },
      });
      expect(created.status).toBe(201);
      const id = created.body.event_subscription_id;
      const listed = await call(sim.urls.api, 'GET', '/marketplace/app/event_subscription', { token: t });
      expect(listed.body.event_subscriptions).toEqual([
        expect.objectContaining({
          event_subscription_id: id,
          event_webhook_url: hook.url,
          events: ['chat_message.sent'],
          event_subscription_name: 'mine',
        }),
      ]);
      const alias = await call(sim.urls.api, 'GET', '/marketplace/apps/any/event_subscriptions', { token: t });
      expect(alias.body.event_subscriptions).toHaveLength(1);
      const bad = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
        token: t,
        body: { events: ['meeting.started'], event_webhook_url: hook.url },
      });
      expect(bad.body.message).toMatch(/not allowed/);
      expect(
        (await call(sim.urls.api, 'DELETE', `/marketplace/app/event_subscription/${id}`, { token: t })).status,
      ).toBe(204);
      expect(await sim.admin.webhooks()).toEqual([]);
      expect((await call(sim.urls.api, 'GET', '/marketplace/app/event_subscription')).status).toBe(401);
    } finally {
      await hook.close();
    }
  });
});

describe('link unfurls', () => {
  it('shares a link: team_chat.link_shared reaches the bot with response_url, and the bot unfurls it', async () => {
    const bot = await token(sim, 'chatbot');
    const hook = await receiver(sim.credentials.webhookSecretToken);
    await sim.admin.subscribe({
      url: hook.url,
      events: ['team_chat.link_shared'],
      botJid: sim.credentials.chatbot.botJid,
    });
    const shared = await sim.admin.shareLink({ channel: 'general', link: 'https://example.com/doc' });
    await sim.admin.settleWebhooks();
    await hook.close();
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.body).toMatchObject({
      event: 'team_chat.link_shared',
      response_url: shared.responseUrl,
      payload: { object: { trigger_id: shared.triggerId, link: 'https://example.com/doc', channel_name: 'general' } },
    });
    expect(shared.responseUrl).toBe(`${sim.urls.api}/im/chat/users/${shared.userId}/unfurls/${shared.triggerId}`);
    expect(await sim.admin.eventErrors()).toEqual([]);
    const ok = await call(sim.urls.api, 'POST', `/im/chat/users/${shared.userId}/unfurls/${shared.triggerId}`, {
      token: bot,
      body: { content: '{}' },
    });
    expect(ok.status).toBe(204);
    const unknown = await call(sim.urls.api, 'POST', `/im/chat/users/${shared.userId}/unfurls/nope`, {
      token: bot,
      body: { content: '{}' },
    });
    expect(unknown.body).toEqual({ code: 8002, message: 'Invalid unfurl_id.' });
  });
});
