/** A simulated person clicks a chatbot card's button, or mentions the app: the Chatbot events Zoom sends then. */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The package (built first by turbo), not ../../core/src: a path outside rootDir breaks `tsc`.
import { verifyWebhook } from '@zoom-team-chat/core';
import type { Simulator } from '../src/index';
import { eventCatalog } from '../src/webhooks';
import { call, startTestSim, token } from './sim-helpers';
import { startReceiver, type Receiver } from './webhooks-receiver';
import { connect, eventOf, isMessage, withToken } from './ws-client';

let sim: Simulator;
let bot: string;
let hook: Receiver;
beforeAll(async () => {
  sim = await startTestSim();
  bot = await token(sim, 'chatbot');
  hook = await startReceiver({ secret: sim.credentials.webhookSecretToken });
});
afterEach(async () => {
  for (const w of await sim.admin.webhooks()) await sim.admin.unsubscribe(w.id);
  hook.events.length = 0;
  hook.all.length = 0;
  await sim.reset();
});
afterAll(async () => {
  await hook.close();
  await sim.close();
});

const u = (first: string) => [...sim.state.users.values()].find((x) => x.first_name === first)!;
const ch = (name: string) => [...sim.state.channels.values()].find((c) => c.name === name)!;

const CARD = {
  head: { text: 'Deploy v2?', sub_head: { text: 'staging is green' } },
  body: [
    { type: 'message', text: 'Choose one' },
    {
      type: 'actions',
      items: [
        { text: 'Approve', value: 'approve', style: 'Primary' },
        { text: 'Reject', value: 'reject', style: 'Danger' },
        { text: 'Later', value: 'later', style: 'Disabled' },
      ],
    },
    {
      type: 'section',
      sections: [{ type: 'actions', items: [{ text: 'Details', value: 'details', style: 'Default' }] }],
    },
  ],
};

/** The bot sends a card with sendChatbot, as an app would; returns its message_id. */
async function sendCard(toJid: string, userJid: string, extra: Record<string, unknown> = {}): Promise<string> {
  const c = sim.credentials.chatbot;
  const r = await call(sim.urls.api, 'POST', '/im/chat/messages', {
    token: bot,
    body: { robot_jid: c.botJid, account_id: c.accountId, to_jid: toJid, user_jid: userJid, content: CARD, ...extra },
  });
  expect(r.status).toBe(201);
  return r.body.message_id as string;
}

/** Zoom's signature recomputed here, independently of the simulator's signing code. */
function signature(secret: string, timestamp: string, raw: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
}

async function subscribeBot(events: string[]): Promise<void> {
  await sim.admin.subscribe({ url: hook.url, events, botJid: sim.credentials.chatbot.botJid });
}

