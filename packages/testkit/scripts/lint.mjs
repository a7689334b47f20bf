#!/usr/bin/env node
// Every subpath in "exports" must point at a file that exists and parses: the consuming packages
// import these by name only, so a broken entry would surface in someone else's suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { exports } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];
for (const [subpath, target] of Object.entries(exports)) {
  const file = path.join(root, target);
  if (!existsSync(file)) {
    problems.push(`${subpath}: ${target} does not exist`);
    continue;
  }
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (r.status !== 0) problems.push(`${subpath}: ${r.stderr.trim().split('\n').slice(0, 5).join(' ')}`);
}
for (const p of problems) console.error(p);
console.log(problems.length === 0 ? 'testkit lint: ok' : `testkit lint: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
