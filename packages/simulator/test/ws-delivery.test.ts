/** Events over the WebSocket: the same bytes as the webhook path, only while connected, to every socket. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index';
import { call, token } from './sim-helpers';
import { startReceiver } from './webhooks-receiver';
import { connect, eventOf, isMessage, sleep, subscribed, waitFor, withToken } from './ws-client';

const POSTED = 'team_chat.channel_message_posted';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ fileStorage: 'memory', plan: 'off' });
});
afterAll(() => sim.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('WebSocket delivery', () => {
  it('answers a heartbeat with {"module":"heartbeat","success":true}', async () => {
    const { client } = await subscribed(sim, [POSTED]);
    client.ws.send(JSON.stringify({ module: 'heartbeat' }));
    expect(await client.next((f) => f['module'] === 'heartbeat')).toEqual({ module: 'heartbeat', success: true });
    // Garbage is ignored, not answered and not fatal.
    client.ws.send('not json');
    client.ws.send(JSON.stringify({ module: 'something-else' }));
    client.ws.send(JSON.stringify({ module: 'heartbeat' }));
    // Frames come back in order: an answer to the garbage would arrive before the second heartbeat's.
    await waitFor(
      'the second heartbeat answer',
      () => client.frames.filter((f) => f['module'] === 'heartbeat').length >= 2,
    );
    expect(client.frames.filter((f) => f['module'] === 'heartbeat')).toHaveLength(2);
    expect(client.ws.readyState).toBe(1);
    const [info] = (await sim.admin.webSocketSubscriptions()).filter((s) => s.sockets.some((k) => k.heartbeats === 2));
    expect(info?.sockets[0]).toMatchObject({ heartbeats: 2, clientId: sim.credentials.clientId });
    await client.close();
  });

  it("sends what a webhook endpoint gets, byte for byte, as {module:'message', content}", async () => {
    const hook = await startReceiver({ secret: sim.credentials.webhookSecretToken });
    const hookSub = await sim.admin.subscribe({ url: hook.url, events: [POSTED] });
    const { id, client } = await subscribed(sim, [POSTED]);
    try {
      const posted = await sim.admin.postMessage({
        as: 'blake.chen@example.com',
        channel: 'general',
        text: 'same bytes',
      });
      const frame = await client.next(isMessage);
      expect(Object.keys(frame)).toEqual(['module', 'content']);
      expect(typeof frame['content']).toBe('string');
      const event = eventOf(frame);
      expect(event.event).toBe(POSTED);
      expect(JSON.stringify(event.payload)).toContain(posted.id);

      await sim.admin.settleWebhooks();
      const webhook = hook.events.find((e) => e.body.event === POSTED);
      expect(webhook).toBeDefined();
      expect(frame['content']).toBe(webhook!.raw.toString('utf8'));
      expect(event).toEqual(webhook!.body);

      const ledger = await sim.admin.webSocketDeliveries(id);
      expect(ledger).toEqual([
        {
          subscriptionId: id,
          event: POSTED,
          eventTs: event.event_ts,
          contentSha256: sha256(frame['content'] as string),
          delivered: true,
          socketId: expect.stringMatching(/^ws-\d+$/),
          at: expect.any(Number),
        },
      ]);
    } finally {
      await client.close();
      await sim.admin.unsubscribe(hookSub.id);
      await hook.close();
    }
  });

  it('delivers only the subscribed events', async () => {
    const { id, client } = await subscribed(sim, [POSTED]);
    const m = await sim.admin.postMessage({ channel: 'general', text: 'posted, also chat_message.sent' });
    await sim.admin.react({ messageId: m.id, emoji: 'U+1F44D' });
    await sim.admin.postMessage({ channel: 'general', text: 'marker' });
    await client.next((f) => isMessage(f) && (f['content'] as string).includes('marker'));
    expect(client.frames.filter(isMessage).map((f) => eventOf(f).event)).toEqual([POSTED, POSTED]);
    expect((await sim.admin.webSocketDeliveries(id)).map((d) => d.event)).toEqual([POSTED, POSTED]);
    // The same action did produce other events (for webhook subscribers of them).
    expect((await sim.admin.events()).some((e) => e.event === 'chat_message.sent')).toBe(true);
    await client.close();
  });

  it('delivers events caused by REST calls of an app, too (a DM sent through the API)', async () => {
    const { client } = await subscribed(sim, ['team_chat.dm_message_posted']);
    const t = await token(sim);
    const sent = await call(sim.urls.api, 'POST', '/chat/users/me/messages', {
      token: t,
      body: { message: 'dm via API', to_contact: 'blake.chen@example.com' },
    });
    expect(sent.status).toBe(201);
    const e = eventOf(await client.next(isMessage));
    expect(e.event).toBe('team_chat.dm_message_posted');
    expect(JSON.stringify(e.payload)).toContain(sent.body.id);
    await client.close();
  });

  it('drops events while no socket is open (recorded as not delivered) and does not replay them', async () => {
    const { id, endpointUrl, accessToken, client } = await subscribed(sim, [POSTED]);
    await sim.admin.postMessage({ channel: 'general', text: 'while connected' });
    await client.next(isMessage);
    await client.close();

    await sim.admin.postMessage({ channel: 'general', text: 'while disconnected' });
    const ledger = await sim.admin.webSocketDeliveries(id);
    expect(ledger.map((d) => [d.delivered, d.reason])).toEqual([
      [true, undefined],
      [false, 'no socket open'],
    ]);

    const again = await connect(withToken(endpointUrl, accessToken));
    await sim.admin.postMessage({ channel: 'general', text: 'after reconnect' });
    const frame = await again.next(isMessage);
    expect(frame['content']).toContain('after reconnect');
    await sleep(100);
    expect(again.frames.filter(isMessage)).toHaveLength(1);
    expect((await sim.admin.webSocketDeliveries(id)).map((d) => d.delivered)).toEqual([true, false, true]);
    await again.close();
  });

  it('sends every event to every open socket of the subscription, once each', async () => {
    const { id, endpointUrl, accessToken, client } = await subscribed(sim, [POSTED]);
    const others = await Promise.all([
      connect(withToken(endpointUrl, accessToken)),
      connect(withToken(endpointUrl, accessToken)),
    ]);
    const all = [client, ...others];
    const texts = Array.from({ length: 10 }, (_, i) => `fan-out ${i}`);
    for (const text of texts) await sim.admin.postMessage({ channel: 'general', text });
    for (const c of all) {
      await c.next((f) => isMessage(f) && (f['content'] as string).includes('fan-out 9'));
      const got = c.frames.filter(isMessage).map((f) => texts.find((t) => (f['content'] as string).includes(`"${t}"`)));
      expect(got).toEqual(texts);
    }
    const ledger = await sim.admin.webSocketDeliveries(id);
    expect(ledger).toHaveLength(30);
    expect(ledger.every((d) => d.delivered)).toBe(true);
    expect(new Set(ledger.map((d) => d.socketId)).size).toBe(3);
    // One content per event, identical for every socket.
    expect(new Set(ledger.map((d) => d.contentSha256)).size).toBe(10);
    await Promise.all(all.map((c) => c.close()));
  });

  it('keeps subscriptions apart: a socket only gets its own subscription’s events', async () => {
    const a = await subscribed(sim, [POSTED]);
    const b = await subscribed(sim, ['team_chat.channel_message_updated']);
    const m = await sim.admin.postMessage({ channel: 'general', text: 'to be edited' });
    await sim.admin.editMessage({ messageId: m.id, text: 'edited' });
    expect(eventOf(await b.client.next(isMessage)).event).toBe('team_chat.channel_message_updated');
    expect(eventOf(await a.client.next(isMessage)).event).toBe(POSTED);
    await sleep(50);
    expect(a.client.frames.filter(isMessage)).toHaveLength(1);
    expect(b.client.frames.filter(isMessage)).toHaveLength(1);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('survives reset(): subscriptions stay, events keep flowing from the new state', async () => {
    const { id, client } = await subscribed(sim, [POSTED]);
    await sim.admin.reset();
    await sim.admin.postMessage({ channel: 'general', text: 'after reset' });
    expect((await client.next(isMessage))['content']).toContain('after reset');
    expect((await sim.admin.webSocketSubscriptions()).some((s) => s.id === id)).toBe(true);
    await client.close();
  });
});
