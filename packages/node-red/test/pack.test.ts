/**
 * The npm tarball of @zoom-team-chat/node-red-zoom-team-chat, which the palette manager installs:
 * the bundled runtime, each node's editor HTML, locales and icon, the example flows, README and
 * LICENSE; no runtime dependencies; every node loads from the tarball alone. Uses `npm pack
 * --dry-run` via the testkit's pack-manifest.mjs; needs the build (turbo's test task depends on it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packManifest, packProblems, type PackManifest } from '@zoom-team-chat/testkit/pack';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
/** Every file this tarball may hold; the rules all packages share are pack-manifest.mjs's. */
const ALLOWED =
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(nodes|lib)\/.+\.(js|js\.map|html|json|svg|png)|examples\/.+\.json)$/;
let m: PackManifest;
// The pack takes seconds to a minute on a loaded machine.
beforeAll(async () => void (m = await packManifest(root)), 120_000);

describe('npm pack of @zoom-team-chat/node-red-zoom-team-chat', () => {
  it('holds the build, the example flows, README and LICENSE only, and no runtime dependency (the core is bundled)', () => {
    expect(packProblems(m, ALLOWED)).toEqual([]);
    expect(m.pkg.dependencies ?? {}).toEqual({});
  });

  it('loads every node from the tarball alone, with its editor file, locale and icon next to it', () => {
    const nodes = m.pkg['node-red'].nodes as Record<string, string>;
    expect(m.entries.length).toBeGreaterThanOrEqual(Object.keys(nodes).length);
    expect(m.problems).toEqual([]);
    for (const [type, file] of Object.entries(nodes)) {
      expect(m.paths).toContain(file.replace(/\.js$/, '.html'));
      expect(m.paths).toContain(path.posix.join(path.posix.dirname(file), 'locales', 'en-US', `${type}.json`));
    }
    expect(m.paths).toContain('dist/nodes/icons/zoom-team-chat.svg');
  });

  it('packs every example flow, each an array of nodes', () => {
    const onDisk = listJson(path.join(root, 'examples')).map((f) => path.relative(root, f).split(path.sep).join('/'));
    expect(onDisk.length).toBeGreaterThan(0);
    for (const f of onDisk) {
      expect(m.paths).toContain(f);
      expect(Array.isArray(JSON.parse(readFileSync(path.join(root, f), 'utf8'))), f).toBe(true);
    }
  });

  it('ships source maps only with their sources inside (nothing points at unpacked files)', () => {
    for (const map of m.paths.filter((p) => p.endsWith('.map'))) {
      const parsed = JSON.parse(readFileSync(path.join(root, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown[];
      };
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
    }
  });
});

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listJson(path.join(dir, d.name)) : d.name.endsWith('.json') ? [path.join(dir, d.name)] : [],
  );
}
