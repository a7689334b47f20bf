// The core's file download (files.download, messageFiles) against the simulator's file host, over
// each transport the core ships: bytes, names and MIME types kept, the size cap, bounded memory.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as undici from 'undici';
import {
  createFetchTransport,
  createNodeHttpTransport,
  createUndiciTransport,
  createZoomClient,
  messageFiles,
  ZoomValidationError,
  type Transport,
  type ZoomClient,
} from '@zoom-team-chat/core';
import { startSimulator, type Simulator } from '../src/index';

const transports: Array<[name: string, make: () => Transport]> = [
  ['fetch', () => createFetchTransport()],
  ['node:http', () => createNodeHttpTransport()],
  ['undici', () => createUndiciTransport(undici)],
];

interface LogEntry {
  server: string;
  method: string;
  path: string;
  status: number;
}

let sim: Simulator;
const log: LogEntry[] = [];
beforeAll(async () => {
  sim = await startSimulator({ plan: 'off', onRequest: (e: LogEntry) => log.push(e) });
}, 60_000);
afterAll(async () => {
  await sim?.close();
});

function clientFor(transport: Transport): { client: ZoomClient; files: ZoomClient['files'] } {
  const client = createZoomClient({
    auth: {
      kind: 'account',
      accountId: sim.credentials.accountId,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport,
    fileTimeoutMs: 120_000,
  });
  return { client, files: client.files };
}

/** V8's collector, exposed to this test process when vitest did not start it with --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const downloads = () => log.filter((e) => e.method === 'GET' && e.path.startsWith('/file/download/'));
const general = () => [...sim.state.channels.values()].find((c) => c.name === 'general')!;

describe.each(transports)('downloading chat files from the simulator over %s', (_name, make) => {
  it('by file ID: the bytes uploaded, with their name and MIME type', async () => {
    const { files: f } = clientFor(make());
    const data = randomBytes(300_000);
    const { id } = await f.upload({ fileName: 'photo of the team.png', contentType: 'image/png', data });
    const file = await f.download(id, { maxBytes: 1_000_000 });
    expect(file).toMatchObject({ fileName: 'photo of the team.png', mimeType: 'image/png', size: data.length });
    const bytes = await file.toBuffer();
    expect(Buffer.from(bytes).equals(data)).toBe(true);
  });

  it("by message: each of the message's files, from getChatMessage", async () => {
    const { client, files: f } = clientFor(make());
    const a = randomBytes(50_000);
    const b = Buffer.from('name,score\nada,10\n');
    const first = await f.upload({ fileName: 'a.bin', data: a });
    const second = await f.upload({ fileName: 'scores.csv', contentType: 'text/csv', data: b });
    const sent = await client.messages.send({
      to_channel: general().id,
      message: 'two files',
      file_ids: [first.id, second.id],
    });
    const listed = await f.ofMessage(sent.id as string, { to_channel: general().id });
    expect(listed.map((x) => [x.fileName, x.size])).toEqual([
      ['a.bin', a.length],
      ['scores.csv', b.length],
    ]);
    // The same list from a message fetched some other way.
    expect(messageFiles(await client.messages.get(sent.id as string, { to_channel: general().id }))).toEqual(listed);
    const got = [];
    for (const item of listed) {
      const file = await f.download(item, { maxBytes: 1_000_000 });
      const chunks: Uint8Array[] = [];
      for await (const chunk of file.stream) chunks.push(chunk);
      got.push({ name: file.fileName, type: file.mimeType, bytes: Buffer.concat(chunks) });
    }
    expect(got[0]?.name).toBe('a.bin');
    expect(got[0]?.bytes.equals(a)).toBe(true);
    expect(got[1]).toMatchObject({ name: 'scores.csv', type: 'text/csv' });
    expect(got[1]?.bytes.equals(b)).toBe(true);
  });

  it("by download_url through the file host's redirect, keeping the token across it", async () => {
    const { client, files: f } = clientFor(make());
    const data = randomBytes(10_000);
    const { id } = await f.upload({ fileName: 'r.bin', data });
    const info = await client.call('getFileInfo', { path: { fileId: id } });
    // The public file host answers 307 to the address that serves the file and checks the token.
    const url = new URL(info.download_url);
    const viaFront = `${new URL(sim.urls.file).origin}${url.pathname}${url.search}`;
    const before = log.length;
    const file = await f.download(viaFront, { maxBytes: 10_000 });
    expect(file.fileName).toBe('r.bin');
    expect(Buffer.from(await file.toBuffer()).equals(data)).toBe(true);
    // The simulator logs a request when its response has closed, which may come after the last byte arrived here.
    const hops = () => log.slice(before).filter((e) => e.path.startsWith('/file/download/'));
    await vi.waitFor(() => expect(hops()).toHaveLength(2));
    expect(hops().map((e) => [e.server, e.status])).toEqual([
      ['file', 307],
      ['fileTarget', 200],
    ]);
  });

  it('refuses a file Zoom lists as larger than maxBytes before downloading it, naming the cap', async () => {
    const { files: f } = clientFor(make());
    const { id } = await f.upload({ fileName: 'big.bin', data: randomBytes(2_000) });
    const before = downloads().length;
    const err = await f.download(id, { maxBytes: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as ZoomValidationError).kind).toBe('validation');
    expect((err as ZoomValidationError).field).toBe('maxBytes');
    expect((err as Error).message).toMatch(
      /download cap is 1000 bytes, and Zoom lists the file at 2000 bytes; nothing was downloaded/,
    );
    expect(downloads().length).toBe(before);
  });

  it('stops at the Content-Length when the URL alone is given and the file is over the cap', async () => {
    const { client, files: f } = clientFor(make());
    const { id } = await f.upload({ fileName: 'big.bin', data: randomBytes(2_000) });
    const info = await client.call('getFileInfo', { path: { fileId: id } });
    const err = await f.download(info.download_url, { maxBytes: 1_999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as Error).message).toMatch(
      /cap is 1999 bytes, and the file host announces 2000 bytes; the download was stopped before its body/,
    );
  });

  it('refuses a cap that is not a whole number of bytes before any request', async () => {
    const { files: f } = clientFor(make());
    const before = log.length;
    for (const maxBytes of [0, -1, 1.5, Number.NaN, Infinity, undefined]) {
      const err = await f.download('any-id', { maxBytes: maxBytes as number }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZoomValidationError);
      expect((err as ZoomValidationError).field).toBe('maxBytes');
    }
    expect(log.length).toBe(before);
  });

  it('streams a 50 MB file with bounded memory, byte for byte', async () => {
    const { files: f } = clientFor(make());
    const size = 50 * 1024 * 1024;
    const block = randomBytes(64 * 1024);
    const upload = createHash('sha256');
    const { id } = await f.upload({
      fileName: 'big.bin',
      data: {
        length: size,
        stream: async function* () {
          for (let sent = 0; sent < size; sent += block.length) yield block;
        },
      },
    });
    for (let sent = 0; sent < size; sent += block.length) upload.update(block);

    // Live memory, not garbage: a collection before each reading leaves what is still held.
    const collect = exposeGc();
    const live = async () => {
      // Twice, a turn apart: freed buffers are released by a sweeper that runs after a collection.
      collect();
      await new Promise((resolve) => setImmediate(resolve));
      collect();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = await live();
    let peak = 0;
    let largest = 0;
    let received = 0;
    let nextReading = 0;
    const hash = createHash('sha256');
    const file = await f.download(id, { maxBytes: size });
    expect(file.size).toBe(size);
    for await (const chunk of file.stream) {
      hash.update(chunk);
      received += chunk.byteLength;
      largest = Math.max(largest, chunk.byteLength);
      if (received >= nextReading) {
        peak = Math.max(peak, (await live()) - baseline);
        nextReading += 10 * 1024 * 1024;
      }
    }
    expect(received).toBe(size);
    expect(hash.digest('hex')).toBe(upload.digest('hex'));
    // Chunks as the socket delivers them, never the file gathered in one.
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
    // Holding the file (or what has arrived of it) would keep up to 50 MB alive.
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});

describe('messageFiles', () => {
  it('lists every file of `files`, else the top-level one, else none', () => {
    const files = [
      {
        file_id: 'f1',
        file_name: 'a.png',
        file_size: 3,
        download_url: 'https://zoom.us/file/download/f1?filename=a.png',
      },
      {
        file_id: 'f2',
        file_name: 'b.pdf',
        file_size: 4,
        download_url: 'https://zoom.us/file/download/f2?filename=b.pdf',
      },
    ];
    expect(messageFiles({ id: 'm', ...files[0], files })).toEqual([
      { fileId: 'f1', fileName: 'a.png', size: 3, downloadUrl: files[0]!.download_url },
      { fileId: 'f2', fileName: 'b.pdf', size: 4, downloadUrl: files[1]!.download_url },
    ]);
    expect(messageFiles({ id: 'm', ...files[1] })).toEqual([
      { fileId: 'f2', fileName: 'b.pdf', size: 4, downloadUrl: files[1]!.download_url },
    ]);
    expect(messageFiles({ id: 'm', message: 'just text' })).toEqual([]);
    expect(messageFiles({ files: [{ file_id: 'x' }] })).toEqual([]);
    expect(messageFiles(undefined)).toEqual([]);
  });
});
