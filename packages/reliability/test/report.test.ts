import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { cell, readBurstResults, readResults, renderReport } from '../src/report.mjs';

const row = (over: Record<string, unknown> = {}) => ({
  area: 'security',
  host: 'node-red',
  case: 'forged signature',
  expected: '401, no run',
  observed: '401, 0 runs',
  pass: true,
  ...over,
});
const result = (suite: string, rows: Record<string, unknown>[], over: Record<string, unknown> = {}) => ({
  suite,
  mode: 'fast',
  startedAt: '2026-11-25 06:00:00',
  durationMs: 12_300,
  environment: { Node: 'v20', 'Node-RED': '4.1.8' },
  notes: [],
  rows,
  ...over,
});

describe('cell', () => {
  it('keeps a table cell on one line with pipes escaped and a bounded length', () => {
    expect(cell('a | b\nc')).toBe('a \\| b c');
    expect(cell('x'.repeat(500)).length).toBe(400);
    expect(cell('')).toBe(' ');
  });
});

describe('renderReport', () => {
  it('says how it was produced, totals per area and host, and lists each case', () => {
    const md = renderReport([
      result('security', [
        row(),
        row({ host: 'n8n', case: '10 MB body', expected: '413', observed: '200, 1 run', pass: false }),
      ]),
      result('secrets', [
        row({
          area: 'secrets',
          host: 'simulator',
          case: 'client secret in request log',
          expected: 'absent',
          observed: 'absent',
        }),
      ]),
    ]);
    expect(md).toMatch(/^# Reliability and security matrix/);
    expect(md).toContain('node src/run.mjs --fast');
    expect(md).toContain('node src/run.mjs --long');
    expect(md).toContain('**2 of 3 checks passed** (1 failed)');
    expect(md).toContain('| security | fast | 2026-11-25 06:00:00 | 12.3 s | 2 | 1 |');
    expect(md).toMatch(/\| security \| 1\/1 ✅ \| 0\/1 ❌ \| – \|/);
    expect(md).toContain('| 10 MB body | 413 | 200, 1 run | ❌ |');
    expect(md).toContain('| forged signature | 401, no run | 401, 0 runs | ✅ |');
    expect(md).toContain('Not in this report (no results yet): faults, fuzz, load.');
    expect(md).toContain('Environment: Node v20, Node-RED 4.1.8.');
    // Sections follow the area order, hosts inside them.
    expect(md.indexOf('## Security')).toBeLessThan(md.indexOf('## Secrets'));
    expect(md.indexOf('### Node-RED')).toBeLessThan(md.indexOf('### n8n'));
  });

  it('puts a suite’s notes under its area', () => {
    const md = renderReport([result('security', [row()], { notes: ['**What n8n does first.** It reads the body.'] })]);
    expect(md.indexOf('**What n8n does first.**')).toBeGreaterThan(md.indexOf('## Security'));
  });

  it('never marks a row passed unless pass is exactly true', () => {
    const md = renderReport([result('security', [row({ pass: 'true' })])]);
    expect(md).toContain('| forged signature | 401, no run | 401, 0 runs | ❌ |');
    expect(md).toContain('**0 of 1 checks passed**');
  });
});

describe('readResults', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads known suites only and skips (with a warning) a file that does not parse', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rel-report-'));
    writeFileSync(path.join(dir, 'security.json'), JSON.stringify(result('security', [row()])));
    writeFileSync(path.join(dir, 'load.json'), '{ not json');
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify(result('other', [row()])));
    const warnings: string[] = [];
    const results = readResults(dir, (w: string) => warnings.push(w));
    expect(results.map((r: { suite: string }) => r.suite)).toEqual(['security']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/results\/load.json skipped/);
  });
});

describe('bursts section', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('quotes every check of the burst and queue-mode acceptance results, and nothing else', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rel-bursts-'));
    const pkg = path.join(dir, 'n8n-pkg');
    mkdirSync(pkg);
    const checks = [
      { name: '100 executions at once', ok: true, detail: '100 arrived of 100, 0 × 429' },
      { name: 'replay to the other process', ok: false, detail: '1 new | execution' },
    ];
    writeFileSync(
      path.join(pkg, 'acceptance-results-n8n-1.123-queue.json'),
      JSON.stringify({
        suite: 'n8n 1.123.81 queue mode',
        passed: 1,
        failed: 1,
        checks,
        at: '2026-12-05T14:00:00.000Z',
      }),
    );
    writeFileSync(
      path.join(pkg, 'acceptance-results-n8n-1.123-examples.json'),
      JSON.stringify({ suite: 'examples', passed: 1, failed: 0, checks: [{ name: 'not quoted', ok: true }] }),
    );
    writeFileSync(path.join(pkg, 'acceptance-results-burst-4.1.json'), '{ not json');
    const warnings: string[] = [];
    const bursts = readBurstResults(dir, (m: string) => warnings.push(m));
    expect(bursts.map((b) => b.suite)).toEqual(['n8n 1.123.81 queue mode']);
    expect(warnings).toHaveLength(1);
    const md = renderReport([result('security', [row()])], bursts);
    expect(md).toContain('## Bursts: many runs at once, n8n queue mode');
    expect(md).toContain('### n8n 1.123.81 queue mode (2026-12-05 14:00:00 UTC)');
    expect(md).toContain('| 100 executions at once | 100 arrived of 100, 0 × 429 | ✅ |');
    expect(md).toContain('| replay to the other process | 1 new \\| execution | ❌ |');
    expect(md).not.toContain('not quoted');
  });
});
