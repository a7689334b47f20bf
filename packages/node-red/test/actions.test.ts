/**
 * Send, list, upload and api nodes against a recording fake of Zoom over real HTTP: what each
 * node turns a msg into, precedence of settings over msg, errors to Catch, status.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accountCredentials,
  accountNode,
  allNodes,
  collect,
  helper,
  nextError,
  nextMessage,
  statuses,
  type TestNode,
} from './support/red';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check` holds, polling every 25 ms; fails after `timeoutMs` (generous: CI machines are loaded). */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(25);
  }
}
import { startFakeZoom, type FakeZoom } from './support/fake-zoom';

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
});
afterAll(async () => {
  await zoom.close();
});
beforeEach(() => {
  zoom.requests.length = 0;
});
afterEach(async () => {
  await helper.unload();
});

async function load(node: Record<string, unknown>, account: Record<string, unknown> = {}) {
  await helper.load(
    allNodes,
    [
      accountNode({ ...zoom.baseUrls, userId: '', ...account }),
      { id: 'n1', account: 'acc1', wires: [['out']], ...node },
      { id: 'out', type: 'helper' },
    ],
    accountCredentials(),
  );
  return { n1: helper.getNode('n1') as TestNode, out: helper.getNode('out') as TestNode };
}

const SENT = { status: 201, body: { id: 'new-msg-1' } };

