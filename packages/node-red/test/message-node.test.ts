/**
 * The zoom message node inside the Node-RED runtime (test helper) against the Zoom simulator:
 * each action's round trip (get, thread, edit, delete, react, schedule, download), what wins
 * over what, and the errors a Catch node sees (once each) before anything is sent.
 */
import { randomBytes } from 'node:crypto';
import { createZoomClient, type ZoomClient } from '@zoom-team-chat/core';
import { startSimulator, type AdminChannel, type AdminUser, type Simulator } from '@zoom-team-chat/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zoomEmoji } from '../src/nodes/zoom-team-chat-message/inputs';
import { allNodes, collect, helper, nextError, nextMessage, statuses, type TestNode } from './support/red';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOUR = 3_600_000;

let sim: Simulator;
let owner: AdminUser;
let blake: AdminUser;
let general: AdminChannel;
/** The account owner's client, to put files on a message the way a person would. */
let zoom: ZoomClient;
/** How far the simulator's clock runs ahead of the real one (a long thread is spread over time). */
let skew = 0;

beforeAll(async () => {
  sim = await startSimulator({ fileStorage: 'memory', fixtures: 'default', plan: 'off', now: () => Date.now() + skew });
  const users = await sim.admin.users();
  owner = users.find((u) => u.role === 'owner')!;
  blake = users.find((u) => u.email.startsWith('blake.'))!;
  general = (await sim.admin.channels()).find((c) => c.name === 'general')!;
  const c = sim.credentials;
  zoom = createZoomClient({
    auth: { kind: 'account', accountId: c.accountId, clientId: c.clientId, clientSecret: c.clientSecret },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
  });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await helper.unload();
});

async function load(node: Record<string, unknown>, account: Record<string, unknown> = {}) {
  const c = sim.credentials;
  await helper.load(
    allNodes,
    [
      {
        id: 'acc',
        type: 'zoom-team-chat-account',
        authKind: 'account',
        plan: 'pro',
        userId: owner.email,
        botJid: '',
        apiUrl: sim.urls.api,
        fileUrl: sim.urls.file,
        oauthUrl: sim.urls.oauth,
        ...account,
      },
      { id: 'n1', type: 'zoom-team-chat-message', account: 'acc', wires: [['out']], ...node },
      { id: 'out', type: 'helper' },
    ],
    {
      acc: {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        accountId: c.accountId,
        webhookSecretToken: c.webhookSecretToken,
      },
    },
  );
  return { n1: helper.getNode('n1') as TestNode, out: helper.getNode('out') as TestNode };
}

/** Sends `msg` through a freshly loaded node and resolves with what comes out. */
async function run(node: Record<string, unknown>, msg: Record<string, unknown>) {
  const { n1, out } = await load(node);
  const got = nextMessage(out);
  n1.receive(msg);
  return got;
}

/** Sends `msg` and resolves with the error reported through done(err), checking nothing came out. */
async function fails(node: Record<string, unknown>, msg: Record<string, unknown>) {
  const { n1, out } = await load(node);
  const sent = collect(out);
  const seen = statuses(n1);
  const err = nextError(n1);
  n1.receive(msg);
  const e = await err;
  expect(sent).toHaveLength(0);
  expect(seen.at(-1)).toMatchObject({ fill: 'red' });
  return e;
}

/** The shape of a trigger's output for a message posted in a channel (what the trigger node sends). */
function triggered(messageId: string, channel: string, mainId = messageId) {
  return {
    topic: 'team_chat.channel_message_posted',
    payload: {
      account_id: 'x',
      operator: blake.email,
      object: { message_id: messageId, channel_id: channel, message: 'hi' },
    },
    zoom: { event: 'team_chat.channel_message_posted', replyTarget: { channel, messageId: mainId } },
  };
}

