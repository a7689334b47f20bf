/**
 * The npm tarball of @zoom-team-chat/core: the build, the vendored specs (the `./openapi/*` export)
 * and their notes, README and LICENSE, nothing else; every entry point loads from the tarball
 * alone. Uses `npm pack --dry-run` via the testkit's pack-manifest.mjs; needs the build (turbo's
 * test task depends on it).
 */
import * as path from 'node:path';
import { packManifest, packProblems, type PackManifest } from '@zoom-team-chat/testkit/pack';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
/** Every file this tarball may hold; the rules all packages share are pack-manifest.mjs's. */
const ALLOWED =
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map)|openapi\/[^/]+\.(json|md)|openapi\/docs\/[^/]+\.md)$/;
let m: PackManifest;
// The pack takes seconds to a minute on a loaded machine.
beforeAll(async () => void (m = await packManifest(root)), 120_000);

describe('npm pack of @zoom-team-chat/core', () => {
  it('holds the build, the specs with their notes, README and LICENSE only', () => {
    expect(packProblems(m, ALLOWED)).toEqual([]);
    for (const spec of ['team-chat', 'chatbot', 'team-chat-events', 'chatbot-events'])
      expect(m.paths).toContain(`openapi/${spec}.openapi.json`);
    expect(m.paths).toContain('openapi/KNOWN-DEFECTS.md');
  });

  it('has the type declarations its exports name', () => {
    const types: string[] = [
      m.pkg.types,
      ...Object.values(m.pkg.exports as Record<string, unknown>).map((e) => (e as { types?: string })?.types),
    ]
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.replace(/^\.\//, ''));
    expect(types.length).toBeGreaterThanOrEqual(2);
    for (const t of types) expect(m.paths).toContain(t);
  });

  it('loads every entry point from the tarball alone, with no runtime dependency', () => {
    expect(m.entries.length).toBeGreaterThanOrEqual(2);
    expect(m.problems).toEqual([]);
    expect(m.entries.map((e) => e.entry)).toEqual(expect.arrayContaining(['dist/index.js', 'dist/portable.js']));
    expect(m.pkg.dependencies ?? {}).toEqual({});
  });
});