describe('clicking a chatbot card button', () => {
  it("sends interactive_message_actions to the bot's endpoint, signed with the app's secret, shaped as Zoom documents", async () => {
    await subscribeBot(['interactive_message_actions']);
    const general = ch('general');
    const messageId = await sendCard(general.jid, u('Alex').jid);
    const click = await sim.admin.click({ as: u('Blake').email, messageId, value: 'approve' });
    await sim.admin.settleWebhooks();

    expect(hook.events).toHaveLength(1);
    const got = hook.events[0]!;
    const raw = got.raw.toString('utf8');
    const ts = String(got.headers['x-zm-request-timestamp']);
    const secret = sim.credentials.webhookSecretToken;
    expect(got.headers['x-zm-signature']).toBe(signature(secret, ts, raw));
    expect(verifyWebhook({ rawBody: got.raw, headers: got.headers, secrets: secret })).toEqual(got.body);
    // A payload changed after signing, or signed with another secret, does not verify.
    const forged = raw.replace('"value":"approve"', '"value":"reject"');
    expect(forged).not.toBe(raw);
    expect(() => verifyWebhook({ rawBody: forged, headers: got.headers, secrets: secret })).toThrow();
    expect(() => verifyWebhook({ rawBody: got.raw, headers: got.headers, secrets: 'not-the-secret' })).toThrow();

    expect(eventCatalog().check('interactive_message_actions', got.body)).toBeUndefined();
    const blake = u('Blake');
    expect(got.body).toEqual({
      event: 'interactive_message_actions',
      event_ts: expect.any(Number),
      callback_url: click.callbackUrl,
      callback_token: click.callbackToken,
      payload: {
        accountId: sim.credentials.accountId,
        robotJid: sim.credentials.chatbot.botJid,
        toJid: general.jid,
        channelName: 'general',
        userId: blake.id,
        userJid: blake.jid,
        userName: blake.display_name,
        messageId,
        original: CARD,
        actionItem: { text: 'Approve', value: 'approve' },
        timestamp: expect.any(Number),
      },
    });
    expect(click).toMatchObject({
      bot: sim.credentials.chatbot.botJid,
      messageId,
      actionItem: { text: 'Approve', value: 'approve' },
      userId: blake.id,
      toJid: general.jid,
    });
    expect(click.callbackUrl).toMatch(new RegExp(`^${sim.urls.api}/im/chat/callback/[A-Za-z0-9_-]+$`));
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it('finds buttons by value, text or index (sections included), and refuses missing, disabled and unseen ones', async () => {
    const general = ch('general');
    const messageId = await sendCard(general.jid, u('Alex').jid);
    expect((await sim.admin.click({ messageId, index: 1 })).actionItem).toEqual({ text: 'Reject', value: 'reject' });
    expect((await sim.admin.click({ messageId, text: 'Details' })).actionItem).toEqual({
      text: 'Details',
      value: 'details',
    });
    expect(
      (await sim.admin.events('interactive_message_actions')).map(
        (e) => (e.payload['actionItem'] as { value: string }).value,
      ),
    ).toEqual(['reject', 'details']);

    await expect(sim.admin.click({ messageId, value: 'nope' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('"approve", "reject", "later", "details"'),
    });
    await expect(sim.admin.click({ messageId, index: 4 })).rejects.toMatchObject({ status: 404 });
    await expect(sim.admin.click({ messageId, value: 'later' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/Disabled/),
    });
    await expect(sim.admin.click({ messageId })).rejects.toMatchObject({ status: 400 });
    await expect(sim.admin.click({ messageId: 'no-such-card', value: 'approve' })).rejects.toMatchObject({
      status: 404,
    });
    // A team-chat message is not a card.
    const plain = await sim.admin.postMessage({ channel: 'general', text: 'no buttons here' });
    await expect(sim.admin.click({ messageId: plain.id, value: 'approve' })).rejects.toMatchObject({ status: 404 });
    // Only the channel's members see a channel card; only visible_to_user sees an ephemeral one.
    const random = ch('random');
    const inRandom = await sendCard(random.jid, u('Blake').jid);
    await expect(sim.admin.click({ as: u('Alex').email, messageId: inRandom, value: 'approve' })).rejects.toMatchObject(
      { status: 403 },
    );
    const ephemeral = await sendCard(general.jid, u('Alex').jid, { visible_to_user: u('Casey').jid });
    await expect(
      sim.admin.click({ as: u('Blake').email, messageId: ephemeral, value: 'approve' }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await sim.admin.click({ as: u('Casey').email, messageId: ephemeral, value: 'approve' })).userId).toBe(
      u('Casey').id,
    );
    // A deleted card has no buttons left to click.
    const c = sim.credentials.chatbot;
    expect(
      (
        await call(sim.urls.api, 'DELETE', `/im/chat/messages/${messageId}`, {
          token: bot,
          query: { robot_jid: c.botJid, account_id: c.accountId },
        })
      ).status,
    ).toBe(200);
    await expect(sim.admin.click({ messageId, value: 'approve' })).rejects.toMatchObject({ status: 410 });
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it("in a 1:1 chat: the chat's user clicks, toJid is <user JID>/robot_<bot JID>, and the bot answers through callback_url once", async () => {
    await subscribeBot(['interactive_message_actions']);
    const casey = u('Casey');
    const messageId = await sendCard(casey.jid, casey.jid);
    await expect(sim.admin.click({ as: u('Blake').email, messageId, value: 'approve' })).rejects.toMatchObject({
      status: 403,
    });
    const click = await sim.admin.click({ messageId, value: 'reject' });
    await sim.admin.settleWebhooks();
    const payload = hook.events[0]!.body.payload;
    expect(payload).toMatchObject({
      userId: casey.id,
      userJid: casey.jid,
      channelName: casey.display_name,
      toJid: `${casey.jid}/robot_${sim.credentials.chatbot.botJid}`,
    });
    expect(click.toJid).toBe(payload['toJid']);
    expect(eventCatalog().check('interactive_message_actions', hook.events[0]!.body)).toBeUndefined();

    const answer = { content: { body: [{ type: 'message', text: 'Rejected, noted.' }] } };
    const bad = await call(click.callbackUrl, 'POST', '', { token: 'wrong', body: answer });
    expect(bad).toMatchObject({ status: 401, body: { code: 7010 } });
    const noContent = await call(click.callbackUrl, 'POST', '', { token: click.callbackToken, body: {} });
    expect(noContent).toMatchObject({ status: 400, body: { code: 300 } });
    const ok = await call(click.callbackUrl, 'POST', '', { token: click.callbackToken, body: answer });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      robot_jid: sim.credentials.chatbot.botJid,
      to_jid: payload['toJid'],
      user_jid: casey.jid,
    });
    expect((await sim.admin.botMessages()).map((m) => m['id'])).toContain(ok.body.message_id);
    const again = await call(click.callbackUrl, 'POST', '', { token: click.callbackToken, body: answer });
    expect(again).toMatchObject({ status: 401, body: { code: 7010 } });

    // What Zoom's samples do: answer with sendChatbot to the event's toJid as it came.
    const c = sim.credentials.chatbot;
    const direct = await call(sim.urls.api, 'POST', '/im/chat/messages', {
      token: bot,
      body: {
        robot_jid: c.botJid,
        account_id: c.accountId,
        to_jid: payload['toJid'],
        user_jid: casey.jid,
        content: { body: [{ type: 'message', text: 'ok' }] },
      },
    });
    expect(direct.status).toBe(201);
  });

  it('reaches a WebSocket subscription to the Chatbot event as the same bytes', async () => {
    await subscribeBot(['interactive_message_actions']);
    const sub = await sim.admin.createWebSocketSubscription({ events: ['interactive_message_actions'] });
    const client = await connect(withToken(sub.endpointUrl, await token(sim)));
    try {
      const messageId = await sendCard(ch('general').jid, u('Alex').jid);
      await sim.admin.click({ messageId, value: 'approve' });
      const frame = await client.next(isMessage);
      expect(eventOf(frame)).toMatchObject({
        event: 'interactive_message_actions',
        payload: { messageId, actionItem: { value: 'approve' } },
      });
      await sim.admin.settleWebhooks();
      expect(frame['content']).toBe(hook.events[0]!.raw.toString('utf8'));
    } finally {
      await client.close();
      await sim.admin.removeWebSocketSubscription(sub.id);
    }
  });
});

describe('team_chat.app_mention', () => {
  it('reaches the bot when a channel message says @<app name> or names its JID in at_items, and only then', async () => {
    await subscribeBot(['team_chat.app_mention']);
    const blake = u('Blake');
    const general = ch('general');
    const byName = await sim.admin.postMessage({
      as: blake.email,
      channel: 'general',
      text: 'hey @sim bot, deploy staging',
    });
    const t = await token(sim);
    const viaApi = await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
      token: t,
      body: {
        message: 'Sim Bot: status?',
        to_channel: general.id,
        at_items: [{ at_contact: sim.credentials.chatbot.botJid, at_type: 1, start_position: 0, end_position: 7 }],
      },
    });
    expect(viaApi.status).toBe(201);
    const reply = await sim.admin.reply({
      as: blake.email,
      channel: 'general',
      text: '@Sim Bot and this thread?',
      replyTo: byName.id,
    });
    // Not mentions: another word, an address, a DM, a message without the name.
    await sim.admin.postMessage({ as: blake.email, channel: 'general', text: 'the @Sim Botany club' });
    await sim.admin.postMessage({ as: blake.email, channel: 'general', text: 'mail ops@Sim Bot' });
    await sim.admin.postMessage({ as: blake.email, to: u('Casey').email, text: '@Sim Bot in a DM' });
    await sim.admin.postMessage({ as: blake.email, channel: 'general', text: 'nothing for the bot' });
    await sim.admin.settleWebhooks();

    // Deliveries run concurrently: put them back in the order the messages were sent.
    const order = [byName.id, viaApi.body.id as string, reply.id];
    const idOf = (b: (typeof hook.events)[number]['body']) =>
      (b.payload['object'] as { message_id: string }).message_id;
    const got = hook.events.map((e) => e.body).sort((a, b) => order.indexOf(idOf(a)) - order.indexOf(idOf(b)));
    expect(got.map(idOf)).toEqual(order);
    for (const body of got) expect(eventCatalog().check('team_chat.app_mention', body)).toBeUndefined();
    const at = (got[0]!.payload['object'] as { timestamp: number }).timestamp;
    expect(got[0]).toEqual({
      event: 'team_chat.app_mention',
      event_ts: expect.any(Number),
      payload: {
        account_id: sim.credentials.accountId,
        operator: blake.email,
        operator_id: blake.id,
        operator_member_id: blake.member_id,
        by_external_user: false,
        object: {
          message_id: byName.id,
          type: 'to_channel',
          channel_id: general.id,
          channel_name: 'general',
          message: 'hey @sim bot, deploy staging',
          date_time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          timestamp: at,
        },
      },
    });
    expect(got[1]!.payload).toMatchObject({ operator: u('Alex').email, object: { message: 'Sim Bot: status?' } });
    expect(got[2]!.payload['object']).toMatchObject({ reply_main_message_id: byName.id });
    for (const e of hook.events) {
      const ts = String(e.headers['x-zm-request-timestamp']);
      expect(e.headers['x-zm-signature']).toBe(
        signature(sim.credentials.webhookSecretToken, ts, e.raw.toString('utf8')),
      );
    }
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it('is a Chatbot event: a Team Chat subscription does not get it, a subscription for another bot neither', async () => {
    await sim.admin.subscribe({ url: hook.url, events: ['team_chat.channel_message_posted'] });
    await sim.admin.subscribe({
      url: hook.url,
      events: ['team_chat.app_mention'],
      botJid: 'v1someotherbot@xmpp.zoom.us',
    });
    await sim.admin.postMessage({ channel: 'general', text: '@Sim Bot hello' });
    await sim.admin.settleWebhooks();
    expect(hook.events.map((e) => e.body.event)).toEqual(['team_chat.channel_message_posted']);
    expect((await sim.admin.events('team_chat.app_mention')).length).toBe(1);
  });
});