describe('zoom message: get, thread', () => {
  it('gets a message by msg.messageId and msg.channel; other properties pass through', async () => {
    const posted = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'the release is out' });
    const msg = await run({ mode: 'get' }, { messageId: posted.id, channel: general.id, keep: 'me' });
    expect(msg.payload).toMatchObject({ id: posted.id, message: 'the release is out', sender: blake.email });
    expect(msg.keep).toBe('me');
  });

  it('lets the node’s Message ID win over msg.messageId', async () => {
    const a = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'configured one' });
    const b = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'from the msg' });
    const msg = await run(
      { mode: 'get', messageId: a.id, channel: general.id },
      { messageId: b.id, channel: 'not-a-channel' },
    );
    expect(msg.payload.id).toBe(a.id);
  });

  it('gets the replies of a thread, oldest first, the main message left out', async () => {
    const main = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'who takes the on-call?' });
    const r1 = await sim.admin.reply({ as: owner.email, channel: general.id, text: 'me', replyTo: main.id });
    const r2 = await sim.admin.reply({ as: blake.email, channel: general.id, text: 'thanks!', replyTo: main.id });
    const msg = await run({ mode: 'thread' }, { messageId: main.id, channel: general.id });
    expect(Array.isArray(msg.payload)).toBe(true);
    expect(msg.payload.map((m: { msg_id: string; message: string }) => [m.msg_id, m.message])).toEqual([
      [r1.id, 'me'],
      [r2.id, 'thanks!'],
    ]);
  });

  it('reads every reply of a thread longer than one page of Zoom’s (100)', async () => {
    const main = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'long discussion' });
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) {
      // Zoom's `from` has whole seconds: several replies share each second, as in a busy thread.
      skew += 300;
      ids.push(
        (
          await sim.admin.reply({
            as: i % 2 ? owner.email : blake.email,
            channel: general.id,
            text: `reply ${i}`,
            replyTo: main.id,
          })
        ).id,
      );
    }
    const msg = await run({ mode: 'thread' }, { messageId: main.id, channel: general.id });
    expect(msg.payload.map((m: { msg_id: string }) => m.msg_id)).toEqual(ids);
  });

  it('after a trigger, reads the thread of the triggering reply (its main message) without a message ID', async () => {
    const main = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'main' });
    const reply = await sim.admin.reply({ as: blake.email, channel: general.id, text: 'a reply', replyTo: main.id });
    const msg = await run({ mode: 'thread' }, triggered(reply.id, general.id, main.id));
    expect(msg.payload.map((m: { msg_id: string }) => m.msg_id)).toEqual([reply.id]);
  });
});

describe('zoom message: edit, delete, react', () => {
  it('edits a message with plain text from msg.payload', async () => {
    const mine = await sim.admin.postMessage({ as: owner.email, channel: general.id, text: 'teh build is green' });
    const msg = await run(
      { mode: 'edit', textFormat: 'plain' },
      { messageId: mine.id, channel: general.id, payload: 'the build is green' },
    );
    expect(msg.payload).toEqual({ id: mine.id, message: 'the build is green' });
    const stored = await sim.admin.message(mine.id);
    expect(stored).toMatchObject({ text: 'the build is green', status: 'Edited' });
  });

  it('edits with Markdown as the text it shows (editMessage takes no rich text)', async () => {
    const mine = await sim.admin.postMessage({ as: owner.email, channel: general.id, text: 'draft' });
    const msg = await run(
      { mode: 'edit', textFormat: 'markdown', text: '**Done**, see [the log](https://ci.example.com/1)' },
      { messageId: mine.id, channel: general.id, payload: 'ignored: the node has Text' },
    );
    expect(msg.payload.message).toBe('Done, see the log');
    expect((await sim.admin.message(mine.id)).text).toBe('Done, see the log');
  });

  it('deletes a message', async () => {
    const mine = await sim.admin.postMessage({ as: owner.email, channel: general.id, text: 'oops, wrong channel' });
    const msg = await run({ mode: 'delete', channel: general.id }, { messageId: mine.id });
    expect(msg.payload).toEqual({ id: mine.id, deleted: true });
    expect((await sim.admin.message(mine.id)).status).toBe('Deleted');
  });

  it('adds a reaction to the triggering message (no message ID or channel given), then removes it', async () => {
    const posted = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'shipped!' });
    const added = await run({ mode: 'react', emoji: '👍' }, triggered(posted.id, general.id));
    expect(added.payload).toEqual({ id: posted.id, action: 'add', emoji: 'U+1F44D' });
    expect((await sim.admin.message(posted.id)).reactions).toEqual([{ emoji: 'U+1F44D', userIds: [owner.id] }]);
    await helper.unload();
    const removed = await run(
      { mode: 'react', reaction: 'remove' },
      { messageId: posted.id, channel: general.id, emoji: 'U+1F44D' },
    );
    expect(removed.payload.action).toBe('remove');
    expect((await sim.admin.message(posted.id)).reactions).toEqual([]);
  });

  it('spells emojis as Zoom’s codes and refuses names', () => {
    expect(zoomEmoji('👍')).toBe('U+1F44D');
    expect(zoomEmoji('❤️')).toBe('U+2764');
    expect(zoomEmoji('u+1f600')).toBe('U+1F600');
    expect(zoomEmoji('1f600')).toBe('U+1F600');
    expect(() => zoomEmoji(':thumbsup:')).toThrow(/Emoji must be the emoji itself/);
  });
});

