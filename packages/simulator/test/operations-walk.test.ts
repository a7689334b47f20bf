/**
 * Walks every operation of team-chat.openapi.json and chatbot.openapi.json: a valid request
 * (built from the spec's schemas, with real IDs where the simulator keeps state) succeeds with
 * the documented status and a body that validates against the documented response schema; an
 * invalid one is refused with Zoom's validation error naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, type SimOperation } from '../src/spec/model';
import { synthesizeValid } from '../src/spec/synth';
import { isStateful } from '../src/handlers/index';
import type { Simulator } from '../src/index';
import { call, checkResponse, multipart, startTestSim, token, type Part, type Reply } from './sim-helpers';

let sim: Simulator;
let s2s: string;
let bot: string;
let seq = 0;

interface Req {
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  parts?: Part[];
  token?: string;
  /** Use `query` as is (do not add the spec-built required parameters). */
  exactQuery?: boolean;
}

const ops = operations();
const me = () => sim.state.users.get(sim.state.account.ownerId)!;
const user = (first: string) => [...sim.state.users.values()].find((u) => u.first_name === first)!;
const general = () => [...sim.state.channels.values()].find((c) => c.name === 'general')!;

async function freshChannel(extra: { as?: string; type?: number; members?: string[] } = {}) {
  const c = await sim.admin.createChannel({
    name: `walk-${++seq}`,
    type: extra.type ?? 1,
    members: extra.members ?? [user('Blake').email],
    ...(extra.as ? { as: extra.as } : {}),
  });
  return c;
}

async function myMessage() {
  return sim.admin.postMessage({ channel: general().id, text: `walk message ${++seq}` });
}

async function uploadedFile(): Promise<string> {
  const r = await multipart(
    `${sim.urls.file}/chat/users/me/files`,
    [{ name: 'file', filename: 'a.txt', content: Buffer.from('hello') }],
    { token: s2s },
  );
  expect(r.status).toBe(201);
  return r.body.id;
}

