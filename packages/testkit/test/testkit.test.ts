// The pure helpers; the host launchers are exercised by the packages' acceptance suites.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { signedDelivery } from '../src/events.mjs';
import { n8nWorkflow } from '../src/n8n-workflows.mjs';
import { accountNode } from '../src/nr-flows.cjs';
import { deployCard, nodeRedCardBuilder } from '../src/card-fixtures.cjs';
import { packProblems } from '../src/pack.cjs';
import { quote } from '../src/scenario.mjs';
import { failedWorkflowRun } from '../src/third-party.mjs';
import { testConfig } from '../src/vitest-preset.mjs';
import { repoRoot } from '../src/n8n-install.mjs';
import { LAUNCHER } from '../src/nr-host.mjs';
import { channelWindowMs, median, percentile, round, textsStartingWith } from '../src/stats.mjs';
import { waitFor } from '../src/wait-for.mjs';

describe('stats', () => {
  it('takes medians, percentiles and rounds', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeGreaterThanOrEqual(9);
    expect(round(1.23456, 2)).toBe(1.23);
  });

  it("bounds a channel burst by Zoom's windows and keeps one burst's texts", () => {
    // The first 60 fit the 30-per-10-s window; each 60 more (or part) takes a 100-s window.
    expect(channelWindowMs(60)).toBe(30_000);
    expect(channelWindowMs(61)).toBe(130_000);
    expect(channelWindowMs(200)).toBe(330_000);
    expect(textsStartingWith([{ text: 'burst dm 1' }, { text: 'hello' }, { text: 'burst dm 2' }], 'burst dm ')).toEqual(
      ['burst dm 1', 'burst dm 2'],
    );
  });
});

describe('deployCard', () => {
  it('puts the second field in both the parts and the Zoom JSON, and gives fresh objects each call', () => {
    const card = deployCard({ second: { label: 'Region', value: 'eu-west' } });
    expect(card.parts.fields[1]).toEqual({ label: 'Region', value: 'eu-west', short: true });
    expect(card.zoom.body[2]).toEqual({
      type: 'fields',
      items: [
        { key: 'Version', value: '2.4.1', short: true },
        { key: 'Region', value: 'eu-west', short: true },
      ],
    });
    expect(deployCard().parts.fields[1]).toEqual({ label: 'Service', value: 'api', short: true });
    expect(deployCard().zoom).not.toBe(deployCard().zoom);
    expect(nodeRedCardBuilder(card.parts)).toMatchObject({ format: 'cardBuilder', cardTitle: 'Deploy 2.4.1?' });
  });
});

describe('signedDelivery', () => {
  it('signs the body the way Zoom does', () => {
    const { body, headers } = signedDelivery('secret', 1);
    const expected = `v0=${createHmac('sha256', 'secret').update(`v0:${headers['x-zm-request-timestamp']}:${body}`).digest('hex')}`;
    expect(headers['x-zm-signature']).toBe(expected);
    expect(JSON.parse(body).event).toBe('team_chat.channel_message_posted');
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', () => (++n >= 3 ? n : undefined), 1000, 1)).resolves.toBe(3);
  });

  it('names what it waited for when it times out', async () => {
    await expect(waitFor('nothing', () => false, 20, 5)).rejects.toThrow('timed out after 0.02 s waiting for nothing');
  });
});

describe('paths', () => {
  it('finds the checkout root (where .tools lives) from its own folder', () => {
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name).toBe('zoom-team-chat-monorepo');
  });

  it('ships the Node-RED launcher next to nr-host', () => {
    expect(readFileSync(LAUNCHER, 'utf8')).toContain('process.stdin');
  });
});

describe('packProblems', () => {
  it("lists the shared rules' problems and every packed file off the allow-list", () => {
    const manifest = {
      name: 'p',
      files: [],
      pkg: {},
      entries: [],
      problems: ['LICENSE: not packed'],
      paths: ['package.json', 'dist/index.js', 'src/index.ts'],
    };
    expect(packProblems(manifest, /^(package\.json|dist\/.+\.js)$/)).toEqual([
      'LICENSE: not packed',
      "src/index.ts: not on this package's allow-list",
    ]);
    expect(packProblems({ ...manifest, problems: [] }, /./)).toEqual([]);
  });
});

describe('accountNode', () => {
  it('points at the given URLs, or at a closed port, and sets name and plan only when given', () => {
    const urls = { api: 'http://sim/v2', file: 'http://files/v2', oauth: 'http://oauth' };
    expect(accountNode('a', { urls })).toEqual({
      id: 'a',
      type: 'zoom-team-chat-account',
      authKind: 'account',
      userId: 'me',
      botJid: '',
      apiUrl: 'http://sim/v2',
      fileUrl: 'http://files/v2',
      oauthUrl: 'http://oauth',
    });
    const closed = accountNode('b', { name: 'B', plan: 'pro' });
    expect(closed).toMatchObject({ name: 'B', plan: 'pro', apiUrl: 'http://127.0.0.1:9/v2' });
  });
});

describe('scenario helpers', () => {
  it('quotes one line whole and says how many more lines a longer text has', () => {
    expect(quote('hi')).toBe('“hi”');
    expect(quote('a\nb')).toBe('“a” (+1 more line)');
    expect(quote('a\nb\nc')).toBe('“a” (+2 more lines)');
  });

  it('builds n8n workflows inactive, with execution order v1', () => {
    expect(n8nWorkflow('w', [{ name: 'n' }])).toEqual({
      name: 'w',
      active: false,
      settings: { executionOrder: 'v1' },
      connections: {},
      nodes: [{ name: 'n' }],
    });
  });

  it("builds GitHub's workflow_run body for a failed run", () => {
    const body = failedWorkflowRun({ repo: 'o/r', workflow: 'CI', branch: 'main', url: 'u', commit: 'c', actor: 'a' });
    expect(body).toMatchObject({ action: 'completed', repository: { full_name: 'o/r' } });
    expect(body.workflow_run).toMatchObject({ name: 'CI', conclusion: 'failure', head_commit: { message: 'c' } });
  });

  it('lets a package override the shared vitest settings', () => {
    expect(testConfig({ testTimeout: 5 })).toMatchObject({ include: ['test/**/*.test.ts'], testTimeout: 5 });
    expect(testConfig().outputFile).toEqual({ json: 'test-results.json' });
  });
});
