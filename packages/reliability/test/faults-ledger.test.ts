import { describe, expect, it } from 'vitest';
import { classify, countMarkers, ledger, saysMaybeSent, tallyText } from '../src/lib/faults-ledger.mjs';

describe('send ledger', () => {
  it('accepts delivered-once and reported-failed-and-absent', () => {
    expect(classify({ ok: true }, 1)).toEqual({ verdict: 'delivered', pass: true });
    expect(classify({ ok: false, error: 'HTTP 500' }, 0)).toEqual({ verdict: 'reported failed', pass: true });
  });
  it('refuses duplicates even when reported sent', () => {
    expect(classify({ ok: true }, 2).pass).toBe(false);
    expect(classify({ ok: false, error: 'may have reached Zoom' }, 2).verdict).toBe('duplicate');
  });
  it('refuses a success that never arrived (lost) and an item with no outcome', () => {
    expect(classify({ ok: true }, 0)).toEqual({ verdict: 'reported sent but not stored', pass: false });
    expect(classify(undefined, 0).pass).toBe(false);
    expect(classify({ ok: false, missing: true, error: 'x' }, 1).pass).toBe(false);
  });
  it('accepts a stored message reported failed only when the error says it may have been sent', () => {
    expect(classify({ ok: false, error: 'The request may have reached Zoom, so it was not retried' }, 1).pass).toBe(
      true,
    );
    expect(classify({ ok: false, error: 'Zoom may or may not have carried it out' }, 1).pass).toBe(true);
    expect(classify({ ok: false, error: 'Channel does not exist' }, 1)).toEqual({
      verdict: 'stored but reported as failed',
      pass: false,
    });
  });
  it('tallies a batch and names each problem', () => {
    const entries = [
      { key: 'a', marker: '[L:1]' },
      { key: 'b', marker: '[L:2]' },
      { key: 'c', marker: '[L:3]' },
    ];
    const outcomes = new Map([
      ['a', { ok: true }],
      ['b', { ok: false, error: 'HTTP 503' }],
      ['c', { ok: true }],
    ]);
    const counts = new Map([
      ['[L:1]', 1],
      ['[L:2]', 0],
      ['[L:3]', 2],
    ]);
    const r = ledger(entries, outcomes, counts);
    expect(r.pass).toBe(false);
    expect(r.problems).toEqual(['c: duplicate (stored 2×)']);
    expect(tallyText(r.tally)).toBe('1 delivered, 1 duplicate, 1 reported failed');
  });
  it('counts bracketed markers without prefix collisions', () => {
    const counts = countMarkers(['[L:r:1]', '[L:r:10]'], ['ledger [L:r:10]', 'ledger [L:r:1]', 'x [L:r:10]']);
    expect(counts.get('[L:r:1]')).toBe(1);
    expect(counts.get('[L:r:10]')).toBe(2);
  });
  it('recognises the possibly-sent wording only', () => {
    expect(saysMaybeSent('The request may have reached Zoom')).toBe(true);
    expect(saysMaybeSent('timed out')).toBe(false);
    expect(saysMaybeSent(undefined)).toBe(false);
  });
});
