// The part every published package's pack test shares (test/pack.test.* of core, simulator,
// node-red and n8n): run pack-manifest.mjs on the package and list what breaks the rules. Each
// test keeps only its package's allow-list and checks. CommonJS so that the CommonJS packages'
// TypeScript tests can import it statically (an ES module would need a dynamic import there).
'use strict';
const { execFile } = require('node:child_process');
const path = require('node:path');
const { promisify } = require('node:util');

const SCRIPT = path.join(__dirname, 'pack-manifest.mjs');

/**
 * What `npm pack` would put in the tarball of the package in `packageDir`, and `paths`, the packed
 * files' paths. Asynchronous: a synchronous pack of 40 s or more on a loaded machine starves
 * vitest's worker RPC.
 */
async function packManifest(packageDir) {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, packageDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const manifest = JSON.parse(stdout);
  return { ...manifest, paths: manifest.files.map((f) => f.path) };
}

/**
 * Every breach: the rules all published packages share (pack-manifest.mjs's `problems`) and each
 * packed file that `allowed` (the package's own allow-list) does not match.
 */
function packProblems(manifest, allowed) {
  return [
    ...manifest.problems,
    ...manifest.paths.filter((p) => !allowed.test(p)).map((p) => `${p}: not on this package's allow-list`),
  ];
}

module.exports = { packManifest, packProblems };
