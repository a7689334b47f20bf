import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createZoomClient,
  silentLogger,
  systemClock,
  ZoomApiError,
  ZoomConfigError,
  ZoomValidationError,
  type Transport,
} from '../src/index';
import { createFileFetcher, type DownloadDeps } from '../src/http/download';
import { redirectPolicy } from '../src/http/redirects';
import { files } from '../src/resources/files';
import { transports } from './helpers/transports';
import { json, startServer, tokenHandler } from './helpers/server';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A stand-in for Zoom: token endpoint and file host on one server, addressed as `localhost` (the
 * configured, trusted host). `foreign` is another server, addressed as `127.0.0.1`: a host the
 * client does not trust with its token.
 */
async function zoom(route: Route, foreignRoute: Route = (_req, res) => json(res, 404, {})) {
  const mint = { mints: 0 };
  const front = await startServer((req, res) =>
    req.url?.startsWith('/oauth/token') ? tokenHandler(mint)(res) : route(req, res),
  );
  const foreign = await startServer(foreignRoute);
  cleanups.push(front.close, foreign.close);
  const base = `http://localhost:${front.port}`;
  const files = (transport: Transport, opts: { auth?: 'none'; deps?: Partial<DownloadDeps> } = {}) => {
    const client = createZoomClient({
      auth:
        opts.auth === 'none'
          ? { kind: 'none' }
          : { kind: 'account', accountId: 'acc', clientId: 'cid', clientSecret: 'sec' },
      baseUrls: { api: `${base}/v2`, file: `${base}/v2`, oauth: base },
      transport,
    });
    const fetchFile = createFileFetcher({
      transport,
      clock: systemClock,
      logger: silentLogger,
      tokens: client.tokens,
      redirects: redirectPolicy([`${base}/v2`, base]),
      fileTimeoutMs: 30_000,
      maxRetries: 2,
      maxRateLimitWaitMs: 10_000,
      random: () => 0,
      ...opts.deps,
    });
    return fileResource(client, fetchFile);
  };
  const fileRequests = () => front.requests.filter((r) => !r.url.startsWith('/oauth/token'));
  return { base, front, foreign, files, fileRequests, mint };
}

function fileResource(client: ReturnType<typeof createZoomClient>, fetchFile: ReturnType<typeof createFileFetcher>) {
  return files({ call: client.call, paginate: client.paginate, collect: client.collect, fetchFile });
}

