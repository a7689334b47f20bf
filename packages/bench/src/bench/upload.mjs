// Upload of a 1 GB file to the simulator's file host, which answers with a 307 to the address that
// takes the upload (like file.zoom.us): through the core client (each transport) against a raw
// streaming pipe of the same file to the same host. Each upload runs in its own process so that its
// RSS growth is its own. The file is generated in a temp dir and deleted at the end.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMain, runBenchChild, startSimulatorProcess } from '../lib/child.mjs';
import { admin, mintToken } from '../lib/sim-info.mjs';
import { median, round } from '@zoom-team-chat/testkit/stats';

const { params, done } = benchMain();
const sizeMB = params.sizeMB ?? 1024;
const rounds = params.rounds ?? 3;
const modes = params.modes ?? ['raw', 'core-undici', 'core-node-http', 'core-fetch'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-upload-'));
const file = path.join(dir, 'big.bin');
const child = fileURLToPath(new URL('./upload-child.mjs', import.meta.url));

try {
  // 1 MB of random bytes repeated: incompressible enough, and written in a second or two.
  const chunk = randomBytes(1024 * 1024);
  const out = createWriteStream(file);
  for (let i = 0; i < sizeMB; i++) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));

  // Memory storage with a small cap: the simulator streams every byte through its multipart parser and
  // counts them, but keeps only the first 16 MB, so neither the disk nor its RAM limits the upload.
  const sim = await startSimulatorProcess({
    precompile: params.precompile ?? true,
    plan: 'off',
    fileStorage: 'memory',
    maxFileStorageBytes: 16 * 1024 * 1024,
  });
  try {
    const token = await mintToken(sim);
    /** @type {Record<string, any[]>} */
    const runs = Object.fromEntries(modes.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      for (const mode of modes.map((_, i) => /** @type {string} */ (modes[(i + r) % modes.length]))) {
        const result = /** @type {any} */ (
          await runBenchChild(child, { mode, file, sim: { urls: sim.urls }, token }, { timeoutMs: 300_000 })
        );
        const info = await admin(sim, 'GET', `/files/${result.id}`);
        if (info.size !== sizeMB * 1024 * 1024) throw new Error(`${mode}: the simulator stored ${info.size} bytes`);
        /** @type {any[]} */ (runs[mode]).push(result);
        console.log(`${mode}: ${round(result.mbPerSecond, 0)} MB/s, RSS +${round(result.rssGrowthMB, 1)} MB`);
      }
    }
    const rows = modes.map((mode) => {
      const list = /** @type {any[]} */ (runs[mode]);
      return {
        mode,
        mbPerSecond: round(median(list.map((x) => x.mbPerSecond)), 0),
        seconds: round(median(list.map((x) => x.seconds)), 2),
        // RSS moves with when V8 collects the read buffers (it waits for ~64 MB of them): median of the rounds, and the worst.
        rssGrowthMB: round(median(list.map((x) => x.rssGrowthMB)), 1),
        rssGrowthMaxMB: round(Math.max(...list.map((x) => x.rssGrowthMB)), 1),
        // From the cold process: also counts loading the HTTP client's modules on first use.
        rssGrowthFromColdMB: round(median(list.map((x) => x.rssGrowthFromColdMB)), 1),
      };
    });
    done({ sizeMB, rounds, rows });
  } finally {
    await sim.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
