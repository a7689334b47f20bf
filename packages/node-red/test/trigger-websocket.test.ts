/**
 * The trigger's WebSocket delivery inside the Node-RED runtime (test helper) against the Zoom
 * simulator's /ws endpoint: events without any HTTP route, one shared socket per (account,
 * subscription), reconnects after drops and token expiry, permanent failures reported once.
 */
import { signWebhook, webhookDeliveryKey } from '@zoom-team-chat/core';
import { startSimulator, type Simulator } from '@zoom-team-chat/simulator';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getAccount } from '../src/lib/account';
import {
  activeStreamCount,
  parseSubscription,
  setStreamTuning,
  statusOf,
  ZOOM_WS_BASE,
} from '../src/lib/event-streams';
import { routerStack } from '../src/lib/raw-body';
import type { ExpressApp } from '../src/lib/red';
import { allNodes, collect, helper, mountRoot, red, statuses, type TestNode } from './support/red';
import { accountNode } from '@zoom-team-chat/testkit/nr-flows';

const EVENT = 'team_chat.channel_message_posted';

describe('parseSubscription', () => {
  it('takes a bare subscription ID (Zoom’s endpoint) or the endpoint URL the Marketplace shows', () => {
    expect(parseSubscription(' abc_DEF-123 ')).toEqual({
      subscriptionId: 'abc_DEF-123',
      endpointUrl: `${ZOOM_WS_BASE}?subscriptionId=abc_DEF-123`,
      key: `${ZOOM_WS_BASE}?subscriptionId=abc_DEF-123`,
    });
    // The same subscription however it was pasted: one key, so one shared socket.
    expect(parseSubscription('wss://ws.zoom.us/ws?subscriptionId=abc_DEF-123').key).toBe(
      parseSubscription('abc_DEF-123').key,
    );
    expect(parseSubscription('ws://127.0.0.1:9/ws?subscriptionId=s1&x=1').endpointUrl).toBe(
      'ws://127.0.0.1:9/ws?subscriptionId=s1',
    );
  });

  it('drops an access token pasted along with the URL', () => {
    const t = parseSubscription('wss://ws.zoom.us/ws?subscriptionId=s1&access_token=eyJ.secret.token');
    expect(JSON.stringify(t)).not.toContain('secret');
    expect(t.endpointUrl).toBe('wss://ws.zoom.us/ws?subscriptionId=s1');
  });

  it('names the field and the fix for blank or unusable input', () => {
    expect(() => parseSubscription('')).toThrow(/^Subscription is blank: paste the WebSocket subscription ID/);
    expect(() => parseSubscription(undefined)).toThrow(/^Subscription is blank/);
    expect(() => parseSubscription('https://ws.zoom.us/ws?subscriptionId=s1')).toThrow(
      /^Subscription URL must start with wss:\/\//,
    );
    expect(() => parseSubscription('wss://ws.zoom.us/ws')).toThrow(/^Subscription URL has no usable subscriptionId/);
    expect(() => parseSubscription('ws://ws.zoom.us/ws?subscriptionId=s1')).toThrow(
      /^Subscription URL must start with wss:\/\/: over ws:\/\/ the access token would travel unencrypted to ws\.zoom\.us/,
    );
    expect(parseSubscription('ws://localhost:9/ws?subscriptionId=s1').subscriptionId).toBe('s1');
    expect(parseSubscription('ws://[::1]:9/ws?subscriptionId=s1').endpointUrl).toBe(
      'ws://[::1]:9/ws?subscriptionId=s1',
    );
    expect(() => parseSubscription('two words')).toThrow(/^Subscription must be a WebSocket subscription ID/);
  });

  it('with the account, lets the token go only to Zoom or to the hosts of its custom URLs', () => {
    const zoomOnly = { apiUrl: '', fileUrl: '', oauthUrl: '' };
    expect(parseSubscription('abc_DEF-123', zoomOnly).endpointUrl).toBe(`${ZOOM_WS_BASE}?subscriptionId=abc_DEF-123`);
    expect(() => parseSubscription('wss://evil.example.com/ws?subscriptionId=s1', zoomOnly)).toThrow(
      /^Subscription URL points at evil\.example\.com, which is not a Zoom host/,
    );
    expect(() => parseSubscription('ws://127.0.0.1:9/ws?subscriptionId=s1', zoomOnly)).toThrow(/not a Zoom host/);
    const local = { apiUrl: 'http://127.0.0.1:9/v2', fileUrl: 'not a url', oauthUrl: '' };
    expect(parseSubscription('ws://127.0.0.1:9/ws?subscriptionId=s1', local).subscriptionId).toBe('s1');
  });
});

