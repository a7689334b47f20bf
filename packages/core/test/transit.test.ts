import { describe, expect, it } from 'vitest';
import { Transit } from '../src/http/transit';

describe('Transit: how differently requests travel to Zoom', () => {
  it('is the spread of the answered times, and counts a request still out as at least that late', () => {
    const t = new Transit();
    expect(t.spread(0)).toBe(0);
    const a = t.begin(0);
    const b = t.begin(10);
    t.end(a, 40, true); // 40 ms
    t.end(b, 130, true); // 120 ms
    expect(t.spread(130)).toBe(80);
    // Out for 500 ms and counting: it may arrive after everything answered so far.
    t.begin(200);
    expect(t.spread(700)).toBe(500 - 40);
  });

  it('keeps the last 20 answers, and a failure without an answer is no sample', () => {
    const t = new Transit();
    const slow = t.begin(0);
    t.end(slow, 900, true);
    for (let i = 0; i < 20; i++) t.end(t.begin(1000 + i), 1000 + i + 50, true);
    expect(t.spread(2000)).toBe(0);
    t.end(t.begin(3000), 9000, false);
    expect(t.spread(9000)).toBe(0);
  });
});
