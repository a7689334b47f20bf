// Builds the Node-RED package: one CommonJS bundle (the core included, so the npm tarball needs
// no unpublished dependency) plus what Node-RED reads next to each node file: the editor .html,
// locales/en-US/<type>.json and <type>.html (help), and icons/.
import { build } from 'esbuild';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'));
const types = Object.keys(pkg['node-red'].nodes);
const dist = path.join(root, 'dist');
const nodesOut = path.join(dist, 'nodes');

await fs.rm(dist, { recursive: true, force: true });
await fs.mkdir(path.join(nodesOut, 'locales', 'en-US'), { recursive: true });

// The `ws` package (the trigger's WebSocket client) is bundled like the core, so the package keeps
// no runtime dependencies. Its optional native speed-ups stay out: ws requires them inside
// try/catch and falls back to plain JavaScript. MIT asks for its notice in every copy.
const wsPkg = JSON.parse(await fs.readFile(path.join(root, 'node_modules', 'ws', 'package.json'), 'utf8'));
const wsLicense = (await fs.readFile(path.join(root, 'node_modules', 'ws', 'LICENSE'), 'utf8'))
  .trim()
  .replace(/\*\//g, '* /');

await build({
  entryPoints: [path.join(root, 'src', 'index.ts')],
  outfile: path.join(dist, 'lib', 'zoom-team-chat.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Node-RED 3.x runs on Node 14+, but this package declares Node >= 18.5 (global fetch).
  target: 'node18',
  sourcemap: true,
  legalComments: 'none',
  external: ['bufferutil', 'utf-8-validate'],
  banner: { js: `/*! Includes ws ${wsPkg.version} (https://github.com/websockets/ws), MIT License:\n${wsLicense}\n*/` },
  logLevel: 'warning',
});

const HELP_RE = /<script type="text\/html" data-help-name="([^"]+)">([\s\S]*?)<\/script>/;

for (const type of types) {
  const srcDir = path.join(root, 'src', 'nodes', type);
  // Node-RED requires each node file; all of them share the one bundle (one client registry).
  await fs.writeFile(
    path.join(nodesOut, `${type}.js`),
    `"use strict";\nmodule.exports = require("../lib/zoom-team-chat.js").nodes[${JSON.stringify(type)}];\n`,
  );
  const html = await fs.readFile(path.join(srcDir, `${type}.html`), 'utf8');
  const help = HELP_RE.exec(html);
  if (!help || help[1] !== type)
    throw new Error(`${type}.html has no <script type="text/html" data-help-name="${type}"> help`);
  await fs.writeFile(path.join(nodesOut, `${type}.html`), html);
  // The same help, as Node-RED's per-language help file (single source: the editor .html).
  await fs.writeFile(path.join(nodesOut, 'locales', 'en-US', `${type}.html`), `${help[2].trim()}\n`);
  const messages = JSON.parse(await fs.readFile(path.join(root, 'src', 'locales', 'en-US', `${type}.json`), 'utf8'));
  await fs.writeFile(path.join(nodesOut, 'locales', 'en-US', `${type}.json`), `${JSON.stringify(messages, null, 2)}\n`);
}
await fs.cp(path.join(root, 'src', 'icons'), path.join(nodesOut, 'icons'), { recursive: true });
console.log(`built ${types.length} node types into ${path.relative(root, dist)}`);

// The repository's use-case flows (examples/node-red, the single source) ship in the package too,
// under examples/use-cases (Import → Examples shows the folder). The copies are committed, so a
// package built from a cached turbo run or packed without the monorepo still has them; a package
// test fails when they differ from the source.
const useCasesSrc = path.join(root, '..', '..', 'examples', 'node-red');
const useCasesOut = path.join(root, 'examples', 'use-cases');
const sources = await fs.readdir(useCasesSrc).catch(() => undefined);
if (sources === undefined) {
  console.log(`no ${path.relative(root, useCasesSrc)}: examples/use-cases left as it is`);
} else {
  const flows = sources.filter((f) => f.endsWith('.json')).sort();
  await fs.mkdir(useCasesOut, { recursive: true });
  for (const f of await fs.readdir(useCasesOut))
    if (f.endsWith('.json') && !flows.includes(f)) await fs.rm(path.join(useCasesOut, f));
  for (const f of flows) {
    const text = await fs.readFile(path.join(useCasesSrc, f), 'utf8');
    JSON.parse(text); // a broken example fails the build, not the user's import
    await fs.writeFile(path.join(useCasesOut, f), text);
  }
  console.log(`copied ${flows.length} use-case flows into ${path.relative(root, useCasesOut)}`);
}
