#!/usr/bin/env node
// Placeholder entry replaced by the reliability suites as they land: runs nothing yet and reports so.
console.error('reliability suites: not built yet');
process.exit(1);
