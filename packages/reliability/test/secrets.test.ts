import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { artifactKind, canaryRows, encodings, grepSecrets } from '../src/suites/secrets.mjs';

describe('artifactKind', () => {
  // What the hosts lib writes, and anything else by its first segment.
  it.each([
    ['/a/node-red-shared.log', 'Node-RED log (with debug-node output)'],
    ['/a/node-red-variant1-flows-export-2.json', 'Node-RED flows export (GET /flows)'],
    ['/a/n8n-execution-data.json', 'n8n execution data (REST API)'],
    ['/a/simulator-requests-3.log', "simulator's request log"],
    ['/x/artifacts/faults-ledger.json', 'faults output'],
  ])('names %s: %s', (file, kind) => {
    expect(artifactKind(file)).toBe(kind);
  });
});

describe('grepSecrets', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a secret in any encoding, one row per secret kind × artifact kind, without printing it', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rel-grep-'));
    const secret = 'sk_live/abc+def=123456';
    const token = 'eyJhbGciOi.token.value';
    writeFileSync(
      path.join(dir, 'n8n.log'),
      `Authorization: Basic ${Buffer.from(secret).toString('base64').replace(/=+$/, '')}\n`,
    );
    writeFileSync(
      path.join(dir, 'simulator-requests-1.log'),
      `{"path":"/oauth/token?x=${encodeURIComponent(secret)}"}\n`,
    );
    writeFileSync(path.join(dir, 'node-red-shared.log'), 'nothing here\n');
    const rows = grepSecrets({
      files: ['n8n.log', 'simulator-requests-1.log', 'node-red-shared.log'].map((f) => path.join(dir, f)),
      secrets: new Set([secret, token, 'short']),
      labels: new Map([
        [secret, 'client secret'],
        [token, 'access token'],
      ]),
      root: dir,
    });
    // 2 usable secret kinds (the short one is ignored) × 3 artifact kinds.
    expect(rows).toHaveLength(6);
    const of = (label: string, kind: string) => rows.find((r: { case: string }) => r.case === `${label} in ${kind}`);
    expect(of('client secret', 'n8n log')).toMatchObject({ pass: false, host: 'n8n' });
    expect(of('client secret', 'n8n log')?.observed).toMatch(/base64 in n8n.log/);
    expect(of('client secret', "simulator's request log")).toMatchObject({ pass: false, host: 'simulator' });
    expect(of('client secret', "simulator's request log")?.observed).toMatch(/URL-encoded/);
    expect(of('client secret', 'Node-RED log (with debug-node output)')).toMatchObject({ pass: true });
    expect(
      rows
        .filter((r: { case: string; pass: boolean }) => r.case.startsWith('access token'))
        .every((r: { pass: boolean }) => r.pass),
    ).toBe(true);
    for (const r of rows) expect(r.observed).not.toContain(secret);
  });

  it('checks plain, base64, base64url and URL-encoded forms', () => {
    expect([...encodings('a/b+c').keys()]).toEqual(['plain', 'base64', 'base64url', 'URL-encoded']);
    expect([...encodings('plain-token').keys()]).toEqual(['plain', 'base64', 'base64url']);
  });

  it('self-check finds the planted canary', () => {
    expect(canaryRows()).toMatchObject([{ pass: true }]);
  });
});
