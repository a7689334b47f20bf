/** Team Chat behaviour as Zoom documents it: messages, paging, threads, edits, reactions, channels, contacts, bots. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { call, startTestSim, token } from './sim-helpers';

let sim: Simulator;
let t: string;
let botToken: string;
const api = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) =>
  call(sim.urls.api, method, path, { token: t, ...opts });
const ch = (name: string) => [...sim.state.channels.values()].find((c) => c.name === name)!;
const u = (first: string) => [...sim.state.users.values()].find((x) => x.first_name === first)!;

beforeAll(async () => {
  sim = await startTestSim();
  t = await token(sim);
  botToken = await token(sim, 'chatbot');
});
beforeEach(async () => sim.reset());
afterAll(async () => sim.close());

describe('messages', () => {
  it('lists channel messages newest first, paged with next_page_token up to the spec maximum', async () => {
    for (let i = 0; i < 7; i++)
      expect(
        (await api('POST', '/chat/users/me/messages', { body: { message: `m${i}`, to_channel: ch('general').id } }))
          .status,
      ).toBe(201);
    const seen: string[] = [];
    let next = '';
    let pages = 0;
    do {
      const r = await api('GET', '/chat/users/me/messages', {
        query: { to_channel: ch('general').id, page_size: 4, ...(next ? { next_page_token: next } : {}) },
      });
      expect(r.status).toBe(200);
      expect(r.body.page_size).toBe(4);
      seen.push(...r.body.messages.map((m: { message: string }) => m.message));
      next = r.body.next_page_token;
      pages++;
    } while (next);
    expect(pages).toBe(3); // 7 new + 3 seeded = 10 messages
    expect(seen.slice(0, 7)).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    expect(new Set(seen).size).toBe(10);
    const tooBig = await api('GET', '/chat/users/me/messages', {
      query: { to_channel: ch('general').id, page_size: 51 },
    });
    expect(tooBig.body).toMatchObject({ code: 300, errors: [{ field: 'page_size' }] });
    const badToken = await api('GET', '/chat/users/me/messages', {
      query: { to_channel: ch('general').id, next_page_token: 'forged' },
    });
    expect(badToken.body).toEqual({ code: 300, message: 'The next page token is either invalid or has expired.' });
  });

  it('filters by date and by from/to', async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const r = await api('GET', '/chat/users/me/messages', { query: { to_channel: ch('general').id, date: day } });
    expect(r.body).toMatchObject({ date: day, messages: [] });
    const old = await api('GET', '/chat/users/me/messages', {
      query: { to_channel: ch('general').id, date: '2020-01-01' },
    });
    expect(old.body).toEqual({ code: 300, message: 'Only provide past chat messages in recent 6 months.' });
    const from = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const win = await api('GET', '/chat/users/me/messages', { query: { to_channel: ch('general').id, from } });
    expect(win.body.from).toBe(from);
    expect(win.body.messages.length).toBe(3);
    expect((await api('GET', '/chat/users/me/messages', {})).body).toMatchObject({
      code: 300,
      message: 'Must provide either contact or channel parameter.',
    });
  });

  it('edits and deletes; include_deleted_and_edited_message shows them with their status', async () => {
    const id = (
      await api('POST', '/chat/users/me/messages', { body: { message: 'draft', to_channel: ch('general').id } })
    ).body.id;
    const gone = (
      await api('POST', '/chat/users/me/messages', { body: { message: 'oops', to_channel: ch('general').id } })
    ).body.id;
    expect(
      (await api('PUT', `/chat/users/me/messages/${id}`, { body: { message: 'final', to_channel: ch('general').id } }))
        .status,
    ).toBe(204);
    expect(
      (await api('DELETE', `/chat/users/me/messages/${gone}`, { query: { to_channel: ch('general').id } })).status,
    ).toBe(204);
    const plain = await api('GET', '/chat/users/me/messages', { query: { to_channel: ch('general').id } });
    expect(plain.body.messages.map((m: { id: string }) => m.id)).not.toContain(gone);
    expect(plain.body.messages.find((m: { id: string }) => m.id === id)).toMatchObject({ message: 'final' });
    expect(plain.body.messages[0].status).toBeUndefined();
    const all = await api('GET', '/chat/users/me/messages', {
      query: { to_channel: ch('general').id, include_deleted_and_edited_message: true },
    });
    const byId = Object.fromEntries(all.body.messages.map((m: { id: string; status: string }) => [m.id, m.status]));
    expect(byId[id]).toBe('Edited');
    expect(byId[gone]).toBe('Deleted');
    const get = await api('GET', `/chat/users/me/messages/${gone}`, { query: { to_channel: ch('general').id } });
    expect(get.status).toBe(404);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'chat_message.updated',
        'team_chat.channel_message_updated',
        'chat_message.deleted',
        'team_chat.channel_message_deleted',
      ]),
    );
  });

  it("only the sender edits a message; another user's message is refused", async () => {
    const blakes = await sim.admin.postMessage({ as: u('Blake').email, channel: 'general', text: 'mine' });
    const r = await api('PUT', `/chat/users/me/messages/${blakes.id}`, {
      body: { message: 'hijack', to_channel: ch('general').id },
    });
    expect(r.body).toEqual({ code: 200, message: 'Only the sender of this message can make updates.' });
  });

  it('adds and removes reactions, visible on the message', async () => {
    const id = (
      await api('POST', '/chat/users/me/messages', { body: { message: 'react to me', to_channel: ch('general').id } })
    ).body.id;
    const react = (action: string) =>
      api('PATCH', `/chat/users/me/messages/${id}/emoji_reactions`, {
        body: { action, emoji: 'U+1F44D', to_channel: ch('general').id },
      });
    expect((await react('add')).status).toBe(204);
    await sim.admin.react({ as: u('Casey').email, messageId: id, emoji: 'U+1F44D' });
    let got = await api('GET', `/chat/users/me/messages/${id}`, { query: { to_channel: ch('general').id } });
    expect(got.body.reactions).toEqual([
      {
        emoji: 'U+1F44D',
        total_count: 2,
        user_ids: [u('Alex').id, u('Casey').id],
        member_ids: [u('Alex').member_id, u('Casey').member_id],
      },
    ]);
    expect((await react('remove')).status).toBe(204);
    got = await api('GET', `/chat/users/me/messages/${id}`, { query: { to_channel: ch('general').id } });
    expect(got.body.reactions[0].total_count).toBe(1);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events.filter((e) => e === 'team_chat.channel_reaction_added')).toHaveLength(2);
    expect(events).toContain('team_chat.channel_reaction_removed');
    const missing = await api('PATCH', `/chat/users/me/messages/${id}/emoji_reactions`, {
      body: { to_channel: ch('general').id },
    });
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['action', 'emoji']);
  });

  it('threads: replies via reply_main_message_id, retrieveThread, no replies to replies', async () => {
    const main = (
      await api('POST', '/chat/users/me/messages', { body: { message: 'question?', to_channel: ch('general').id } })
    ).body.id;
    const reply = await api('POST', '/chat/users/me/messages', {
      body: { message: 'answer', to_channel: ch('general').id, reply_main_message_id: main },
    });
    expect(reply.status).toBe(201);
    await sim.admin.reply({ as: u('Blake').email, channel: 'general', text: 'another', replyTo: main });
    const nested = await api('POST', '/chat/users/me/messages', {
      body: { message: 'deep', to_channel: ch('general').id, reply_main_message_id: reply.body.id },
    });
    expect(nested.body).toEqual({ code: 5402, message: 'This only supports replies to a main message.' });
    const from = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const thread = await api('GET', `/chat/users/me/messages/${main}/thread`, {
      query: { to_channel: ch('general').id, from, sort: 'asc' },
    });
    expect(thread.body.total).toBe(2);
    expect(thread.body.messages.map((m: { message: string; is_reply: boolean }) => [m.message, m.is_reply])).toEqual([
      ['question?', false],
      ['answer', true],
      ['another', true],
    ]);
    const noChildren = await api('GET', '/chat/users/me/messages', {
      query: { to_channel: ch('general').id, exclude_child_message: true },
    });
    expect(noChildren.body.messages.every((m: { reply_main_message_id?: string }) => !m.reply_main_message_id)).toBe(
      true,
    );
    const events = await sim.admin.events();
    expect(events.filter((e) => e.event === 'chat_message.replied')).toHaveLength(2);
  });

  it('direct messages: to a contact by email, both sides listed, announced as dm events', async () => {
    const r = await api('POST', '/chat/users/me/messages', {
      body: { message: 'hi Blake', to_contact: u('Blake').email },
    });
    expect(r.status).toBe(201);
    await sim.admin.postMessage({ as: u('Blake').email, to: u('Alex').email, text: 'hi Alex' });
    const list = await api('GET', '/chat/users/me/messages', { query: { to_contact: u('Blake').member_id } });
    expect(list.body.messages.map((m: { message: string }) => m.message)).toEqual(['hi Alex', 'hi Blake']);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events.filter((e) => e === 'team_chat.dm_message_posted')).toHaveLength(2);
    const unknown = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_contact: 'nobody@example.com' },
    });
    expect(unknown.body).toEqual({ code: 1001, message: 'User does not exist: nobody@example.com.' });
  });

  it('refuses posting in an archived channel, by non-members, and when only admins may post', async () => {
    await api('PATCH', '/chat/channels/events', { body: { method: 'archive', channel_ids: [ch('engineering').id] } });
    const archived = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: ch('engineering').id },
    });
    expect(archived.body).toEqual({ code: 5420, message: 'Can not send message to an archived channel.' });
    const notMember = await api('POST', '/chat/users/me/messages', {
      body: { message: 'x', to_channel: ch('random').id },
    });
    expect(notMember.body.code).toBe(200);
    const casey = await api('POST', `/chat/users/${u('Casey').id}/messages`, {
      body: { message: 'x', to_channel: ch('announcements').id },
    });
    expect(casey.body.code).toBe(5301);
    const unknown = await api('POST', '/chat/users/me/messages', { body: { message: 'x', to_channel: 'nope' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 4130, message: 'Channel does not exist: nope.' } });
  });

  it('schedules a message as a draft listed until deleted', async () => {
    const soon = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(
      (
        await api('POST', '/chat/users/me/messages', {
          body: { message: 'x', to_channel: ch('general').id, scheduled_time: soon },
        })
      ).body.code,
    ).toBe(300);
    const later = new Date(Date.now() + 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const id = (
      await api('POST', '/chat/users/me/messages', {
        body: { message: 'later', to_channel: ch('general').id, scheduled_time: later },
      })
    ).body.id;
    const list = await api('GET', '/chat/messages/schedule');
    expect(list.body.messages).toEqual([
      expect.objectContaining({ draft_id: id, message: 'later', scheduled_time: later }),
    ]);
    expect((await api('DELETE', `/chat/messages/schedule/${id}`)).status).toBe(204);
    expect((await api('GET', '/chat/messages/schedule')).body.messages).toEqual([]);
  });

  it("searches the user's messages", async () => {
    await api('POST', '/chat/users/me/messages', {
      body: { message: 'the quarterly numbers', to_channel: ch('engineering').id },
    });
    const r = await api('GET', '/chat/users/me/messages', {
      query: { search_key: 'QUARTERLY', search_type: 'message' },
    });
    expect(r.body.messages.map((m: { message: string }) => m.message)).toEqual(['the quarterly numbers']);
  });
});

describe('channels', () => {
  it('create → get → update → members → delete, with events', async () => {
    const created = await api('POST', '/chat/users/me/channels', {
      body: { name: 'project-x', type: 1, members: [{ email: u('Blake').email }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'project-x',
      type: 1,
      jid: `${created.body.id}@conference.xmpp.zoom.us`,
    });
    const id = created.body.id;
    expect((await api('POST', '/chat/users/me/channels', { body: { name: 'project-x', type: 1 } })).body).toEqual({
      code: 300,
      message: 'The channel name already exists.',
    });
    expect(
      (
        await api('PATCH', `/chat/users/me/channels/${id}`, {
          body: { name: 'project-y', channel_settings: { posting_permissions: 2 } },
        })
      ).status,
    ).toBe(204);
    const got = await api('GET', `/chat/channels/${id}`);
    expect(got.body).toMatchObject({ name: 'project-y', channel_settings: { posting_permissions: 2 } });
    expect(
      (await api('POST', `/chat/channels/${id}/members`, { body: { members: [{ email: u('Casey').email }] } })).body
        .ids,
    ).toBe(u('Casey').id);
    const members = await api('GET', `/chat/users/me/channels/${id}/members`);
    expect(members.body.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [u('Alex').email, 'owner'],
      [u('Blake').email, 'member'],
      [u('Casey').email, 'member'],
    ]);
    expect((await api('DELETE', `/chat/users/me/channels/${id}/members/${u('Casey').email}`)).status).toBe(204);
    expect((await api('DELETE', `/chat/channels/${id}`)).status).toBe(204);
    expect((await api('GET', `/chat/channels/${id}`)).status).toBe(404);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events).toEqual([
      'chat_channel.created',
      'chat_channel.updated',
      'chat_channel.member_invited',
      'chat_channel.member_removed',
      'chat_channel.deleted',
    ]);
  });

  it('lists channels with paging and the spec maximum', async () => {
    for (let i = 0; i < 5; i++) await api('POST', '/chat/users/me/channels', { body: { name: `c${i}`, type: 1 } });
    const first = await api('GET', '/chat/users/me/channels', { query: { page_size: 4 } });
    expect(first.body).toMatchObject({ page_size: 4, total_records: 8 });
    const second = await api('GET', '/chat/users/me/channels', {
      query: { page_size: 4, next_page_token: first.body.next_page_token },
    });
    expect(second.body.next_page_token).toBe('');
    expect([...first.body.channels, ...second.body.channels]).toHaveLength(8);
    expect((await api('GET', '/chat/channels', { query: { page_size: 21 } })).status).toBe(400);
  });

  it('join and leave public channels; private ones cannot be joined', async () => {
    expect((await api('POST', `/chat/channels/${ch('random').id}/members/me`)).body).toMatchObject({
      id: u('Alex').id,
      member_id: u('Alex').member_id,
    });
    expect((await api('DELETE', `/chat/channels/${ch('random').id}/members/me`)).status).toBe(204);
    const priv = await sim.admin.createChannel({ as: u('Blake').email, name: 'secret', type: 1 });
    expect((await api('POST', `/chat/channels/${priv.id}/members/me`)).body.code).toBe(5301);
    expect((await api('GET', `/chat/channels/${priv.id}`)).status).toBe(404);
    const events = (await sim.admin.events()).map((e) => e.event);
    expect(events).toEqual(['chat_channel.member_joined', 'chat_channel.member_left', 'chat_channel.created']);
  });

  it('archives and unarchives in bulk, reporting failures per channel', async () => {
    const r = await api('PATCH', '/chat/channels/events', {
      body: { method: 'archive', channel_ids: [ch('general').id, 'missing'] },
    });
    expect(r.body.failed_channels).toEqual([
      { channel_id: 'missing', reason: 'Channel does not exist: missing.', error_code: '4130' },
    ]);
    expect(ch('general').archived).toBe(true);
    await api('PATCH', '/chat/channels/events', { body: { method: 'unarchive', channel_ids: [ch('general').id] } });
    expect(ch('general').archived).toBe(false);
    expect((await sim.admin.events()).map((e) => e.event)).toEqual([
      'team_chat.channel_archived',
      'team_chat.channel_unarchived',
    ]);
  });

  it('promotes and demotes administrators', async () => {
    const id = ch('engineering').id;
    await api('POST', `/chat/users/me/channels/${id}/admins`, { body: { admins: [{ email: u('Blake').email }] } });
    let admins = await api('GET', `/chat/users/me/channels/${id}/admins`);
    expect(admins.body.admins.map((a: { email: string }) => a.email)).toEqual([u('Alex').email, u('Blake').email]);
    await api('DELETE', `/chat/users/me/channels/${id}/admins`, {
      query: { admin_ids: u('Blake').member_id, user_ids: u('Blake').id },
    });
    admins = await api('GET', `/chat/users/me/channels/${id}/admins`);
    expect(admins.body.admins).toHaveLength(1);
  });

  it('searches channels by name', async () => {
    const r = await api('POST', '/chat/channels/search', {
      body: { needle: { search_type: 'by_channel_name_exact_match', channel_name: 'Random' }, haystack: 'public' },
    });
    expect(r.body.channels).toEqual([expect.objectContaining({ id: ch('random').id, member_count: 2 })]);
  });
});

describe('contacts', () => {
  it('lists company and external contacts, gets one, searches the directory', async () => {
    const company = await api('GET', '/chat/users/me/contacts');
    expect(company.body.contacts.map((c: { first_name: string }) => c.first_name)).toEqual(['Blake', 'Casey', 'Devon']);
    const external = await api('GET', '/chat/users/me/contacts', { query: { type: 'external' } });
    expect(external.body.contacts.map((c: { first_name: string }) => c.first_name)).toEqual(['Emery']);
    const one = await api('GET', `/chat/users/me/contacts/${u('Casey').email}`, {
      query: { query_presence_status: true },
    });
    expect(one.body).toMatchObject({ id: u('Casey').id, presence_status: 'Available' });
    expect((await api('GET', '/chat/users/me/contacts/nobody')).body.code).toBe(1001);
    const search = await api('GET', '/contacts', { query: { search_key: 'dia' } });
    expect(search.body.contacts.map((c: { email: string }) => c.email)).toEqual([u('Casey').email]);
  });
});

describe('chatbot', () => {
  const body = () => ({
    robot_jid: sim.credentials.chatbot.botJid,
    to_jid: ch('general').jid,
    account_id: sim.credentials.accountId,
    user_jid: u('Alex').jid,
    content: { head: { text: 'Build passed' }, body: [{ type: 'message', text: 'all green' }] },
  });

  it('sends, edits and deletes bot messages, which show up in the channel', async () => {
    const sent = await call(sim.urls.api, 'POST', '/im/chat/messages', { token: botToken, body: body() });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      robot_jid: sim.credentials.chatbot.botJid,
      to_jid: ch('general').jid,
      sent_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    const list = await api('GET', '/chat/users/me/messages', { query: { to_channel: ch('general').id } });
    expect(list.body.messages[0]).toMatchObject({
      id: sent.body.message_id,
      message: 'Build passed\nall green',
      bot_message: body().content,
    });
    const edit = await call(sim.urls.api, 'PUT', `/im/chat/messages/${sent.body.message_id}`, {
      token: botToken,
      body: { robot_jid: body().robot_jid, account_id: body().account_id, content: { head: { text: 'Build failed' } } },
    });
    expect(edit.status).toBe(200);
    const del = await call(sim.urls.api, 'DELETE', `/im/chat/messages/${sent.body.message_id}`, {
      token: botToken,
      query: { robot_jid: body().robot_jid, account_id: body().account_id },
    });
    expect(del.status).toBe(200);
    const again = await call(sim.urls.api, 'DELETE', `/im/chat/messages/${sent.body.message_id}`, {
      token: botToken,
      query: { robot_jid: body().robot_jid, account_id: body().account_id },
    });
    expect(again.body).toEqual({ code: 8001, message: 'Invalid message_id value.' });
  });

  it('refuses an unknown robot_jid, account or destination', async () => {
    const jid = await call(sim.urls.api, 'POST', '/im/chat/messages', {
      token: botToken,
      body: { ...body(), robot_jid: 'x@xmpp.zoom.us' },
    });
    expect(jid.body).toEqual({ code: 7003, message: 'No Chatbot can be found with the given robot_jid value.' });
    const to = await call(sim.urls.api, 'POST', '/im/chat/messages', {
      token: botToken,
      body: { ...body(), to_jid: 'nowhere@conference.xmpp.zoom.us' },
    });
    expect(to.body.code).toBe(7004);
    const account = await call(sim.urls.api, 'POST', '/im/chat/messages', {
      token: botToken,
      body: { ...body(), account_id: 'other' },
    });
    expect(account.body.code).toBe(7004);
    const wrongToken = await call(sim.urls.api, 'POST', '/im/chat/messages', { token: t, body: body() });
    expect(wrongToken.body.code).toBe(4700);
  });
});

describe('errors', () => {
  it('unknown routes, wrong methods and bad JSON answer in Zoom shape', async () => {
    expect(await api('GET', '/chat/nothing')).toMatchObject({ status: 404, body: { code: 404 } });
    expect((await api('PUT', '/chat/users/me/channels')).status).toBe(405);
    const bad = await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
      token: t,
      raw: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.body).toEqual({ code: 300, message: 'Request Body should be a valid JSON object.' });
    const empty = await call(sim.urls.api, 'POST', '/chat/users/me/messages', { token: t });
    expect(empty.body).toEqual({
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'message', message: 'Required field is missing.' }],
    });
    expect((await api('GET', '/chat/users/nobody@example.com/channels')).body.code).toBe(1001);
  });

  it('accepts an email or a member ID where the spec says oneOf (known defect 1)', async () => {
    const byEmail = await api('POST', '/chat/users/me/messages', {
      body: { message: 'a', to_contact: u('Blake').email },
    });
    const byMember = await api('POST', '/chat/users/me/messages', {
      body: { message: 'b', to_contact: u('Blake').member_id },
    });
    expect([byEmail.status, byMember.status]).toEqual([201, 201]);
    const wrongType = await api('POST', '/chat/users/me/messages', { body: { message: 'c', to_contact: 42 } });
    expect(wrongType.body.errors).toEqual([{ field: 'to_contact', message: 'Invalid field: must be string.' }]);
  });
});
