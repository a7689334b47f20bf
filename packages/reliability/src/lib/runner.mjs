// The runner's pure parts (argument parsing, suite order, row checks, totals), kept apart from
// run.mjs so the unit tests exercise them without starting a host.

/** Suites in the order they run: secrets last, since it greps what the others produced. */
export const SUITE_ORDER = ['security', 'faults', 'fuzz', 'load', 'secrets'];
export const AREAS = ['security', 'faults', 'load', 'fuzz', 'secrets'];
export const HOSTS = ['node-red', 'n8n', 'core', 'simulator'];

/**
 * `--fast` (default) or `--long`; `--suite a,b` or `--suite a --suite b` (also `--suite=a`).
 * Unknown flags and suite names are errors naming the flag or the name.
 */
export function parseArgs(argv) {
  let mode;
  const suites = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fast' || arg === '--long') {
      const m = arg.slice(2);
      if (mode !== undefined && mode !== m) throw new Error('--fast and --long exclude each other');
      mode = m;
    } else if (arg === '--suite' || arg.startsWith('--suite=')) {
      const value = arg === '--suite' ? argv[++i] : arg.slice('--suite='.length);
      if (value === undefined || value === '')
        throw new Error('--suite needs a name (one of ' + SUITE_ORDER.join(', ') + ')');
      for (const name of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (!SUITE_ORDER.includes(name))
          throw new Error(`--suite: unknown suite "${name}" (one of ${SUITE_ORDER.join(', ')})`);
        if (!suites.includes(name)) suites.push(name);
      }
    } else if (arg === '--help' || arg === '-h') {
      return { help: true, mode: mode ?? 'fast', suites: [] };
    } else {
      throw new Error(`unknown argument "${arg}" (use --fast, --long, --suite <name>)`);
    }
  }
  const chosen = suites.length === 0 ? [...SUITE_ORDER] : SUITE_ORDER.filter((s) => suites.includes(s));
  return { help: false, mode: mode ?? 'fast', suites: chosen };
}

export const USAGE = `Usage: node src/run.mjs [--fast | --long] [--suite <name>[,<name>…]]
  --fast   CI sizes (default)          --long   500 ev/s for 30 s, 10 000 fuzz cases per node
  --suite  one or more of ${SUITE_ORDER.join(', ')} (default: all, in that order)`;

/** Problems with one row, as messages naming the field (empty when the row is well formed). */
export function rowProblems(row) {
  if (row === null || typeof row !== 'object') return [`row is ${row === null ? 'null' : typeof row}, not an object`];
  const problems = [];
  if (!AREAS.includes(row.area)) problems.push(`area ${JSON.stringify(row.area)} is not one of ${AREAS.join(', ')}`);
  if (!HOSTS.includes(row.host)) problems.push(`host ${JSON.stringify(row.host)} is not one of ${HOSTS.join(', ')}`);
  for (const field of ['case', 'expected', 'observed']) {
    if (typeof row[field] !== 'string' || row[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (typeof row.pass !== 'boolean') problems.push(`pass must be a boolean, got ${typeof row.pass}`);
  return problems;
}

const AREA_OF_SUITE = { security: 'security', faults: 'faults', fuzz: 'fuzz', load: 'load', secrets: 'secrets' };

/**
 * What a suite returned, checked: a malformed row becomes a failed row saying why (a suite
 * cannot pass by returning junk), and a suite with no rows fails as one row.
 */
export function normaliseRows(suite, returned) {
  const area = AREA_OF_SUITE[suite] ?? 'security';
  if (!Array.isArray(returned)) {
    return [
      {
        area,
        host: 'core',
        case: `suite ${suite}`,
        expected: 'an array of rows',
        observed: `returned ${returned === null ? 'null' : typeof returned}`,
        pass: false,
      },
    ];
  }
  if (returned.length === 0) {
    return [
      {
        area,
        host: 'core',
        case: `suite ${suite}`,
        expected: 'at least one row',
        observed: 'returned no rows',
        pass: false,
      },
    ];
  }
  return returned.map((row, i) => {
    const problems = rowProblems(row);
    if (problems.length === 0)
      return {
        area: row.area,
        host: row.host,
        case: row.case,
        expected: row.expected,
        observed: row.observed,
        pass: row.pass,
        ...(row.ms !== undefined ? { ms: row.ms } : {}),
      };
    return {
      area: AREA_OF_SUITE[suite] ?? area,
      host: HOSTS.includes(row?.host) ? row.host : 'core',
      case: typeof row?.case === 'string' && row.case ? row.case : `row ${i} of suite ${suite}`,
      expected: 'a well-formed row',
      observed: `malformed: ${problems.join('; ')}`,
      pass: false,
    };
  });
}

/** The row a suite that threw (or was missing) leaves. */
export function errorRow(suite, error) {
  const message = error instanceof Error ? error.message : String(error);
  return {
    area: AREA_OF_SUITE[suite] ?? 'security',
    host: 'core',
    case: `suite ${suite} ran to the end`,
    expected: 'no exception',
    observed: `threw: ${message.split('\n')[0].slice(0, 400)}`,
    pass: false,
  };
}

/** The summary the repo's test runner totals: { suite, passed, failed }. */
export function summary(suite, rows) {
  const passed = rows.filter((r) => r.pass === true).length;
  const failed = rows.length - passed;
  return { suite: `reliability ${suite}`, passed, failed: rows.length === 0 ? 1 : failed };
}
