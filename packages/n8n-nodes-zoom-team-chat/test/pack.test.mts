/**
 * The npm tarball of n8n-nodes-zoom-team-chat, which n8n's Community Nodes panel installs: the
 * bundled nodes, credentials and icons, README and LICENSE; **no runtime dependencies** (n8n
 * installs community packages without them); every declared node and credential loads next to
 * n8n-workflow only. Uses `npm pack --dry-run` via the testkit's pack-manifest.mjs; needs the
 * build (turbo's test task depends on it).
 * An .mts file: n8n's lint rules (no fs, child_process, process) cover every .ts file of the package,
 * and a test that packs the package needs them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packManifest, packProblems, type PackManifest } from '@zoom-team-chat/testkit/pack';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Every file this tarball may hold; the rules all packages share are pack-manifest.mjs's. */
const ALLOWED =
	/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(nodes|credentials|icons)\/.+\.(js|json|svg|png)|dist\/shared\/zoom-core\.js)$/;
let m: PackManifest;
// The pack takes seconds to a minute on a loaded machine.
beforeAll(async () => void (m = await packManifest(root)), 120_000);

describe('npm pack of n8n-nodes-zoom-team-chat', () => {
	it('holds the bundled nodes, credentials and icons, the shared core, README and LICENSE only', () => {
		expect(packProblems(m, ALLOWED)).toEqual([]);
	});

	it('ships the core once: every node and credential requires dist/shared/zoom-core.js instead of a copy', () => {
		expect(m.paths).toContain('dist/shared/zoom-core.js');
		for (const p of m.paths.filter((f) => /^dist\/(nodes|credentials)\/.+\.js$/.test(f))) {
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
		expect(m.entries.length).toBeGreaterThanOrEqual(
			(m.pkg.n8n.nodes as string[]).length + (m.pkg.n8n.credentials as string[]).length,
		);
		expect(m.problems).toEqual([]);
		for (const node of m.pkg.n8n.nodes as string[]) expect(m.paths).toContain(node.replace(/\.js$/, '.json'));
	});

	it('packs every icon the nodes and credentials point to', () => {
		const icons = new Set<string>();
		for (const p of m.paths.filter((f) => f.endsWith('.js'))) {
			const text = readFileSync(path.join(root, p), 'utf8');
			for (const [, ref] of text.matchAll(/["']file:([^"']+\.(?:svg|png))["']/g))
				icons.add(path.posix.normalize(path.posix.join(path.posix.dirname(p), ref!)));
		}
		expect(icons.size).toBeGreaterThan(0);
		for (const icon of icons) expect(m.paths, icon).toContain(icon);
	});
});
