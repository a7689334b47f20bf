import { describe, expect, it } from 'vitest';

import { errorRow, normaliseRows, parseArgs, rowProblems, summary, SUITE_ORDER } from '../src/lib/runner.mjs';

const good = {
  area: 'security',
  host: 'n8n',
  case: 'forged signature',
  expected: '401, no run',
  observed: '401, 0 runs',
  pass: true,
};

describe('parseArgs', () => {
  it('defaults to --fast and every suite, secrets last', () => {
    expect(parseArgs([])).toEqual({ help: false, mode: 'fast', suites: SUITE_ORDER });
    expect(SUITE_ORDER.at(-1)).toBe('secrets');
    expect(SUITE_ORDER[0]).toBe('security');
  });

  it('takes --long and suites in any spelling, run in the fixed order without repeats', () => {
    expect(parseArgs(['--long', '--suite', 'secrets,security', '--suite=security'])).toEqual({
      help: false,
      mode: 'long',
      suites: ['security', 'secrets'],
    });
  });

  it('names the bad flag or suite', () => {
    expect(() => parseArgs(['--suite', 'nope'])).toThrow(/unknown suite "nope"/);
    expect(() => parseArgs(['--suite'])).toThrow(/--suite needs a name/);
    expect(() => parseArgs(['--fast', '--long'])).toThrow(/exclude each other/);
    expect(() => parseArgs(['--turbo'])).toThrow(/unknown argument "--turbo"/);
  });
});

describe('rows', () => {
  it('accepts a well-formed row and lists every problem of a bad one', () => {
    expect(rowProblems(good)).toEqual([]);
    const problems = rowProblems({ area: 'nope', host: 'x', case: '', expected: 1, pass: 'yes' });
    expect(problems.join('\n')).toMatch(/area "nope"/);
    expect(problems.join('\n')).toMatch(/host "x"/);
    expect(problems.join('\n')).toMatch(/case must be/);
    expect(problems.join('\n')).toMatch(/expected must be/);
    expect(problems.join('\n')).toMatch(/observed must be/);
    expect(problems.join('\n')).toMatch(/pass must be a boolean/);
    expect(rowProblems(null)).toEqual(['row is null, not an object']);
  });

  it('turns a malformed row into a failed one, so junk cannot pass', () => {
    const rows = normaliseRows('security', [good, { ...good, pass: 'true' }]);
    expect(rows[0]).toEqual(good);
    expect(rows[1]).toMatchObject({ pass: false, case: 'forged signature' });
    expect(rows[1]?.observed).toMatch(/malformed: pass must be a boolean/);
  });

  it('fails a suite that returns nothing or not an array', () => {
    expect(normaliseRows('load', [])).toMatchObject([{ area: 'load', pass: false, observed: 'returned no rows' }]);
    expect(normaliseRows('fuzz', undefined)).toMatchObject([
      { area: 'fuzz', pass: false, observed: 'returned undefined' },
    ]);
  });

  it('records a thrown suite as one failed row with the first line of the message', () => {
    expect(errorRow('faults', new Error('simulator refused\nstack…'))).toMatchObject({
      area: 'faults',
      pass: false,
      observed: 'threw: simulator refused',
    });
  });

  it('totals passed and failed; an empty suite counts as failed', () => {
    expect(summary('security', [good, { ...good, pass: false }, good])).toEqual({
      suite: 'reliability security',
      passed: 2,
      failed: 1,
    });
    expect(summary('secrets', [])).toEqual({ suite: 'reliability secrets', passed: 0, failed: 1 });
  });
});