/** Real IDs and sensible values for the operations the simulator models statefully. */
const FIXTURES: Record<string, () => Promise<Req>> = {
  getChannels: async () => ({}),
  getAccountChannels: async () => ({}),
  createChannel: async () => ({
    body: { name: `created-${++seq}`, type: 1, members: [{ email: user('Blake').email }] },
  }),
  getChannel: async () => ({ path: { channelId: (await freshChannel()).id } }),
  getUserLevelChannel: async () => ({ path: { channelId: (await freshChannel()).id } }),
  updateChannel: async () => ({ path: { channelId: (await freshChannel()).id }, body: { name: `renamed-${++seq}` } }),
  updateUserLevelChannel: async () => ({
    path: { channelId: (await freshChannel()).id },
    body: { name: `renamed-${++seq}` },
  }),
  deleteChannel: async () => ({ path: { channelId: (await freshChannel()).id } }),
  deleteUserLevelChannel: async () => ({ path: { channelId: (await freshChannel()).id } }),
  batchDeleteChannelsAccountLevel: async () => ({ query: { channel_ids: (await freshChannel()).id } }),
  PerformOperationsOnChannels: async () => ({ body: { method: 'archive', channel_ids: [(await freshChannel()).id] } }),
  listChannelMembers: async () => ({ path: { channelId: (await freshChannel()).id } }),
  listUserLevelChannelMembers: async () => ({ path: { channelId: (await freshChannel()).id } }),
  listChannelAdministrators: async () => ({ path: { channelId: (await freshChannel()).id } }),
  inviteChannelMembers: async () => ({
    path: { channelId: (await freshChannel()).id },
    body: { members: [{ email: user('Devon').email }] },
  }),
  InviteUserLevelChannelMembers: async () => ({
    path: { channelId: (await freshChannel()).id },
    body: { members: [{ email: user('Devon').email }] },
  }),
  batchRemoveUserChannelMembers: async () => ({
    path: { channelId: (await freshChannel()).id },
    query: { identifiers: user('Blake').email },
  }),
  batchRemoveChannelMembers: async () => ({
    path: { channelId: (await freshChannel()).id },
    query: { member_ids: user('Blake').member_id, user_ids: user('Blake').id },
  }),
  removeAChannelMember: async () => ({
    path: { channelId: (await freshChannel()).id, identifier: user('Blake').email },
  }),
  removeAUserLevelChannelMember: async () => ({
    path: { channelId: (await freshChannel()).id, identifier: user('Blake').member_id },
  }),
  joinChannel: async () => ({
    path: { channelId: (await freshChannel({ as: user('Blake').email, type: 3, members: [user('Casey').email] })).id },
  }),
  leaveChannel: async () => ({
    path: { channelId: (await freshChannel({ as: user('Blake').email, members: [me().email] })).id },
  }),
  promoteChannelMembersAsAdmin: async () => ({
    path: { channelId: (await freshChannel()).id },
    body: { admins: [{ email: user('Blake').email }] },
  }),
  batchDemoteChannelAdministrators: async () => {
    const c = await freshChannel();
    await call(sim.urls.api, 'POST', `/chat/users/me/channels/${c.id}/admins`, {
      token: s2s,
      body: { admins: [{ email: user('Blake').email }] },
    });
    return { path: { channelId: c.id }, query: { admin_ids: user('Blake').member_id, user_ids: user('Blake').id } };
  },
  searchChannels: async () => ({
    body: { needle: { search_type: 'by_channel_name', keywords: ['gen'] }, haystack: 'all' },
  }),
  getChannelRetention: async () => ({ path: { channelId: (await freshChannel()).id } }),
  updateChannelRetention: async () => ({
    path: { channelId: (await freshChannel()).id },
    body: { cloud_retention: { enable_custom_retention: true, retention_period: '30d' } },
  }),

  sendaChatMessage: async () => ({ body: { message: 'hello from the walk', to_channel: general().id } }),
  sendimmessages: async () => ({ query: { chat_user: user('Blake').email }, body: { message: 'hi' } }),
  getChatMessages: async () => ({ query: { to_channel: general().id } }),
  getChatMessage: async () => ({ path: { messageId: (await myMessage()).id }, query: { to_channel: general().id } }),
  editMessage: async () => ({
    path: { messageId: (await myMessage()).id },
    body: { message: 'edited', to_channel: general().id },
  }),
  deleteChatMessage: async () => ({ path: { messageId: (await myMessage()).id }, query: { to_channel: general().id } }),
  reactMessage: async () => ({
    path: { messageId: (await myMessage()).id },
    body: { action: 'add', emoji: 'U+1F600', to_channel: general().id },
  }),
  markMessage: async () => ({
    path: { messageId: (await myMessage()).id },
    body: { action: 'read', to_channel: general().id },
  }),
  retrieveThread: async () => {
    const main = await myMessage();
    await sim.admin.reply({ as: user('Blake').email, channel: general().id, text: 'a reply', replyTo: main.id });
    return {
      path: { messageId: main.id },
      query: { to_channel: general().id, from: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z') },
    };
  },
  listScheduledMessages: async () => ({}),
  deleteScheduleMessage: async () => {
    const when = new Date(Date.now() + 3 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const r = await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
      token: s2s,
      body: { message: 'later', to_channel: general().id, scheduled_time: when },
    });
    return { path: { draftId: r.body.id } };
  },

  getUserContacts: async () => ({}),
  getUserContact: async () => ({ path: { identifier: user('Blake').email } }),
  searchCompanyContacts: async () => ({ query: { search_key: 'a' } }),

  uploadAChatFile: async () => ({
    parts: [{ name: 'file', filename: 'notes.txt', content: Buffer.from('some notes') }],
  }),
  sendChatFile: async () => ({
    parts: [
      { name: 'files', filename: 'pic.png', content: Buffer.from('png-bytes') },
      { name: 'to_channel', value: general().id },
    ],
  }),
  addACustomEmoji: async () => ({
    parts: [
      { name: 'name', value: 'party_parrot' },
      { name: 'file', filename: 'parrot.gif', content: Buffer.from('GIF89a') },
    ],
  }),
  getFileInfo: async () => ({ path: { fileId: await uploadedFile() } }),
  deleteChatFile: async () => ({ path: { fileId: await uploadedFile() } }),

  sendChatbot: async () => ({ token: bot, body: chatbotBody() }),
  editChatbotMessage: async () => {
    const sent = await call(sim.urls.api, 'POST', '/im/chat/messages', { token: bot, body: chatbotBody() });
    const b = chatbotBody();
    return {
      token: bot,
      path: { message_id: sent.body.message_id },
      body: { robot_jid: b.robot_jid, account_id: b.account_id, content: { head: { text: 'edited' } } },
    };
  },
  deleteAChatbotMessage: async () => {
    const sent = await call(sim.urls.api, 'POST', '/im/chat/messages', { token: bot, body: chatbotBody() });
    return {
      token: bot,
      path: { message_id: sent.body.message_id },
      query: { account_id: sim.credentials.accountId, robot_jid: sim.credentials.chatbot.botJid },
    };
  },
  unfurlingLink: async () => {
    const shared = await sim.admin.shareLink({ channel: general().id, link: 'https://example.com/x' });
    return {
      token: bot,
      path: { userId: shared.userId, triggerId: shared.triggerId },
      body: { content: '{"head":{"text":"Example"}}' },
    };
  },
};

function chatbotBody() {
  return {
    robot_jid: sim.credentials.chatbot.botJid,
    to_jid: general().jid,
    account_id: sim.credentials.accountId,
    user_jid: me().jid,
    content: { head: { text: 'Hello from the bot' }, body: [{ type: 'message', text: 'Body text' }] },
  };
}

/** A request built only from the spec (examples where they fit, else type-correct values). */
function fromSpec(op: SimOperation): Req {
  const path: Record<string, string> = {};
  for (const p of op.pathParams) path[p.name] = p.name === 'userId' ? 'me' : String(synthesizeValid(p.schema));
  const query: Record<string, unknown> = {};
  for (const p of op.queryParams) if (p.required) query[p.name] = synthesizeValid(p.schema);
  const body = op.body && op.body.contentType === 'application/json' ? synthesizeValid(op.body.schema) : undefined;
  return { path, query, ...(body !== undefined ? { body } : {}) };
}

