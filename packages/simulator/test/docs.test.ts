/** The README documents every admin route and CLI flag (so the reference cannot drift). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../src/cli';
import { ADMIN_ROUTES } from '../src/index';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('lists every admin route', () => {
    const missing = ADMIN_ROUTES.filter((r) => !readme.includes(`\`${r.method} ${r.path}\``));
    expect(missing).toEqual([]);
  });

  it('lists every CLI flag', () => {
    const flags = [...HELP.matchAll(/--[a-z-]+/g)].map((m) => m[0]);
    expect(flags.length).toBeGreaterThan(15);
    expect(flags.filter((f) => !readme.includes(f))).toEqual([]);
  });
});