describe('zoom-team-chat-send', () => {
  it('sends msg.payload text to msg.channel as the account (token minted once, secret never in the msg)', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', SENT);
    const { n1, out } = await load({ type: 'zoom-team-chat-send', mode: 'message' });
    const got = nextMessage(out);
    n1.receive({ payload: 'hello team', channel: 'chan-9', keep: 'me' });
    const msg = await got;
    expect(msg.payload).toEqual({ id: 'new-msg-1' });
    expect(msg.keep).toBe('me');
    const token = zoom.requests.find((r) => r.path === '/oauth/token');
    expect(token?.form).toMatchObject({ grant_type: 'account_credentials', account_id: 'account-123' });
    const [sent] = zoom.apiRequests();
    expect(sent?.headers.authorization).toBe('Bearer access-1');
    expect(sent?.json).toEqual({ message: 'hello team', to_channel: 'chan-9' });
    expect(JSON.stringify(msg)).not.toContain('client-secret-value');
  });

  it('lets configured values win over msg, and uses the account user', async () => {
    zoom.answer('POST /v2/chat/users/u-42/messages', SENT);
    const { n1, out } = await load(
      { type: 'zoom-team-chat-send', channel: 'chan-config', text: 'from config', replyTo: 'main-1' },
      { userId: 'u-42' },
    );
    const got = nextMessage(out);
    n1.receive({
      payload: 'from msg',
      channel: 'chan-msg',
      contact: 'x@example.com',
      replyTo: 'main-msg',
      userId: 'u-other',
    });
    await got;
    expect(zoom.apiRequests()[0]?.json).toEqual({
      message: 'from config',
      to_channel: 'chan-config',
      reply_main_message_id: 'main-1',
    });
  });

  it('replies in the thread of the triggering event by default, with mentions and rich text', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', SENT);
    const { n1, out } = await load({ type: 'zoom-team-chat-send', replyInThread: true });
    const got = nextMessage(out);
    n1.receive({
      payload: 'thanks @bob@example.com',
      mentions: ['bob@example.com', 'all'],
      richText: [{ start_position: 0, end_position: 5, format_type: 'Bold' }],
      zoom: { replyTarget: { channel: 'chan-1', messageId: 'msg-main' } },
    });
    await got;
    expect(zoom.apiRequests()[0]?.json).toEqual({
      message: 'thanks @bob@example.com @all',
      to_channel: 'chan-1',
      reply_main_message_id: 'msg-main',
      rich_text: [{ start_position: 0, end_position: 5, format_type: 'Bold' }],
      at_items: [
        { at_type: 1, at_contact: 'bob@example.com', start_position: 7, end_position: 22 },
        { at_type: 2, start_position: 24, end_position: 27 },
      ],
    });
  });

  it('gives each repeated mention its own occurrence and keeps at_items from a body object', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', SENT);
    const { n1, out } = await load({ type: 'zoom-team-chat-send' });
    const got = nextMessage(out);
    n1.receive({
      payload: {
        message: '@all: @bob@example.com and @bob@example.com',
        to_channel: 'c',
        at_items: [{ at_type: 2, start_position: 0, end_position: 3 }],
      },
      mentions: ['bob@example.com', 'bob@example.com', 'bob@example.com'],
    });
    await got;
    expect(zoom.apiRequests()[0]?.json).toEqual({
      message: '@all: @bob@example.com and @bob@example.com @bob@example.com',
      to_channel: 'c',
      at_items: [
        { at_type: 2, start_position: 0, end_position: 3 },
        { at_type: 1, at_contact: 'bob@example.com', start_position: 6, end_position: 21 },
        { at_type: 1, at_contact: 'bob@example.com', start_position: 27, end_position: 42 },
        { at_type: 1, at_contact: 'bob@example.com', start_position: 44, end_position: 59 },
      ],
    });
  });

  it('takes a full body object from msg.payload', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', SENT);
    const { n1, out } = await load({ type: 'zoom-team-chat-send' });
    const got = nextMessage(out);
    n1.receive({ payload: { message: 'raw body', to_contact: 'carol@example.com', file_ids: ['f1'] } });
    await got;
    expect(zoom.apiRequests()[0]?.json).toEqual({
      message: 'raw body',
      to_contact: 'carol@example.com',
      file_ids: ['f1'],
    });
  });

  it('sends a chatbot message: text, markdown and card, with JIDs from the triggering event', async () => {
    zoom.answer('POST /v2/im/chat/messages', {
      status: 201,
      body: { message_id: 'bot-1', robot_jid: 'bot@xmpp', to_jid: 't', sent_time: 'x' },
    });
    const replyTarget = {
      toJid: 'chan@conference.xmpp.zoom.us',
      userJid: 'u@xmpp.zoom.us',
      accountId: 'acc-evt',
      robotJid: 'bot@xmpp',
    };
    for (const [format, payload, content] of [
      ['text', 'hi', { body: [{ type: 'message', text: 'hi' }] }],
      ['markdown', '*hi*', { body: [{ type: 'message', text: '*hi*' }] }],
      [
        'card',
        '{"head":{"text":"Card"},"body":[{"type":"message","text":"x"}]}',
        { head: { text: 'Card' }, body: [{ type: 'message', text: 'x' }] },
      ],
    ] as const) {
      zoom.requests.length = 0;
      const { n1, out } = await load(
        { type: 'zoom-team-chat-send', mode: 'chatbot', format },
        { authKind: 'chatbot', botJid: 'bot@xmpp' },
      );
      const got = nextMessage(out);
      n1.receive({ payload, zoom: { replyTarget } });
      expect((await got).payload.message_id).toBe('bot-1');
      expect(zoom.requests.find((r) => r.path === '/oauth/token')?.form?.grant_type).toBe('client_credentials');
      expect(zoom.apiRequests()[0]?.json).toEqual({
        content,
        robot_jid: 'bot@xmpp',
        to_jid: 'chan@conference.xmpp.zoom.us',
        user_jid: 'u@xmpp.zoom.us',
        // The account node's Account ID wins over the event's.
        account_id: 'account-123',
        ...(format === 'markdown' ? { is_markdown_support: true } : {}),
      });
      await helper.unload();
    }
  });

  it('reports a missing destination once through done(err), sends nothing and keeps running', async () => {
    const { n1, out } = await load({ type: 'zoom-team-chat-send' });
    const got = collect(out);
    const seen = statuses(n1);
    const err = nextError(n1);
    n1.receive({ payload: 'hello' });
    const e = await err;
    expect(e.message).toMatch(/No destination: set Channel or Contact/);
    expect(e.msg.payload).toBe('hello');
    expect(got).toHaveLength(0);
    expect(zoom.apiRequests()).toHaveLength(0);
    expect(seen.at(-1)).toMatchObject({ fill: 'red' });
  });

  it('reports each bad message exactly once and keeps handling the next ones', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', SENT);
    const { n1, out } = await load({ type: 'zoom-team-chat-send' });
    const errors: string[] = [];
    n1.on('call:error', (call: { args: [unknown] }) =>
      errors.push(String((call.args[0] as Error)?.message ?? call.args[0])),
    );
    const bad: Array<Record<string, unknown>> = [
      { payload: { not: 'a body' }, channel: 'c' },
      { payload: 'x', channel: 'c', contact: 'd@example.com' },
      { payload: 'x', channel: 'c', mentions: 'bob' },
      { payload: null, channel: 'c' },
      { payload: 'x', channel: { id: 'c' } },
      { payload: ' \n\t ', channel: 'c' },
    ];
    for (const msg of bad) n1.receive(msg);
    const got = nextMessage(out);
    n1.receive({ payload: 'still alive', channel: 'c' });
    expect((await got).payload).toEqual({ id: 'new-msg-1' });
    await waitFor('an error per bad message', () => errors.length >= bad.length);
    await pause(50); // room for a second report of one of them to show up
    expect(errors).toHaveLength(bad.length);
    expect(errors[1]).toMatch(/Both a channel and a contact/);
    expect(errors[2]).toMatch(/msg\.mentions must be an array/);
    expect(errors[5]).toMatch(/No message text/);
  });

  it('refuses a request the spec forbids before sending, naming the field', async () => {
    const { n1 } = await load({ type: 'zoom-team-chat-send', channel: 'c' });
    const err = nextError(n1);
    n1.receive({ payload: 'x'.repeat(1025) });
    expect((await err).message).toMatch(/body\.message/);
    expect(zoom.apiRequests()).toHaveLength(0);
  });

  it('turns a Zoom error into a Catch-able error with Zoom code and scopes, never the token', async () => {
    zoom.answer('POST /v2/chat/users/me/messages', {
      status: 400,
      body: { code: 5301, message: 'Request to send message failed' },
    });
    const { n1 } = await load({ type: 'zoom-team-chat-send', channel: 'c' });
    const err = nextError(n1);
    n1.receive({ payload: 'x' });
    const e = await err;
    expect(e.message).toMatch(/5301/);
    expect(e.message).not.toMatch(/access-\d/);
  });

  it('shows rate-limited with seconds left while Zoom answers 429, then sends', async () => {
    zoom.answer(
      'POST /v2/chat/users/me/messages',
      { status: 429, headers: { 'retry-after': '1' }, body: { code: 429, message: 'Too many requests' } },
      SENT,
    );
    const { n1, out } = await load({ type: 'zoom-team-chat-send', channel: 'c' });
    const seen = statuses(n1);
    const got = nextMessage(out, 8000);
    n1.receive({ payload: 'x' });
    expect((await got).payload).toEqual({ id: 'new-msg-1' });
    const texts = seen.map((s) => s.text);
    expect(texts).toContain('sending');
    expect(texts.some((t) => /^rate-limited \(.+\): 1 s$/.test(t ?? ''))).toBe(true);
    expect(texts.at(-1)).toBe('sent');
  });
});