describe('zoom message: schedule', () => {
  it('schedules a Markdown message: rich text, delivered by runScheduled and not before', async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    const msg = await run(
      { mode: 'schedule', textFormat: 'markdown', channel: general.id },
      { payload: '**Stand-up** in [the room](https://example.com/room)', scheduledTime: at },
    );
    const sentTime = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(msg.payload).toMatchObject({ id: expect.any(String), scheduled_time: sentTime });
    const draft = (await sim.admin.scheduledMessages()).find((d) => d.draftId === msg.payload.id)!;
    expect(draft).toMatchObject({
      state: 'scheduled',
      text: 'Stand-up in the room',
      channelId: general.id,
      senderId: owner.id,
    });
    expect(draft.scheduledTime).toBe(new Date(Date.parse(sentTime)).toISOString());
    expect((await sim.admin.channelMessages(general.id)).some((m) => m.text === 'Stand-up in the room')).toBe(false);

    const [delivered] = await sim.admin.runScheduled({ draftId: draft.draftId });
    expect(delivered).toMatchObject({ state: 'sent', messageId: expect.any(String) });
    const sent = (await sim.admin.message(delivered!.messageId!)) as Awaited<
      ReturnType<Simulator['admin']['message']>
    > & { richText?: unknown };
    expect(sent).toMatchObject({ text: 'Stand-up in the room', channelId: general.id, senderId: owner.id });
    expect(sent.richText).toEqual([
      { start_position: 0, end_position: 7, format_type: 'Bold' },
      { start_position: 12, end_position: 19, format_type: 'AddLink', format_attr: 'https://example.com/room' },
    ]);
  });

  it('takes the format from msg.format when Text format is "set by msg.format": mentions become at_items', async () => {
    const casey = (await sim.admin.users()).find((u) => u.email.startsWith('casey.'))!;
    const msg = await run(
      {
        mode: 'schedule',
        textFormat: 'msg',
        channel: general.id,
        scheduledTime: new Date(Date.now() + HOUR).toISOString(),
      },
      { payload: `ping @${casey.email}`, format: 'markdown' },
    );
    const [delivered] = await sim.admin.runScheduled({ draftId: msg.payload.id });
    const sent = (await sim.admin.message(delivered!.messageId!)) as {
      text: string;
      atItems?: Array<Record<string, unknown>>;
    };
    expect(sent.text).toMatch(/^ping @/);
    expect(sent.atItems).toEqual([expect.objectContaining({ at_type: 1, at_contact: casey.email, start_position: 5 })]);
  });

  it('schedules plain text as written, at the node’s Send at, as a reply with msg.replyTo', async () => {
    const main = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'remind me' });
    const sendAt = new Date(Date.now() + 3 * HOUR).toISOString();
    const msg = await run(
      { mode: 'schedule', textFormat: 'plain', scheduledTime: sendAt, text: '**not bold** here' },
      { channel: general.id, replyTo: main.id, scheduledTime: 'ignored: the node has Send at' },
    );
    const draft = (await sim.admin.scheduledMessages()).find((d) => d.draftId === msg.payload.id)!;
    expect(draft).toMatchObject({ text: '**not bold** here', replyTo: main.id, state: 'scheduled' });
    const [delivered] = await sim.admin.runScheduled({ draftId: draft.draftId });
    const sent = (await sim.admin.message(delivered!.messageId!)) as {
      text: string;
      replyTo?: string;
      richText?: unknown;
    };
    expect(sent).toMatchObject({ text: '**not bold** here', replyTo: main.id });
    expect(sent.richText).toBeUndefined();
  });

  it('refuses a time 30 minutes or less ahead, in the past, or not a date, naming the field, and schedules nothing', async () => {
    const before = (await sim.admin.scheduledMessages()).length;
    const soon = await fails(
      { mode: 'schedule', channel: general.id },
      { payload: 'x', scheduledTime: Date.now() + 10 * 60_000 },
    );
    expect(soon.message).toMatch(
      /^msg\.scheduledTime must be more than 30 minutes from now .*is 10 minutes from now\.$/,
    );
    await helper.unload();
    const past = await fails(
      { mode: 'schedule', channel: general.id, scheduledTime: '2020-01-01T00:00:00Z' },
      { payload: 'x' },
    );
    expect(past.message).toMatch(
      /^Send at must be more than 30 minutes from now .*2020-01-01T00:00:00Z is \d+ days ago\.$/,
    );
    await helper.unload();
    const far = await fails(
      { mode: 'schedule', channel: general.id },
      { payload: 'x', scheduledTime: new Date(Date.now() + 200 * 24 * HOUR).toISOString() },
    );
    expect(far.message).toMatch(/^msg\.scheduledTime must be within 180 days/);
    await helper.unload();
    const garbage = await fails(
      { mode: 'schedule', channel: general.id },
      { payload: 'x', scheduledTime: 'tomorrow-ish' },
    );
    expect(garbage.message).toMatch(/^msg\.scheduledTime must be a date and time/);
    await helper.unload();
    const missing = await fails({ mode: 'schedule', channel: general.id }, { payload: 'x' });
    expect(missing.message).toMatch(/^Send at is required .*msg\.scheduledTime/);
    expect((await sim.admin.scheduledMessages()).length).toBe(before);
  });
});

