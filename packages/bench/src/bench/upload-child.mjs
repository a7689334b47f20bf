// One 1 GB upload in a fresh process (for a clean RSS baseline), either through the core client
// or as a raw streaming pipe; prints RESULT with time and RSS growth (sampled every 10 ms).
// The baseline is the process ready to upload: modules loaded and one small upload done the same
// way first, so that loading undici (~20 MB of RSS, plus ~5 MB for compiling its HTTP parser on
// first use; fetch loads Node's own copy lazily too) is not counted as memory the upload uses. The
// growth from the cold process is reported alongside.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { benchMain } from '../lib/child.mjs';

const require = createRequire(import.meta.url);
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const { mode, file, sim, token } = params;
const size = statSync(file).size;

/**
 * Raw: ask the file host where uploads go (a bodiless POST answered by its 30x), then pipe there.
 * @param {() => NodeJS.ReadableStream} open
 * @param {number} size
 */
async function rawPipe(open, size) {
  const first = await fetch(`${sim.urls.file}/chat/users/me/files`, {
    method: 'POST',
    redirect: 'manual',
    headers: { authorization: `Bearer ${token}` },
  });
  await first.arrayBuffer();
  const location = first.headers.get('location');
  if (!location) throw new Error(`file host answered ${first.status} without Location`);
  const boundary = '----raw-pipe-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = request(location, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  });
  const answered = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
  req.write(head);
  await pipeline(open(), req, { end: false });
  req.end(tail);
  const res = /** @type {{ status: number, body: string }} */ (await answered);
  if (res.status !== 201) throw new Error(`raw upload: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body).id;
}

const transport =
  mode === 'raw'
    ? undefined
    : mode === 'core-undici'
      ? core.createUndiciTransport(require('undici'))
      : mode === 'core-node-http'
        ? core.createNodeHttpTransport()
        : core.createFetchTransport();
const zoom =
  transport &&
  core.createZoomClient({
    auth: { kind: 'token', accessToken: token },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport,
    rateLimits: { FILE: 'off' },
  });

/**
 * @param {() => NodeJS.ReadableStream} open
 * @param {number} length
 */
async function viaCore(open, length) {
  if (!zoom) throw new Error('no client');
  const { id } = await zoom.files.upload({
    fileName: 'big.bin',
    contentType: 'application/octet-stream',
    data: { stream: () => open(), length },
  });
  return id;
}

const upload = (/** @type {() => NodeJS.ReadableStream} */ open, /** @type {number} */ length) =>
  mode === 'raw' ? rawPipe(open, length) : viaCore(open, length);
const cold = process.memoryUsage().rss;
// One small upload the same way (64 KB), so every module and parser the big one uses is loaded.
const small = Buffer.alloc(64 * 1024, 7);
await upload(() => Readable.from([small]), small.length);
// Then settle: the baseline is the process ready to upload.
await new Promise((r) => setTimeout(r, 200));
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const t0 = performance.now();
const id = await upload(() => createReadStream(file), size);
transport?.close?.();
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
done({
  mode,
  id,
  bytes: size,
  seconds,
  mbPerSecond: size / 1048576 / seconds,
  rssGrowthMB: (peak - baseline) / 1048576,
  rssGrowthFromColdMB: (peak - cold) / 1048576,
  baselineMB: baseline / 1048576,
});
