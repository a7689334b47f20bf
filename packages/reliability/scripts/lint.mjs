#!/usr/bin/env node
// Lint of the suites' contract (RELIABILITY contract): every .mjs under src parses, and every
// suite module exports `name` equal to its file name and an async `run(ctx)`, and is one the
// runner knows. Importing a suite runs nothing: each runs standalone only as the main module.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { SUITE_ORDER } from '../src/lib/runner.mjs';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const problems = [];
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
for (const file of walk(src).filter((f) => f.endsWith('.mjs'))) {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (r.status !== 0)
    problems.push(`${path.relative(src, file)}: ${r.stderr.trim().split('\n').slice(0, 5).join(' ')}`);
}
const suitesDir = path.join(src, 'suites');
for (const file of readdirSync(suitesDir).filter((f) => f.endsWith('.mjs'))) {
  const base = file.replace(/\.mjs$/, '');
  const mod = await import(pathToFileURL(path.join(suitesDir, file)).href);
  if (mod.name !== base) problems.push(`suites/${file}: exports name ${JSON.stringify(mod.name)}, expected "${base}"`);
  if (typeof mod.run !== 'function') problems.push(`suites/${file}: exports no run(ctx) function`);
  if (!SUITE_ORDER.includes(base))
    problems.push(`suites/${file}: not in the runner's SUITE_ORDER (${SUITE_ORDER.join(', ')})`);
}
for (const p of problems) console.error(p);
console.log(problems.length === 0 ? 'reliability lint: ok' : `reliability lint: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
