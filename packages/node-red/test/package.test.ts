/**
 * What Node-RED and its catalogue read from the package: node-red field, editor files with help
 * and i18n for every node, credentials kept out of defaults, and an example flow per node whose
 * API parameters are valid against Zoom's spec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getOperation, validateRequest } from '@zoom-team-chat/core';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_CREDENTIALS } from '../src/nodes/zoom-team-chat-account/zoom-team-chat-account';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const types = Object.keys(pkg['node-red'].nodes) as string[];
const read = (...p: string[]) => readFileSync(path.join(root, ...p), 'utf8');

describe('package.json', () => {
  it('declares what Node-RED and the catalogue need', () => {
    expect(pkg.name).toBe('@zoom-team-chat/node-red-zoom-team-chat');
    expect(pkg.license).toBe('MIT');
    expect(pkg.keywords).toContain('node-red');
    expect(pkg.repository.url).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg['node-red'].version).toBe('>=3.0.0');
    expect(pkg.engines.node).toBe('>=18.5.0');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'examples']));
    // The core is bundled: nothing unpublished (or at all) is needed at install time.
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(types.sort()).toEqual(
      [
        'zoom-team-chat-account',
        'zoom-team-chat-api',
        'zoom-team-chat-ask',
        'zoom-team-chat-list',
        'zoom-team-chat-message',
        'zoom-team-chat-send',
        'zoom-team-chat-trigger',
        'zoom-team-chat-upload',
      ].sort(),
    );
    for (const t of types) expect(pkg['node-red'].nodes[t]).toBe(`dist/nodes/${t}.js`);
  });
});

describe.each(types)('%s editor files', (type) => {
  const html = read('src', 'nodes', type, `${type}.html`);
  const messages = JSON.parse(read('src', 'locales', 'en-US', `${type}.json`));

  it('registers the type, has help and an i18n catalogue for every label it uses', () => {
    expect(html).toContain(`RED.nodes.registerType('${type}'`);
    expect(html).toMatch(new RegExp(`<script type="text/html" data-template-name="${type}">`));
    const help = new RegExp(`<script type="text/html" data-help-name="${type}">([\\s\\S]*?)</script>`).exec(html);
    expect(help?.[1]?.length ?? 0).toBeGreaterThan(300);
    for (const [, key] of html.matchAll(/data-i18n="(?:\[placeholder\])?([^"]+)"/g)) {
      const value = key!
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], messages);
      expect(typeof value, `${type}: i18n key ${key}`).toBe('string');
    }
  });

  it('uses the package icon and keeps the palette definition inline (for the catalogue scanner)', () => {
    if (type !== 'zoom-team-chat-account') expect(html).toContain("icon: 'zoom-team-chat.svg'");
    expect(read('src', 'icons', 'zoom-team-chat.svg')).toContain('<svg');
  });
});

describe('credentials', () => {
  it('are declared as credentials in the editor and the runtime, never as defaults', () => {
    const html = read('src', 'nodes', 'zoom-team-chat-account', 'zoom-team-chat-account.html');
    const defaults = /defaults: \{([\s\S]*?)\n {4}\},/.exec(html)?.[1] ?? '';
    const credentials = /credentials: \{([\s\S]*?)\n {4}\},/.exec(html)?.[1] ?? '';
    for (const [key, spec] of Object.entries(ACCOUNT_CREDENTIALS)) {
      expect(defaults).not.toContain(`${key}:`);
      expect(credentials).toContain(`${key}: { type: '${spec.type}' }`);
    }
    expect(ACCOUNT_CREDENTIALS.clientSecret.type).toBe('password');
    expect(ACCOUNT_CREDENTIALS.webhookSecretToken.type).toBe('password');
    expect(ACCOUNT_CREDENTIALS.refreshToken.type).toBe('password');
  });
});

/** Example flows, sub-folders included (Import → Examples shows them as folders). */
function exampleFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? exampleFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
      : e.name.endsWith('.json')
        ? [`${prefix}${e.name}`]
        : [],
  );
}

