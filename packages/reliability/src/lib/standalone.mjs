// Runs one suite on its own (node src/suites/<name>.mjs [--fast|--long]): its own hosts and a
// temporary artifacts folder, rows printed, exit code 1 on any failed row. No results files.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createHosts } from './hosts.mjs';
import { errorRow, normaliseRows } from './runner.mjs';

export async function standalone({ name, run }) {
  const mode = process.argv.includes('--long') ? 'long' : 'fast';
  const artifacts = mkdtempSync(path.join(os.tmpdir(), `rel-${name}-`));
  const secrets = new Set();
  const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const hosts = createHosts({ artifacts, secrets, log });
  const notes = [];
  let rows;
  try {
    rows = normaliseRows(
      name,
      await run({ mode, hosts, secrets, secret: hosts.secret, artifacts, log, notes, note: (t) => notes.push(t) }),
    );
  } catch (err) {
    rows = [errorRow(name, err)];
  } finally {
    await hosts.closeAll();
  }
  for (const r of rows)
    console.log(`${r.pass ? 'PASS' : 'FAIL'} [${r.host}] ${r.case} — expected ${r.expected}; observed ${r.observed}`);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`${rows.length - failed} passed, ${failed} failed (artifacts in ${artifacts})`);
  process.exitCode = failed === 0 ? 0 : 1;
}
