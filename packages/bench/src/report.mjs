// Printing the summary rows: a plain table for the terminal, a Markdown table for BENCHMARKS.md.

/** @typedef {{ benchmark: string, measure: string, value: string, baseline: string, ratio: string, target: string, met?: boolean, note?: string }} Row */

const mark = (met) => (met === true ? 'met' : met === false ? 'MISSED' : '—');

/** @param {Row[]} rows */
export function formatTable(rows) {
  const head = ['benchmark', 'measure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const data = rows.map((r) => [r.benchmark, r.measure, r.value, r.baseline, r.ratio, r.target, mark(r.met)]);
  const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => String(d[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(/** @type {number} */ (widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...data.map(line)].join('\n');
}

/** @param {Row[]} rows */
export function formatMarkdown(rows) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    '| benchmark | measure | value | baseline | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${[r.benchmark, r.measure, r.value, r.baseline, r.ratio, r.target, mark(r.met)].map(esc).join(' | ')} |`,
    ),
  ].join('\n');
}
