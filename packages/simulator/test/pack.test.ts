/**
 * The npm tarball of @zoom-team-chat/simulator: the build, README and LICENSE; the CLI and the
 * library load from the tarball next to the declared dependencies only. Uses `npm pack --dry-run`
 * via the testkit's pack-manifest.mjs; needs the build (turbo's test task depends on it).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packManifest, packProblems, type PackManifest } from '@zoom-team-chat/testkit/pack';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
/** Every file this tarball may hold; the rules all packages share are pack-manifest.mjs's. */
const ALLOWED = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map))$/;
let m: PackManifest;
// The pack takes seconds to a minute on a loaded machine.
beforeAll(async () => void (m = await packManifest(root)), 120_000);

describe('npm pack of @zoom-team-chat/simulator', () => {
  it('holds the build, README and LICENSE only', () => {
    expect(packProblems(m, ALLOWED)).toEqual([]);
    expect(m.paths).toContain((m.pkg.types as string).replace(/^\.\//, ''));
  });

  it('ships an executable CLI', () => {
    const bin = Object.values(m.pkg.bin as Record<string, string>).map((b) => b.replace(/^\.\//, ''));
    expect(bin).toEqual(['dist/cli.js']);
    expect(readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('loads from the tarball with only its declared dependencies, none of them build tools', () => {
    expect(m.entries.length).toBeGreaterThanOrEqual(2);
    expect(m.problems).toEqual([]);
    const deps = Object.keys(m.pkg.dependencies ?? {});
    expect(deps.filter((d) => /^(@types\/|typescript$|vitest$|esbuild$|turbo$)/.test(d))).toEqual([]);
    expect(m.pkg.devDependencies?.['@zoom-team-chat/core']).toBeUndefined();
  });
});