describe('zoom-team-chat-list', () => {
  const page = (items: unknown[], next = '') => ({
    body: { messages: items, next_page_token: next, page_size: items.length },
  });

  it('follows pages up to the limit and outputs one array', async () => {
    zoom.answer(
      'GET /v2/chat/users/me/messages',
      page([{ id: 'm1' }, { id: 'm2' }], 'p2'),
      page([{ id: 'm3' }, { id: 'm4' }]),
    );
    const { n1, out } = await load({ type: 'zoom-team-chat-list', resource: 'messages', limit: 3 });
    const got = nextMessage(out);
    n1.receive({ channel: 'chan-1' });
    expect((await got).payload).toEqual([{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }]);
    const [first, second] = zoom.apiRequests();
    expect(first?.query.to_channel).toBe('chan-1');
    expect(second?.query.next_page_token).toBe('p2');
  });

  it('returns all, one message per item with msg.parts', async () => {
    zoom.answer(
      'GET /v2/chat/users/me/channels',
      { body: { channels: [{ id: 'a' }], next_page_token: 'n' } },
      { body: { channels: [{ id: 'b' }], next_page_token: '' } },
    );
    const { n1, out } = await load({
      type: 'zoom-team-chat-list',
      resource: 'channels',
      returnAll: true,
      output: 'split',
    });
    const got = collect(out);
    n1.receive({});
    await waitFor('both items', () => got.length >= 2);
    await pause(100); // room for an extra message to show up
    expect(got.map((m) => m.payload)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(got.map((m) => m.parts)).toMatchObject([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
  });

  it('lists channel members and contacts, and needs a channel for members', async () => {
    zoom.answer('GET /v2/chat/users/me/channels/chan-7/members', {
      body: { members: [{ id: 'u1' }], next_page_token: '' },
    });
    zoom.answer('GET /v2/chat/users/me/contacts', { body: { contacts: [{ id: 'c1' }], next_page_token: '' } });
    let { n1, out } = await load({ type: 'zoom-team-chat-list', resource: 'members', channel: 'chan-7' });
    let got = nextMessage(out);
    n1.receive({});
    expect((await got).payload).toEqual([{ id: 'u1' }]);
    await helper.unload();
    ({ n1, out } = await load({ type: 'zoom-team-chat-list', resource: 'contacts' }));
    got = nextMessage(out);
    n1.receive({});
    expect((await got).payload).toEqual([{ id: 'c1' }]);
    await helper.unload();
    ({ n1 } = await load({ type: 'zoom-team-chat-list', resource: 'members' }));
    const err = nextError(n1);
    n1.receive({});
    expect((await err).message).toMatch(/Channel is required/);
  });

  it('lists channel members through the user-level operation for a user OAuth account', async () => {
    zoom.answer('GET /v2/chat/channels/chan-7/members', { body: { members: [{ id: 'u2' }], next_page_token: '' } });
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'zoom-nr-list-'));
    try {
      helper.settings({ userDir });
      await helper.load(
        allNodes,
        [
          accountNode({ ...zoom.baseUrls, authKind: 'user' }),
          {
            id: 'n1',
            type: 'zoom-team-chat-list',
            account: 'acc1',
            resource: 'members',
            channel: 'chan-7',
            wires: [['out']],
          },
          { id: 'out', type: 'helper' },
        ],
        { acc1: { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'deployed-1' } },
      );
      const got = nextMessage(helper.getNode('out') as TestNode);
      (helper.getNode('n1') as TestNode).receive({ query: { page_size: 10 } });
      expect((await got).payload).toEqual([{ id: 'u2' }]);
      expect(zoom.apiRequests()[0]?.query.page_size).toBe('10');
    } finally {
      await helper.unload();
      helper.settings({});
      await fs.rm(userDir, { recursive: true, force: true });
    }
  });
});

describe('zoom-team-chat-upload', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zoom-nr-upload-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sends a Buffer to a channel as a thread reply (multipart to the file host)', async () => {
    zoom.answer('POST /file/v2/chat/users/me/messages/files', { status: 201, body: { id: 'file-msg-1' } });
    const { n1, out } = await load({ type: 'zoom-team-chat-upload', mode: 'send' });
    const got = nextMessage(out);
    n1.receive({ payload: Buffer.from('report body'), fileName: 'report.txt', channel: 'chan-1', replyTo: 'main-1' });
    expect((await got).payload).toEqual({ id: 'file-msg-1' });
    const req = zoom.apiRequests()[0]!;
    expect(String(req.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const text = req.body.toString('utf8');
    expect(text).toContain('filename="report.txt"');
    expect(text).toContain('Content-Type: text/plain');
    expect(text).toContain('report body');
    expect(text).toMatch(/name="to_channel"\r\n\r\nchan-1/);
    expect(text).toMatch(/name="reply_main_message_id"\r\n\r\nmain-1/);
  });

  it('uploads a file from disk (msg.filename), streamed', async () => {
    zoom.answer('POST /file/v2/chat/users/me/files', { status: 201, body: { id: 'file-1' } });
    const file = path.join(dir, 'data.csv');
    await fs.writeFile(file, 'a,b\n1,2\n');
    const { n1, out } = await load({ type: 'zoom-team-chat-upload', mode: 'upload' });
    const got = nextMessage(out);
    n1.receive({ filename: file });
    expect((await got).payload).toEqual({ id: 'file-1' });
    const text = zoom.apiRequests()[0]!.body.toString('utf8');
    expect(text).toContain('filename="data.csv"');
    expect(text).toContain('a,b\n1,2\n');
  });

  it('fails clearly for a missing file, an empty file and a Buffer without a name', async () => {
    const { n1 } = await load({ type: 'zoom-team-chat-upload', mode: 'upload' });
    const empty = path.join(dir, 'empty.txt');
    await fs.writeFile(empty, '');
    for (const [msg, pattern] of [
      [{ filename: path.join(dir, 'nope.txt') }, /File not found/],
      [{ filename: empty }, /empty/],
      [{ payload: Buffer.from('x') }, /No file name/],
      [{ payload: 42 }, /No file/],
    ] as const) {
      const err = nextError(n1);
      n1.receive({ ...msg });
      expect((await err).message).toMatch(pattern);
    }
    expect(zoom.apiRequests()).toHaveLength(0);
  });
});

