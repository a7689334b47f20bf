#!/usr/bin/env node
// Builds dist/: one CommonJS bundle per node and credential, plus dist/shared/zoom-core.js, the core
// client (its sandbox-safe `portable` entry) bundled once. Every node and credential requires that one
// file, so n8n's module cache gives the whole package one copy of the core in a process: the action
// node, the trigger and the credentials share one rate budget per Zoom account (the core keeps it at
// module level). Only n8n-workflow stays external, as the host provides it. The icons and codex files
// go next to the bundles.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function walk(dir, match, out = []) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) walk(path, match, out);
		else if (match(name)) out.push(path);
	}
	return out;
}

const entries = [
	...walk(join(root, 'nodes'), (n) => n.endsWith('.node.ts')),
	...walk(join(root, 'credentials'), (n) => n.endsWith('.credentials.ts')),
];

rmSync(dist, { recursive: true, force: true });

const started = Date.now();
const CORE = '@zoom-team-chat/core/portable';
const coreOut = join(dist, 'shared', 'zoom-core.js');
const common = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	logLevel: 'warning',
	legalComments: 'none',
	metafile: true,
	// The host's n8n resolves the node class by its exported name.
	keepNames: true,
};

/** Points every import of the core at dist/shared/zoom-core.js, relative to where the bundle lands. */
function sharedCore(outDir) {
	const path = `./${relative(outDir, coreOut)}`.replace(/^\.\/\.\.\//, '../');
	return {
		name: 'shared-core',
		setup(b) {
			b.onResolve({ filter: /^@zoom-team-chat\/core(\/portable)?$/ }, () => ({ path, external: true }));
		},
	};
}

const outputs = {};
const core = await build({ ...common, entryPoints: [CORE], outfile: coreOut, external: ['n8n-workflow'] });
Object.assign(outputs, core.metafile.outputs);
// Bundles in one folder share the relative path to the core, so one build per folder.
const byDir = new Map();
for (const file of entries) {
	const out = relative(root, file).replace(/\.ts$/, '');
	const dir = dirname(join(dist, out));
	if (!byDir.has(dir)) byDir.set(dir, []);
	byDir.get(dir).push({ in: file, out });
}
for (const [dir, points] of byDir) {
	const result = await build({
		...common,
		entryPoints: points,
		outdir: dist,
		external: ['n8n-workflow'],
		plugins: [sharedCore(dir)],
	});
	Object.assign(outputs, result.metafile.outputs);
}

for (const codex of walk(join(root, 'nodes'), (n) => n.endsWith('.node.json'))) {
	const target = join(dist, relative(root, codex));
	mkdirSync(dirname(target), { recursive: true });
	cpSync(codex, target);
}
cpSync(join(root, 'icons'), join(dist, 'icons'), { recursive: true });

const sizes = Object.entries(outputs)
	.map(([file, info]) => `${relative(root, file)} ${(info.bytes / 1024).toFixed(0)} KB`)
	.join(', ');
console.log(`built ${entries.length} bundles and the shared core in ${Date.now() - started} ms: ${sizes}`);
