/** Who may open a socket at /ws: token, scope, subscription, injected handshake refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, WEBSOCKET_SCOPE, type Simulator } from '../src/index';
import { call, token } from './sim-helpers';
import { connect, refusal, withToken } from './ws-client';

let sim: Simulator;
let sub: { id: string; endpointUrl: string };

beforeAll(async () => {
  sim = await startSimulator({ fixtures: 'minimal', fileStorage: 'memory' });
  sub = await sim.admin.createWebSocketSubscription({
    events: ['team_chat.channel_message_posted'],
    name: 'auth tests',
  });
});
afterAll(() => sim.close());

describe('WebSocket upgrade checks', () => {
  it('hands out the endpoint on the API port: urls.ws and the subscription endpointUrl', () => {
    const apiPort = new URL(sim.urls.api).port;
    expect(sim.urls.ws).toBe(`ws://127.0.0.1:${apiPort}/ws`);
    expect(sub.endpointUrl).toBe(`${sim.urls.ws}?subscriptionId=${sub.id}`);
  });

  it('opens with a valid S2S token and a known subscription', async () => {
    const c = await connect(withToken(sub.endpointUrl, await token(sim)));
    expect(c.ws.readyState).toBe(1);
    await c.close();
  });

  it('401 code 124 without an access_token, with an unknown one, and with an expired one', async () => {
    const missing = await refusal(sub.endpointUrl);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 124, message: expect.stringMatching(/access_token is missing/) });

    const unknown = await refusal(withToken(sub.endpointUrl, 'not-a-token'));
    expect(unknown).toMatchObject({ status: 401, body: { code: 124, message: 'Invalid access token.' } });

    const t = await token(sim);
    expect(await connect(withToken(sub.endpointUrl, t)).then((c) => c.close().then(() => 'opened'))).toBe('opened');
    const { expired } = await sim.admin.expireTokens();
    expect(expired).toBeGreaterThan(0);
    const after = await refusal(withToken(sub.endpointUrl, t));
    expect(after).toMatchObject({ status: 401, body: { code: 124, message: 'Access token is expired.' } });
    // A fresh token works again: what a client does after a 401.
    const again = await connect(withToken(sub.endpointUrl, await token(sim)));
    await again.close();
  });

  it('never echoes the token in a refusal', async () => {
    const t = await token(sim);
    await sim.admin.expireTokens();
    const r = await refusal(withToken(sub.endpointUrl, t));
    expect(r.status).toBe(401);
    expect(r.text).not.toContain(t);
    const r404 = await refusal(withToken(`${sim.urls.ws}?subscriptionId=nope`, await token(sim)));
    expect(r404.text).not.toContain('access_token=');
  });

  it('404 naming the subscription ID when it is unknown or missing', async () => {
    const t = await token(sim);
    const unknown = await refusal(withToken(`${sim.urls.ws}?subscriptionId=no-such-sub`, t));
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: 404, message: expect.stringContaining('no-such-sub') },
    });
    const missing = await refusal(withToken(sim.urls.ws, t));
    expect(missing).toMatchObject({
      status: 404,
      body: { message: expect.stringMatching(/subscriptionId is missing/) },
    });
  });

  it('checks the token before the subscription (a client refreshes on 401, gives up on 404)', async () => {
    const r = await refusal(withToken(`${sim.urls.ws}?subscriptionId=no-such-sub`, 'not-a-token'));
    expect(r.status).toBe(401);
  });

  it('404 on other upgrade paths; 426 for a plain GET of /ws', async () => {
    const t = await token(sim);
    const other = await refusal(withToken(`${sim.urls.ws.replace(/\/ws$/, '/other')}?subscriptionId=${sub.id}`, t));
    expect(other.status).toBe(404);
    const plain = await fetch(sim.urls.ws.replace(/^ws/, 'http'));
    expect(plain.status).toBe(426);
    expect(((await plain.json()) as { message: string }).message).toMatch(/WebSocket/);
  });

  it('403 for a chatbot token (no websocket scope)', async () => {
    const r = await refusal(withToken(sub.endpointUrl, await token(sim, 'chatbot')));
    expect(r).toMatchObject({ status: 403, body: { code: 4700, message: expect.stringContaining(WEBSOCKET_SCOPE) } });
  });

  it('the next N upgrades get 503 with rejectHandshakes, then connections work again', async () => {
    const t = await token(sim);
    expect(await sim.admin.setWebSocketFaults({ rejectHandshakes: 2 })).toEqual({ rejectHandshakes: 2 });
    expect((await refusal(withToken(sub.endpointUrl, t))).status).toBe(503);
    expect(await sim.admin.webSocketFaults()).toEqual({ rejectHandshakes: 1 });
    const second = await refusal(withToken(sub.endpointUrl, t));
    expect(second).toMatchObject({
      status: 503,
      body: { code: 503, message: expect.stringMatching(/Injected fault/) },
    });
    const c = await connect(withToken(sub.endpointUrl, t));
    await c.close();
  });

  it('reset() clears pending WebSocket faults', async () => {
    await sim.admin.setWebSocketFaults({ rejectHandshakes: 5 });
    await sim.admin.reset({ fixtures: 'minimal' });
    expect(await sim.admin.webSocketFaults()).toEqual({ rejectHandshakes: 0 });
    const c = await connect(withToken(sub.endpointUrl, await token(sim)));
    expect((await sim.admin.webSocketSubscriptions()).find((x) => x.id === sub.id)?.sockets).toEqual([
      expect.objectContaining({ state: 'open', clientId: sim.credentials.clientId, heartbeats: 0 }),
    ]);
    await c.close();
  });

  it('refuses bad fault input naming the field', async () => {
    await expect(sim.admin.setWebSocketFaults({ rejectHandshakes: -1 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('rejectHandshakes'),
    });
    await expect(sim.admin.request('PUT', '/websockets/faults', { dropEverything: true })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('dropEverything'),
    });
  });

  it('refuses bad subscription input naming the field', async () => {
    await expect(sim.admin.createWebSocketSubscription({ events: [] })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('events'),
    });
    await expect(
      sim.admin.createWebSocketSubscription({ events: ['team_chat.channel_mesage_posted'] }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/events\[0\].*did you mean 'team_chat.channel_message_posted'/),
    });
  });
});

describe('WebSocket scope', () => {
  it('403 when the S2S app was granted scopes without marketplace:write:websocket_connection', async () => {
    const narrow = await startSimulator({
      fixtures: 'minimal',
      fileStorage: 'memory',
      scopes: { s2s: ['team_chat:read:list_user_channels:admin'] },
    });
    try {
      const s = await narrow.admin.createWebSocketSubscription({ events: ['team_chat.channel_message_posted'] });
      const r = await refusal(withToken(s.endpointUrl, await token(narrow)));
      expect(r).toMatchObject({ status: 403, body: { message: expect.stringContaining(WEBSOCKET_SCOPE) } });
    } finally {
      await narrow.close();
    }
  });
});

describe('Marketplace WebSocket subscriptions', () => {
  it('creates with event_subscription_method websocket, lists, connects, deletes (closing the socket)', async () => {
    const t = await token(sim);
    const created = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
      token: t,
      body: {
        events: ['team_chat.dm_message_posted'],
        event_subscription_name: 'ws app',
        event_subscription_method: 'websocket',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.event_subscription_id as string;
    expect(created.body.endpoint_url).toBe(`${sim.urls.ws}?subscriptionId=${id}`);

    const listed = await call(sim.urls.api, 'GET', '/marketplace/app/event_subscription', { token: t });
    expect(listed.body.event_subscriptions).toContainEqual(
      expect.objectContaining({
        event_subscription_id: id,
        event_subscription_method: 'websocket',
        events: ['team_chat.dm_message_posted'],
        event_subscription_name: 'ws app',
        endpoint_url: created.body.endpoint_url,
      }),
    );

    const c = await connect(withToken(created.body.endpoint_url, t));
    // The subscription belongs to the S2S app: another app's token is told it does not exist.
    const userApp = await fetch(`${sim.urls.oauth}/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.credentials.userOAuth.clientId}:${sim.credentials.userOAuth.clientSecret}`).toString('base64')}`,
      },
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    expect((await refusal(withToken(created.body.endpoint_url, userApp.access_token))).status).toBe(404);

    expect((await call(sim.urls.api, 'DELETE', `/marketplace/app/event_subscription/${id}`, { token: t })).status).toBe(
      204,
    );
    expect(await c.closed).toEqual({ code: 4004, reason: 'event subscription deleted' });
    expect((await refusal(withToken(created.body.endpoint_url, t))).status).toBe(404);
  });

  it('names the field when webhook and websocket inputs are mixed up', async () => {
    const t = await token(sim);
    const noUrl = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
      token: t,
      body: { events: ['team_chat.dm_message_posted'] },
    });
    expect(noUrl).toMatchObject({ status: 400, body: { message: expect.stringContaining('event_webhook_url') } });
    const both = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
      token: t,
      body: {
        events: ['team_chat.dm_message_posted'],
        event_subscription_method: 'websocket',
        event_webhook_url: 'https://example.com/hook',
      },
    });
    expect(both).toMatchObject({ status: 400, body: { message: expect.stringContaining('event_webhook_url') } });
    const method = await call(sim.urls.api, 'POST', '/marketplace/app/event_subscription', {
      token: t,
      body: { events: ['team_chat.dm_message_posted'], event_subscription_method: 'carrier-pigeon' },
    });
    expect(method.status).toBe(400);
  });
});
