/** "Did you mean …" suggestions for misspelt operation IDs and field names. */

/** Case, `_` and `-` do not count: `toChannel`, `TO_CHANNEL` and `to-channel` all match `to_channel`. */
function fold(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, '');
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

/** Field names: 1 edit up to 4 characters, else 2 (short names are too easily "close"). */
export const FIELD_DISTANCE = (length: number): number => (length <= 4 ? 1 : 2);

/**
 * The candidate `input` most likely stands for, or undefined when none is close: equal once
 * folded, or within `maxDistance(shorter length)` edits of the folded names.
 */
export function closestMatch(
  input: string,
  candidates: Iterable<string>,
  maxDistance: (length: number) => number = FIELD_DISTANCE,
): string | undefined {
  const folded = fold(input);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = fold(candidate);
    if (c === folded) return candidate;
    const limit = maxDistance(Math.min(c.length, folded.length));
    const d = editDistance(folded, c, limit);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