/** Writes `size` bytes in 64 KB chunks, waiting for the socket to drain; counts what it wrote. */
function streamingRoute(
  size: number,
  state: { written: number; closed: boolean },
  headers: Record<string, string> = { 'content-length': String(size) },
): Route {
  return async (_req, res) => {
    res.on('close', () => {
      state.closed = true;
    });
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...headers });
    const chunk = Buffer.alloc(64 * 1024, 7);
    while (state.written < size && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, size - state.written));
      state.written += piece.length;
      if (!res.write(piece)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (!res.destroyed) res.end();
  };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe.each(transports)('downloading a file over %s', (_name, make) => {
  it('follows a redirect to a foreign host without the token, and never gives it back on a later hop', async () => {
    const content = Buffer.from('signed storage bytes');
    const z = await zoom(
      (req, res) => {
        if (req.url?.startsWith('/file/download/')) {
          res.writeHead(302, { location: `${z.foreign.url}/bucket/f1?sig=abc` });
          return void res.end();
        }
        // /back: the foreign host sent the client back to a Zoom host.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(content.length) });
        res.end(content);
      },
      (req, res) => {
        if (req.url?.startsWith('/bucket/f1')) {
          res.writeHead(307, { location: `${z.base}/back` });
          return void res.end();
        }
        json(res, 404, {});
      },
    );
    const file = await z.files(make()).download(`${z.base}/file/download/f1?filename=notes.txt`, { maxBytes: 1000 });
    expect(file).toMatchObject({ fileName: 'notes.txt', mimeType: 'text/plain', size: content.length });
    expect((await readAll(file.stream)).equals(content)).toBe(true);

    const [first, back] = z.fileRequests();
    expect(first?.headers.authorization).toBe('Bearer tok-1');
    expect(z.foreign.requests).toHaveLength(1);
    expect(z.foreign.requests[0]?.headers.authorization).toBeUndefined();
    expect(back?.url).toBe('/back');
    expect(back?.headers.authorization).toBeUndefined();
  });

  it('refuses a foreign redirect when the transport adds the token itself (auth none)', async () => {
    const z = await zoom((_req, res) => {
      res.writeHead(302, { location: `${z.foreign.url}/bucket/f1` });
      res.end();
    });
    const err = await z
      .files(make(), { auth: 'none' })
      .download(`${z.base}/file/download/f1`, { maxBytes: 1000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect((err as Error).message).toMatch(/Redirect not followed: 127\.0\.0\.1 is not a Zoom host/);
    expect(z.foreign.requests).toHaveLength(0);
  });

  it('refuses a download URL on a host it does not trust, sending nothing', async () => {
    const z = await zoom((_req, res) => json(res, 200, {}));
    const err = await z
      .files(make())
      .download(`${z.foreign.url}/file/download/f1`, { maxBytes: 1000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as ZoomValidationError).field).toBe('url');
    expect((err as Error).message).toMatch(/127\.0\.0\.1, which is not a Zoom host/);
    expect(z.foreign.requests).toHaveLength(0);
    expect(z.mint.mints).toBe(0);
  });

  it('stops a body without a length once more than maxBytes arrived, and closes the connection', async () => {
    const state = { written: 0, closed: false };
    const size = 8 * 1024 * 1024;
    const z = await zoom(streamingRoute(size, state, {}));
    const file = await z.files(make()).download(`${z.base}/file/download/f1?filename=x.bin`, { maxBytes: 1024 * 1024 });
    expect(file.size).toBeUndefined();
    let delivered = 0;
    const err = await (async () => {
      for await (const chunk of file.stream) delivered += chunk.byteLength;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as ZoomValidationError).field).toBe('maxBytes');
    expect((err as Error).message).toMatch(
      /download cap is 1048576 bytes \(1 MB\), and more than that arrived from the file host; the download was stopped/,
    );
    expect(delivered).toBeLessThanOrEqual(1024 * 1024);
    await expect.poll(() => state.closed).toBe(true);
    expect(state.written).toBeLessThan(size);
  });

  it('toBuffer keeps the same cap', async () => {
    const state = { written: 0, closed: false };
    const z = await zoom(streamingRoute(300_000, state, {}));
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 200_000 });
    await expect(file.toBuffer()).rejects.toThrow(/download cap is 200000 bytes/);
  });

  it('reads only as fast as the consumer: a stalled reader holds the server back (50 MB)', async () => {
    const state = { written: 0, closed: false };
    const size = 50 * 1024 * 1024;
    const z = await zoom(streamingRoute(size, state));
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: size });
    const reader = file.stream[Symbol.asyncIterator]();
    const first = await reader.next();
    let received = first.done ? 0 : first.value.byteLength;
    await sleep(300);
    const writtenWhileStalled = state.written;
    // Socket buffers and the transport's own allowance: a few MB, never the file.
    expect(writtenWhileStalled).toBeLessThan(20 * 1024 * 1024);
    for (let next = await reader.next(); !next.done; next = await reader.next()) received += next.value.byteLength;
    expect(received).toBe(size);
  }, 60_000);

  it('retries a failure before the body started: a dropped connection, then a 503', async () => {
    let n = 0;
    const z = await zoom((req, res) => {
      n++;
      if (n === 1) return void req.socket.destroy();
      if (n === 2) return json(res, 503, { code: 503, message: 'busy' });
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 10 });
    expect(Buffer.from(await file.toBuffer()).toString()).toBe('ok');
    expect(z.fileRequests()).toHaveLength(3);
  });

  it('does not retry once the body started: the stream fails with a network error', async () => {
    const z = await zoom((req, res) => {
      res.writeHead(200, { 'content-length': String(1024 * 1024) });
      res.write(Buffer.alloc(100_000, 1), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 2 * 1024 * 1024 });
    const err = await readAll(file.stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect((err as ZoomApiError).kind).toBe('network');
    expect((err as Error).message).toMatch(/not retried/);
    expect(z.fileRequests()).toHaveLength(1);
  });

  it("waits out the file host's 429 (Retry-After) and reports it", async () => {
    let n = 0;
    const z = await zoom((_req, res) => {
      if (++n === 1) return json(res, 429, { code: 429, message: 'Too many requests.' }, { 'retry-after': '0.2' });
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
    const waits: number[] = [];
    const f = z.files(make(), { deps: { onRateLimited: (info) => waits.push(info.waitMs) } });
    const file = await f.download(`${z.base}/file/download/f1`, { maxBytes: 10 });
    expect(Buffer.from(await file.toBuffer()).toString()).toBe('ok');
    expect(waits).toEqual([200]);
  });

  it("keeps a foreign host's error page out of the error (it may echo the signature)", async () => {
    const z = await zoom(
      (_req, res) => {
        res.writeHead(302, { location: `${z.foreign.url}/bucket/f1?X-Signature=s3cr3t` });
        res.end();
      },
      (_req, res) => {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<Error><SignatureProvided>s3cr3t</SignatureProvided></Error>');
      },
    );
    const err = await z
      .files(make())
      .download(`${z.base}/file/download/f1`, { maxBytes: 10 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'api', status: 403 });
    expect(JSON.stringify(err) + String((err as Error).message)).not.toMatch(/s3cr3t/);
  });

  it('mints a new token once after a 401 with code 124', async () => {
    const z = await zoom((req, res) => {
      if (req.headers.authorization !== 'Bearer tok-2')
        return json(res, 401, { code: 124, message: 'Invalid access token.' });
      res.writeHead(200, { 'content-length': '3' });
      res.end('abc');
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 10 });
    expect(Buffer.from(await file.toBuffer()).toString()).toBe('abc');
    expect(z.mint.mints).toBe(2);
  });

  it("reports Zoom's error without the download URL (its query is a credential)", async () => {
    const z = await zoom((_req, res) => json(res, 404, { code: 1001, message: 'File does not exist.' }));
    const err = await z
      .files(make())
      .download(`${z.base}/file/download/f1?jwt=secret-signature`, { maxBytes: 10 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err).toMatchObject({ kind: 'api', status: 404, code: 1001, operationId: 'downloadChatFile' });
    expect(JSON.stringify(err)).not.toMatch(/secret-signature/);
    expect(String((err as Error).message)).not.toMatch(/secret-signature/);
  });

  it("rejects a read with the caller's reason when the signal aborts mid-body, closing the connection", async () => {
    const state = { written: 0, closed: false };
    const z = await zoom(streamingRoute(20 * 1024 * 1024, state));
    const controller = new AbortController();
    const file = await z
      .files(make())
      .download(`${z.base}/file/download/f1`, { maxBytes: 50 * 1024 * 1024, signal: controller.signal });
    const reason = new Error('user pressed stop');
    const err = await (async () => {
      for await (const _chunk of file.stream) controller.abort(reason);
    })().catch((e: unknown) => e);
    expect(err).toBe(reason);
    await expect.poll(() => state.closed).toBe(true);
  });

  it('times out a body that stalls, as a network error', async () => {
    const z = await zoom((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(10));
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 1000, timeoutMs: 300 });
    const err = await file.toBuffer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomApiError);
    expect(err).toMatchObject({ kind: 'network', network: { timedOut: true } });
  });

  it('cancel() closes the connection without reading the body', async () => {
    const state = { written: 0, closed: false };
    const z = await zoom(streamingRoute(20 * 1024 * 1024, state));
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 50 * 1024 * 1024 });
    await file.cancel();
    await expect.poll(() => state.closed).toBe(true);
    expect(state.written).toBeLessThan(20 * 1024 * 1024);
  });

  it("takes the name from Content-Disposition and the MIME type from the name when the host's is generic", async () => {
    const z = await zoom((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="fallback.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20..%2F2024.pdf`,
        'content-length': '4',
      });
      res.end('%PDF');
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 10 });
    expect(file.fileName).toBe('Résumé .._2024.pdf');
    expect(file.mimeType).toBe('application/pdf');
    await file.cancel();
  });

  it('hands the stream out once', async () => {
    const z = await zoom((_req, res) => {
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
    const file = await z.files(make()).download(`${z.base}/file/download/f1`, { maxBytes: 10 });
    expect(Buffer.from(await file.toBuffer()).toString()).toBe('ok');
    await expect(file.toBuffer()).rejects.toBeInstanceOf(ZoomConfigError);
  });
});

describe('downloading with a transport that does not stream', () => {
  it('says a streaming transport is needed', async () => {
    const z = await zoom((_req, res) => {
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
    const inner = transports[1]![1]();
    // A host transport from before `responseType`: it reads every body as text.
    const textOnly: Transport = async (req) => {
      const res = await inner({ ...req, responseType: undefined });
      return { status: res.status, headers: res.headers, body: res.body };
    };
    const err = await z
      .files(textOnly)
      .download(`${z.base}/file/download/f1`, { maxBytes: 10 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomConfigError);
    expect((err as Error).message).toMatch(/needs a transport that streams response bodies/);
  });

  it('files.download on a context without a fetcher says what is missing', async () => {
    const client = createZoomClient({ auth: { kind: 'none' }, baseUrls: { api: 'http://127.0.0.1:9/v2' } });
    const err = await files({ call: client.call, paginate: client.paginate, collect: client.collect })
      .download('f1', { maxBytes: 10 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomConfigError);
  });
});