describe('statusOf', () => {
  it('shows connected, reconnecting with the seconds left, failed with the reason, disconnected', () => {
    expect(statusOf({ status: 'connected', since: 0, reconnects: 0 }, 0, 0)).toEqual({
      fill: 'green',
      shape: 'dot',
      text: 'connected',
    });
    const reconnecting = {
      status: 'reconnecting',
      attempt: 2,
      retryInMs: 4200,
      disconnectedSince: 0,
      reason: 'closed',
    } as const;
    expect(statusOf(reconnecting, 10_000, 5_800)).toEqual({ fill: 'yellow', shape: 'ring', text: 'reconnecting (5s)' });
    expect(statusOf(reconnecting, 10_000, 10_500).text).toBe('reconnecting (0s)');
    expect(statusOf({ status: 'stopped' }, 0, 0)).toEqual({ fill: 'grey', shape: 'ring', text: 'disconnected' });
    expect(statusOf({ status: 'connecting', attempt: 3 }, 0, 0).text).toBe('connecting (attempt 3)');
  });
});

let sim: Simulator;
const upgrades: number[] = [];
const tokenRequests: number[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    fileStorage: 'memory',
    fixtures: 'default',
    webSocket: { closeOnTokenExpiry: true },
    onRequest: (e) => {
      if (e.server === 'ws') upgrades.push(e.status);
      if (e.server === 'oauth' && e.path.includes('token')) tokenRequests.push(e.status);
    },
  });
  // Short waits so reconnects happen within a test; the statuses still count down whole seconds.
  setStreamTuning({ backoff: { initialMs: 200, maxMs: 1000 }, openTimeoutMs: 5000 });
});
afterAll(async () => {
  setStreamTuning({});
  await sim.close();
});
afterEach(async () => {
  await helper.unload();
  expect(activeStreamCount()).toBe(0);
});

interface Setup {
  account?: Record<string, unknown>;
  creds?: Record<string, string>;
  /** Runs after the node types are registered, before the flows start. */
  beforeFlows?: () => void;
}

async function people() {
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0]!;
  const channels = await sim.admin.channels();
  const mine = channels.filter((c) => c.members.some((m) => m.userId === owner.id) && c.members.length > 1);
  const channel = mine[0]!;
  const poster = users.find((u) => u.id !== owner.id && channel.members.some((m) => m.userId === u.id))!;
  return { owner, channel, other: mine[1], poster };
}

async function deploy(nodes: Array<Record<string, unknown>>, options: Setup = {}) {
  const c = sim.credentials;
  const account = { ...accountNode('acc1', { urls: sim.urls }), ...options.account };
  const creds = {
    acc1: { clientId: c.clientId, clientSecret: c.clientSecret, accountId: c.accountId, ...options.creds },
  };
  await helper.load(allNodes, [account], creds);
  options.beforeFlows?.();
  await helper.setFlows(
    [account, ...nodes, { id: 'out', type: 'helper' }, { id: 'out2', type: 'helper' }],
    'full',
    creds,
  );
  return { account, creds, out: helper.getNode('out') as TestNode, out2: helper.getNode('out2') as TestNode };
}

function wsTrigger(id: string, subscription: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    type: 'zoom-team-chat-trigger',
    account: 'acc1',
    delivery: 'websocket',
    subscription,
    path: '/zoom/ws-test',
    events: EVENT,
    wires: [['out']],
    ...extra,
  };
}

/** Status and error calls of a node from now on (the helper spies on both). */
function watch(node: TestNode) {
  const errors: string[] = [];
  node.on('call:error', (call: { args: [unknown] }) => errors.push(String(call.args[0])));
  return { statuses: statuses(node), errors };
}

/** Watches nodes from the moment the runtime creates them (statuses set in their constructors included). */
async function deployWatched(nodes: Array<Record<string, unknown>>, ids: string[], options: Setup = {}) {
  const watched = new Map<string, ReturnType<typeof watch>>();
  let restore = () => undefined as void;
  const beforeFlows = () => {
    const api = red!.nodes;
    const createNode = api.createNode;
    api.createNode = (node, def) => {
      createNode.call(api, node, def);
      if (ids.includes(def.id)) watched.set(def.id, watch(node as TestNode));
    };
    restore = () => {
      api.createNode = createNode;
    };
  };
  try {
    const result = await deploy(nodes, { ...options, beforeFlows });
    expect([...watched.keys()].sort()).toEqual([...ids].sort());
    return { ...result, watched };
  } finally {
    restore();
  }
}

