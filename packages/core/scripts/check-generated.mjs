#!/usr/bin/env node
// Fails (exit 1) when src/spec/generated differs from what scripts/generate-spec.mjs produces
// from the vendored specs: someone edited a generated file, or changed a spec or the generator
// without regenerating. Plain Node ESM, no dependencies.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMITTED = join(PKG_ROOT, 'src', 'spec', 'generated');
const FIX = 'Run `pnpm --filter @zoom-team-chat/core generate` and commit the result.';

const tmp = mkdtempSync(join(tmpdir(), 'zoom-spec-check-'));
try {
  try {
    execFileSync(process.execPath, [join(PKG_ROOT, 'scripts', 'generate-spec.mjs'), '--out', tmp], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    console.error(`check-generated: the generator failed:\n${err.stderr?.toString() ?? err.message}`);
    process.exit(1);
  }
  const expected = readdirSync(tmp).sort();
  const problems = [];
  for (const name of expected) {
    const committedPath = join(COMMITTED, name);
    if (!existsSync(committedPath)) {
      problems.push(`${name}: missing`);
      continue;
    }
    const want = readFileSync(join(tmp, name), 'utf8');
    const have = readFileSync(committedPath, 'utf8');
    if (want !== have) problems.push(`${name}: differs from the generator's output (${firstDifference(have, want)})`);
  }
  if (existsSync(COMMITTED)) {
    for (const name of readdirSync(COMMITTED)) {
      if (!expected.includes(name)) problems.push(`${name}: not produced by the generator (stale file?)`);
    }
  }
  if (problems.length) {
    console.error(`check-generated: src/spec/generated is out of date:\n  ${problems.join('\n  ')}\n${FIX}`);
    process.exit(1);
  }
  console.log(`check-generated: ${expected.length} generated files are up to date.`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function firstDifference(have, want) {
  const a = have.split('\n');
  const b = want.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `first at line ${i + 1}`;
  }
  return 'line endings or trailing bytes';
}
