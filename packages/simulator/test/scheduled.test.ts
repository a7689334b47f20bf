/**
 * Scheduled messages: kept as drafts, then sent at their time on the simulator's clock — visible
 * and announced then, not when scheduled. The clock is injected so no test waits 30 minutes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { operation } from '../src/spec/model';
import { eventCatalog } from '../src/webhooks';
import { call, checkResponse, startTestSim, token } from './sim-helpers';
import { startReceiver, type Receiver } from './webhooks-receiver';
import { sleep } from './ws-client';

const MINUTE = 60_000;
let clock = Date.now();
/** The timer test runs on the real clock; the others move `clock` by hand. */
let realTime = false;
let sim: Simulator;
let t: string;
let hook: Receiver;
const api = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) =>
  call(sim.urls.api, method, path, { token: t, ...opts });
const ch = (name: string) => [...sim.state.channels.values()].find((c) => c.name === name)!;
const u = (first: string) => [...sim.state.users.values()].find((x) => x.first_name === first)!;
/** Zoom's `yyyy-MM-dd'T'HH:mm:ss'Z'`, `minutes` from the simulator's now. */
const inMinutes = (minutes: number) => new Date(clock + minutes * MINUTE).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  sim = await startTestSim({ now: () => (realTime ? Date.now() : clock) });
  hook = await startReceiver({ secret: sim.credentials.webhookSecretToken });
});
beforeEach(async () => {
  for (const w of await sim.admin.webhooks()) await sim.admin.unsubscribe(w.id);
  hook.events.length = 0;
  realTime = false;
  // Whole seconds: scheduled_time has no milliseconds, so "due" is exact.
  clock = Math.floor(Date.now() / 1000) * 1000;
  await sim.reset();
  t = await token(sim);
});
afterAll(async () => {
  await hook.close();
  await sim.close();
});

const texts = async (channel: string) => (await sim.admin.channelMessages(channel)).map((m) => m.text);

