#!/usr/bin/env node
// Runs the reliability suites (security, faults, fuzz, load, secrets — in that order) against
// one shared real Node-RED and one shared real n8n, started on first use. For each suite it
// writes acceptance-results-<suite>.json (what the repo's test runner totals) and
// results/<suite>.json (the rows), then regenerates docs/reliability.md.
// Usage: node src/run.mjs [--fast | --long] [--suite <name>[,<name>…]]
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createHosts } from './lib/hosts.mjs';
import { errorRow, normaliseRows, parseArgs, summary, USAGE } from './lib/runner.mjs';
import { resultsDir, writeReport } from './report.mjs';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** A suite that runs past this is recorded as failed and the run moves on (its hosts are stopped at the end). */
const SUITE_TIMEOUT_MS = { fast: 6 * 60_000, long: 60 * 60_000 };

function log(line) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function runSuite(name, ctx) {
  const file = path.join(pkgDir, 'src', 'suites', `${name}.mjs`);
  if (!existsSync(file))
    return { rows: [errorRow(name, new Error(`src/suites/${name}.mjs does not exist yet`))], notes: [] };
  const notes = [];
  const suiteCtx = { ...ctx, notes, note: (text) => notes.push(text), log: (line) => log(`${name}: ${line}`) };
  let timer;
  try {
    const mod = await import(file);
    if (typeof mod.run !== 'function') throw new Error(`src/suites/${name}.mjs exports no run(ctx)`);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`did not finish within ${SUITE_TIMEOUT_MS[ctx.mode] / 60_000} min`)),
        SUITE_TIMEOUT_MS[ctx.mode],
      );
    });
    const returned = await Promise.race([mod.run(suiteCtx), timeout]);
    return { rows: normaliseRows(name, returned), notes };
  } catch (error) {
    return { rows: [errorRow(name, error)], notes };
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const artifacts = path.join(resultsDir, 'artifacts');
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const secrets = new Set();
  const labels = new Map();
  const hosts = createHosts({ artifacts, secrets, labels, log: (line) => log(`hosts: ${line}`) });
  const ctx = {
    mode: args.mode,
    hosts,
    secrets,
    /** Adds a secret with a label for the secrets suite's rows. */
    secret: hosts.secret,
    artifacts,
    log,
  };
  const onSignal = () => {
    void hosts.closeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const totals = [];
  const started = Date.now();
  try {
    for (const name of args.suites) {
      const t0 = Date.now();
      log(`suite ${name} (${args.mode}) …`);
      const { rows, notes } = await runSuite(name, ctx);
      const durationMs = Date.now() - t0;
      const s = summary(name, rows);
      totals.push(s);
      for (const r of rows.filter((row) => !row.pass))
        log(`  FAIL [${r.host}] ${r.case}: expected ${r.expected}; observed ${r.observed}`);
      log(`suite ${name}: ${s.passed} passed, ${s.failed} failed in ${(durationMs / 1000).toFixed(1)} s`);
      writeFileSync(path.join(pkgDir, `acceptance-results-${name}.json`), `${JSON.stringify(s)}\n`);
      mkdirSync(resultsDir, { recursive: true });
      const environment = {
        Node: process.version,
        CPUs: String(os.cpus().length),
        ...(hosts.started().nodeRed
          ? { 'Node-RED': (await hosts.nodeRed.catch(() => ({ version: 'failed to start' }))).version }
          : {}),
        ...(hosts.started().n8n
          ? { n8n: (await hosts.n8n.catch(() => ({ version: 'failed to start' }))).version }
          : {}),
      };
      writeFileSync(
        path.join(resultsDir, `${name}.json`),
        `${JSON.stringify({ suite: name, mode: args.mode, startedAt: new Date(t0).toISOString().slice(0, 19).replace('T', ' '), durationMs, environment, notes, rows }, null, 1)}\n`,
      );
    }
  } finally {
    await hosts.closeAll();
  }
  const doc = writeReport();
  const passed = totals.reduce((n, s) => n + s.passed, 0);
  const failed = totals.reduce((n, s) => n + s.failed, 0);
  log(`wrote ${path.relative(process.cwd(), doc)}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

await main();
