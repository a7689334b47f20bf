// One 1 GB upload in a fresh process (for a clean RSS baseline), either through the core client
// or as a raw streaming pipe; prints RESULT with time and RSS growth (sampled every 10 ms).
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { benchMain } from '../lib/child.mjs';

const require = createRequire(import.meta.url);
const core = require('@zoom-team-chat/core');

const { params, done } = benchMain();
const { mode, file, sim, token } = params;
const size = statSync(file).size;

/** Raw: ask the file host where uploads go (a bodiless POST answered by its 30x), then pipe there. */
async function rawPipe() {
  const first = await fetch(`${sim.urls.file}/chat/users/me/files`, { method: 'POST', redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
  await first.arrayBuffer();
  const location = first.headers.get('location');
  if (!location) throw new Error(`file host answered ${first.status} without Location`);
  const boundary = '----raw-pipe-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = request(location, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
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
  await pipeline(createReadStream(file), req, { end: false });
  req.end(tail);
  const res = /** @type {{ status: number, body: string }} */ (await answered);
  if (res.status !== 201) throw new Error(`raw upload: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body).id;
}

async function viaCore() {
  const transport =
    mode === 'core-undici' ? core.createUndiciTransport(require('undici')) : mode === 'core-node-http' ? core.createNodeHttpTransport() : core.createFetchTransport();
  const zoom = core.createZoomClient({
    auth: { kind: 'token', accessToken: token },
    baseUrls: { api: sim.urls.api, file: sim.urls.file, oauth: sim.urls.oauth },
    transport,
    rateLimits: { FILE: 'off' },
  });
  const { id } = await zoom.files.upload({ fileName: 'big.bin', contentType: 'application/octet-stream', data: { stream: () => createReadStream(file), length: size } });
  transport.close?.();
  return id;
}

// Load everything first, then settle: the baseline is the process ready to upload.
await new Promise((r) => setTimeout(r, 200));
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const t0 = performance.now();
const id = mode === 'raw' ? await rawPipe() : await viaCore();
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
done({ mode, id, bytes: size, seconds, mbPerSecond: size / 1048576 / seconds, rssGrowthMB: (peak - baseline) / 1048576, baselineMB: baseline / 1048576 });