async function until<T>(what: string, fn: () => T | Promise<T>, ms = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const openSockets = async (id: string) =>
  (await sim.admin.webSocketSubscriptions()).find((s) => s.id === id)?.sockets ?? [];
const connected = (id: string) => until(`a socket on ${id}`, async () => (await openSockets(id)).length > 0);

describe('zoom-team-chat-trigger, WebSocket delivery', () => {
  it('passes events from the socket with the webhook’s message shape, and registers no HTTP route', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const { channel, poster } = await people();
    const { out } = await deploy([wsTrigger('trig', sub.endpointUrl)]);
    await connected(sub.id);
    // Express 4 creates its router with the first route: none at all is the strongest answer.
    const app = red!.httpNode as ExpressApp;
    const stack = app._router === undefined ? [] : (routerStack(app) ?? []);
    expect(stack.some((l) => l.route?.path === '/zoom/ws-test')).toBe(false);
    const got = collect(out);
    const posted = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'over the socket' });
    const msg = await until('the message', () => got[0]);
    expect(msg.topic).toBe(EVENT);
    expect(msg.payload.object).toMatchObject({
      message_id: posted.id,
      channel_id: channel.id,
      message: 'over the socket',
    });
    expect(msg.zoom).toMatchObject({
      event: EVENT,
      delivery: 'websocket',
      subscriptionId: sub.id,
      replyTarget: { channel: channel.id, messageId: posted.id },
    });
    expect(msg.zoom.deliveryKey).toBe(
      webhookDeliveryKey({ event: { event: EVENT, event_ts: msg.zoom.event_ts, payload: msg.payload } }),
    );
    expect(new Date(msg.zoom.receivedAt).getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(msg.zoom.headers).toBeUndefined();
    expect(msg.zoom.path).toBeUndefined();
    // Exactly one delivery, over the one socket.
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(1);
    const ledger = (await sim.admin.webSocketDeliveries(sub.id)).filter((e) => e.delivered);
    expect(ledger).toHaveLength(1);
  });

  it('shares one socket between the triggers of one subscription, keeps it while one remains, closes it with the last', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const { channel, poster } = await people();
    const nodes = [
      wsTrigger('t1', sub.endpointUrl),
      wsTrigger('t2', `  ${sub.endpointUrl}&pasted=again `, { wires: [['out2']] }),
    ];
    const { out, out2, account, creds } = await deploy(nodes);
    await connected(sub.id);
    await new Promise((r) => setTimeout(r, 200));
    const sockets = await openSockets(sub.id);
    expect(sockets).toHaveLength(1);
    expect(activeStreamCount()).toBe(1);
    const a = collect(out);
    const b = collect(out2);
    const posted = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'to both' });
    await until('both triggers', () => a.length === 1 && b.length === 1);
    expect(a[0]!.payload.object.message_id).toBe(posted.id);
    expect(b[0]!.payload.object.message_id).toBe(posted.id);

    // A "modified nodes" deploy that removes one trigger: the other keeps the same socket.
    const flows = [account, nodes[0]!, { id: 'out', type: 'helper' }, { id: 'out2', type: 'helper' }];
    await helper.setFlows(flows, 'nodes', creds);
    await new Promise((r) => setTimeout(r, 300));
    expect((await openSockets(sub.id)).map((s) => s.id)).toEqual([sockets[0]!.id]);
    expect(activeStreamCount()).toBe(1);

    await helper.setFlows(
      flows.filter((n) => n.type !== 'zoom-team-chat-trigger'),
      'nodes',
      creds,
    );
    await until('the socket to close', async () => (await openSockets(sub.id)).length === 0, 10_000);
    expect(activeStreamCount()).toBe(0);
  });

  it('applies the event and channel filters of the webhook path', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT, 'team_chat.channel_message_updated'] });
    const { channel, other, poster, owner } = await people();
    expect(other).toBeDefined();
    if (!other!.members.some((m) => m.userId === poster.id))
      await sim.admin.invite({ as: owner.email, channel: other!.id, users: [poster.email] });
    const { out } = await deploy([wsTrigger('trig', sub.endpointUrl, { channels: other!.id })]);
    await connected(sub.id);
    const got = collect(out);
    const elsewhere = await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'not this channel' });
    await sim.admin.editMessage({ as: poster.email, messageId: elsewhere.id, text: 'edited, still not' });
    const wanted = await sim.admin.postMessage({ as: poster.email, channel: other!.id, text: 'this one' });
    await sim.admin.editMessage({ as: poster.email, messageId: wanted.id, text: 'edited: another event name' });
    await until('the filtered message', () => got.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((m) => [m.topic, m.payload.object.message_id])).toEqual([[EVENT, wanted.id]]);
    // Both events of each message reached the socket; the filters dropped three of four.
    expect((await sim.admin.webSocketDeliveries(sub.id)).filter((e) => e.delivered)).toHaveLength(4);
  });

  it('reconnects after drops, counting down "reconnecting (Ns)"; events emitted while connected arrive once, the others never', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const { channel, poster } = await people();
    const { out, watched } = await deployWatched([wsTrigger('trig', sub.endpointUrl)], ['trig']);
    const st = watched.get('trig')!.statuses;
    await connected(sub.id);
    const got = collect(out);
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      ids.push(
        (await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: `before drop ${round}` })).id,
      );
      expect((await sim.admin.dropWebSockets({ subscriptionId: sub.id })).dropped).toBe(1);
      // Emitted while no socket is open: Zoom does not keep it, nor does the simulator.
      ids.push(
        (await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: `during drop ${round}` })).id,
      );
      await connected(sub.id);
    }
    ids.push((await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'after' })).id);
    await until('the last event', () => got.some((m) => m.payload.object.message === 'after'));
    await new Promise((r) => setTimeout(r, 300));
    const ledger = (await sim.admin.webSocketDeliveries(sub.id)).filter((e) => e.event === EVENT);
    expect(ledger).toHaveLength(ids.length);
    const expected = ids.filter((_, i) => ledger[i]!.delivered);
    expect(got.map((m) => m.payload.object.message_id)).toEqual(expected);
    // The ones during a drop were reported lost by the simulator (at least one per drop, usually each).
    expect(ledger.filter((e) => !e.delivered).length).toBeGreaterThan(0);
    const texts = st.map((s) => s.text);
    expect(texts.filter((t) => /^reconnecting \(\d+s\)$/.test(t ?? '')).length).toBeGreaterThanOrEqual(3);
    expect(texts.at(-1)).toBe('connected');
  });

  it('after the tokens expire (the simulator closes the socket) mints a fresh token and reconnects', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const { channel, poster } = await people();
    const { out } = await deploy([wsTrigger('trig', sub.endpointUrl)]);
    const [first] = await connected(sub.id).then(() => openSockets(sub.id));
    const tokensBefore = tokenRequests.length;
    const upgradesBefore = upgrades.length;
    expect((await sim.admin.expireTokens()).closedWebSockets).toBe(1);
    await until('a new socket', async () => (await openSockets(sub.id)).some((s) => s.id !== first!.id));
    expect(tokenRequests.length).toBeGreaterThan(tokensBefore);
    // At most one refused attempt with the expired token before the fresh one.
    expect(upgrades.slice(upgradesBefore).filter((s) => s === 401).length).toBeLessThanOrEqual(1);
    const got = collect(out);
    await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'after expiry' });
    await until('the event', () => got.length === 1);
  });

  it('an overloaded endpoint (503 on upgrade) is waited out with growing pauses, without an error', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    await sim.admin.setWebSocketFaults({ rejectHandshakes: 3 });
    const upgradesBefore = upgrades.length;
    const started = Date.now();
    const { watched } = await deployWatched([wsTrigger('trig', sub.endpointUrl)], ['trig']);
    await connected(sub.id);
    const { statuses: st, errors } = watched.get('trig')!;
    expect(upgrades.slice(upgradesBefore)).toEqual([503, 503, 503, 101]);
    // Three pauses of at least a tenth of 200, 400 and 800 ms: no tight loop even here.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(errors).toEqual([]);
    expect(st.some((s) => /^reconnecting \(\d+s\)$/.test(s.text ?? ''))).toBe(true);
    await until('the green status', () => st.at(-1)?.text === 'connected');
  });

  it('a wrong subscription ID: red status, one error naming it, no reconnect loop', async () => {
    const upgradesBefore = upgrades.length;
    const { watched } = await deployWatched(
      [wsTrigger('trig', `${sim.urls.ws}?subscriptionId=no-such-subscription`)],
      ['trig'],
    );
    const { statuses: st, errors } = watched.get('trig')!;
    await until('the failure', () => st.some((s) => s.fill === 'red'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(st.at(-1)).toEqual({ fill: 'red', shape: 'ring', text: 'failed: subscription not found' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no-such-subscription/);
    expect(errors[0]).toMatch(/deploy again/);
    const refused = upgrades.slice(upgradesBefore).filter((s) => s === 404).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(2);
  });

  it('refused credentials: red status, one clear error, no retry storm', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const tokensBefore = tokenRequests.length;
    const upgradesBefore = upgrades.length;
    const { watched } = await deployWatched([wsTrigger('trig', sub.endpointUrl)], ['trig'], {
      creds: { clientSecret: 'not-the-secret' },
    });
    const { statuses: st, errors } = watched.get('trig')!;
    await until('the failure', () => st.some((s) => s.fill === 'red'), 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(st.at(-1)?.fill).toBe('red');
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('not-the-secret');
    expect(tokenRequests.length - tokensBefore).toBeLessThanOrEqual(6);
    expect(upgrades.length - upgradesBefore).toBe(0);
  });

  it('needs a Server-to-Server account and a subscription, and says so without opening anything', async () => {
    const upgradesBefore = upgrades.length;
    const { watched } = await deployWatched([wsTrigger('blank', '   '), wsTrigger('bot', 'abc123')], ['blank', 'bot'], {
      account: { authKind: 'chatbot' },
    });
    const blank = watched.get('blank')!;
    const bot = watched.get('bot')!;
    await until('both errors', () => blank.errors.length > 0 && bot.errors.length > 0);
    expect(blank.errors).toEqual([
      expect.stringMatching(/^Subscription is blank: paste the WebSocket subscription ID/),
    ]);
    expect(blank.statuses).toEqual([{ fill: 'red', shape: 'ring', text: 'invalid subscription' }]);
    expect(bot.errors).toEqual([
      expect.stringMatching(
        /^WebSocket delivery needs a Server-to-Server OAuth account node .*"acc1" uses Chatbot credentials/,
      ),
    ]);
    expect(bot.statuses).toEqual([{ fill: 'red', shape: 'ring', text: 'needs a Server-to-Server account' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(upgrades.length).toBe(upgradesBefore);
    expect(activeStreamCount()).toBe(0);
  });

  it('names a blank credential of the account node instead of trying to connect', async () => {
    const upgradesBefore = upgrades.length;
    const tokensBefore = tokenRequests.length;
    const { watched } = await deployWatched([wsTrigger('trig', 'abc123')], ['trig'], { creds: { clientSecret: '' } });
    const { statuses: st, errors } = watched.get('trig')!;
    await until('the error', () => errors.length > 0);
    expect(errors).toEqual([expect.stringMatching(/has no Client secret: open it and fill in Client secret/)]);
    expect(st.at(-1)).toEqual({ fill: 'red', shape: 'ring', text: 'account incomplete' });
    expect(upgrades.length).toBe(upgradesBefore);
    expect(tokenRequests.length).toBe(tokensBefore);
    expect(activeStreamCount()).toBe(0);
  });

  it('never shows the access token: statuses, errors and messages', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [EVENT] });
    const { channel, poster } = await people();
    const { out, watched } = await deployWatched([wsTrigger('trig', sub.endpointUrl)], ['trig']);
    await connected(sub.id);
    const token = await (await getAccount('acc1')!.client()).tokens.getToken();
    expect(token).toBeTruthy();
    const got = collect(out);
    await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'secret-free' });
    await until('the event', () => got.length === 1);
    await sim.admin.dropWebSockets({ subscriptionId: sub.id });
    await connected(sub.id);
    const everything = JSON.stringify({ got, ...Object.fromEntries(watched) });
    expect(everything).not.toContain(token!);
    expect(everything).not.toMatch(/access_token=(?!\*\*\*)/);
  });
});

