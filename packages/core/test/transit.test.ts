import { describe, expect, it } from 'vitest';
import { countedWithin, Turn } from '../src/http/transit';

describe('Turn: the latest time Zoom may have counted a request', () => {
  it('is the release for a turn nobody took, and the answer once answered', () => {
    expect(new Turn(0).countedBy(500)).toBe(0);
    // Released at 100, sent by a busy host 4.5 s later and answered at 4 700: it may have arrived then.
    const late = new Turn(100);
    late.leave();
    late.settle(4_700);
    expect(late.countedBy(9_000)).toBe(4_700);
  });

  it('counts a request out (taken, waiting for its token, or sent) as arriving now, up to 30 s', () => {
    const out = new Turn(100);
    out.leave();
    expect(out.countedBy(150)).toBe(150);
    expect(out.countedBy(2_000)).toBe(2_000);
    expect(out.countedBy(60_000)).toBe(30_100);
    out.settle(2_500);
    expect(out.countedBy(9_000)).toBe(2_500);
    // Only the first settle counts.
    out.settle(9_000);
    expect(out.countedBy(9_000)).toBe(2_500);
  });
});

describe('countedWithin', () => {
  it('is the count-th latest counted time: later requests may share a window only with fewer', () => {
    const turns = [0, 100, 200, 300].map((at) => new Turn(at));
    expect(countedWithin(turns, 5, 1_000)).toBe(-Infinity);
    expect(countedWithin(turns, 2, 1_000)).toBe(200);
    // The first was sent 5 s late: it now counts among the latest.
    const first = turns[0] as Turn;
    first.leave();
    first.settle(5_000);
    expect(countedWithin(turns, 2, 6_000)).toBe(300);
    expect(countedWithin(turns, 1, 6_000)).toBe(5_000);
  });
});
