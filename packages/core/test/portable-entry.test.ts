import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { join } from 'node:path';

/**
 * n8n's verified community nodes may not ship code that uses timers, process, console or globalThis.
 * The portable entry is what the n8n package bundles, so its whole module graph must be free of them.
 */
describe('portable entry', () => {
  it('bundles without timers, process, console or globalThis', async () => {
    const out = await build({
      entryPoints: [join(__dirname, '../src/portable.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      treeShaking: true,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const forbidden = [
      'setTimeout',
      'setInterval',
      'setImmediate',
      'process.',
      'console.',
      'globalThis',
      'require("fs")',
      'node:fs',
    ];
    const found = forbidden.filter((word) => code.includes(word));
    expect(found).toEqual([]);
    // Sanity: the bundle really holds the client.
    expect(code).toContain('sendaChatMessage');
  });
});