describe('zoom message: download files', () => {
  async function messageWithFiles(files: Array<{ fileName: string; contentType?: string; data: Buffer }>) {
    const ids: string[] = [];
    for (const f of files)
      ids.push((await zoom.files.upload({ ...f, data: new Uint8Array(f.data) }, { userId: owner.email })).id);
    const sent = await zoom.messages.send(
      { to_channel: general.id, message: 'files attached', file_ids: ids },
      { userId: owner.email },
    );
    return { messageId: sent.id as string, fileIds: ids };
  }

  it('downloads every file of a message, byte for byte, one output message per file with parts', async () => {
    const png = randomBytes(150_000);
    const csv = Buffer.from('name,score\nada,10\n');
    const { messageId, fileIds } = await messageWithFiles([
      { fileName: 'team photo.png', contentType: 'image/png', data: png },
      { fileName: 'scores.csv', contentType: 'text/csv', data: csv },
    ]);
    const { n1, out } = await load({ mode: 'download' });
    const got = collect(out);
    n1.receive({ messageId, channel: general.id, _msgid: 'm-1' });
    const deadline = Date.now() + 10_000;
    while (got.length < 2 && Date.now() < deadline) await pause(25);
    expect(got).toHaveLength(2);
    const [a, b] = got;
    expect(Buffer.isBuffer(a!.payload)).toBe(true);
    expect((a!.payload as Buffer).equals(png)).toBe(true);
    expect(a).toMatchObject({
      filename: 'team photo.png',
      mimetype: 'image/png',
      fileId: fileIds[0],
      messageId,
      parts: { id: 'm-1', index: 0, count: 2, type: 'array' },
    });
    expect((b!.payload as Buffer).equals(csv)).toBe(true);
    expect(b).toMatchObject({
      filename: 'scores.csv',
      mimetype: 'text/csv',
      fileId: fileIds[1],
      parts: { index: 1, count: 2 },
    });
  });

  it('downloads one file by msg.fileId into one message without parts', async () => {
    const pdf = randomBytes(20_000);
    const { fileIds } = await messageWithFiles([{ fileName: 'report.pdf', contentType: 'application/pdf', data: pdf }]);
    const msg = await run({ mode: 'download' }, { fileId: fileIds[0] });
    expect((msg.payload as Buffer).equals(pdf)).toBe(true);
    expect(msg).toMatchObject({ filename: 'report.pdf', mimetype: 'application/pdf', fileId: fileIds[0] });
    expect(msg.parts).toBeUndefined();
  });

  it('sends nothing for a message without files', async () => {
    const plain = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'no attachments here' });
    const { n1, out } = await load({ mode: 'download', channel: general.id });
    const got = collect(out);
    const seen = statuses(n1);
    n1.receive({ messageId: plain.id });
    const deadline = Date.now() + 10_000;
    while (!seen.some((s) => s.text === 'no files') && Date.now() < deadline) await pause(25);
    expect(seen.at(-1)).toMatchObject({ fill: 'green', text: 'no files' });
    expect(got).toHaveLength(0);
  });

  it('refuses a file over Max size (MB) through done(err), naming the cap, by message and by file ID', async () => {
    const { messageId, fileIds } = await messageWithFiles([
      { fileName: 'small.txt', contentType: 'text/plain', data: Buffer.from('fits') },
      { fileName: 'big.bin', data: randomBytes(5_000) },
    ]);
    const byMessage = await fails({ mode: 'download', maxSize: 0.001 }, { messageId, channel: general.id });
    expect(byMessage.message).toBe(
      'The file "big.bin" is larger than Max size (MB) = 0.001: Zoom lists it at 5000 bytes, over the cap of 1048 bytes; nothing was downloaded. Raise Max size (MB) to download it.',
    );
    await helper.unload();
    const byId = await fails({ mode: 'download' }, { fileId: fileIds[1], maxSize: '0.001' });
    expect(byId.message).toMatch(
      /^The file is larger than msg\.maxSize = 0\.001: the download cap is 1048 bytes, .*5000 bytes/,
    );
  });
});