describe('scheduled messages', () => {
  it('are drafts until their time, then sent: listed, in message lists, and their events emitted only then', async () => {
    await sim.admin.subscribe({ url: hook.url, events: ['chat_message.sent', 'team_chat.channel_message_posted'] });
    const general = ch('general');
    const at = inMinutes(31);
    const scheduled = await api('POST', '/chat/users/me/messages', {
      body: { message: 'stand-up notes', to_channel: general.id, scheduled_time: at },
    });
    expect(scheduled.status).toBe(201);
    expect(checkResponse(operation('sendaChatMessage')!, 201, scheduled.body)).toBeUndefined();
    const draftId = scheduled.body.id as string;

    const listed = await api('GET', '/chat/messages/schedule', { query: { to_channel: general.id } });
    expect(checkResponse(operation('listScheduledMessages')!, 200, listed.body)).toBeUndefined();
    expect(listed.body.messages).toEqual([
      { draft_id: draftId, create_date: inMinutes(0), scheduled_time: at, message: 'stand-up notes' },
    ]);
    expect(await texts('general')).not.toContain('stand-up notes');
    expect(await sim.admin.events()).toEqual([]);

    clock += 30 * MINUTE;
    expect(await texts('general')).not.toContain('stand-up notes');
    clock += MINUTE;
    // The next request — here the API's own message list — finds it sent.
    const list = await api('GET', '/chat/users/me/messages', { query: { to_channel: general.id } });
    const sent = list.body.messages.find((m: { message: string }) => m.message === 'stand-up notes');
    expect(sent).toMatchObject({ sender: u('Alex').email, timestamp: clock });
    expect((await api('GET', '/chat/messages/schedule')).body.messages).toEqual([]);
    expect(await sim.admin.scheduledMessages()).toEqual([
      expect.objectContaining({
        draftId,
        state: 'sent',
        messageId: sent.id,
        scheduledTime: new Date(Date.parse(at)).toISOString(),
        settledAt: clock,
      }),
    ]);

    const events = await sim.admin.events();
    expect(events.map((e) => [e.event, e.at])).toEqual([
      ['chat_message.sent', clock],
      ['team_chat.channel_message_posted', clock],
    ]);
    expect(events[1]!.payload['object']).toMatchObject({
      message_id: sent.id,
      message: 'stand-up notes',
      channel_id: general.id,
      timestamp: clock,
    });
    await sim.admin.settleWebhooks();
    expect(hook.events.map((e) => e.body.event).sort()).toEqual([
      'chat_message.sent',
      'team_chat.channel_message_posted',
    ]);
    for (const e of hook.events) expect(eventCatalog().check(e.body.event, e.body)).toBeUndefined();
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it('go to a contact too (DM events), keep their thread, and a thread reply is announced as one', async () => {
    const blake = u('Blake');
    const dm = await api('POST', '/chat/users/me/messages', {
      body: { message: 'see you at 3', to_contact: blake.email, scheduled_time: inMinutes(45) },
    });
    const main = await sim.admin.postMessage({ channel: 'general', text: 'release thread' });
    const reply = await api('POST', '/chat/users/me/messages', {
      body: {
        message: 'released',
        to_channel: ch('general').id,
        reply_main_message_id: main.id,
        scheduled_time: inMinutes(60),
      },
    });
    expect(
      (await api('GET', '/chat/messages/schedule', { query: { to_contact: blake.email } })).body.messages.map(
        (m: { draft_id: string }) => m.draft_id,
      ),
    ).toEqual([dm.body.id]);
    const drafts = await api('GET', '/chat/messages/schedule', { query: { to_channel: ch('general').id } });
    expect(drafts.body.messages).toEqual([
      expect.objectContaining({
        draft_id: reply.body.id,
        reply_main_message_id: main.id,
        reply_main_message_timestamp: main.timestamp,
      }),
    ]);
    expect(checkResponse(operation('listScheduledMessages')!, 200, drafts.body)).toBeUndefined();

    clock += 50 * MINUTE;
    expect((await sim.admin.directMessages(u('Alex').email, blake.email)).map((m) => m.text)).toEqual(['see you at 3']);
    expect((await sim.admin.events()).map((e) => e.event).slice(-2)).toEqual([
      'chat_message.sent',
      'team_chat.dm_message_posted',
    ]);
    clock += 10 * MINUTE;
    expect((await sim.admin.channelMessages('general')).find((m) => m.text === 'released')).toMatchObject({
      replyTo: main.id,
    });
    expect((await sim.admin.events()).map((e) => e.event).slice(-2)).toEqual([
      'chat_message.replied',
      'team_chat.channel_message_posted',
    ]);
    expect(await sim.admin.eventErrors()).toEqual([]);
  });

  it('are refused when the time is too soon or too far, or the send could never happen', async () => {
    const general = ch('general');
    const tooSoon = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: general.id, scheduled_time: inMinutes(30) },
    });
    expect(tooSoon).toMatchObject({
      status: 400,
      body: {
        code: 300,
        message:
          'Invalid parameter: send_time. The time requirement is more than 30 minutes from now and within 180 days.',
      },
    });
    const tooFar = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: general.id, scheduled_time: inMinutes(180 * 24 * 60) },
    });
    expect(tooFar.body.code).toBe(300);
    const notMember = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: ch('random').id, scheduled_time: inMinutes(60) },
    });
    expect(notMember).toMatchObject({ status: 400, body: { code: 200 } });
    const announcements = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: ch('announcements').id, scheduled_time: inMinutes(60) },
    });
    expect(announcements.status).toBe(201); // Alex owns it
    const asCasey = await call(sim.urls.api, 'POST', `/chat/users/${u('Casey').id}/messages`, {
      token: t,
      body: { message: 'x', to_channel: ch('announcements').id, scheduled_time: inMinutes(60) },
    });
    expect(asCasey).toMatchObject({ status: 400, body: { code: 5301 } });
    expect((await api('GET', '/chat/messages/schedule')).body.messages).toHaveLength(1);
  });

  it('are deleted before their time and then never sent; an unknown or sent draft is 5404', async () => {
    const general = ch('general');
    const keep = await api('POST', '/chat/users/me/messages', {
      body: { message: 'kept', to_channel: general.id, scheduled_time: inMinutes(40) },
    });
    const drop = await api('POST', '/chat/users/me/messages', {
      body: { message: 'dropped', to_channel: general.id, scheduled_time: inMinutes(35) },
    });
    expect(
      (await api('DELETE', `/chat/messages/schedule/${drop.body.id}`, { query: { to_channel: general.id } })).status,
    ).toBe(204);
    expect(await api('DELETE', `/chat/messages/schedule/${drop.body.id}`)).toMatchObject({
      status: 400,
      body: { code: 5404, message: `Invalid draft id: ${drop.body.id}.` },
    });
    expect(
      (await api('DELETE', `/chat/messages/schedule/${keep.body.id}`, { query: { to_contact: u('Blake').email } })).body
        .code,
    ).toBe(5404);
    clock += 45 * MINUTE;
    expect(await texts('general')).toContain('kept');
    expect(await texts('general')).not.toContain('dropped');
    expect((await api('DELETE', `/chat/messages/schedule/${keep.body.id}`)).body.code).toBe(5404);
  });

  it('fail at their time, without events, when the send is refused then (channel archived meanwhile)', async () => {
    const general = ch('general');
    const r = await api('POST', '/chat/users/me/messages', {
      body: { message: 'too late', to_channel: general.id, scheduled_time: inMinutes(31) },
    });
    await sim.admin.archive({ channel: 'general' });
    const before = (await sim.admin.events()).length;
    clock += 31 * MINUTE;
    const [draft] = await sim.admin.scheduledMessages();
    expect(draft).toMatchObject({
      draftId: r.body.id,
      state: 'failed',
      error: 'Can not send message to an archived channel.',
    });
    expect((await sim.admin.events()).length).toBe(before);
    expect(await texts('general')).not.toContain('too late');
  });

  it('can be sent early through the admin API (one, or every pending one)', async () => {
    const general = ch('general');
    const a = await api('POST', '/chat/users/me/messages', {
      body: { message: 'a', to_channel: general.id, scheduled_time: inMinutes(90) },
    });
    await api('POST', '/chat/users/me/messages', {
      body: { message: 'b', to_channel: general.id, scheduled_time: inMinutes(60) },
    });
    const [one] = await sim.admin.runScheduled({ draftId: a.body.id });
    expect(one).toMatchObject({ draftId: a.body.id, state: 'sent', settledAt: clock });
    await expect(sim.admin.runScheduled({ draftId: a.body.id })).rejects.toMatchObject({ status: 409 });
    await expect(sim.admin.runScheduled({ draftId: 'nope' })).rejects.toMatchObject({ status: 404 });
    expect((await sim.admin.runScheduled()).map((d) => d.state)).toEqual(['sent']);
    expect((await texts('general')).slice(-2)).toEqual(['a', 'b']);
  });

  it('are sent by a timer when nobody asks (the real-clock path)', async () => {
    // The API refuses anything under 30 minutes, so the draft goes straight to the scheduler here.
    const alex = u('Alex');
    const general = ch('general');
    realTime = true;
    const now = Date.now();
    sim.sim.scheduler.add({
      id: 'timer-draft',
      seq: sim.state.seq(),
      senderId: alex.id,
      conversation: `c:${general.id}`,
      channelId: general.id,
      text: 'on time',
      scheduledAt: now + 150,
      createdAt: now,
      state: 'scheduled',
    });
    // No request in between (those would send it too): only the timer can.
    for (let i = 0; i < 250 && sim.state.drafts.get('timer-draft')!.state === 'scheduled'; i++) await sleep(20);
    const draft = sim.state.drafts.get('timer-draft')!;
    expect(draft.state).toBe('sent');
    expect(draft.settledAt).toBeGreaterThanOrEqual(now + 150);
    expect(sim.state.messages.get(draft.messageId!)?.text).toBe('on time');
    expect(sim.sim.hub.recent().map((e) => e.event)).toEqual(['chat_message.sent', 'team_chat.channel_message_posted']);
  });
});
