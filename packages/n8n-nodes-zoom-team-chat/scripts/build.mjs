#!/usr/bin/env node
// Builds dist/: one self-contained CommonJS bundle per node and credential (the core client is
// bundled in, from its sandbox-safe `portable` entry; only n8n-workflow stays external, as the
// host provides it), plus the icons and codex files next to them.
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
const result = await build({
	entryPoints: entries.map((file) => ({ in: file, out: relative(root, file).replace(/\.ts$/, '') })),
	outdir: dist,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['n8n-workflow'],
	logLevel: 'warning',
	legalComments: 'none',
	metafile: true,
	// The host's n8n resolves the node class by its exported name.
	keepNames: true,
});

for (const codex of walk(join(root, 'nodes'), (n) => n.endsWith('.node.json'))) {
	const target = join(dist, relative(root, codex));
	mkdirSync(dirname(target), { recursive: true });
	cpSync(codex, target);
}
cpSync(join(root, 'icons'), join(dist, 'icons'), { recursive: true });

const sizes = Object.entries(result.metafile.outputs)
	.map(([file, info]) => `${relative(root, file)} ${(info.bytes / 1024).toFixed(0)} KB`)
	.join(', ');
console.log(`built ${entries.length} bundles in ${Date.now() - started} ms: ${sizes}`);
