/**
 * The admin API (JSON on 127.0.0.1): inspect and reset state, seed data, inject faults, change
 * rate limits, expire tokens, act as a simulated human, and manage webhook subscriptions.
 * Routes are listed in `ADMIN_ROUTES` (and the README).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sim } from '../context';
import type { FaultInput } from '../faults';
import { registerFile } from '../handlers/files';
import { readBody, parseQuery, splitUrl } from '../http/body';
import { ZoomError } from '../http/errors';
import type { Plan, RateLimitOverrides } from '../ratelimit';
import { makeChannel, makeUser, type Fixtures, type SeedChannelInput, type SeedUserInput } from '../state/seed';
import type { Channel, Message, StoredFile, User } from '../state/types';
import type { SimulatorCredentials } from '../simulator';

export interface AdminContext {
  sim: () => Sim;
  credentials: SimulatorCredentials;
  reset: (opts?: { fixtures?: Fixtures; clearTokens?: boolean }) => Promise<void>;
  options: Record<string, unknown>;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, string>;
type AdminHandler = (ctx: AdminContext, p: Params, body: Record<string, unknown>, q: Record<string, string>, res: ServerResponse) => unknown;

interface AdminRoute {
  method: string;
  pattern: string;
  summary: string;
  re: RegExp;
  keys: string[];
  handler: AdminHandler;
}

const routes: AdminRoute[] = [];
function route(method: string, pattern: string, summary: string, handler: AdminHandler): void {
  const keys: string[] = [];
  const re = new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, (_m, k: string) => (keys.push(k), '([^/]+)'))}$`);
  routes.push({ method, pattern, summary, re, keys, handler });
}

// ---- helpers ----

const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function userOf(sim: Sim, ref: unknown, field = 'as'): User {
  const id = s(ref);
  const u = id ? sim.store.findUser(id) : sim.store.users.get(sim.store.account.ownerId);
  if (!u) throw new AdminError(404, `${field}: no user ${String(ref)}`);
  return u;
}

function channelOf(sim: Sim, ref: unknown, field = 'channel'): Channel {
  const c = sim.store.findChannel(s(ref));
  if (!c) throw new AdminError(404, `${field}: no channel ${String(ref)}`);
  return c;
}

function messageOf(sim: Sim, ref: unknown): Message {
  const m = sim.store.messages.get(s(ref) ?? '');
  if (!m) throw new AdminError(404, `messageId: no message ${String(ref)}`);
  return m;
}

function targetOfMessage(sim: Sim, actor: User, m: Message) {
  if (m.channelId) return sim.chat.resolveTarget(actor, m.channelId, undefined, { requireMember: false });
  const [, a, b] = m.conversation.split(':');
  const other = a === actor.id ? b : a;
  return sim.chat.resolveTarget(actor, undefined, other);
}

export function channelView(sim: Sim, c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    jid: c.jid,
    name: c.name,
    type: c.type,
    archived: c.archived,
    owner: sim.store.users.get(c.ownerId)?.email,
    settings: c.settings,
    members: [...c.members.values()].map((m) => ({ userId: m.userId, email: sim.store.users.get(m.userId)?.email, role: m.role })),
    createdAt: c.createdAt,
  };
}

export function messageView(sim: Sim, m: Message): Record<string, unknown> {
  const sender = sim.store.users.get(m.senderId);
  return {
    id: m.id,
    conversation: m.conversation,
    channelId: m.channelId,
    toUserId: m.toUserId,
    sender: sender?.email ?? m.robotJid ?? m.senderId,
    senderId: m.senderId,
    text: m.text,
    timestamp: m.timestamp,
    replyTo: m.replyTo,
    replyCount: m.replyCount,
    fileIds: m.fileIds,
    reactions: m.reactions,
    status: m.status,
    history: m.history,
    ...(m.botMessage ? { botMessage: m.botMessage, robotJid: m.robotJid } : {}),
    ...(m.richText ? { richText: m.richText } : {}),
    ...(m.atItems ? { atItems: m.atItems } : {}),
  };
}

export function fileView(f: StoredFile): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    size: f.size,
    contentType: f.contentType,
    sha256: f.sha256,
    ownerId: f.ownerId,
    createdAt: f.createdAt,
    stored: f.location.kind,
    messageId: f.messageId,
    conversation: f.conversation,
    deleted: f.deleted,
  };
}

function userView(u: User): Record<string, unknown> {
  return { id: u.id, email: u.email, first_name: u.first_name, last_name: u.last_name, display_name: u.display_name, member_id: u.member_id, jid: u.jid, role: u.role, external: u.external };
}

function to(body: Record<string, unknown>): { toChannel?: string; toContact?: string } {
  const channel = s(body['channel']) ?? s(body['channelId']);
  const contact = s(body['to']) ?? s(body['toContact']);
  if (!channel && !contact) throw new AdminError(400, "give 'channel' (ID, JID or name) or 'to' (a user)");
  return { ...(channel ? { toChannel: channel } : {}), ...(contact ? { toContact: contact } : {}) };
}

function channelRef(sim: Sim, ref: string): string {
  // Admin callers may name channels by name (`general`).
  const byName = [...sim.store.channels.values()].find((c) => c.name === ref);
  return sim.store.findChannel(ref)?.id ?? byName?.id ?? ref;
}

// ---- routes ----

route('GET', '/health', 'Liveness.', () => ({ ok: true }));
route('GET', '/', 'This route list.', () => ({ routes: routes.map((r) => ({ method: r.method, path: r.pattern, summary: r.summary })) }));
route('GET', '/info', 'URLs, credentials and options.', (ctx) => {
  const sim = ctx.sim();
  return { urls: sim.urls, credentials: ctx.credentials, options: ctx.options, rateLimits: sim.limiter.describe(), storage: { mode: sim.files.mode, dir: sim.files.directory(), maxBytes: sim.files.maxBytes, used: sim.files.bytesUsed() } };
});
route('GET', '/state', 'Counts and the account.', (ctx) => {
  const st = ctx.sim().store;
  return {
    account: st.account,
    users: st.users.size,
    channels: st.channels.size,
    messages: st.messages.size,
    files: st.files.size,
    botMessages: st.botMessages.size,
    drafts: st.drafts.size,
    tokens: ctx.sim().tokens.count(),
  };
});
route('POST', '/reset', 'Fresh state from the seed ({fixtures?, clearTokens?}).', async (ctx, _p, b) => {
  const fixtures = b['fixtures'];
  if (fixtures !== undefined && fixtures !== 'default' && fixtures !== 'minimal') throw new AdminError(400, "fixtures must be 'default' or 'minimal'");
  await ctx.reset({ ...(fixtures ? { fixtures } : {}), clearTokens: b['clearTokens'] === true });
  return { ok: true };
});
route('POST', '/seed', 'Add users and channels ({users?: [{email,…}], channels?: [{name, type?, members?, owner?}]}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const users = ((b['users'] as SeedUserInput[] | undefined) ?? []).map((u) => {
    if (!s(u?.email) || !/^[^@\s]+@[^@\s]+$/.test(u.email)) throw new AdminError(400, `users[].email must be an email, got ${JSON.stringify(u?.email)}`);
    if (sim.store.findUser(u.email)) throw new AdminError(409, `users[].email ${u.email} exists already`);
    return userView(makeUser(sim.store, u));
  });
  const channels = ((b['channels'] as SeedChannelInput[] | undefined) ?? []).map((c) => {
    if (!s(c?.name)) throw new AdminError(400, 'channels[].name is required');
    try {
      return channelView(sim, makeChannel(sim.store, c, sim.store.account.ownerId));
    } catch (err) {
      throw new AdminError(400, (err as Error).message);
    }
  });
  return { users, channels };
});

route('GET', '/users', 'Users of the account (and external contacts).', (ctx) => [...ctx.sim().store.users.values()].map(userView));
route('GET', '/channels', 'All channels.', (ctx) => [...ctx.sim().store.channels.values()].map((c) => channelView(ctx.sim(), c)));
route('GET', '/channels/:id', 'One channel with members.', (ctx, p) => channelView(ctx.sim(), channelOf(ctx.sim(), channelRef(ctx.sim(), p['id'] as string))));
route('GET', '/channels/:id/messages', 'Every message of a channel, oldest first, deleted and edited included.', (ctx, p) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, p['id'] as string));
  return sim.store.conversation(`c:${c.id}`).map((m) => messageView(sim, m));
});
route('GET', '/messages', 'Messages of a DM ({user, with}) or a channel ({channel}); newest last.', (ctx, _p, _b, q) => {
  const sim = ctx.sim();
  if (q['channel']) return sim.store.conversation(`c:${channelOf(sim, channelRef(sim, q['channel']))['id']}`).map((m) => messageView(sim, m));
  if (q['user'] && q['with']) {
    const a = userOf(sim, q['user'], 'user');
    const b = userOf(sim, q['with'], 'with');
    const key = a.id < b.id ? `d:${a.id}:${b.id}` : `d:${b.id}:${a.id}`;
    return sim.store.conversation(key).map((m) => messageView(sim, m));
  }
  return [...sim.store.messages.values()].slice(-200).map((m) => messageView(sim, m));
});
route('GET', '/messages/:id', 'One message.', (ctx, p) => messageView(ctx.sim(), messageOf(ctx.sim(), p['id'])));
route('GET', '/files', 'Uploaded files (metadata).', (ctx) => [...ctx.sim().store.files.values()].map(fileView));
route('GET', '/files/:id', 'One file (metadata).', (ctx, p) => {
  const f = ctx.sim().store.files.get(p['id'] as string);
  if (!f) throw new AdminError(404, `no file ${p['id']}`);
  return fileView(f);
});
route('GET', '/files/:id/content', 'The bytes of a file.', (ctx, p, _b, _q, res) => {
  const f = ctx.sim().store.files.get(p['id'] as string);
  if (!f) throw new AdminError(404, `no file ${p['id']}`);
  const stream = ctx.sim().files.read(f);
  if (!stream) throw new AdminError(410, `the bytes of ${f.id} were dropped (storage cap)`);
  res.writeHead(200, { 'content-type': f.contentType || 'application/octet-stream', 'content-length': f.size });
  stream.pipe(res);
  return HANDLED;
});
route('GET', '/bots', 'Bots and their JIDs.', (ctx) => [...ctx.sim().store.bots.values()]);
route('GET', '/bot-messages', 'Messages sent by bots.', (ctx) => [...ctx.sim().store.botMessages.values()]);
route('GET', '/events', 'Webhook events built recently ({event?} filters), newest last.', (ctx, _p, _b, q) =>
  ctx
    .sim()
    .hub.recent()
    .filter((e) => !q['event'] || e.event === q['event']),
);
route('GET', '/events/errors', 'Events that could not be built or were refused by the hub (should be empty).', (ctx) => ctx.sim().hub.errors());
route('GET', '/deliveries', 'Every webhook delivery attempt.', (ctx) => ctx.sim().hub.hub.deliveries());

route('GET', '/faults', 'Pending faults.', (ctx) => ctx.sim().faults.all());
route('POST', '/faults', 'Add a fault ({operationId?, count?, status?, body?, headers?, delayMs?, reset?: before-body|after-body}).', (ctx, _p, b) => {
  try {
    return ctx.sim().faults.add(b as FaultInput);
  } catch (err) {
    throw new AdminError(400, (err as Error).message);
  }
});
route('DELETE', '/faults', 'Remove all faults.', (ctx) => {
  ctx.sim().faults.clear();
  return { ok: true };
});
route('DELETE', '/faults/:id', 'Remove one fault.', (ctx, p) => ({ removed: ctx.sim().faults.remove(p['id'] as string) }));

route('GET', '/rate-limits', 'The plan and per-label limits.', (ctx) => ({ ...ctx.sim().limiter.describe(), channelMessageLimits: ctx.sim().channelLimiter.enabled }));
route('PUT', '/rate-limits', 'Change the plan / overrides ({plan, overrides?, dailyRetryAfter?, channelMessageLimits?}); counters restart.', (ctx, _p, b) => {
  const plan = (b['plan'] ?? ctx.sim().limiter.describe().plan) as Plan | 'off';
  if (!['free', 'pro', 'business', 'off'].includes(plan)) throw new AdminError(400, "plan must be free, pro, business or off");
  const dra = b['dailyRetryAfter'];
  if (dra !== undefined && dra !== 'seconds' && dra !== 'date') throw new AdminError(400, "dailyRetryAfter must be 'seconds' or 'date'");
  const lim = ctx.sim().limiter;
  lim.configure({ plan, ...(b['overrides'] ? { overrides: b['overrides'] as RateLimitOverrides } : {}), ...(dra ? { dailyRetryAfter: dra } : {}) });
  lim.reset();
  const channels = ctx.sim().channelLimiter;
  if (typeof b['channelMessageLimits'] === 'boolean') channels.enabled = b['channelMessageLimits'];
  else if (b['plan'] !== undefined) channels.enabled = plan !== 'off';
  channels.reset();
  return { ...lim.describe(), channelMessageLimits: channels.enabled };
});
route('POST', '/tokens/expire', 'Expire every access token now (refresh tokens keep working).', (ctx) => ({ expired: ctx.sim().tokens.expireAll() }));

// ---- acting as a human ----

route('POST', '/act/message', 'Post a message ({as?, channel | to, text, replyTo?, fileIds?}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const text = typeof b['text'] === 'string' ? b['text'] : '';
  const t = to(b);
  if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
  const m = sim.chat.sendMessage(actor, { ...t, text, replyTo: s(b['replyTo']), fileIds: b['fileIds'] as string[] | undefined });
  return messageView(sim, m);
});
route('POST', '/act/edit', 'Edit a message ({as?, messageId, text}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as'] ?? m.senderId);
  sim.chat.editMessage(actor, targetOfMessage(sim, actor, m), m, { text: String(b['text'] ?? '') });
  return messageView(sim, m);
});
route('POST', '/act/delete', 'Delete a message ({as?, messageId}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as'] ?? m.senderId);
  sim.chat.deleteMessage(actor, targetOfMessage(sim, actor, m), m);
  return messageView(sim, m);
});
route('POST', '/act/reaction', 'React ({as?, messageId, emoji, action?: add|remove}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as']);
  const emoji = s(b['emoji']);
  if (!emoji) throw new AdminError(400, 'emoji is required (e.g. U+1F44D)');
  const action = b['action'] === 'remove' ? 'remove' : 'add';
  sim.chat.react(actor, targetOfMessage(sim, actor, m), m, emoji, action);
  return messageView(sim, m);
});
route('POST', '/act/file', 'Share a file ({as?, channel | to, fileName, text | base64, replyTo?}).', async (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const fileName = s(b['fileName']);
  if (!fileName) throw new AdminError(400, 'fileName is required');
  const data = typeof b['base64'] === 'string' ? Buffer.from(b['base64'], 'base64') : Buffer.from(String(b['text'] ?? ''), 'utf8');
  const t = to(b);
  if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
  sim.chat.resolveTarget(actor, t.toChannel, t.toContact);
  const stored = await sim.files.storeBuffer(data);
  const file = await registerFile({ sim }, actor, { ...stored, fileName, contentType: s(b['contentType']) ?? 'application/octet-stream' });
  sim.chat.fileUploaded(actor, file);
  const m = sim.chat.sendMessage(actor, { ...t, text: typeof b['message'] === 'string' ? b['message'] : '', replyTo: s(b['replyTo']), fileIds: [file.id] });
  return { file: fileView(file), message: messageView(sim, m) };
});
route('POST', '/act/join', 'Join a public channel ({as?, channel}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.join(userOf(sim, b['as']), c);
  return channelView(sim, c);
});
route('POST', '/act/leave', 'Leave a channel ({as?, channel}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.leave(userOf(sim, b['as']), c);
  return channelView(sim, c);
});
route('POST', '/act/invite', 'Invite users to a channel ({as?, channel, users: [email|id]}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  const users = b['users'];
  if (!Array.isArray(users) || users.length === 0) throw new AdminError(400, 'users must be a non-empty array of emails or IDs');
  sim.chat.invite(userOf(sim, b['as']), c, users.map(String));
  return channelView(sim, c);
});
route('POST', '/act/create-channel', 'Create a channel ({as?, name, type?, members?}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = sim.chat.createChannel(userOf(sim, b['as']), { name: s(b['name']), type: typeof b['type'] === 'number' ? b['type'] : 1, memberRefs: (b['members'] as string[] | undefined) ?? [] });
  return channelView(sim, c);
});
route('POST', '/act/archive', 'Archive or unarchive a channel ({as?, channel, archived?: true}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.setArchived(userOf(sim, b['as']), c, b['archived'] !== false);
  return channelView(sim, c);
});
route('POST', '/act/slash-command', 'Send a slash command to a bot ({as?, command, bot?, channel?}) → bot_notification.', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
  if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
  const command = typeof b['command'] === 'string' ? b['command'].replace(new RegExp(`^${bot.slashCommand}\\s*`), '') : '';
  if (!command) throw new AdminError(400, 'command is required (the text after the slash command)');
  const channel = s(b['channel']) ? channelOf(sim, channelRef(sim, String(b['channel']))) : undefined;
  if (channel && !channel.members.has(actor.id)) throw new AdminError(400, `${actor.email} is not a member of ${channel.name}`);
  sim.chat.emit({ type: 'bot.command', bot, actor, command, ...(channel ? { channel } : {}) });
  return { ok: true, bot: bot.jid, command };
});
route('POST', '/act/install-bot', 'A user installs the bot ({as?, bot?}) → bot_installed.', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
  if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
  sim.chat.emit({ type: 'bot.installed', bot, actor });
  return { ok: true, bot: bot.jid };
});
route('POST', '/act/link', 'Post a message with a link an app unfurls ({as?, channel | to, link, bot?}) → team_chat.link_shared with a trigger ID for unfurlingLink.', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const link = s(b['link']);
  if (!link) throw new AdminError(400, 'link is required');
  const t = to(b);
  if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
  const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
  if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
  const m = sim.chat.sendMessage(actor, { ...t, text: link });
  const triggerId = sim.store.ids.id22();
  sim.store.unfurlTriggers.add(triggerId);
  const responseUrl = `${sim.urls.api}/im/chat/users/${actor.id}/unfurls/${triggerId}`;
  const target = m.channelId ? { channel: sim.store.channels.get(m.channelId)! } : { recipient: sim.store.users.get(m.toUserId ?? '')! };
  sim.chat.emit({ type: 'link.shared', bot, actor, message: m, link, triggerId, responseUrl, ...target });
  return { triggerId, userId: actor.id, responseUrl, message: messageView(sim, m) };
});

route('GET', '/webhooks', 'Webhook subscriptions.', (ctx) => ctx.sim().hub.hub.listSubscriptions());
route('POST', '/webhooks', "Subscribe ({url, events, secretToken?, kind?, botJid?}); runs Zoom's url_validation first.", async (ctx, _p, b) => {
  const url = s(b['url']);
  const events = b['events'];
  if (!url) throw new AdminError(400, 'url is required');
  if (!Array.isArray(events) || events.length === 0) throw new AdminError(400, 'events must be a non-empty array of event names');
  try {
    return await ctx.sim().hub.hub.addSubscription({
      url,
      events: events.map(String),
      secretToken: s(b['secretToken']) ?? ctx.credentials.webhookSecretToken,
      ...(b['kind'] === 'chatbot' || b['kind'] === 'team-chat' ? { kind: b['kind'] } : {}),
      ...(s(b['botJid']) ? { botJid: String(b['botJid']) } : {}),
    });
  } catch (err) {
    throw new AdminError(400, (err as Error).message);
  }
});
route('DELETE', '/webhooks/:id', 'Remove a subscription.', (ctx, p) => ({ removed: ctx.sim().hub.hub.removeSubscription(p['id'] as string) }));
route('POST', '/webhooks/settle', 'Wait until no delivery is in flight ({includeRetries?}).', async (ctx, _p, b) => {
  await ctx.sim().hub.hub.settle({ includeRetries: b['includeRetries'] === true });
  return { ok: true };
});

const HANDLED = Symbol('handled');

export const ADMIN_ROUTES = routes.map((r) => ({ method: r.method, path: r.pattern, summary: r.summary }));

export function createAdminHandler(ctx: AdminContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitUrl(req.url ?? '/');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      let pathMatched = false;
      for (const r of routes) {
        const m = r.re.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (r.method !== req.method) continue;
        const params: Params = {};
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] as string)));
        let body: Record<string, unknown> = {};
        const raw = await readBody(req);
        if (raw.length) {
          try {
            body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          } catch {
            throw new AdminError(400, 'body must be JSON');
          }
          if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AdminError(400, 'body must be a JSON object');
        }
        const out = await r.handler(ctx, params, body, parseQuery(query), res);
        if (out !== HANDLED) send(200, out);
        return;
      }
      throw new AdminError(pathMatched ? 405 : 404, pathMatched ? `method ${req.method} not allowed on ${path}` : `no admin route ${req.method} ${path} (GET / lists them)`);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof AdminError) send(err.status, { error: err.message });
      else if (err instanceof ZoomError) send(err.status, { error: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) });
      else send(500, { error: (err as Error).message });
    }
  };
}
