import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, CRASHY, fuzzSpecs, judge, show, withMarker } from '../src/lib/fuzz-cases.mjs';

type Kind = {
  label: string;
  kind: 'good' | 'bad' | 'either';
  field?: string;
  marker?: boolean;
  arb: fc.Arbitrary<unknown>;
};
type Spec = { host: string; kinds: Kind[] };
const specs = fuzzSpecs({ channel: 'chan1', messageId: 'msg1', owner: 'owner@example.com' }) as Record<string, Spec>;
const codePoints = (s: string) => [...s].length;
const kindOf = (node: string, label: string): Kind => {
  const k = specs[node]?.kinds.find((x) => x.label === label);
  if (!k) throw new Error(`no kind ${label} in ${node}`);
  return k;
};

describe('fuzz oracle', () => {
  const bad = { label: 'x', kind: 'bad' as const, field: 'msg\\.limit|limit' };
  it('a bad item passes only as an error naming its field, never as an internal crash', () => {
    expect(judge(bad, { ok: false, error: 'msg.limit must be a whole number ≥ 1 (got 0).' }).pass).toBe(true);
    expect(judge(bad, { ok: false, error: 'Channel does not exist' }).pass).toBe(false);
    expect(
      judge(bad, { ok: false, error: "TypeError: Cannot read properties of undefined (reading 'limit')" }).pass,
    ).toBe(false);
    expect(judge(bad, { ok: true }).pass).toBe(false);
  });
  it('a good item must go through and, with a marker, be stored exactly once', () => {
    const good = { label: 'g', kind: 'good' as const };
    expect(judge(good, { ok: true }, 1).pass).toBe(true);
    expect(judge(good, { ok: true }, 2).pass).toBe(false);
    expect(judge(good, { ok: true }, 0).pass).toBe(false);
    expect(judge(good, { ok: false, error: 'x' }).pass).toBe(false);
  });
  it('no outcome, or both an output and an error, always fails', () => {
    expect(judge(bad, undefined).pass).toBe(false);
    expect(judge(bad, { ok: false, missing: true, error: 'limit' }).pass).toBe(false);
    expect(
      judge({ label: 'e', kind: 'either', field: 'message' }, { ok: false, both: true, error: 'message' }).pass,
    ).toBe(false);
  });
  it('CRASHY does not flag a clear JSON error that names the field', () => {
    expect(CRASHY.test('msg.params is not valid JSON: Unexpected token o in JSON')).toBe(false);
    expect(CRASHY.test('TypeError: x is not a function')).toBe(true);
  });
});

describe('fuzz generators', () => {
  it('allocate spreads exactly the total, good kinds twice as often', () => {
    const kinds = [{ kind: 'good' }, { kind: 'bad' }, { kind: 'bad' }];
    expect(allocate(kinds, 200).reduce((a: number, b: number) => a + b, 0)).toBe(200);
    expect(allocate(kinds, 100)).toEqual([50, 25, 25]);
  });
  it('withMarker replaces every {{M}} deep inside an item', () => {
    expect(withMarker({ a: ['x {{M}}'], b: { c: '{{M}}' }, n: 1 }, '[F:1]')).toEqual({
      a: ['x [F:1]'],
      b: { c: '[F:1]' },
      n: 1,
    });
  });
  it('good message texts are never blank, carry the marker and stay within 1024 code points', () => {
    for (const [node, label] of [
      ['node-red send', 'good unicode text to a channel'],
      ['n8n message send', 'good unicode text to a channel'],
    ] as const) {
      for (const item of fc.sample(kindOf(node, label).arb, { numRuns: 300, seed: 7 }) as Array<{
        msg?: { payload: string };
        json?: { text: string };
      }>) {
        const t = item.msg?.payload ?? item.json?.text ?? '';
        expect(t.trim()).not.toBe('');
        expect(t).toContain('{{M}}');
        expect(codePoints(t)).toBeLessThanOrEqual(1024);
      }
    }
  });
  it('"over 1024 characters" is over the limit however characters are counted', () => {
    for (const item of fc.sample(kindOf('node-red send', 'text over 1024 characters').arb, {
      numRuns: 100,
      seed: 3,
    }) as Array<{ msg: { payload: string } }>) {
      expect(codePoints(item.msg.payload)).toBeGreaterThan(1024);
    }
  });
  it('good file names have no path separators or control characters', () => {
    for (const item of fc.sample(kindOf('node-red upload', 'good file (random bytes, unicode name)').arb, {
      numRuns: 300,
      seed: 5,
    }) as Array<{ msg: { fileName: string }; bufferB64: string }>) {
      expect(item.msg.fileName).not.toMatch(/[\u0000-\u001f\u007f/\\]/);
      expect(Buffer.from(item.bufferB64, 'base64').length).toBeGreaterThan(0);
    }
  });
  it('every bad kind names a field pattern that compiles, and every kind can be sampled', () => {
    for (const spec of Object.values(specs)) {
      for (const k of spec.kinds) {
        if (k.kind !== 'good') expect(() => new RegExp(k.field ?? '(missing)', 'i')).not.toThrow();
        if (k.kind !== 'good') expect(k.field).toBeTruthy();
        expect(fc.sample(k.arb, { numRuns: 5, seed: 1 })).toHaveLength(5);
      }
    }
  });
  it('show() cuts long strings and keeps their length', () => {
    expect(show({ t: 'x'.repeat(100) })).toBe('{"t":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…(100 chars)"}');
  });
});
