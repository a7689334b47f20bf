/**
 * The trigger's "Download files": events about files, and messages with files, carry the files in
 * msg.files (bytes as Buffers, in the event's order) within Max size; a file that cannot be had is
 * an entry with an error, and the event is still sent once. Against the Zoom simulator.
 */
import { createHash } from 'node:crypto';
import { signWebhook } from '@zoom-team-chat/core';
import { startSimulator, type Simulator } from '@zoom-team-chat/simulator';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activeStreamCount } from '../src/lib/event-streams';
import { allNodes, collect, helper, mountRoot, warnings, type TestNode } from './support/red';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ fileStorage: 'memory', fixtures: 'default' });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await helper.unload();
  expect(activeStreamCount()).toBe(0);
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytesOf = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

async function where() {
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner') ?? users[0]!;
  const channel = (await sim.admin.channels()).find(
    (c) => c.members.some((m) => m.userId === owner.id) && c.members.length > 1,
  )!;
  const poster = users.find((u) => u.id !== owner.id && channel.members.some((m) => m.userId === u.id))!;
  return { channel, poster };
}

async function deploy(trigger: Record<string, unknown>, authKind = 'account') {
  const c = sim.credentials;
  const account = {
    id: 'acc1',
    type: 'zoom-team-chat-account',
    authKind,
    userId: 'me',
    botJid: '',
    apiUrl: sim.urls.api,
    fileUrl: sim.urls.file,
    oauthUrl: sim.urls.oauth,
  };
  const creds = {
    acc1: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      accountId: c.accountId,
      webhookSecretToken: c.webhookSecretToken,
    },
  };
  await helper.load(allNodes, [account], creds);
  const root = mountRoot();
  const node = { id: 'trig', type: 'zoom-team-chat-trigger', account: 'acc1', wires: [['out']], ...trigger };
  await helper.setFlows([account, node, { id: 'out', type: 'helper' }], 'full', creds);
  return { root, out: helper.getNode('out') as TestNode, trigger: helper.getNode('trig') as TestNode };
}

