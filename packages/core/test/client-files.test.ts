import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createZoomClient, ZoomApiError, ZoomValidationError } from '../src/index';
import { transports } from './helpers/transports';
import { json, startServer, tokenHandler } from './helpers/server';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/**
 * Zoom's file host: the first address answers 307 to a second one (another hostname here: `localhost`
 * instead of `127.0.0.1`), which takes the upload only with the same Authorization header.
 */
async function fileHost(opts: { status?: number } = {}) {
  const received = { bytes: 0, sha: '', authorization: '' as string | undefined, contentType: '', fields: '' };
  const target = await startServer(
    async (req, res) => {
      received.authorization = req.headers.authorization;
      if (req.headers.authorization !== 'Bearer tok-1') {
        req.resume();
        return json(res, 401, { code: 124, message: 'Invalid access token.' });
      }
      received.contentType = String(req.headers['content-type']);
      const hash = createHash('sha256');
      let head = '';
      for await (const chunk of req) {
        received.bytes += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
        if (head.length < 2000) head += (chunk as Buffer).subarray(0, 2000).toString('latin1');
      }
      received.sha = hash.digest('hex');
      received.fields = head;
      json(res, 201, { id: 'file-1' });
    },
    { readBody: false },
  );
  const mint = tokenHandler({ mints: 0 });
  const front = await startServer(
    (req, res) => {
      if (req.url?.startsWith('/oauth/token')) return mint(res);
      // Answer before reading the body, as a redirecting front end does.
      res.writeHead(opts.status ?? 307, { location: `http://localhost:${target.port}${req.url}`, connection: 'close' });
      res.end();
    },
    { readBody: false },
  );
  closers.push(target.close, front.close);
  const client = (extra: Record<string, unknown> = {}) =>
    createZoomClient({
      auth: { kind: 'account', accountId: 'acc', clientId: 'cid', clientSecret: 'sec' },
      baseUrls: { api: `${front.url}/v2`, file: `${front.url}/v2`, oauth: front.url },
      rateLimits: { FILE: 'off', MEDIUM: 'off' },
      ...extra,
    });
  return { received, client, target, front };
}

describe.each(transports)('file upload through the file host redirect over %s', (_name, make) => {
  for (const status of [302, 307, 308]) {
    it(`re-sends the POST with Authorization after a ${status} to another hostname`, async () => {
      const { received, client } = await fileHost({ status });
      const data = Buffer.from('hello zoom file');
      const out = await client({ transport: make(), trustedRedirectHosts: ['localhost'] }).files.upload({
        fileName: 'a.txt',
        contentType: 'text/plain',
        data,
      });
      expect(out).toEqual({ id: 'file-1' });
      expect(received.authorization).toBe('Bearer tok-1');
      expect(received.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(received.fields).toContain('name="file"; filename="a.txt"');
      expect(received.fields).toContain('hello zoom file');
    });
  }

  it('refuses to hand the token to a host it does not trust', async () => {
    const { received, client } = await fileHost();
    const err = await client({ transport: make() })
      .files.upload({ fileName: 'a.txt', data: Buffer.from('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err.message).toMatch(/localhost is not a Zoom host/);
    expect(received.authorization).toBe('');
  });

  it('sends a file into a channel as a thread reply', async () => {
    const { received, client } = await fileHost();
    await client({ transport: make(), trustedRedirectHosts: ['localhost'] }).files.send(
      { fileName: 'pic.png', contentType: 'image/png', data: Buffer.alloc(1000, 1) },
      { to_channel: 'chan-1', reply_main_message_id: 'main-1' },
    );
    expect(received.fields).toContain('name="files"; filename="pic.png"');
    expect(received.fields).toContain('name="to_channel"');
    expect(received.fields).toContain('chan-1');
    expect(received.fields).toContain('main-1');
  });

  it('refuses files over Zoom limits before sending', async () => {
    const { client, front } = await fileHost();
    const before = front.requests.length;
    const err = await client({ transport: make() })
      .files.send(
        { fileName: 'big.png', data: { stream: async function* () {}, length: 17 * 1024 * 1024 } },
        { to_channel: 'c' },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect(err.field).toBe('body.files[0]');
    expect(err.message).toMatch(/16 MB/);
    expect(front.requests.length).toBe(before);
  });

  it('streams a 200 MB upload with bounded memory, re-sent after the redirect', async () => {
    const { received, client } = await fileHost();
    const size = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 7);
    let streams = 0;
    const stream = async function* () {
      streams++;
      for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
    };
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      await client({ transport: make(), trustedRedirectHosts: ['localhost'] }).files.upload({
        fileName: 'big.bin',
        data: { stream, length: size },
      });
    } finally {
      clearInterval(sampler);
    }
    expect(received.bytes).toBeGreaterThan(size);
    expect(received.bytes).toBeLessThan(size + 1024);
    expect(streams).toBeGreaterThanOrEqual(1);
    // Buffering the file would cost 200 MB or more; streaming stays far below that.
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});
