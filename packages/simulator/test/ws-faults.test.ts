/** Idle close, dropped sockets, token expiry and shutdown of the WebSocket endpoint. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RequestLogEntry, type Simulator } from '../src/index';
import { token } from './sim-helpers';
import { connect, isMessage, refusal, sleep, subscribed, waitFor, withToken, type Client } from './ws-client';

const POSTED = 'team_chat.channel_message_posted';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('idle sockets', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ fixtures: 'minimal', fileStorage: 'memory', webSocket: { idleTimeoutMs: 300 } });
  });
  afterAll(() => sim.close());

  it('closes a socket that sends no heartbeat (code 4000 with a reason)', async () => {
    const { client } = await subscribed(sim, [POSTED]);
    const started = Date.now();
    const closed = await client.closed;
    expect(closed.code).toBe(4000);
    expect(closed.reason).toMatch(/idle timeout: no heartbeat for 300 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('keeps a socket that beats open past the timeout', async () => {
    const { client } = await subscribed(sim, [POSTED]);
    const beat = setInterval(() => client.ws.send(JSON.stringify({ module: 'heartbeat' })), 100);
    try {
      await sleep(800);
      expect(client.ws.readyState).toBe(1);
    } finally {
      clearInterval(beat);
    }
    expect((await client.closed).code).toBe(4000);
  });

  it('rejects a bad idleTimeoutMs naming the option', async () => {
    await expect(startSimulator({ webSocket: { idleTimeoutMs: 0 } })).rejects.toThrow(/webSocket\.idleTimeoutMs/);
  });
});

describe('dropWebSockets', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ fileStorage: 'memory', plan: 'off' });
  });
  afterAll(() => sim.close());

  it('cuts sockets without a close frame when no code is given (the client sees 1006)', async () => {
    const { client } = await subscribed(sim, [POSTED]);
    expect(await sim.admin.dropWebSockets()).toEqual({ dropped: 1 });
    expect((await client.closed).code).toBe(1006);
    expect(await sim.admin.dropWebSockets()).toEqual({ dropped: 0 });
  });

  it('sends a close frame with the given code and reason', async () => {
    const { client } = await subscribed(sim, [POSTED]);
    expect(await sim.admin.dropWebSockets({ code: 4321, reason: 'chaos' })).toEqual({ dropped: 1 });
    expect(await client.closed).toEqual({ code: 4321, reason: 'chaos' });
  });

  it('drops one subscription’s sockets only when subscriptionId is given', async () => {
    const a = await subscribed(sim, [POSTED]);
    const b = await subscribed(sim, [POSTED]);
    expect(await sim.admin.dropWebSockets({ subscriptionId: a.id, code: 1012 })).toEqual({ dropped: 1 });
    expect((await a.client.closed).code).toBe(1012);
    expect(b.client.ws.readyState).toBe(1);
    await b.client.close();
  });

  it('names the field of bad input', async () => {
    await expect(sim.admin.dropWebSockets({ code: 1005 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('code must be'),
    });
    await expect(sim.admin.dropWebSockets({ code: 4000, reason: 'x'.repeat(200) })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('reason'),
    });
    await expect(sim.admin.dropWebSockets({ reason: 'no code' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('reason needs a code'),
    });
  });

  it('five drops with reconnects: every event emitted while connected arrives exactly once, the rest are recorded as not delivered', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: [POSTED], name: 'drops' });
    const received = new Map<string, string[]>(); // socketId (by order) -> content hashes
    const clients: Client[] = [];
    const open = async () => {
      const c = await connect(withToken(sub.endpointUrl, await token(sim)));
      clients.push(c);
      return c;
    };
    let c = await open();
    let n = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++)
        await sim.admin.postMessage({ channel: 'general', text: `round ${round} #${i} (${n++})` });
      await c.next((f) => isMessage(f) && (f['content'] as string).includes(`round ${round} #2 `));
      await sim.admin.dropWebSockets(
        round % 2 === 0 ? { subscriptionId: sub.id } : { subscriptionId: sub.id, code: 4000, reason: 'drop' },
      );
      await c.closed;
      await sim.admin.postMessage({ channel: 'general', text: `missed ${round}` });
      c = await open();
    }
    await sim.admin.postMessage({ channel: 'general', text: 'last' });
    await c.next((f) => isMessage(f) && (f['content'] as string).includes('"last"'));
    await c.close();

    const ledger = await sim.admin.webSocketDeliveries(sub.id);
    expect(ledger).toHaveLength(5 * 4 + 1);
    expect(ledger.filter((d) => !d.delivered)).toHaveLength(5);
    expect(
      ledger.filter((d) => !d.delivered).every((d) => d.reason === 'no socket open' && d.socketId === undefined),
    ).toBe(true);
    // What each socket received is exactly what the ledger says was delivered to it, in order.
    const bySocket = new Map<string, string[]>();
    for (const d of ledger)
      if (d.delivered) bySocket.set(d.socketId!, [...(bySocket.get(d.socketId!) ?? []), d.contentSha256]);
    expect(bySocket.size).toBe(6);
    const sockets = [...bySocket.keys()];
    clients.forEach((client, i) =>
      received.set(
        sockets[i]!,
        client.frames.filter(isMessage).map((f) => sha256(f['content'] as string)),
      ),
    );
    expect(received).toEqual(bySocket);
    const all = [...received.values()].flat();
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('a client that stops reading', () => {
  it('is cut once more than maxBufferedBytes wait for it, and the ledger says so (memory stays bounded)', async () => {
    const sim = await startSimulator({
      fileStorage: 'memory',
      plan: 'off',
      channelMessageLimits: false,
      webSocket: { maxBufferedBytes: 256 * 1024 },
    });
    try {
      const { id, client } = await subscribed(sim, [POSTED]);
      // The client's TCP socket stops reading: kernel buffers fill, then the server's queue grows.
      (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = 'x'.repeat(512 * 1024);
      let cut = false;
      for (let i = 0; i < 60 && !cut; i++) {
        await sim.admin.postMessage({ channel: 'general', text: `${i} ${big}` });
        cut = (await sim.admin.webSocketDeliveries(id)).some((d) => d.reason?.startsWith('client not reading'));
      }
      expect(cut).toBe(true);
      const ledger = await sim.admin.webSocketDeliveries(id);
      const firstCut = ledger.findIndex((d) => !d.delivered);
      expect(ledger[firstCut]).toMatchObject({ delivered: false, socketId: expect.any(String) });
      // After the cut nothing more is queued for that socket.
      expect(ledger.slice(firstCut + 1).every((d) => !d.delivered && d.reason === 'no socket open')).toBe(true);
      expect((await sim.admin.webSocketSubscriptions()).find((s) => s.id === id)?.sockets).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});

describe('token expiry', () => {
  it('expired tokens: the next upgrade gets 401, open sockets stay open by default', async () => {
    const sim = await startSimulator({ fileStorage: 'memory' });
    try {
      const { endpointUrl, accessToken, client } = await subscribed(sim, [POSTED]);
      expect(await sim.admin.expireTokens()).toMatchObject({ closedWebSockets: 0 });
      expect((await refusal(withToken(endpointUrl, accessToken))).status).toBe(401);
      await sim.admin.postMessage({ channel: 'general', text: 'still open' });
      expect((await client.next(isMessage))['content']).toContain('still open');
      await client.close();
    } finally {
      await sim.close();
    }
  });

  it('closeOnTokenExpiry closes open sockets with 4001 when tokens are expired', async () => {
    const sim = await startSimulator({
      fixtures: 'minimal',
      fileStorage: 'memory',
      webSocket: { closeOnTokenExpiry: true },
    });
    try {
      const { client } = await subscribed(sim, [POSTED]);
      expect(await sim.admin.expireTokens()).toMatchObject({ closedWebSockets: 1 });
      expect(await client.closed).toEqual({ code: 4001, reason: 'access token expired' });
    } finally {
      await sim.close();
    }
  });

  it('closeOnTokenExpiry closes a socket when its token runs out', async () => {
    const sim = await startSimulator({
      fixtures: 'minimal',
      fileStorage: 'memory',
      tokenTtlSeconds: 1,
      webSocket: { closeOnTokenExpiry: true },
    });
    try {
      const { client } = await subscribed(sim, [POSTED]);
      const beat = setInterval(() => client.ws.send(JSON.stringify({ module: 'heartbeat' })), 200);
      try {
        expect((await client.closed).code).toBe(4001);
      } finally {
        clearInterval(beat);
      }
    } finally {
      await sim.close();
    }
  });
});

describe('close() of the simulator', () => {
  const handles = () => {
    const counts: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
    return {
      timers: counts['Timeout'] ?? 0,
      sockets: counts['TCPSocketWrap'] ?? 0,
      servers: counts['TCPServerWrap'] ?? 0,
    };
  };

  it('closes every socket with 1001, refuses nothing later, and leaves no handles behind', async () => {
    await sleep(50);
    const before = handles();
    const log: RequestLogEntry[] = [];
    const sim = await startSimulator({
      fixtures: 'minimal',
      fileStorage: 'memory',
      webSocket: { idleTimeoutMs: 60_000 },
      onRequest: (e) => log.push(e),
    });
    const a = await subscribed(sim, [POSTED]);
    const b = await connect(withToken(a.endpointUrl, a.accessToken));
    const other = await subscribed(sim, ['team_chat.dm_message_posted']);
    await refusal(withToken(a.endpointUrl, 'wrong'));
    await sim.close();
    for (const c of [a.client, b, other.client])
      expect(await c.closed).toEqual({ code: 1001, reason: 'simulator closing' });
    // At most what was there before (a timer of the test runner may end meanwhile); sockets are
    // released a little after their close event, so wait for that rather than a fixed time.
    const settled = () => {
      const now = handles();
      return now.sockets <= before.sockets && now.servers <= before.servers && now.timers <= before.timers;
    };
    await waitFor(`handles back to ${JSON.stringify(before)}`, settled).catch(() => undefined);
    const after = handles();
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.servers).toBeLessThanOrEqual(before.servers);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    // Upgrades are logged by path only: the query holds the token.
    const upgrades = log.filter((e) => e.server === 'ws');
    expect(upgrades.map((e) => e.status)).toEqual([101, 101, 101, 401]);
    expect(upgrades.every((e) => e.path === '/ws')).toBe(true);
    expect(JSON.stringify(log)).not.toContain(a.accessToken);
  });
});