async function until<T>(what: string, fn: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FILE_EVENTS = ['team_chat.file_shared', 'team_chat.channel_message_posted'];

describe('zoom-team-chat-trigger → Download files', () => {
  it('over the WebSocket: the shared file as a Buffer with its name, type and size, events in Zoom’s order', async () => {
    const sub = await sim.admin.createWebSocketSubscription({ events: FILE_EVENTS });
    const { channel, poster } = await where();
    const { out } = await deploy({
      delivery: 'websocket',
      subscription: sub.endpointUrl,
      events: FILE_EVENTS.join(','),
      downloadFiles: true,
      maxSize: 1,
    });
    await until(
      'the socket',
      async () => (await sim.admin.webSocketSubscriptions()).find((s) => s.id === sub.id)?.sockets.length,
    );
    const got = collect(out);
    const bytes = bytesOf(300_000, 7);
    const { file } = await sim.admin.uploadFile({
      as: poster.email,
      channel: channel.id,
      fileName: 'plan.pdf',
      base64: bytes.toString('base64'),
      contentType: 'application/pdf',
    });
    await sim.admin.postMessage({ as: poster.email, channel: channel.id, text: 'after the file' });
    await until('three events', () => got.length >= 3);
    expect(got.map((m) => m.topic)).toEqual([
      'team_chat.channel_message_posted',
      'team_chat.file_shared',
      'team_chat.channel_message_posted',
    ]);
    for (const msg of got.slice(0, 2)) {
      expect(msg.files).toHaveLength(1);
      const [f] = msg.files;
      expect(f).toMatchObject({
        fileId: file.id,
        fileName: 'plan.pdf',
        mimeType: 'application/pdf',
        size: bytes.length,
      });
      expect(Buffer.isBuffer(f.payload)).toBe(true);
      expect(sha(f.payload)).toBe(sha(bytes));
    }
    // A message without files has no msg.files.
    expect(got[2]!.files).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(3);
  });

  it('over a webhook: a file over Max size and one Zoom no longer has get an error each; the event is sent once', async () => {
    const { channel, poster } = await where();
    const small = await sim.admin.uploadFile({
      as: poster.email,
      channel: channel.id,
      fileName: 'small.txt',
      base64: Buffer.from('small').toString('base64'),
      contentType: 'text/plain',
    });
    const big = await sim.admin.uploadFile({
      as: poster.email,
      channel: channel.id,
      fileName: 'big.bin',
      base64: bytesOf(200_000).toString('base64'),
      contentType: 'application/octet-stream',
    });
    const { root, out, trigger } = await deploy({
      path: '/zoom/files',
      events: 'team_chat.file_shared',
      downloadFiles: true,
      maxSize: 0.1,
    });
    const got = collect(out);
    const warned = warnings(trigger);
    const event = {
      event: 'team_chat.file_shared',
      event_ts: Date.now(),
      payload: {
        account_id: sim.credentials.accountId,
        operator: poster.email,
        object: {
          channel_id: channel.id,
          files: [
            { file_id: big.file.id, file_name: 'big.bin', file_size: 200_000 },
            { file_id: 'gone-file', file_name: 'gone.txt' },
            { file_id: small.file.id, file_name: 'small.txt', file_size: 5 },
          ],
        },
      },
    };
    const rawBody = Buffer.from(JSON.stringify(event));
    const res = await request(root)
      .post('/zoom/files')
      .set({
        'content-type': 'application/json',
        ...signWebhook({ secret: sim.credentials.webhookSecretToken, rawBody }),
      })
      .send(rawBody.toString());
    expect(res.status).toBe(200);
    const msg = await until('the event', () => got[0]);
    expect(msg.files).toHaveLength(3);
    expect(msg.files[0]).toEqual({
      fileId: big.file.id,
      fileName: 'big.bin',
      error: expect.stringMatching(/larger than the 0\.1 MB that Max size \(MB\) allows/),
    });
    expect(msg.files[0].payload).toBeUndefined();
    expect(msg.files[1]).toEqual({ fileId: 'gone-file', fileName: 'gone.txt', error: expect.any(String) });
    expect(msg.files[2]).toMatchObject({
      fileId: small.file.id,
      fileName: 'small.txt',
      mimeType: 'text/plain',
      size: 5,
    });
    expect(msg.files[2].payload.toString()).toBe('small');
    expect(warned.filter((w) => w.includes('not downloaded'))).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(1);
  });

  it('sends no msg.files when the option is off, or with a chatbot account (which cannot read chat files)', async () => {
    const { channel, poster } = await where();
    const up = await sim.admin.uploadFile({
      as: poster.email,
      channel: channel.id,
      fileName: 'x.txt',
      base64: Buffer.from('x').toString('base64'),
      contentType: 'text/plain',
    });
    const event = {
      event: 'team_chat.file_shared',
      event_ts: Date.now(),
      payload: {
        account_id: sim.credentials.accountId,
        operator: poster.email,
        object: { channel_id: channel.id, files: [{ file_id: up.file.id, file_name: 'x.txt', file_size: 1 }] },
      },
    };
    for (const [trigger, authKind] of [
      [{ downloadFiles: false }, 'account'],
      [{ downloadFiles: true }, 'chatbot'],
    ] as const) {
      const { root, out, trigger: node } = await deploy({ path: '/zoom/files', events: '', ...trigger }, authKind);
      const got = collect(out);
      const rawBody = Buffer.from(JSON.stringify({ ...event, event_ts: Date.now() }));
      await request(root)
        .post('/zoom/files')
        .set({
          'content-type': 'application/json',
          ...signWebhook({ secret: sim.credentials.webhookSecretToken, rawBody }),
        })
        .send(rawBody.toString())
        .expect(200);
      const msg = await until('the event', () => got[0]);
      expect(msg.files).toBeUndefined();
      // Said once, when the node starts (the helper's spy has kept the call).
      const warned = ((node as unknown as { warn: { args?: unknown[][] } }).warn.args ?? []).map((a) => String(a[0]));
      expect(warned.some((w) => w.startsWith('Download files needs an account node with Server-to-Server OAuth'))).toBe(
        authKind === 'chatbot',
      );
      await helper.unload();
    }
  });

  it('refuses a Max size that is not a number of megabytes above 0, naming it', async () => {
    const { trigger } = await deploy({ path: '/zoom/files', downloadFiles: true, maxSize: '-2' });
    // Raised in the constructor: the helper's spy has kept the call.
    const calls = (trigger as unknown as { error: { args?: unknown[][] } }).error.args ?? [];
    expect(calls.map((a) => String(a[0])).join('\n')).toMatch(
      /^Max size \(MB\) must be a number of megabytes greater than 0/m,
    );
  });
});
