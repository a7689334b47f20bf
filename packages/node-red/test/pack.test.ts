/**
 * The npm tarball of @zoom-team-chat/node-red-zoom-team-chat, which the palette manager installs:
 * the bundled runtime, each node's editor HTML, locales and icon, the example flows, README and
 * LICENSE; no runtime dependencies; every node loads from the tarball alone. Uses `npm pack
 * --dry-run` via ../core/scripts/pack-manifest.mjs; needs the build (turbo's test task depends on it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  files: Array<{ path: string; size: number }>;
  pkg: Record<string, any>;
  entries: Array<{ entry: string; packed: boolean; loaded?: boolean; error?: string }>;
  problems: string[];
}

const root = path.join(__dirname, '..');
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

describe('npm pack of @zoom-team-chat/node-red-zoom-team-chat', () => {
  it('holds the build, the example flows, README and LICENSE only', () => {
    expectCommonRules(
      /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(nodes|lib)\/.+\.(js|js\.map|html|json|svg|png)|examples\/.+\.json)$/,
    );
  });

  it('has no runtime dependencies (the core is bundled)', () => {
    expect(m.pkg.dependencies ?? {}).toEqual({});
  });

  it('loads every node from the tarball alone, with its editor file, locale and icon next to it', () => {
    const nodes = m.pkg['node-red'].nodes as Record<string, string>;
    expectEntriesLoad(Object.keys(nodes).length);
    for (const [type, file] of Object.entries(nodes)) {
      expect(paths).toContain(file.replace(/\.js$/, '.html'));
      expect(paths).toContain(path.posix.join(path.posix.dirname(file), 'locales', 'en-US', `${type}.json`));
    }
    expect(paths).toContain('dist/nodes/icons/zoom-team-chat.svg');
  });

  it('packs every example flow, each an array of nodes', () => {
    const onDisk = listJson(path.join(root, 'examples')).map((f) => path.relative(root, f).split(path.sep).join('/'));
    expect(onDisk.length).toBeGreaterThan(0);
    for (const f of onDisk) {
      expect(paths).toContain(f);
      expect(Array.isArray(JSON.parse(readFileSync(path.join(root, f), 'utf8'))), f).toBe(true);
    }
  });

  it('ships source maps only with their sources inside (nothing points at unpacked files)', () => {
    for (const map of paths.filter((p) => p.endsWith('.map'))) {
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
