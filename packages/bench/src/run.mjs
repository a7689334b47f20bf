#!/usr/bin/env node
// Runs every benchmark of issue 8 in one go, each in its own Node process, one after the other (never
// two at once: this is a shared 2-core machine), and prints each result as a ratio against its baseline
// with the target and whether it is met. Absolute figures are noisy between runs; ratios are what count.
//
//   node src/run.mjs [--quick] [--only=a,b] [--skip=a,b] [--no-n8n] [--no-build] [--markdown] [--out=file.json]
//
// --quick runs each benchmark with minimal counts (the package's smoke test uses it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchChild } from './lib/child.mjs';
import { BENCHMARKS } from './benchmarks.mjs';
import { formatTable, formatMarkdown } from './report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const only = option('only')?.split(',');
const skip = option('skip')?.split(',') ?? [];
for (const name of [...(only ?? []), ...skip]) {
  if (!BENCHMARKS.some((b) => b.name === name)) {
    console.error(`unknown benchmark "${name}"; one of: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
}

if (!flag('no-build')) {
  // The benchmarks load the built packages (dist): build the ones the bench depends on (turbo caches).
  const turbo = path.join(repo, 'node_modules', '.bin', 'turbo');
  // turbo looks pnpm up on PATH: the one running us (`pnpm bench`), the repo's own copy, or PATH.
  const pnpmDirs = [
    process.env.npm_execpath ? path.dirname(process.env.npm_execpath) : '',
    path.join(repo, '.tools', 'pnpm', 'node_modules', '.bin'),
  ];
  const pnpmFound = [...pnpmDirs, ...(process.env.PATH ?? '').split(path.delimiter)].some(
    (d) => d && existsSync(path.join(d, 'pnpm')),
  );
  if (!pnpmFound) {
    console.log(
      'pnpm not found: benchmarking dist/ as it is (run `pnpm build` first, or start the benchmarks with `pnpm bench`)',
    );
  } else if (existsSync(turbo)) {
    console.log('building the packages under test (turbo, cached) …');
    const r = spawnSync(turbo, ['run', 'build', '--filter=@zoom-team-chat/bench^...', '--output-logs=errors-only'], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        PATH: [...pnpmDirs.filter(Boolean), process.env.PATH ?? ''].join(path.delimiter),
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
      },
    });
    if (r.status !== 0) {
      console.error('build failed; fix it or pass --no-build to benchmark the dist/ as it is');
      process.exit(1);
    }
  }
}

const started = Date.now();
console.log(
  `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}${quick ? ', QUICK (minimal counts: figures are meaningless)' : ''}`,
);
/** @type {Array<{ name: string, title: string, result?: any, error?: string, seconds: number }>} */
const runs = [];
for (const bench of BENCHMARKS) {
  if (only && !only.includes(bench.name)) continue;
  if (skip.includes(bench.name)) continue;
  const params = {
    ...(quick ? bench.quick : bench.full),
    ...(flag('no-n8n') && ['webhook-hosts', 'queue-intake'].includes(bench.name) ? { n8n: false } : {}),
  };
  console.log(`\n▶ ${bench.name}: ${bench.title}`);
  const t0 = Date.now();
  try {
    const result = await runBenchChild(path.join(here, 'bench', `${bench.name}.mjs`), params, {
      timeoutMs: quick ? bench.quickTimeoutMs : bench.timeoutMs,
      nodeArgs: bench.nodeArgs,
    });
    runs.push({ name: bench.name, title: bench.title, result, seconds: (Date.now() - t0) / 1000 });
  } catch (err) {
    console.error(`  ✗ ${bench.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    runs.push({
      name: bench.name,
      title: bench.title,
      error: err instanceof Error ? err.message : String(err),
      seconds: (Date.now() - t0) / 1000,
    });
  }
}

const rows = runs.flatMap((run) => {
  const bench = /** @type {(typeof BENCHMARKS)[number]} */ (BENCHMARKS.find((b) => b.name === run.name));
  if (run.error)
    return [
      {
        benchmark: run.name,
        measure: 'run',
        value: 'failed',
        baseline: '',
        ratio: '',
        target: '',
        met: false,
        note: run.error,
      },
    ];
  return bench.summarize(run.result).map((row) => ({ benchmark: run.name, ...row }));
});
console.log(`\n${formatTable(rows)}`);
const missed = rows.filter((r) => r.met === false).length;
console.log(
  `\n${rows.filter((r) => r.met === true).length} targets met, ${missed} missed, ${rows.filter((r) => r.met === undefined).length} reported; ${Math.round((Date.now() - started) / 1000)} s`,
);
if (flag('markdown')) console.log(`\n${formatMarkdown(rows)}`);
const out = option('out') ?? (quick ? undefined : path.join(here, '..', 'results', 'latest.json'));
if (out) {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, quick, runs, rows }, null, 2)}\n`,
  );
  console.log(`results: ${path.relative(process.cwd(), out)}`);
}
// A benchmark that could not run is an error; a missed target is a finding, not a failure.
process.exit(runs.some((r) => r.error) ? 1 : 0);
