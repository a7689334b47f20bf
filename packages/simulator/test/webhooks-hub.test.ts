import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
// The package (built first by turbo), not ../../core/src: a path outside rootDir breaks `tsc`.
import { handleWebhookRequest, verifyWebhook } from '@zoom-team-chat/core';
import {
  buildEventPayload,
  channelJid,
  createWebhookHub,
  UrlValidationError,
  WebhookEmitError,
  WebhookInputError,
  type Operator,
  type WebhookHub,
  type WebhookHubOptions,
} from '../src/webhooks/index';
import { startReceiver, type Receiver, type ReceiverOptions } from './webhooks-receiver';

const SECRET = 'wh-secret-Qx7p2M';
const T = Date.UTC(2024, 0, 15, 10, 30, 5, 123);
const alice: Operator = { userId: 'KdYKjnimT4KPd8KKdQt9FQ', email: 'alice@example.com', accountId: 'acc1' };
const channel = { id: 'qrstuvwxyz67890', name: 'Team Chat', type: 1 as const };
const POSTED = 'team_chat.channel_message_posted';

function posted(text = 'hello', id = 'm1'): Record<string, unknown> {
  return buildEventPayload(POSTED, { operator: alice, channel, message: { id, text }, at: T });
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function receiver(options: Partial<ReceiverOptions> = {}): Promise<Receiver> {
  const r = await startReceiver({ secret: SECRET, ...options });
  open.push(r);
  return r;
}

function hub(options: WebhookHubOptions = {}): WebhookHub {
  const h = createWebhookHub(options);
  open.unshift(h); // closed before the receivers
  return h;
}

function hmacHex(secret: string, text: string | Buffer): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function timeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('addSubscription', () => {
  it('rejects bad input, naming the field, without touching the network', async () => {
    const r = await receiver();
    const h = hub();
    const bad: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ url: 'ftp://127.0.0.1/x', secretToken: SECRET, events: [POSTED] }, 'url', /http or https/],
      [{ url: 'not a url', secretToken: SECRET, events: [POSTED] }, 'url', /not an absolute URL/],
      [{ url: r.url, secretToken: '', events: [POSTED] }, 'secretToken', /non-empty/],
      [{ url: r.url, secretToken: SECRET, events: [] }, 'events', /non-empty array/],
      [
        { url: r.url, secretToken: SECRET, events: [POSTED, 'chat_message.send'] },
        'events[1]',
        /unknown event 'chat_message.send'; did you mean 'chat_message.sent'\?/,
      ],
      [
        { url: r.url, secretToken: SECRET, events: ['bot_notification'], kind: 'team-chat' },
        'events[0]',
        /Chatbot event.*kind 'chatbot'/,
      ],
      [{ url: r.url, secretToken: SECRET, events: [POSTED], botJid: 'x@xmpp.zoom.us' }, 'botJid', /kind 'chatbot'/],
      [{ url: r.url, secretToken: SECRET, events: [POSTED], kind: 'meetings' }, 'kind', /'team-chat' or 'chatbot'/],
    ];
    for (const [input, field, message] of bad) {
      const err = await h.addSubscription(input as never).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(WebhookInputError);
      expect((err as WebhookInputError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain(SECRET);
    }
    expect(r.all).toHaveLength(0);
    expect(h.listSubscriptions()).toEqual([]);
  });

  it("runs Zoom's url_validation challenge, signed, and stores the subscription once answered", async () => {
    // The endpoint is the core's own handler: it verifies the signature before answering.
    const r = await receiver({
      onValidation: (_token, req) => {
        const result = handleWebhookRequest({ rawBody: req.raw, headers: req.headers, secrets: SECRET, now: () => T });
        if (result.kind !== 'url_validation') return { status: 500 };
        return { status: 200, body: JSON.stringify(result.response) };
      },
    });
    const h = hub({ now: () => T });
    const sub = await h.addSubscription({
      url: r.url,
      secretToken: SECRET,
      events: [POSTED, POSTED, 'chat_message.sent'],
    });
    expect(sub).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
      url: r.url,
      events: [POSTED, 'chat_message.sent'],
    });

    expect(r.all).toHaveLength(1);
    const challenge = r.all[0]!;
    expect(Object.keys(challenge.body)).toEqual(['payload', 'event_ts', 'event']);
    expect(challenge.body).toEqual({
      payload: { plainToken: expect.stringMatching(/^[\w-]{22}$/) },
      event_ts: T,
      event: 'endpoint.url_validation',
    });
    const ts = challenge.headers['x-zm-request-timestamp'];
    expect(ts).toBe(String(Math.floor(T / 1000)));
    expect(challenge.headers['x-zm-signature']).toBe(
      `v0=${hmacHex(SECRET, `v0:${ts}:${challenge.raw.toString('utf8')}`)}`,
    );

    const listed = h.listSubscriptions();
    expect(listed).toEqual([{ id: sub.id, url: r.url, events: [POSTED, 'chat_message.sent'], kind: 'team-chat' }]);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  });

  it('infers kind chatbot from Chatbot events', async () => {
    const r = await receiver();
    const h = hub();
    await h.addSubscription({
      url: r.url,
      secretToken: SECRET,
      events: ['bot_notification', POSTED],
      botJid: 'bot@xmpp.zoom.us',
    });
    expect(h.listSubscriptions()[0]).toMatchObject({ kind: 'chatbot', botJid: 'bot@xmpp.zoom.us' });
  });

  const failures: Array<[string, Partial<ReceiverOptions>, string, number | undefined]> = [
    [
      'a wrong encryptedToken',
      {
        onValidation: (t) => ({
          status: 200,
          body: JSON.stringify({ plainToken: t, encryptedToken: hmacHex('other', t) }),
        }),
      },
      'wrong_encrypted_token',
      200,
    ],
    [
      'a wrong plainToken',
      {
        onValidation: (t) => ({
          status: 200,
          body: JSON.stringify({ plainToken: 'x', encryptedToken: hmacHex(SECRET, t) }),
        }),
      },
      'wrong_plain_token',
      200,
    ],
    ['status 500', { onValidation: () => ({ status: 500, body: '{}' }) }, 'status', 500],
    ['a body that is not JSON', { onValidation: () => ({ status: 200, body: 'ok' }) }, 'not_json', 200],
  ];
  for (const [what, options, reason, status] of failures) {
    it(`rejects ${what} (${reason})`, async () => {
      const r = await receiver(options);
      const h = hub();
      const err = await h
        .addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UrlValidationError);
      expect((err as UrlValidationError).reason).toBe(reason);
      expect((err as UrlValidationError).status).toBe(status);
      expect((err as Error).message).toContain(r.url);
      expect((err as Error).message).not.toContain(SECRET);
      expect(h.listSubscriptions()).toEqual([]);
    });
  }

  it('rejects an answer slower than the limit (timeout)', async () => {
    const r = await receiver({
      onValidation: (t) => ({ status: 200, body: JSON.stringify({ plainToken: t }), delayMs: 1500 }),
    });
    const h = hub({ validationTimeoutMs: 200 });
    const started = Date.now();
    const err = await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] }).catch((e: unknown) => e);
    expect((err as UrlValidationError).reason).toBe('timeout');
    expect((err as Error).message).toMatch(/within 200 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects an unreachable endpoint (connection)', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    const err = await hub()
      .addSubscription({ url, secretToken: SECRET, events: [POSTED] })
      .catch((e: unknown) => e);
    expect((err as UrlValidationError).reason).toBe('connection');
  });
});

