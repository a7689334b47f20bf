// The pure helpers; the host launchers are exercised by the packages' acceptance suites.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { signedDelivery } from '../src/events.mjs';
import { repoRoot } from '../src/n8n-install.mjs';
import { LAUNCHER } from '../src/nr-host.mjs';
import { median, percentile, round } from '../src/stats.mjs';
import { waitFor } from '../src/wait-for.mjs';

describe('stats', () => {
  it('takes medians, percentiles and rounds', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeGreaterThanOrEqual(9);
    expect(round(1.23456, 2)).toBe(1.23);
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