function urlOf(op: SimOperation, path: Record<string, string>): string {
  const base = op.host === 'file' ? sim.urls.file : sim.urls.api;
  return base + op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(path[name] ?? 'x'));
}

async function send(op: SimOperation, req: Req): Promise<Reply> {
  const spec = fromSpec(op);
  const path = { ...spec.path, ...(req.path ?? {}) };
  const url = urlOf(op, path);
  const tok = req.token ?? (op.api === 'chatbot' ? bot : s2s);
  if (op.body?.contentType === 'multipart/form-data') return multipart(url, req.parts ?? [], { token: tok });
  const query = req.exactQuery ? (req.query ?? {}) : { ...spec.query, ...(req.query ?? {}) };
  const body = 'body' in req ? req.body : spec.body;
  return call(url, op.method, '', { token: tok, query, ...(body !== undefined ? { body } : {}) });
}

beforeAll(async () => {
  sim = await startTestSim();
  s2s = await token(sim);
  bot = await token(sim, 'chatbot');
});
afterAll(async () => sim?.close());

describe('every operation', () => {
  it('covers 111 operations, every stateful one has a fixture', () => {
    expect(ops).toHaveLength(111);
    for (const op of ops)
      if (isStateful(op.operationId)) expect(FIXTURES[op.operationId], op.operationId).toBeDefined();
  });

  for (const op of ops) {
    it(`${op.operationId}: a valid request succeeds with a spec-valid response`, async () => {
      const fixture = FIXTURES[op.operationId];
      const req = fixture ? await fixture() : {};
      const r = await send(op, req);
      expect(r.status, `${op.method} ${op.path}: ${r.text}`).toBe(op.successStatus);
      if (op.successStatus === 204) expect(r.text).toBe('');
      expect(checkResponse(op, r.status, r.body), JSON.stringify(r.body)).toBeUndefined();
    });
  }

  for (const op of ops) {
    const invalid = invalidVariant(op);
    if (!invalid) continue;
    it(`${op.operationId}: ${invalid.label} is refused with Zoom's validation error`, async () => {
      const r = await send(op, invalid.req);
      expect(r.status, r.text).toBe(400);
      expect(r.body).toMatchObject({ code: 300, message: 'Validation Failed.' });
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(invalid.field);
    });
  }

  it('only operations without constrained input have no invalid variant', () => {
    const unbreakable = ops.filter((op) => !invalidVariant(op));
    for (const op of unbreakable) {
      expect(op.body, op.operationId).toBeUndefined();
      for (const p of [...op.pathParams, ...op.queryParams]) {
        expect(p.schema.type === 'string' || p.schema.anyOf !== undefined, `${op.operationId}.${p.name}`).toBe(true);
        expect(p.schema.enum ?? p.schema.maxLength ?? p.schema.format, `${op.operationId}.${p.name}`).toBeUndefined();
      }
    }
    expect(ops.length - unbreakable.length).toBe(83);
  });

  it('leaves no webhook payload errors behind', async () => {
    expect(await sim.admin.eventErrors()).toEqual([]);
  });
});

/** One way to break each operation's request: a missing required field, else a wrong type. */
function invalidVariant(op: SimOperation): { label: string; field: string; req: Req } | undefined {
  const body = op.body?.schema;
  if (op.body?.contentType === 'multipart/form-data') {
    const field = body?.required?.[0] ?? [...op.binaryParts][0]!;
    return { label: `a multipart body without '${field}'`, field, req: { parts: [{ name: 'unrelated', value: 'x' }] } };
  }
  if (body?.required?.length) {
    const field = body.required[0]!;
    return { label: `a body without '${field}'`, field, req: { body: {} } };
  }
  const requiredQuery = op.queryParams.find((p) => p.required);
  if (requiredQuery) {
    const spec = fromSpec(op);
    const query = { ...spec.query };
    delete query[requiredQuery.name];
    return {
      label: `no '${requiredQuery.name}' query parameter`,
      field: requiredQuery.name,
      req: { query, path: spec.path, exactQuery: true },
    };
  }
  const typedQuery = op.queryParams.find(
    (p) => p.schema.type === 'integer' || p.schema.type === 'boolean' || p.schema.enum,
  );
  if (typedQuery)
    return {
      label: `'${typedQuery.name}' of the wrong type or value`,
      field: typedQuery.name,
      req: { query: { [typedQuery.name]: 'not-a-valid-value' } },
    };
  const bodyProp = Object.entries(body?.properties ?? {})[0];
  if (bodyProp)
    return {
      label: `body '${bodyProp[0]}' of the wrong type`,
      field: bodyProp[0],
      req: { body: { [bodyProp[0]]: bodyProp[1].type === 'string' ? 12345 : 'wrong' } },
    };
  return undefined;
}
