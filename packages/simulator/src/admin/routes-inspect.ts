/** Admin routes: inspection, reset and seed, faults, rate limits, tokens, webhook subscriptions. */
import type { FaultInput } from '../faults';
import type { Plan, RateLimitOverrides } from '../ratelimit';
import { makeChannel, makeUser, type SeedChannelInput, type SeedUserInput } from '../state/seed';
import {
  AdminError,
  channelOf,
  channelRef,
  channelView,
  fileView,
  HANDLED,
  messageOf,
  messageView,
  route,
  routes,
  s,
  userOf,
  userView,
} from './registry';

route('GET', '/health', 'Liveness.', () => ({ ok: true }));
route('GET', '/', 'This route list.', () => ({
  routes: routes.map((r) => ({ method: r.method, path: r.pattern, summary: r.summary })),
}));
route('GET', '/info', 'URLs, credentials and options.', (ctx) => {
  const sim = ctx.sim();
  return {
    urls: sim.urls,
    credentials: ctx.credentials,
    options: ctx.options,
    rateLimits: sim.limiter.describe(),
    storage: {
      mode: sim.files.mode,
      dir: sim.files.directory(),
      maxBytes: sim.files.maxBytes,
      used: sim.files.bytesUsed(),
    },
  };
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
  if (fixtures !== undefined && fixtures !== 'default' && fixtures !== 'minimal')
    throw new AdminError(400, "fixtures must be 'default' or 'minimal'");
  await ctx.reset({ ...(fixtures ? { fixtures } : {}), clearTokens: b['clearTokens'] === true });
  return { ok: true };
});
route(
  'POST',
  '/seed',
  'Add users and channels ({users?: [{email,…}], channels?: [{name, type?, members?, owner?}]}).',
  (ctx, _p, b) => {
    const sim = ctx.sim();
    const users = ((b['users'] as SeedUserInput[] | undefined) ?? []).map((u) => {
      if (!s(u?.email) || !/^[^@\s]+@[^@\s]+$/.test(u.email))
        throw new AdminError(400, `users[].email must be an email, got ${JSON.stringify(u?.email)}`);
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
  },
);

route('GET', '/users', 'Users of the account (and external contacts).', (ctx) =>
  [...ctx.sim().store.users.values()].map(userView),
);
route('GET', '/channels', 'All channels.', (ctx) =>
  [...ctx.sim().store.channels.values()].map((c) => channelView(ctx.sim(), c)),
);
route('GET', '/channels/:id', 'One channel with members.', (ctx, p) =>
  channelView(ctx.sim(), channelOf(ctx.sim(), channelRef(ctx.sim(), p['id'] as string))),
);
route(
  'GET',
  '/channels/:id/messages',
  'Every message of a channel, oldest first, deleted and edited included.',
  (ctx, p) => {
    const sim = ctx.sim();
    const c = channelOf(sim, channelRef(sim, p['id'] as string));
    return sim.store.conversation(`c:${c.id}`).map((m) => messageView(sim, m));
  },
);
route(
  'GET',
  '/messages',
  'Messages of a DM ({user, with}) or a channel ({channel}); newest last.',
  (ctx, _p, _b, q) => {
    const sim = ctx.sim();
    if (q['channel'])
      return sim.store
        .conversation(`c:${channelOf(sim, channelRef(sim, q['channel']))['id']}`)
        .map((m) => messageView(sim, m));
    if (q['user'] && q['with']) {
      const a = userOf(sim, q['user'], 'user');
      const b = userOf(sim, q['with'], 'with');
      const key = a.id < b.id ? `d:${a.id}:${b.id}` : `d:${b.id}:${a.id}`;
      return sim.store.conversation(key).map((m) => messageView(sim, m));
    }
    return [...sim.store.messages.values()].slice(-200).map((m) => messageView(sim, m));
  },
);
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
route('GET', '/events/errors', 'Events that could not be built or were refused by the hub (should be empty).', (ctx) =>
  ctx.sim().hub.errors(),
);
route('GET', '/deliveries', 'Every webhook delivery attempt.', (ctx) => ctx.sim().hub.hub.deliveries());

route('GET', '/faults', 'Pending faults.', (ctx) => ctx.sim().faults.all());
route(
  'POST',
  '/faults',
  'Add a fault ({operationId?, count?, status?, body?, headers?, delayMs?, reset?: before-body|after-body}).',
  (ctx, _p, b) => {
    try {
      return ctx.sim().faults.add(b as FaultInput);
    } catch (err) {
      throw new AdminError(400, (err as Error).message);
    }
  },
);
route('DELETE', '/faults', 'Remove all faults.', (ctx) => {
  ctx.sim().faults.clear();
  return { ok: true };
});
route('DELETE', '/faults/:id', 'Remove one fault.', (ctx, p) => ({
  removed: ctx.sim().faults.remove(p['id'] as string),
}));

route('GET', '/rate-limits', 'The plan and per-label limits.', (ctx) => ({
  ...ctx.sim().limiter.describe(),
  channelMessageLimits: ctx.sim().channelLimiter.enabled,
}));
route(
  'PUT',
  '/rate-limits',
  'Change the plan / overrides ({plan, overrides?, dailyRetryAfter?, channelMessageLimits?}); counters restart.',
  (ctx, _p, b) => {
    const plan = (b['plan'] ?? ctx.sim().limiter.describe().plan) as Plan | 'off';
    if (!['free', 'pro', 'business', 'off'].includes(plan))
      throw new AdminError(400, 'plan must be free, pro, business or off');
    const dra = b['dailyRetryAfter'];
    if (dra !== undefined && dra !== 'seconds' && dra !== 'date')
      throw new AdminError(400, "dailyRetryAfter must be 'seconds' or 'date'");
    const lim = ctx.sim().limiter;
    lim.configure({
      plan,
      ...(b['overrides'] ? { overrides: b['overrides'] as RateLimitOverrides } : {}),
      ...(dra ? { dailyRetryAfter: dra } : {}),
    });
    lim.reset();
    const channels = ctx.sim().channelLimiter;
    if (typeof b['channelMessageLimits'] === 'boolean') channels.enabled = b['channelMessageLimits'];
    else if (b['plan'] !== undefined) channels.enabled = plan !== 'off';
    channels.reset();
    return { ...lim.describe(), channelMessageLimits: channels.enabled };
  },
);
route(
  'POST',
  '/tokens/expire',
  'Expire every access token now (refresh tokens keep working); the next WebSocket upgrade with one gets 401.',
  (ctx) => {
    const expired = ctx.sim().tokens.expireAll();
    // Open sockets stay open unless webSocket.closeOnTokenExpiry is set (Zoom checks tokens at connect).
    return { expired, closedWebSockets: ctx.sim().ws.tokensExpired() };
  },
);

route('GET', '/webhooks', 'Webhook subscriptions.', (ctx) => ctx.sim().hub.hub.listSubscriptions());
route(
  'POST',
  '/webhooks',
  "Subscribe ({url, events, secretToken?, kind?, botJid?}); runs Zoom's url_validation first.",
  async (ctx, _p, b) => {
    const url = s(b['url']);
    const events = b['events'];
    if (!url) throw new AdminError(400, 'url is required');
    if (!Array.isArray(events) || events.length === 0)
      throw new AdminError(400, 'events must be a non-empty array of event names');
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
  },
);
route('DELETE', '/webhooks/:id', 'Remove a subscription.', (ctx, p) => ({
  removed: ctx.sim().hub.hub.removeSubscription(p['id'] as string),
}));
route('POST', '/webhooks/settle', 'Wait until no delivery is in flight ({includeRetries?}).', async (ctx, _p, b) => {
  await ctx.sim().hub.hub.settle({ includeRetries: b['includeRetries'] === true });
  return { ok: true };
});
