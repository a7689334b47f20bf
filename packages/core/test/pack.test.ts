/**
 * The npm tarball of @zoom-team-chat/core: the build, the vendored specs (the `./openapi/*` export)
 * and their notes, README and LICENSE, nothing else; every entry point loads from the tarball
 * alone. Uses `npm pack --dry-run` via ../core/scripts/pack-manifest.mjs; needs the build (turbo's
 * test task depends on it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

describe('npm pack of @zoom-team-chat/core', () => {
  it('holds the build, the specs with their notes, README and LICENSE only', () => {
    expectCommonRules(
      /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map)|openapi\/[^/]+\.(json|md)|openapi\/docs\/[^/]+\.md)$/,
    );
    for (const spec of ['team-chat', 'chatbot', 'team-chat-events', 'chatbot-events'])
      expect(paths).toContain(`openapi/${spec}.openapi.json`);
    expect(paths).toContain('openapi/KNOWN-DEFECTS.md');
  });

  it('has the type declarations its exports name', () => {
    const types: string[] = [
      m.pkg.types,
      ...Object.values(m.pkg.exports as Record<string, unknown>).map((e) => (e as { types?: string })?.types),
    ]
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.replace(/^\.\//, ''));
    expect(types.length).toBeGreaterThanOrEqual(2);
    for (const t of types) expect(paths).toContain(t);
  });

  it('loads every entry point from the tarball alone, with no runtime dependency', () => {
    expectEntriesLoad(2);
    expect(m.entries.map((e) => e.entry)).toEqual(expect.arrayContaining(['dist/index.js', 'dist/portable.js']));
    expect(m.pkg.dependencies ?? {}).toEqual({});
  });
});
