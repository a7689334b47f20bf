/**
 * The npm tarball of n8n-nodes-zoom-team-chat, which n8n's Community Nodes panel installs: the
 * bundled nodes, credentials and icons, README and LICENSE; **no runtime dependencies** (n8n
 * installs community packages without them); every declared node and credential loads next to
 * n8n-workflow only. Uses `npm pack --dry-run` via ../core/scripts/pack-manifest.mjs; needs the
 * build (turbo's test task depends on it).
 * An .mts file: n8n's lint rules (no fs, child_process, process) cover every .ts file of the package,
 * and a test that packs the package needs them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Manifest {
	name: string;
	files: Array<{ path: string; size: number }>;
	pkg: Record<string, unknown> & { dependencies?: Record<string, string>; n8n: Record<string, string[]> };
	entries: Array<{ entry: string; packed: boolean; loaded?: boolean; error?: string }>;
	problems: string[];
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
let m: Manifest;
let paths: string[];

beforeAll(async () => {
	const script = path.join(root, '..', 'core', 'scripts', 'pack-manifest.mjs');
	// Asynchronous: a synchronous pack of 40 s or more on a loaded machine starves vitest's worker RPC.
	m = JSON.parse(
		(await promisify(execFile)(process.execPath, [script, root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }))
			.stdout,
	);
	paths = m.files.map((f) => f.path);
}, 120_000);

/** The shared rules are checked by pack-manifest.mjs (its `problems`); each package adds its allow-list. */
function expectCommonRules(allowed: RegExp): void {
	expect(m.problems).toEqual([]);
	expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
}

function expectEntriesLoad(minimum: number): void {
	expect(m.entries.length).toBeGreaterThanOrEqual(minimum);
	expect(m.problems).toEqual([]);
}

describe('npm pack of n8n-nodes-zoom-team-chat', () => {
	it('holds the bundled nodes, credentials and icons, the shared core, README and LICENSE only', () => {
		expectCommonRules(
			/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(nodes|credentials|icons)\/.+\.(js|json|svg|png)|dist\/shared\/zoom-core\.js)$/,
		);
	});

	it('ships the core once: every node and credential requires dist/shared/zoom-core.js instead of a copy', () => {
		expect(paths).toContain('dist/shared/zoom-core.js');
		for (const p of paths.filter((f) => /^dist\/(nodes|credentials)\/.+\.js$/.test(f))) {
			const text = readFileSync(path.join(root, p), 'utf8');
			// The core's pipeline appears only in the shared file.
			expect(text, p).not.toMatch(/class RateLimiter/);
		}
	});

	it('has no runtime dependencies; n8n-workflow is a peer', () => {
		expect(m.pkg.dependencies ?? {}).toEqual({});
		expect(Object.keys(m.pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
		expect(m.pkg.bundledDependencies ?? m.pkg.bundleDependencies).toBeUndefined();
	});

	it('loads every node and credential n8n is told about, from the tarball alone', () => {
		expectEntriesLoad((m.pkg.n8n.nodes as string[]).length + (m.pkg.n8n.credentials as string[]).length);
		for (const node of m.pkg.n8n.nodes as string[]) expect(paths).toContain(node.replace(/\.js$/, '.json'));
	});

	it('packs every icon the nodes and credentials point to', () => {
		const icons = new Set<string>();
		for (const p of paths.filter((f) => f.endsWith('.js'))) {
			const text = readFileSync(path.join(root, p), 'utf8');
			for (const [, ref] of text.matchAll(/["']file:([^"']+\.(?:svg|png))["']/g))
				icons.add(path.posix.normalize(path.posix.join(path.posix.dirname(p), ref!)));
		}
		expect(icons.size).toBeGreaterThan(0);
		for (const icon of icons) expect(paths, icon).toContain(icon);
	});
});
