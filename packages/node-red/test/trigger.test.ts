import { createZoomClient, signWebhook, urlValidationResponse, type Transport } from '@zoom-team-chat/core';
import { channelMessagePosted } from '@zoom-team-chat/testkit/event-fixtures';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { routerStack } from '../src/lib/raw-body';
import type { ExpressApp } from '../src/lib/red';
import {
  accountCredentials,
  accountNode,
  allNodes,
  basicAuth,
  collect,
  helper,
  mountRoot,
  nextMessage,
  red,
  statuses,
  warnings,
  type TestNode,
} from './support/red';

const SECRET = 'webhook-secret-value';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check` holds, polling every 25 ms; fails after `timeoutMs` (generous: CI machines are loaded). */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(25);
  }
}
const PATH = '/zoom/events';

/** A message posted through a core client (any client of this runtime), answered once `answered` settles. */
async function sendThroughCore(messageId: string, answered: Promise<void>): Promise<void> {
  const transport: Transport = async () => {
    await answered;
    return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: messageId }) };
  };
  const client = createZoomClient({
    auth: { kind: 'none' },
    transport,
    baseUrls: { api: 'http://127.0.0.1:9/v2', file: 'http://127.0.0.1:9/v2' },
  });
  await client.messages.send({ message: 'hi', to_channel: 'chan-1' });
}

function triggerNode(overrides: Record<string, unknown> = {}) {
  return { id: 'trig', type: 'zoom-team-chat-trigger', account: 'acc1', path: PATH, wires: [['out']], ...overrides };
}

function channelEvent(overrides: Record<string, unknown> = {}) {
  return channelMessagePosted({ object: overrides });
}

/** Deploys account + trigger + a helper node, with RED.httpNode mounted on a root app first. */
async function deploy(
  options: Parameters<typeof mountRoot>[0] & { trigger?: Record<string, unknown>; creds?: Record<string, string> } = {},
) {
  await helper.load(allNodes, [accountNode()], accountCredentials(options.creds));
  const root = mountRoot(options);
  await helper.setFlows(
    [accountNode(), triggerNode(options.trigger), { id: 'out', type: 'helper' }],
    'full',
    accountCredentials(options.creds),
  );
  const out = helper.getNode('out') as TestNode;
  const trigger = helper.getNode('trig') as TestNode;
  return { root, out, trigger };
}

function signed(body: string, opts: { secret?: string; timestamp?: number; requestId?: string } = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...signWebhook({
      secret: opts.secret ?? SECRET,
      rawBody: body,
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    }),
  };
  if (opts.requestId) headers['x-zm-request-id'] = opts.requestId;
  return headers;
}

afterEach(async () => {
  await helper.unload();
});

describe('zoom-team-chat-trigger', () => {
  it('verifies a signed event under the default admin root "/" (whose JSON parser runs first) and sends it on', async () => {
    const { root, out } = await deploy();
    // Spacing and key order that JSON.stringify(JSON.parse(...)) would change: only the raw bytes verify.
    const body = JSON.stringify(channelEvent(), null, 3).replace('"event"', '"event" ');
    const got = nextMessage(out);
    const res = await request(root)
      .post(PATH)
      .set(signed(body, { requestId: 'req-1' }))
      .set('authorization', 'Bearer host-secret')
      .send(body);
    expect(res.status).toBe(200);
    const msg = await got;
    expect(msg.topic).toBe('team_chat.channel_message_posted');
    expect(msg.payload).toEqual(channelEvent().payload);
    expect(msg.zoom.event_ts).toBe(1_700_000_000_000);
    expect(msg.zoom.requestId).toBe('req-1');
    expect(msg.zoom.headers['x-zm-signature']).toBeUndefined();
    expect(msg.zoom.headers.authorization).toBeUndefined();
    expect(msg.zoom.headers['x-zm-request-timestamp']).toMatch(/^\d+$/);
    expect(msg.zoom.replyTarget).toEqual({ channel: 'chan-1', messageId: 'msg-1' });
    expect(JSON.stringify(msg)).not.toContain(SECRET);
    // The admin app still parses its own JSON.
    const admin = await request(root).get('/admin-ping');
    expect(admin.body).toEqual({ ok: true });
  });

  it('acknowledges with 200 before the flow runs', async () => {
    const order: string[] = [];
    const { root, out } = await deploy({
      before: (_req, res, next) => {
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
        res.end = ((...args: unknown[]) => {
          order.push(`ack ${res.statusCode}`);
          return end(...args);
        }) as typeof res.end;
        next();
      },
    });
    out.on('input', () => order.push('flow'));
    const body = JSON.stringify(channelEvent());
    const res = await request(root).post(PATH).set(signed(body)).send(body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await waitFor('the flow to run', () => order.includes('flow'));
    expect(order).toEqual(['ack 200', 'flow']);
  });

  it('refuses a forged signature with 401, warns, and sends nothing', async () => {
    const { root, out, trigger } = await deploy();
    const got = collect(out);
    const warned = warnings(trigger);
    const body = JSON.stringify(channelEvent());
    const res = await request(root)
      .post(PATH)
      .set(signed(body, { secret: 'not-the-secret' }))
      .send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'bad_signature' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
    expect(warned.join('\n')).toMatch(/Refused a request on \/zoom\/events/);
    expect(warned.join('\n')).not.toContain(SECRET);
  });

  it('refuses a body changed after signing, a missing signature and a stale timestamp', async () => {
    const { root, out } = await deploy();
    const got = collect(out);
    const body = JSON.stringify(channelEvent());
    const tampered = body.replace('hello', 'HELLO');
    expect((await request(root).post(PATH).set(signed(body)).send(tampered)).status).toBe(401);
    expect((await request(root).post(PATH).set('content-type', 'application/json').send(body)).body).toEqual({
      error: 'missing_signature',
    });
    const stale = Math.floor(Date.now() / 1000) - 3600;
    const res = await request(root)
      .post(PATH)
      .set(signed(body, { timestamp: stale }))
      .send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'stale_timestamp' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
  });

  it('answers endpoint.url_validation and starts no flow', async () => {
    const { root, out } = await deploy();
    const got = collect(out);
    const body = JSON.stringify({
      event: 'endpoint.url_validation',
      event_ts: Date.now(),
      payload: { plainToken: 'plain-abc' },
    });
    const res = await request(root).post(PATH).set(signed(body)).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(urlValidationResponse('plain-abc', SECRET));
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
  });

  it('drops a retried delivery (same x-zm-request-id) and a replay under a new request id, but passes a new delivery', async () => {
    const { root, out } = await deploy();
    const got = collect(out);
    const body = JSON.stringify(channelEvent());
    const now = Math.floor(Date.now() / 1000);
    const sends: Array<[string, number]> = [
      ['r-1', now],
      ['r-1', now],
      ['r-replayed', now],
      ['r-2', now - 1],
    ];
    for (const [id, timestamp] of sends) {
      const res = await request(root)
        .post(PATH)
        .set(signed(body, { requestId: id, timestamp }))
        .send(body);
      expect(res.status).toBe(200);
    }
    await waitFor('two deliveries', () => got.length >= 2);
    await pause(100); // room for a wrongly passed duplicate to show up
    expect(got.map((m) => m.zoom.requestId)).toEqual(['r-1', 'r-2']);
  });

  it('keeps retried deliveries when de-duplication is off', async () => {
    const { root, out } = await deploy({ trigger: { dedupe: false } });
    const got = collect(out);
    const body = JSON.stringify(channelEvent());
    for (let i = 0; i < 2; i++)
      await request(root)
        .post(PATH)
        .set(signed(body, { requestId: 'same' }))
        .send(body);
    await waitFor('both deliveries', () => got.length >= 2);
    await pause(100); // room for an extra delivery to show up
    expect(got).toHaveLength(2);
  });

  it('works under httpNodeRoot /red and behind httpNodeAuth', async () => {
    const { root, out } = await deploy({ nodeRoot: '/red', nodeAuth: basicAuth('nr', 'pw') });
    const body = JSON.stringify(channelEvent());
    expect((await request(root).post(`/red${PATH}`).set(signed(body)).send(body)).status).toBe(401);
    const got = nextMessage(out);
    const res = await request(root).post(`/red${PATH}`).auth('nr', 'pw').set(signed(body)).send(body);
    expect(res.status).toBe(200);
    const msg = await got;
    expect(msg.zoom.path).toBe(`/red${PATH}`);
    expect(msg.zoom.headers.authorization).toBeUndefined();
  });

  it('works with the admin app on its own root too (no parser in front)', async () => {
    const { root, out } = await deploy({ adminRoot: '/admin' });
    const body = JSON.stringify(channelEvent());
    const got = nextMessage(out);
    expect((await request(root).post(PATH).set(signed(body)).send(body)).status).toBe(200);
    expect((await got).topic).toBe('team_chat.channel_message_posted');
  });

  it('filters by event name (with prefix wildcards) and by channel', async () => {
    const { root, out } = await deploy({
      trigger: { events: 'team_chat.channel_*, bot_notification', channels: 'chan-2' },
    });
    const got = collect(out);
    const send = async (event: object, id: string) => {
      const body = JSON.stringify(event);
      expect(
        (
          await request(root)
            .post(PATH)
            .set(signed(body, { requestId: id }))
            .send(body)
        ).status,
      ).toBe(200);
    };
    await send(channelEvent(), 'a'); // chan-1: dropped by the channel filter
    await send(channelEvent({ channel_id: 'chan-2' }), 'b'); // passes
    await send({ ...channelEvent({ channel_id: 'chan-2' }), event: 'team_chat.dm_message_posted' }, 'c'); // event filtered
    await send(
      {
        event: 'bot_notification',
        event_ts: 1,
        payload: {
          toJid: 'chan-2@conference.xmpp.zoom.us',
          userJid: 'u@xmpp.zoom.us',
          robotJid: 'bot@xmpp.zoom.us',
          accountId: 'a',
          cmd: 'hi',
        },
      },
      'd',
    ); // chatbot channel JID matches the channel ID
    await waitFor('the two matching events', () => got.length >= 2);
    await pause(100); // room for a wrongly passed event to show up
    expect(got.map((m) => m.zoom.requestId)).toEqual(['b', 'd']);
    expect(got[1]?.zoom.replyTarget).toEqual({
      toJid: 'chan-2@conference.xmpp.zoom.us',
      userJid: 'u@xmpp.zoom.us',
      robotJid: 'bot@xmpp.zoom.us',
      accountId: 'a',
    });
  });

  it('ignores events about messages this runtime sent, unless told not to', async () => {
    const { root, out } = await deploy();
    const got = collect(out);
    await sendThroughCore('msg-own', Promise.resolve());
    const own = JSON.stringify(channelEvent({ message_id: 'msg-own' }));
    const other = JSON.stringify(channelEvent({ message_id: 'msg-other' }));
    await request(root)
      .post(PATH)
      .set(signed(own, { requestId: '1' }))
      .send(own);
    await request(root)
      .post(PATH)
      .set(signed(other, { requestId: '2' }))
      .send(other);
    await waitFor('the other message', () => got.length >= 1);
    await pause(100); // room for the own message, if wrongly passed, to show up
    expect(got.map((m) => m.payload.object.message_id)).toEqual(['msg-other']);
  });

  it('waits for a send in flight before deciding an event is not its own echo', async () => {
    const { root, out } = await deploy();
    const got = collect(out);
    let finish!: () => void;
    const sent = sendThroughCore('msg-echo', new Promise<void>((resolve) => (finish = resolve)));
    const echo = JSON.stringify(channelEvent({ message_id: 'msg-echo' }));
    expect((await request(root).post(PATH).set(signed(echo)).send(echo)).status).toBe(200);
    finish();
    await sent;
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(0);
  });

  it('refuses every request (500 + warning) while the account has no Secret Token', async () => {
    const { root, out, trigger } = await deploy({ creds: { webhookSecretToken: '' } });
    const got = collect(out);
    const warned = warnings(trigger);
    const body = JSON.stringify(channelEvent());
    const res = await request(root).post(PATH).set(signed(body)).send(body);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'no_secret' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
    expect(warned.join('\n')).toMatch(/Secret Token/);
  });

  it('answers 400 to a signed body that is not an event, and 413 to an oversized one', async () => {
    const { root } = await deploy();
    const notJson = 'not json at all';
    expect((await request(root).post(PATH).set(signed(notJson)).send(notJson)).status).toBe(400);
    const huge = JSON.stringify({ event: 'x', event_ts: 1, payload: { pad: 'x'.repeat(1024 * 1024 + 10) } });
    const res = await request(root).post(PATH).set(signed(huge)).send(huge);
    expect(res.status).toBe(413);
  });

  it('removes only its own route on close, and a redeploy takes the path over', async () => {
    await helper.load(allNodes, [accountNode()], accountCredentials());
    const root = mountRoot();
    const httpNode = red!.httpNode as ExpressApp;
    // Another node's route on the same path and one elsewhere (e.g. an http-in node).
    httpNode.post('/other', (_req, res) => res.status(204).end());
    await helper.setFlows([accountNode(), triggerNode(), { id: 'out', type: 'helper' }], 'full', accountCredentials());
    httpNode.post(PATH, (_req, res) => res.status(202).end());
    const routes = () => routerStack(httpNode)!.filter((l) => l.route).length;
    expect(routes()).toBe(3);
    await helper.setFlows([accountNode(), { id: 'out', type: 'helper' }], 'full', accountCredentials());
    expect(routes()).toBe(2);
    const body = JSON.stringify(channelEvent());
    // Our route is gone: the other handler on the path answers now.
    expect((await request(root).post(PATH).set(signed(body)).send(body)).status).toBe(202);
    expect((await request(root).post('/other').send('x')).status).toBe(204);
  });

  it('rejects an unusable path and a path another trigger already owns, without crashing', async () => {
    await helper.load(allNodes, [accountNode()], accountCredentials());
    mountRoot();
    await helper.setFlows(
      [
        accountNode(),
        triggerNode(),
        triggerNode({ id: 'trig2', wires: [] }),
        triggerNode({ id: 'trig3', path: '/zoom/:id', wires: [] }),
      ],
      'full',
      accountCredentials(),
    );
    const second = helper.getNode('trig2') as TestNode;
    const third = helper.getNode('trig3') as TestNode;
    expect(second).toBeTruthy();
    expect(third).toBeTruthy();
    const routes = routerStack(red!.httpNode as ExpressApp)!.filter((l) => l.route).length;
    expect(routes).toBe(1);
  });

  it('shows its state in the status', async () => {
    await helper.load(allNodes, [accountNode()], accountCredentials());
    const root = mountRoot();
    await helper.setFlows([accountNode(), triggerNode(), { id: 'out', type: 'helper' }], 'full', accountCredentials());
    const trigger = helper.getNode('trig') as TestNode;
    const seen = statuses(trigger);
    const body = JSON.stringify(channelEvent());
    await request(root)
      .post(PATH)
      .set(signed(body, { secret: 'wrong' }))
      .send(body);
    await request(root).post(PATH).set(signed(body)).send(body);
    await waitFor('the event status', () => seen.some((s) => s.text === 'team_chat.channel_message_posted'));
    expect(seen.map((s) => s.text).filter((t) => !t?.startsWith('listening'))).toEqual([
      'refused: bad_signature',
      'team_chat.channel_message_posted',
    ]);
  });
});
