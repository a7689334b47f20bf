/**
 * The npm tarball of @zoom-team-chat/simulator: the build, README and LICENSE; the CLI and the
 * library load from the tarball next to the declared dependencies only. Uses `npm pack --dry-run`
 * via ../core/scripts/pack-manifest.mjs; needs the build (turbo's test task depends on it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
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

describe('npm pack of @zoom-team-chat/simulator', () => {
  it('holds the build, README and LICENSE only', () => {
    expectCommonRules(/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map))$/);
    expect(paths).toContain((m.pkg.types as string).replace(/^\.\//, ''));
  });

  it('ships an executable CLI', () => {
    const bin = Object.values(m.pkg.bin as Record<string, string>).map((b) => b.replace(/^\.\//, ''));
    expect(bin).toEqual(['dist/cli.js']);
    expect(readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('loads from the tarball with only its declared dependencies, none of them build tools', () => {
    expectEntriesLoad(2);
    const deps = Object.keys(m.pkg.dependencies ?? {});
    expect(deps.filter((d) => /^(@types\/|typescript$|vitest$|esbuild$|turbo$)/.test(d))).toEqual([]);
    expect(m.pkg.devDependencies?.['@zoom-team-chat/core']).toBeUndefined();
  });
});
