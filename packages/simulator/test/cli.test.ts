/** The CLI: argument parsing, help, and the printed URLs/credentials of a started simulator. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, HELP, parseCli, runCli } from '../src/cli';
import { startSimulator } from '../src/index';

/** Resolves once `check` holds, polling every 25 ms; fails after `timeoutMs` (generous: CI machines are loaded). */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('CLI', () => {
  it('prints help', async () => {
    const { io: sink, out } = io();
    expect(await runCli(['--help'], sink)).toBeUndefined();
    expect(out[0]).toBe(HELP);
    expect(HELP).toMatch(/--plan/);
  });

  it('derives ports from --port and parses every option', () => {
    const parsed = parseCli([
      '--port',
      '9400',
      '--admin-port',
      '9999',
      '--plan',
      'business',
      '--time-scale',
      '600',
      '--rate-limit',
      'MEDIUM=5/100',
      '--rate-limit',
      'light=off',
      '--file-redirect',
      'none',
      '--token-ttl',
      '120',
      '--scopes',
      'a:b, c:d',
      '--max-file-storage',
      '500m',
      '--storage',
      'memory',
      '--fixtures',
      'minimal',
      '--daily-retry-after',
      'date',
      '--redirect-uri',
      'http://localhost/cb',
    ]);
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.options).toMatchObject({
      ports: { api: 9400, oauth: 9401, file: 9402, fileTarget: 9403, admin: 9999 },
      plan: 'business',
      timeScale: 600,
      rateLimits: { MEDIUM: { limit: 5, daily: 100 }, LIGHT: 'off' },
      fileRedirect: 'none',
      tokenTtlSeconds: 120,
      scopes: ['a:b', 'c:d'],
      maxFileStorageBytes: 500 * 1024 * 1024,
      fileStorage: 'memory',
      fixtures: 'minimal',
      dailyRetryAfter: 'date',
      redirectUris: ['http://localhost/cb'],
    });
  });

  it.each([
    [['--plan', 'gold'], /--plan must be/],
    [['--rate-limit', 'HUGE=1'], /--rate-limit must be/],
    [['--port=-1'], /--port must be an integer/],
    [['--port', '1.5'], /--port must be an integer/],
    [['--file-redirect', '301'], /--file-redirect must be/],
    [['--max-file-storage', 'lots'], /--max-file-storage/],
    [['--time-scale', '0'], /--time-scale/],
    [['--bogus'], /bogus/],
  ])('refuses %j with a clear error', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(CliError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('starts a simulator and prints ready-to-paste credentials and URLs', async () => {
    const { io: sink, out } = io();
    const sim = await runCli(['--port', '0', '--plan', 'off', '--storage', 'memory'], sink);
    try {
      const text = out.join('\n');
      expect(text).toContain(`API base URL       ${sim!.urls.api}`);
      expect(text).toContain(`Admin API          ${sim!.urls.admin}`);
      expect(text).toContain(sim!.credentials.clientSecret);
      expect(text).toContain(sim!.credentials.chatbot.botJid);
      expect(text).toContain(sim!.credentials.webhookSecretToken);
      expect((await sim!.admin.health()).ok).toBe(true);
    } finally {
      await sim?.close();
    }
  });

  it('--json prints machine-readable URLs and credentials; --log logs requests without query strings', async () => {
    const { io: sink, out, err } = io();
    const sim = await runCli(['--port', '0', '--json', '--log', '--storage', 'memory'], sink);
    try {
      const info = JSON.parse(out.join('\n'));
      expect(info.urls.api).toBe(sim!.urls.api);
      expect(info.credentials.accountId).toBe(sim!.credentials.accountId);
      const c = sim!.credentials;
      await fetch(`${sim!.urls.oauth}/oauth/token?grant_type=account_credentials&account_id=${c.accountId}`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
      });
      // The line is written when the server closes the response, which may come after fetch resolves.
      await waitFor('the token request in the log', () => err.some((l) => /^oauth\s/.test(l)));
      expect(err.some((l) => /^oauth\s+POST\s+200 .* \/oauth\/token$/.test(l))).toBe(true);
      expect(err.join('\n')).not.toContain(c.accountId);
    } finally {
      await sim?.close();
    }
  });
});

describe('startSimulator options', () => {
  it.each([
    [{ plan: 'gold' }, /plan must be/],
    [{ fileRedirect: 301 }, /fileRedirect must be/],
    [{ rateLimits: { SLOW: 'off' } }, /rateLimits key must be/],
    [{ rateLimits: { MEDIUM: { limit: 0 } } }, /rateLimits.MEDIUM.limit must be a positive integer/],
    [{ tokenTtlSeconds: -5 }, /tokenTtlSeconds must be/],
    [{ ports: { api: 70000 } }, /ports.api must be/],
  ])('refuses %j naming the option', async (options, message) => {
    await expect(startSimulator(options as never)).rejects.toThrow(message);
  });
});

// The built CLI as users run it (turbo builds before testing; skipped when dist is absent).
const built = path.join(__dirname, '..', 'dist', 'cli.js');
describe.skipIf(!existsSync(built))('built CLI process', () => {
  it('starts, prints its URLs, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [built, '--port', '0', '--json', '--storage', 'memory', '--plan', 'off'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const info = await new Promise<{ urls: { admin: string } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON from the CLI: ${out}`)), 15_000);
      child.stdout.on('data', () => {
        try {
          const parsed = JSON.parse(out);
          clearTimeout(timer);
          resolve(parsed);
        } catch {
          // not complete yet
        }
      });
    });
    expect(((await (await fetch(`${info.urls.admin}/health`)).json()) as { ok: boolean }).ok).toBe(true);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 30_000);
});
