// The package's acceptance suites, one after the other (each starts its own Node-RED and
// simulator and writes its own acceptance-results-*.json): the node checks (acceptance.mjs), the
// trigger's WebSocket delivery (acceptance-websocket.mjs), bursts of flow runs sharing the account's
// rate budget (acceptance-burst.mjs), the ask node's human in the loop (acceptance-ask.mjs), a 50 MB
// file's round trip through upload, download by ID and the trigger (acceptance-files.mjs) and the
// shipped use-case examples (examples.mjs), on Node-RED 4.1 and 5.0 by default.
// Usage: node scripts/run-acceptance.mjs [4.1] [5.0]   Exit 1 if any suite failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const hosts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['4.1', '5.0'];
let failed = 0;
for (const host of hosts) {
  for (const suite of [
    'acceptance.mjs',
    'acceptance-websocket.mjs',
    'acceptance-burst.mjs',
    'acceptance-ask.mjs',
    'acceptance-files.mjs',
    'examples.mjs',
  ]) {
    console.log(`\n=== ${suite} on Node-RED ${host}`);
    const r = spawnSync(process.execPath, [path.join(here, suite), '--host', host], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  if (
    host === '4.1' &&
    spawnSync(process.execPath, [path.join(here, 'acceptance-editor.mjs'), '--host', host], { stdio: 'inherit' })
      .status !== 0
  )
    failed++; // the editor in Chromium: one host is enough
}
process.exit(failed === 0 ? 0 : 1);
