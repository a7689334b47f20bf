// The send ledger: every message a flow asked to send is either stored once at the simulator or
// reported to the user as failed; nothing is stored twice. A failure report for something that
// WAS stored is only acceptable when it says the message may have been sent (the user must not
// be led to send it again). Pure: the suites feed it outcomes and the simulator's store.

/** Does an error tell the user the request may have gone through? */
export function saysMaybeSent(error) {
  return typeof error === 'string' && /may have (reached|been sent|gone)|may or may not have/i.test(error);
}

/**
 * One entry's verdict. outcome: { ok, error? } as the host reported it (undefined: no outcome
 * at all); stored: how many times its unique marker is in the simulator's store.
 */
export function classify(outcome, stored) {
  if (stored > 1) return { verdict: 'duplicate', pass: false };
  if (outcome === undefined || outcome.missing)
    return { verdict: stored === 1 ? 'stored, never reported' : 'lost, never reported', pass: false };
  if (outcome.ok)
    return stored === 1
      ? { verdict: 'delivered', pass: true }
      : { verdict: 'reported sent but not stored', pass: false };
  if (stored === 0) return { verdict: 'reported failed', pass: true };
  return saysMaybeSent(outcome.error)
    ? { verdict: 'stored, reported as possibly sent', pass: true }
    : { verdict: 'stored but reported as failed', pass: false };
}

/**
 * entries: [{ key, marker }]; outcomes: Map key → outcome; counts: Map marker → times stored.
 * Returns { pass, tally: { verdict: n }, problems: [text] }.
 */
export function ledger(entries, outcomes, counts) {
  const tally = {};
  const problems = [];
  for (const e of entries) {
    const outcome = outcomes.get(e.key);
    const stored = counts.get(e.marker) ?? 0;
    const { verdict, pass } = classify(outcome, stored);
    tally[verdict] = (tally[verdict] ?? 0) + 1;
    if (!pass)
      problems.push(
        `${e.key}: ${verdict} (stored ${stored}×${outcome?.error ? `, error: ${outcome.error.slice(0, 160)}` : ''})`,
      );
  }
  return { pass: problems.length === 0, tally, problems };
}

/** "3 delivered, 1 reported failed" in a stable order. */
export function tallyText(tally) {
  return Object.entries(tally)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** How often each marker occurs in a list of texts (a marker counts once per text containing it). */
export function countMarkers(markers, texts) {
  const counts = new Map(markers.map((m) => [m, 0]));
  for (const t of texts) {
    if (typeof t !== 'string') continue;
    for (const m of markers) if (t.includes(m)) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return counts;
}
