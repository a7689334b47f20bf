#!/usr/bin/env node
// Installs every real host the acceptance suites use (n8n 1.123 and 2.41, Node-RED 4.1 and 5.0)
// into the checkout's .tools. `npm test` starts it in the background while the unit tests run, so
// the hosts' npm installs (about 15 minutes on a cold machine, 10 of them n8n 2.41's) overlap
// with work that needs no host. Each install is idempotent; a failure here is left for the suite
// that needs the host to report (it installs again and fails with the reason).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { install as installN8n, toolsDir } from './n8n-install.mjs';
import { installHost as installNodeRed } from './nr-host.mjs';

const steps = [
  ['Node-RED 4.1', () => installNodeRed(toolsDir, '4.1')],
  ['Node-RED 5.0', () => installNodeRed(toolsDir, '5.0')],
  ['n8n 1.123', () => installN8n(1)],
  ['n8n 2.41', () => installN8n(2)],
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let failed = 0;
  for (const [name, step] of steps) {
    const started = Date.now();
    try {
      step();
      console.log(`${name}: ready (${Math.round((Date.now() - started) / 1000)} s)`);
    } catch (error) {
      failed++;
      console.log(`${name}: install failed (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}