describe('emit', () => {
  it("delivers {event, event_ts, payload} signed exactly like Zoom, verifiable by an independent HMAC and the core's verifyWebhook", async () => {
    const r = await receiver();
    const h = hub({ now: () => T });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    const payload = posted('héllo ✓');
    expect(h.emit(POSTED, payload)).toBe(1);
    await h.settle();

    expect(r.events).toHaveLength(1);
    const got = r.events[0]!;
    expect(got.raw.toString('utf8')).toBe(JSON.stringify({ event: POSTED, event_ts: T, payload }));
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.headers['user-agent']).toBe('Zoom Marketplace/1.0a');
    expect(got.headers['x-zm-request-id']).toMatch(/^[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/);
    expect(got.headers['x-zm-trackingid']).toMatch(/^v=2\.0;clid=\w+;rid=WEB_[0-9a-f]{32}$/);
    const ts = got.headers['x-zm-request-timestamp'] as string;
    expect(ts).toBe(String(Math.floor(T / 1000)));
    // Independent: HMAC over the raw bytes as received.
    expect(got.headers['x-zm-signature']).toBe(
      `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:`).update(got.raw).digest('hex')}`,
    );
    // The core's verifier accepts it, and rejects it under another secret.
    expect(verifyWebhook({ rawBody: got.raw, headers: got.headers, secrets: SECRET, now: () => T })).toEqual({
      event: POSTED,
      event_ts: T,
      payload,
    });
    expect(() => verifyWebhook({ rawBody: got.raw, headers: got.headers, secrets: 'other', now: () => T })).toThrow();

    const [rec] = h.deliveries();
    expect(rec).toMatchObject({
      event: POSTED,
      attempt: 1,
      outcome: 'delivered',
      status: 200,
      requestId: got.headers['x-zm-request-id'],
      at: T,
    });
    expect(rec!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('signs for each subscription with its own secret and skips subscriptions without the event', async () => {
    const a = await receiver({ secret: 'secret-a' });
    const b = await receiver({ secret: 'secret-b' });
    const c = await receiver({ secret: 'secret-c' });
    const h = hub();
    await h.addSubscription({ url: a.url, secretToken: 'secret-a', events: [POSTED] });
    await h.addSubscription({ url: b.url, secretToken: 'secret-b', events: ['chat_message.sent', POSTED] });
    await h.addSubscription({ url: c.url, secretToken: 'secret-c', events: ['chat_message.sent'] });
    expect(h.emit(POSTED, posted())).toBe(2);
    await h.settle();
    expect(a.events).toHaveLength(1);
    expect(b.events).toHaveLength(1);
    expect(c.events).toHaveLength(0);
    expect(
      verifyWebhook({ rawBody: a.events[0]!.raw, headers: a.events[0]!.headers, secrets: 'secret-a' }),
    ).toMatchObject({ event: POSTED });
    expect(
      verifyWebhook({ rawBody: b.events[0]!.raw, headers: b.events[0]!.headers, secrets: 'secret-b' }),
    ).toMatchObject({ event: POSTED });
    expect(a.events[0]!.headers['x-zm-request-id']).not.toBe(b.events[0]!.headers['x-zm-request-id']);
  });

  it('does nothing for an event no subscription lists', async () => {
    const r = await receiver();
    const h = hub();
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: ['chat_message.sent'] });
    expect(h.emit(POSTED, posted())).toBe(0);
    await h.settle();
    expect(r.events).toHaveLength(0);
    expect(h.deliveries()).toEqual([]);
    expect(h.stats()).toMatchObject({ queued: 0, inFlight: 0, delivered: 0 });
  });

  it('throws synchronously on a payload that does not match the schema, and on unknown events', async () => {
    const r = await receiver();
    const h = hub();
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    const bad = posted();
    delete (bad['object'] as Record<string, unknown>)['channel_id'];
    expect(() => h.emit(POSTED, bad)).toThrow(WebhookEmitError);
    expect(() => h.emit(POSTED, bad)).toThrow(/payload\/object must have required property 'channel_id'/);
    expect(() => h.emit('team_chat.channel_message_postd', posted())).toThrow(
      /did you mean 'team_chat.channel_message_posted'/,
    );
    expect(() => h.emit(POSTED, posted(), { eventTs: 1.5 })).toThrow(/eventTs/);
    expect(() => h.emit(POSTED, posted(), { extra: { payload: {} } })).toThrow(/overwrite/);
    await h.settle();
    expect(r.events).toHaveLength(0);

    const lax = hub({ validate: false });
    await lax.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    expect(lax.emit(POSTED, bad)).toBe(1);
    await lax.settle();
    expect(r.events).toHaveLength(1);
  });

  it('adds top-level extras such as the response_url team_chat.link_shared requires', async () => {
    const r = await receiver();
    const h = hub();
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: ['team_chat.link_shared'] });
    const payload = buildEventPayload('team_chat.link_shared', {
      operator: alice,
      to: { channel },
      triggerId: 't1',
      link: 'https://example.com',
    });
    expect(() => h.emit('team_chat.link_shared', payload)).toThrow(/must have required property 'response_url'/);
    const response_url = 'https://api.zoom.us/v2/im/chat/users/u1/unfurls/t1';
    h.emit('team_chat.link_shared', payload, { extra: { response_url }, eventTs: T });
    await h.settle();
    expect(Object.keys(r.events[0]!.body)).toEqual(['event', 'event_ts', 'response_url', 'payload']);
    expect(r.events[0]!.body.response_url).toBe(response_url);
  });

  it('sends Chatbot events to Chatbot subscriptions only, matched by botJid', async () => {
    const teamChat = await receiver();
    const botA = await receiver();
    const botB = await receiver();
    const anyBot = await receiver();
    const h = hub();
    await h.addSubscription({ url: teamChat.url, secretToken: SECRET, events: [POSTED] });
    await h.addSubscription({
      url: botA.url,
      secretToken: SECRET,
      events: ['bot_notification'],
      botJid: 'a@xmpp.zoom.us',
    });
    await h.addSubscription({
      url: botB.url,
      secretToken: SECRET,
      events: ['bot_notification'],
      botJid: 'b@xmpp.zoom.us',
    });
    await h.addSubscription({ url: anyBot.url, secretToken: SECRET, events: ['bot_notification'], kind: 'chatbot' });
    const command = (robotJid: string) =>
      buildEventPayload('bot_notification', {
        accountId: 'acc1',
        robotJid,
        user: { userId: alice.userId, userName: 'Alice' },
        toJid: channelJid(channel.id),
        channelName: channel.name,
        cmd: 'weather',
        botName: 'Weather',
      });
    expect(h.emit('bot_notification', command('a@xmpp.zoom.us'))).toBe(2);
    expect(h.emit('bot_notification', command('c@xmpp.zoom.us'))).toBe(1);
    expect(h.emit('bot_notification', command('c@xmpp.zoom.us'), { botJid: 'b@xmpp.zoom.us' })).toBe(2);
    await h.settle();
    expect([teamChat.events.length, botA.events.length, botB.events.length, anyBot.events.length]).toEqual([
      0, 1, 1, 3,
    ]);
  });
});

describe('delivery', () => {
  it('does not retry 3xx or 4xx (and follows no redirect)', async () => {
    const r = await receiver({ onEvent: (_req, n) => (n === 0 ? { status: 404 } : { status: 302, body: '' }) });
    const h = hub({ timeScale: 60_000 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    expect(r.events).toHaveLength(2);
    expect(h.deliveries().map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'failed', 404],
      [1, 'failed', 302],
    ]);
  });

  it("retries ≥ 500 on Zoom's schedule (divided by timeScale) with the same request id, re-signed each time", async () => {
    let clock = T;
    const r = await receiver({
      onEvent: () => {
        clock += 7_000; // each attempt happens later: its timestamp and signature must follow
        return { status: 500 };
      },
    });
    const h = hub({ timeScale: 60_000, now: () => clock });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted(), { eventTs: T });
    await h.settle();
    expect(h.stats().retryPending).toBe(1);
    await h.settle({ includeRetries: true });

    const records = h.deliveries();
    expect(records.map((d) => [d.attempt, d.outcome, d.status, d.retryInMs])).toEqual([
      [1, 'retrying', 500, 5],
      [2, 'retrying', 500, 20],
      [3, 'retrying', 500, 60],
      [4, 'failed', 500, undefined],
    ]);
    expect(new Set(records.map((d) => d.deliveryId)).size).toBe(1);
    expect(r.events).toHaveLength(4);
    const ids = r.events.map((e) => e.headers['x-zm-request-id']);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(records[0]!.requestId);
    const stamps = r.events.map((e) => Number(e.headers['x-zm-request-timestamp']));
    expect(new Set(stamps).size).toBe(4);
    for (const e of r.events) {
      expect(e.raw.equals(r.events[0]!.raw)).toBe(true); // same event, same bytes
      const ts = Number(e.headers['x-zm-request-timestamp']) * 1000;
      expect(verifyWebhook({ rawBody: e.raw, headers: e.headers, secrets: SECRET, now: () => ts })).toMatchObject({
        event_ts: T,
      });
    }
  });

  it('succeeds on a retry after a 503', async () => {
    const r = await receiver({ onEvent: (_req, n) => ({ status: n === 0 ? 503 : 204 }) });
    const h = hub({ timeScale: 60_000 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    expect(h.deliveries().map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'retrying', 503],
      [2, 'delivered', 204],
    ]);
    expect(r.events[0]!.headers['x-zm-request-id']).toBe(r.events[1]!.headers['x-zm-request-id']);
  });

  it('counts an answer slower than the limit as a read timeout (-1) and retries it', async () => {
    const r = await receiver({ onEvent: (_req, n) => ({ status: 200, delayMs: n === 0 ? 1000 : 0 }) });
    const h = hub({ timeScale: 60_000, deliveryTimeoutMs: 150 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    const [first, second] = h.deliveries();
    expect(first).toMatchObject({ outcome: 'retrying', errorCode: -1, error: expect.stringMatching(/150 ms/) });
    expect(first!.status).toBeUndefined();
    expect(first!.durationMs).toBeGreaterThanOrEqual(140);
    expect(first!.durationMs).toBeLessThan(900);
    expect(second).toMatchObject({ outcome: 'delivered', attempt: 2 });
  });

  it('records a refused connection as -2 and gives up after three retries', async () => {
    const r = await receiver();
    const h = hub({ timeScale: 60_000 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    await r.close();
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    const records = h.deliveries();
    // The first attempt may still pick the kept-alive socket the receiver just closed (-7, reset);
    // the retries connect afresh and are refused.
    expect([-2, -7]).toContain(records[0]!.errorCode);
    expect(records.map((d) => [d.outcome, d.attempt])).toEqual([
      ['retrying', 1],
      ['retrying', 2],
      ['retrying', 3],
      ['failed', 4],
    ]);
    expect(records.slice(1).map((d) => d.errorCode)).toEqual([-2, -2, -2]);
    expect(records[3]!.error).toMatch(/connection refused/);
    expect(h.stats()).toMatchObject({ failed: 1, delivered: 0, retryPending: 0 });
  });

  it('keeps at most maxInFlight requests open, queues the rest and reuses connections', async () => {
    const r = await receiver({ onEvent: () => ({ status: 200, delayMs: 20 }) });
    const h = hub({ maxInFlight: 4 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    const before = r.connections;
    for (let i = 0; i < 40; i++) h.emit(POSTED, posted(`n${i}`, `m${i}`));
    expect(h.stats()).toMatchObject({ inFlight: 4, queued: 36 });
    await h.settle();
    expect(r.events).toHaveLength(40);
    expect(r.maxInFlight).toBe(4);
    expect(r.connections - before).toBeLessThanOrEqual(4);
    expect(h.stats()).toMatchObject({ delivered: 40, queued: 0, inFlight: 0 });
  });

  it('takes a burst of 300 events with the default bound of 64', async () => {
    const r = await receiver({ onEvent: () => ({ status: 200, delayMs: 5 }) });
    const h = hub();
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    const started = Date.now();
    for (let i = 0; i < 300; i++) h.emit(POSTED, posted(`n${i}`, `m${i}`));
    await h.settle();
    // Every event arrived, or (on a loaded machine, past Zoom's 3 s read timeout) waits for Zoom's
    // retry as Zoom would: none is lost. On a quiet machine all 300 arrive at once.
    const arrived = new Set(r.events.map((e) => e.headers['x-zm-request-id']));
    const awaitingRetry = new Set(
      h
        .deliveries()
        .filter((d) => d.outcome === 'retrying')
        .map((d) => d.requestId),
    );
    expect(new Set([...arrived, ...awaitingRetry]).size).toBe(300);
    expect(r.events.length).toBeGreaterThanOrEqual(300 - awaitingRetry.size);
    // The bound is on connections open at once (+ the validation's). Over the whole burst, a delivery
    // that misses Zoom's 3 s read timeout (a loaded machine: 28 of 300 at load average 14) has its
    // socket destroyed and the next delivery opens a fresh one, so the total may exceed 65 by that many
    // (the test below forces it); the receiver may still be working on those when the next arrive.
    const timedOut = h.deliveries().filter((d) => d.outcome === 'retrying' && d.errorCode === -1).length;
    expect(r.maxInFlight).toBeLessThanOrEqual(64 + timedOut);
    expect(r.maxInFlight).toBeGreaterThan(1);
    expect(r.maxOpenConnections).toBeLessThanOrEqual(65);
    expect(r.connections).toBeLessThanOrEqual(65 + timedOut);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(arrived.size).toBe(r.events.length);
  });

  it('keeps to its connection bound when deliveries time out (each timed-out socket is replaced, never added)', async () => {
    // The first four deliveries answer after Zoom's 3 s read timeout, as a receiver on a loaded machine does.
    const r = await receiver({ onEvent: (_e, n) => ({ status: 200, delayMs: n < 4 ? 3_300 : 5 }) });
    const h = hub({ maxInFlight: 8 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    for (let i = 0; i < 8; i++) h.emit(POSTED, posted(`t${i}`, `t${i}`));
    await h.settle();
    const timedOut = h.deliveries().filter((d) => d.outcome === 'retrying' && d.errorCode === -1).length;
    expect(timedOut).toBe(4);
    for (let i = 8; i < 40; i++) h.emit(POSTED, posted(`t${i}`, `t${i}`));
    await h.settle();
    // The receiver is still working on the four it answers late (until 3.3 s) while the hub, which gave
    // up on them at 3 s, sends new ones: that is its own count, not the hub's.
    expect(r.maxInFlight).toBeLessThanOrEqual(8 + timedOut);
    expect(r.maxOpenConnections).toBeLessThanOrEqual(9);
    // The four destroyed sockets were replaced by four new ones: more in total, never more at once.
    expect(r.connections).toBeGreaterThanOrEqual(12);
    expect(r.connections).toBeLessThanOrEqual(9 + timedOut);
  }, 15_000);

  it('drops deliveries beyond maxQueued and keeps at most maxRecords records', async () => {
    const r = await receiver({ onEvent: () => ({ status: 200, delayMs: 30 }) });
    const h = hub({ maxInFlight: 1, maxQueued: 2, maxRecords: 3 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    for (let i = 0; i < 5; i++) h.emit(POSTED, posted(`n${i}`, `m${i}`));
    await h.settle();
    expect(h.stats()).toMatchObject({ delivered: 3, dropped: 2 });
    expect(r.events).toHaveLength(3);
    const records = h.deliveries();
    expect(records).toHaveLength(3);
    expect(records.map((d) => d.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    for (let i = 0; i < 10; i++) h.emit(POSTED, posted());
    await h.settle();
    expect(h.deliveries()).toHaveLength(3);
  });
});

describe('options', () => {
  it('rejects bad options, naming them', () => {
    expect(() => createWebhookHub({ timeScale: 0 })).toThrow(/timeScale must be a positive number/);
    expect(() => createWebhookHub({ maxInFlight: 2.5 })).toThrow(/maxInFlight must be a positive integer/);
    expect(() => createWebhookHub({ fetch: 'no' as never })).toThrow(/fetch must be a fetch function/);
  });

  it('sends through an injected fetch when given one (same headers, same signature)', async () => {
    const r = await receiver();
    const calls: string[] = [];
    const h = hub({
      now: () => T,
      userAgent: 'Custom/1.0',
      fetch: (url, init) => {
        calls.push(String(url));
        return fetch(url, init);
      },
    });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle();
    expect(calls).toEqual([r.url, r.url]);
    const got = r.events[0]!;
    expect(got.headers['user-agent']).toBe('Custom/1.0');
    expect(verifyWebhook({ rawBody: got.raw, headers: got.headers, secrets: SECRET, now: () => T })).toMatchObject({
      event: POSTED,
    });
  });

  it('reports every attempt to onRecord and logs without secrets', async () => {
    const r = await receiver({ onEvent: (_req, n) => ({ status: n === 0 ? 500 : 200 }) });
    const seen: string[] = [];
    const logged: string[] = [];
    const log = (message: string, meta?: Record<string, unknown>): void =>
      void logged.push(`${message} ${JSON.stringify(meta)}`);
    const h = hub({
      timeScale: 60_000,
      onRecord: (rec) => seen.push(rec.outcome),
      logger: { debug: log, info: log, warn: log, error: log },
    });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle({ includeRetries: true });
    expect(seen).toEqual(['retrying', 'delivered']);
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.join('\n')).not.toContain(SECRET);
  });
});

describe('removeSubscription and close', () => {
  it('removeSubscription drops pending retries', async () => {
    const r = await receiver({ onEvent: () => ({ status: 500 }) });
    const h = hub(); // timeScale 1: the retry waits 5 real minutes
    const sub = await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await h.settle();
    expect(h.stats().retryPending).toBe(1);
    expect(h.removeSubscription(sub.id)).toBe(true);
    expect(h.removeSubscription(sub.id)).toBe(false);
    expect(h.stats()).toMatchObject({ retryPending: 0, subscriptions: 0 });
    await h.settle({ includeRetries: true });
  });

  it('close() clears retry timers and leaves no timer behind', async () => {
    const r = await receiver({ onEvent: () => ({ status: 500 }) });
    const baseline = timeouts();
    const h = createWebhookHub();
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    h.emit(POSTED, posted());
    await h.settle();
    expect(h.stats().retryPending).toBe(2);
    // The count is process-wide: a timer of another test may end meanwhile, so compare with what
    // is there just before close() rather than with the baseline plus two.
    const withRetries = timeouts();
    expect(withRetries).toBeGreaterThanOrEqual(2); // the measurement can see them
    await h.close();
    expect(h.stats()).toMatchObject({ retryPending: 0, queued: 0, inFlight: 0 });
    expect(timeouts()).toBeLessThanOrEqual(withRetries - 2);
    expect(timeouts()).toBeLessThanOrEqual(baseline);
    expect(() => h.emit(POSTED, posted())).toThrow(/closed/);
    await expect(h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] })).rejects.toThrow(/closed/);
    await h.close(); // idempotent
  });

  it('close() aborts requests in flight without waiting for them', async () => {
    const r = await receiver({ onEvent: () => ({ status: 200, delayMs: 5000 }) });
    const h = createWebhookHub({ deliveryTimeoutMs: 10_000 });
    await h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] });
    h.emit(POSTED, posted());
    await waitFor(() => r.events.length === 1);
    const settled = h.settle();
    const started = Date.now();
    await h.close();
    await settled;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(h.deliveries().map((d) => d.outcome)).toEqual(['aborted']);
  });

  it('close() cancels a pending url validation', async () => {
    const r = await receiver({ onValidation: () => ({ status: 200, body: '{}', delayMs: 5000 }) });
    const h = createWebhookHub();
    const pending = h.addSubscription({ url: r.url, secretToken: SECRET, events: [POSTED] }).catch((e: unknown) => e);
    await waitFor(() => r.all.length === 1);
    await h.close();
    const err = await pending;
    expect(err).toBeInstanceOf(UrlValidationError);
    expect((err as UrlValidationError).reason).toBe('aborted');
    expect(h.listSubscriptions()).toEqual([]);
  });
});