describe('zoom-team-chat-trigger, webhook delivery', () => {
  it('marks its messages with delivery "webhook" (the same shape as WebSocket messages)', async () => {
    const c = sim.credentials;
    const account = { id: 'acc1', type: 'zoom-team-chat-account', authKind: 'account', userId: 'me', botJid: '' };
    const creds = {
      acc1: {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        accountId: c.accountId,
        webhookSecretToken: 'secret-for-this-test',
      },
    };
    await helper.load(allNodes, [account], creds);
    const root = mountRoot();
    await helper.setFlows(
      [
        account,
        { id: 'trig', type: 'zoom-team-chat-trigger', account: 'acc1', path: '/zoom/wh', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ],
      'full',
      creds,
    );
    const got = collect(helper.getNode('out') as TestNode);
    const body = JSON.stringify({
      event: EVENT,
      event_ts: 1,
      payload: { object: { message_id: 'm1', channel_id: 'c1' } },
    });
    const res = await request(root)
      .post('/zoom/wh')
      .set({ 'content-type': 'application/json', ...signWebhook({ secret: 'secret-for-this-test', rawBody: body }) })
      .send(body);
    expect(res.status).toBe(200);
    const msg = await until('the message', () => got[0]);
    expect(msg.zoom).toMatchObject({
      event: EVENT,
      delivery: 'webhook',
      path: '/zoom/wh',
      replyTarget: { channel: 'c1', messageId: 'm1' },
    });
  });
});
