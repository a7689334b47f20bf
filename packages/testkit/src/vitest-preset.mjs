// The vitest settings every package shares: its tests under test/, printed as usual and also
// written to test-results.json, which scripts/run.mjs reads for the summary (and turbo caches).
// A package passes only what it does differently (a timeout, file parallelism, another include).

/** @param {Record<string, unknown>} [overrides] */
export function testConfig(overrides = {}) {
  return {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    ...overrides,
  };
}