describe('zoom message: msg.action and errors', () => {
  it('reads msg.action only when the node’s Action is "set by msg.action"', async () => {
    const posted = await sim.admin.postMessage({ as: owner.email, channel: general.id, text: 'keep me' });
    const got = await run({ mode: 'msg' }, { action: 'GET', messageId: posted.id, channel: general.id });
    expect(got.payload.message).toBe('keep me');
    await helper.unload();
    const still = await run({ mode: 'get' }, { action: 'delete', messageId: posted.id, channel: general.id });
    expect(still.payload.id).toBe(posted.id);
    expect((await sim.admin.message(posted.id)).status).toBe('Normal');
    await helper.unload();
    const bad = await fails({ mode: 'msg' }, { action: 'explode', messageId: posted.id, channel: general.id });
    expect(bad.message).toBe(
      'msg.action must be one of get, thread, edit, delete, react, schedule, download (the node\'s Action is "set by msg.action"); got "explode".',
    );
  });

  it('reports a missing message ID once, naming the field, and keeps handling the next messages', async () => {
    const posted = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'still here' });
    const { n1, out } = await load({ mode: 'react', emoji: '🎉', channel: general.id });
    const errors: string[] = [];
    n1.on('call:error', (call: { args: [unknown] }) =>
      errors.push(String((call.args[0] as Error)?.message ?? call.args[0])),
    );
    n1.receive({ payload: 'no id' });
    n1.receive({ messageId: posted.id, emoji: 'ignored' });
    const got = nextMessage(out);
    expect((await got).payload).toEqual({ id: posted.id, action: 'add', emoji: 'U+1F389' });
    await pause(100);
    expect(errors).toEqual(['Message ID is required: set it in the node or send it as msg.messageId.']);
  });

  it('names what is missing: the conversation, the emoji, the text', async () => {
    const noConversation = await fails({ mode: 'get' }, { messageId: 'abc' });
    expect(noConversation.message).toMatch(/^No destination: set Channel or Contact in the node, or send msg\.channel/);
    await helper.unload();
    const noEmoji = await fails({ mode: 'react' }, { messageId: 'abc', channel: general.id });
    expect(noEmoji.message).toMatch(/^Emoji is required: set it in the node or send it as msg\.emoji/);
    await helper.unload();
    const noText = await fails({ mode: 'edit' }, { messageId: 'abc', channel: general.id, payload: { not: 'text' } });
    expect(noText.message).toMatch(/^No message text: set Text in the node, or send the new text in msg\.payload/);
  });

  it('passes Zoom’s refusal on to Catch (editing someone else’s message)', async () => {
    const theirs = await sim.admin.postMessage({ as: blake.email, channel: general.id, text: 'mine, not yours' });
    const err = await fails({ mode: 'edit', text: 'hijacked' }, { messageId: theirs.id, channel: general.id });
    expect(err.message).toMatch(/Only the sender of this message can make updates/);
    expect((await sim.admin.message(theirs.id)).text).toBe('mine, not yours');
  });

  it('refuses a Chatbot account up front', async () => {
    const { n1 } = await load({ mode: 'get' }, { authKind: 'chatbot', botJid: sim.credentials.chatbot.botJid });
    const err = nextError(n1);
    n1.receive({ messageId: 'abc', channel: general.id });
    expect((await err).message).toMatch(
      /needs Server-to-Server OAuth or OAuth2 \(user\) credentials, not Chatbot ones/,
    );
  });
});