describe('examples', () => {
  const files = exampleFiles(path.join(root, 'examples'));
  const flows = files.map((f) => ({
    file: f,
    nodes: JSON.parse(read('examples', f)) as Array<Record<string, unknown>>,
  }));

  it('ship every use-case flow of the repository (examples/node-red), unchanged', () => {
    const source = path.join(root, '..', '..', 'examples', 'node-red');
    const useCases = readdirSync(source)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(useCases.length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => f.startsWith('use-cases/')).sort()).toEqual(useCases.map((f) => `use-cases/${f}`));
    for (const f of useCases) {
      expect(read('examples', 'use-cases', f), `${f}: run the build to copy it`).toBe(
        readFileSync(path.join(source, f), 'utf8'),
      );
    }
  });

  it('keep every setting a user must fill in blank: account nodes, tab variables', () => {
    for (const { file, nodes } of flows.filter((f) => f.file.startsWith('use-cases/'))) {
      for (const n of nodes) {
        if (n.type === 'zoom-team-chat-account') {
          for (const key of ['apiUrl', 'fileUrl', 'oauthUrl', 'userId', 'botJid'])
            expect(n[key], `${file} ${n.id}.${key}`).toBe('');
        }
        if (n.type === 'tab')
          for (const e of (n.env as Array<{ value: unknown }> | undefined) ?? [])
            expect(e.value, `${file} tab env`).toBe('');
      }
    }
  });

  it('share one account node per kind across the use cases (imports reuse it)', () => {
    const accounts = new Map<string, string>();
    for (const { nodes } of flows.filter((f) => f.file.startsWith('use-cases/'))) {
      for (const n of nodes.filter((x) => x.type === 'zoom-team-chat-account')) {
        const seen = accounts.get(n.id as string);
        if (seen !== undefined) expect(JSON.stringify(n)).toBe(seen);
        accounts.set(n.id as string, JSON.stringify(n));
      }
    }
    expect(accounts.size).toBe(2);
  });

  it('cover every node type', () => {
    const used = new Set(flows.flatMap((f) => f.nodes.map((n) => n.type)));
    for (const t of types) expect(used.has(t), t).toBe(true);
  });

  it.each(files)('%s is an importable flow without credentials, wired to nodes it contains', (file) => {
    const nodes = flows.find((f) => f.file === file)!.nodes;
    const ids = new Set(nodes.map((n) => n.id));
    expect(ids.size).toBe(nodes.length);
    for (const n of nodes) {
      expect(n.credentials).toBeUndefined();
      if (typeof n.account === 'string') expect(ids.has(n.account), `${n.id}.account`).toBe(true);
      for (const port of (n.wires as string[][] | undefined) ?? [])
        for (const target of port) expect(ids.has(target)).toBe(true);
      if (n.z !== undefined) expect(ids.has(n.z as string)).toBe(true);
    }
    expect(JSON.stringify(nodes)).not.toMatch(/clientSecret|webhookSecretToken|refreshToken/);
  });

  it('call API operations with parameters valid against the spec', () => {
    const calls: Array<{ operationId: string; params: Record<string, Record<string, unknown>> }> = [];
    for (const { nodes } of flows) {
      for (const n of nodes) {
        if (n.type === 'zoom-team-chat-api' && n.operationId)
          calls.push({ operationId: n.operationId as string, params: JSON.parse((n.params as string) || '{}') });
        if (n.type === 'inject') {
          const props = (n.props as Array<{ p: string; v: string }>) ?? [];
          const op = props.find((p) => p.p === 'operationId')?.v;
          const params = props.find((p) => p.p === 'params')?.v;
          if (op) calls.push({ operationId: op, params: JSON.parse(params ?? '{}') });
        }
      }
    }
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) expect(validateRequest(getOperation(c.operationId), c.params), c.operationId).toEqual([]);
  });
});