describe('zoom-team-chat-api', () => {
  it('calls an operation with node params over msg.params', async () => {
    zoom.answer('PATCH /v2/chat/channels/chan-1', { status: 204 });
    const { n1, out } = await load({
      type: 'zoom-team-chat-api',
      operationId: 'updateUserLevelChannel',
      params: '{"path":{"channelId":"chan-1"},"body":{"name":"from node"}}',
    });
    const got = nextMessage(out);
    n1.receive({ params: { path: { channelId: 'ignored' }, body: { name: 'from msg' } } });
    expect((await got).payload).toBeNull();
    const req = zoom.apiRequests()[0]!;
    expect(req.method).toBe('PATCH');
    expect(req.json).toEqual({ name: 'from node' });
  });

  it('takes msg.operationId and collects pages with a limit', async () => {
    zoom.answer('GET /v2/chat/users/me/channels', {
      body: { channels: [{ id: 'a' }, { id: 'b' }], next_page_token: 'x' },
    });
    const { n1, out } = await load({ type: 'zoom-team-chat-api' });
    const got = nextMessage(out);
    n1.receive({ operationId: 'getChannels', params: { userId: 'me' }, limit: 2 });
    expect((await got).payload).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(zoom.apiRequests()).toHaveLength(1);
  });

  it('suggests the closest operationId for a typo and names invalid fields', async () => {
    const { n1 } = await load({ type: 'zoom-team-chat-api' });
    let err = nextError(n1);
    n1.receive({ operationId: 'getChanels' });
    expect((await err).message).toMatch(/getChannels/);
    err = nextError(n1);
    n1.receive({ operationId: 'sendaChatMessage', params: { path: { userId: 'me' }, body: { to_channel: 'c' } } });
    expect((await err).message).toMatch(/body\.message/);
    err = nextError(n1);
    n1.receive({ operationId: 'getChannels', params: '{not json' });
    expect((await err).message).toMatch(/msg\.params is not valid JSON/);
    expect(zoom.apiRequests()).toHaveLength(0);
  });
});

describe('account', () => {
  it('fails with a clear error when the account lacks a Client secret', async () => {
    await helper.load(
      allNodes,
      [
        accountNode({ ...zoom.baseUrls }),
        { id: 'n1', type: 'zoom-team-chat-send', account: 'acc1', channel: 'c', wires: [] },
      ],
      { acc1: { clientId: 'id', accountId: 'a' } },
    );
    const n1 = helper.getNode('n1') as TestNode;
    const err = nextError(n1);
    n1.receive({ payload: 'x' });
    expect((await err).message).toMatch(/Client secret/);
  });

  it('errors without crashing when no account is selected', async () => {
    await helper.load(allNodes, [{ id: 'n1', type: 'zoom-team-chat-send', account: '', channel: 'c', wires: [] }]);
    const n1 = helper.getNode('n1') as TestNode;
    const err = nextError(n1);
    n1.receive({ payload: 'x' });
    expect((await err).message).toMatch(/No Zoom account/);
  });
});
