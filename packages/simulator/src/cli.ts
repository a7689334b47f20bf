#!/usr/bin/env node
/**
 * `zoom-team-chat-simulator`: runs the simulator and prints ready-to-paste credentials and URLs.
 * The credentials are the simulator's own (derived from --seed), never real Zoom secrets.
 */
import { parseArgs } from 'node:util';
import type { Plan, RateLimitOverrides } from './ratelimit';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator';
import type { RateLimitLabel } from './spec/model';

export const HELP = `zoom-team-chat-simulator: a local Zoom Team Chat cloud (OAuth, REST API, file host, webhooks, WebSocket events)

Usage: zoom-team-chat-simulator [options]

Addresses
  --host <addr>              bind address (default 127.0.0.1; the admin API always binds 127.0.0.1)
  --public-host <name>       host name in the URLs handed out (e.g. host.docker.internal)
  --port <n>                 API port (default 9300); the others follow unless set:
  --oauth-port <n>           OAuth host, like zoom.us (default port+1)
  --file-port <n>            file host, like file.zoom.us (default port+2)
  --file-target-port <n>     where the file host redirects to (default port+3)
  --admin-port <n>           admin API (default port+4)
  Use --port 0 for free ports everywhere.

Behaviour
  --plan <free|pro|business|off>    rate-limit preset (default pro)
  --rate-limit <LABEL=…>            override one label, repeatable: MEDIUM=5, LIGHT=off,
                                    HEAVY=10/2000 (per window / per day). Labels: LIGHT MEDIUM
                                    HEAVY RESOURCE-INTENSIVE FILE
  --daily-retry-after <seconds|date> Retry-After of daily 429s (default seconds)
  --channel-limits <on|off>         sendaChatMessage's per-channel limits (default on unless plan off)
  --token-ttl <seconds>             access token lifetime (default 3600)
  --ws-idle-timeout <ms>            close a WebSocket without heartbeats for this long (default 90000)
  --time-scale <n>                  divide webhook retry delays (600: 5 min → 0.5 s; default 1)
  --file-redirect <302|307|308|none> file host redirect (default 307)
  --seed <text>                     IDs and credentials derive from it (default zoom-team-chat)
  --fixtures <default|minimal>      starting data (default: 5 users, 4 channels, a bot)
  --scopes <a,b,…>                  scopes granted to tokens (default: every scope in the specs)
  --redirect-uri <uri>              allowed OAuth redirect URI, repeatable (default: any)
  --storage <disk|memory>           where uploads go (default disk, a temp dir)
  --max-file-storage <size>         cap on stored bytes, e.g. 500m, 2g
  --storage-dir <dir>               parent of the temp dir for uploads

Output
  --json                     print the URLs and credentials as JSON only
  --log                      print one line per request (no headers, no query strings)
  -h, --help                 this help

Stop with Ctrl+C (SIGINT) or SIGTERM.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const LABELS: RateLimitLabel[] = ['LIGHT', 'MEDIUM', 'HEAVY', 'RESOURCE-INTENSIVE', 'FILE'];

export class CliError extends Error {}

function int(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

function size(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(value.trim());
  if (!m) throw new CliError(`--max-file-storage must look like 500m or 2g, got '${value}'`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

function rateLimits(values: string[] | undefined): RateLimitOverrides | undefined {
  if (!values?.length) return undefined;
  const out: RateLimitOverrides = {};
  for (const v of values) {
    const m = /^([A-Za-z-]+)=(off|(\d+)(?:\/(\d+))?)$/.exec(v);
    const label = m?.[1]?.toUpperCase() as RateLimitLabel | undefined;
    if (!m || !label || !LABELS.includes(label))
      throw new CliError(
        `--rate-limit must be LABEL=N, LABEL=N/DAILY or LABEL=off with LABEL one of ${LABELS.join(', ')}; got '${v}'`,
      );
    out[label] = m[2] === 'off' ? 'off' : { limit: Number(m[3]), ...(m[4] ? { daily: Number(m[4]) } : {}) };
  }
  return out;
}

export function parseCli(
  argv: string[],
): { help: true } | { help: false; options: SimulatorOptions; json: boolean; log: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        host: { type: 'string' },
        'public-host': { type: 'string' },
        port: { type: 'string' },
        'oauth-port': { type: 'string' },
        'file-port': { type: 'string' },
        'file-target-port': { type: 'string' },
        'admin-port': { type: 'string' },
        plan: { type: 'string' },
        'rate-limit': { type: 'string', multiple: true },
        'daily-retry-after': { type: 'string' },
        'channel-limits': { type: 'string' },
        'token-ttl': { type: 'string' },
        'ws-idle-timeout': { type: 'string' },
        'time-scale': { type: 'string' },
        'file-redirect': { type: 'string' },
        seed: { type: 'string' },
        fixtures: { type: 'string' },
        scopes: { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        storage: { type: 'string' },
        'max-file-storage': { type: 'string' },
        'storage-dir': { type: 'string' },
        json: { type: 'boolean' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const port = int('port', v.port) ?? 9300;
  const next = (name: string, offset: number) => int(name, v[name as 'port']) ?? (port === 0 ? 0 : port + offset);
  const plan = v.plan ?? 'pro';
  if (!['free', 'pro', 'business', 'off'].includes(plan))
    throw new CliError(`--plan must be free, pro, business or off; got '${plan}'`);
  const redirect = v['file-redirect'] ?? '307';
  if (!['302', '307', '308', 'none'].includes(redirect))
    throw new CliError(`--file-redirect must be 302, 307, 308 or none; got '${redirect}'`);
  const fixtures = v.fixtures ?? 'default';
  if (fixtures !== 'default' && fixtures !== 'minimal')
    throw new CliError(`--fixtures must be default or minimal; got '${fixtures}'`);
  const storage = v.storage ?? 'disk';
  if (storage !== 'disk' && storage !== 'memory')
    throw new CliError(`--storage must be disk or memory; got '${storage}'`);
  const dra = v['daily-retry-after'];
  if (dra !== undefined && dra !== 'seconds' && dra !== 'date')
    throw new CliError(`--daily-retry-after must be seconds or date; got '${dra}'`);
  const channelLimits = v['channel-limits'];
  if (channelLimits !== undefined && channelLimits !== 'on' && channelLimits !== 'off')
    throw new CliError(`--channel-limits must be on or off; got '${channelLimits}'`);
  const timeScale = v['time-scale'] === undefined ? undefined : Number(v['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0))
    throw new CliError(`--time-scale must be a number > 0; got '${v['time-scale']}'`);
  const overrides = rateLimits(v['rate-limit']);
  const ttl = int('token-ttl', v['token-ttl'], 1);
  const idle = int('ws-idle-timeout', v['ws-idle-timeout'], 1);
  const maxStorage = size(v['max-file-storage']);
  const options: SimulatorOptions = {
    host: v.host ?? '127.0.0.1',
    ...(v['public-host'] ? { publicHost: v['public-host'] } : {}),
    ports: {
      api: port,
      oauth: next('oauth-port', 1),
      file: next('file-port', 2),
      fileTarget: next('file-target-port', 3),
      admin: next('admin-port', 4),
    },
    plan: plan as Plan | 'off',
    fileRedirect: redirect === 'none' ? 'none' : (Number(redirect) as 302 | 307 | 308),
    seed: v.seed ?? 'zoom-team-chat',
    fixtures,
    fileStorage: storage,
    ...(overrides ? { rateLimits: overrides } : {}),
    ...(dra ? { dailyRetryAfter: dra } : {}),
    ...(channelLimits ? { channelMessageLimits: channelLimits === 'on' } : {}),
    ...(ttl !== undefined ? { tokenTtlSeconds: ttl } : {}),
    ...(idle !== undefined ? { webSocket: { idleTimeoutMs: idle } } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(v.scopes
      ? {
          scopes: v.scopes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(v['redirect-uri'] ? { redirectUris: v['redirect-uri'] } : {}),
    ...(maxStorage !== undefined ? { maxFileStorageBytes: maxStorage } : {}),
    ...(v['storage-dir'] ? { fileStorageDir: v['storage-dir'] } : {}),
  };
  return { help: false, options, json: v.json === true, log: v.log === true };
}

export function describeSimulator(sim: Simulator, plan: string): string {
  const c = sim.credentials;
  const redirect = sim.urls.fileTarget === sim.urls.file ? '(no redirect)' : `(redirects to ${sim.urls.fileTarget})`;
  const general = [...sim.state.channels.values()].find((ch) => ch.name === 'general');
  return [
    'Zoom Team Chat simulator is running.',
    '',
    `  API base URL       ${sim.urls.api}`,
    `  File base URL      ${sim.urls.file}  ${redirect}`,
    `  OAuth host         ${sim.urls.oauth}   (token: ${c.userOAuth.tokenUrl})`,
    `  WebSocket events   ${sim.urls.ws}?subscriptionId=…&access_token=…   (subscribe: POST ${sim.urls.admin}/websockets)`,
    `  Admin API          ${sim.urls.admin}   (GET / lists the routes)`,
    `  Rate limits        plan ${plan}`,
    '',
    'Server-to-Server OAuth app (grant_type=account_credentials)',
    `  Account ID         ${c.accountId}`,
    `  Client ID          ${c.clientId}`,
    `  Client Secret      ${c.clientSecret}`,
    '',
    'Chatbot app (grant_type=client_credentials)',
    `  Client ID          ${c.chatbot.clientId}`,
    `  Client Secret      ${c.chatbot.clientSecret}`,
    `  Bot JID            ${c.chatbot.botJid}`,
    `  Slash command      ${c.chatbot.slashCommand}`,
    '',
    'User-managed OAuth app (authorization_code + refresh_token)',
    `  Client ID          ${c.userOAuth.clientId}`,
    `  Client Secret      ${c.userOAuth.clientSecret}`,
    `  Authorize URL      ${c.userOAuth.authorizeUrl}`,
    `  Token URL          ${c.userOAuth.tokenUrl}`,
    '',
    `Webhook Secret Token ${c.webhookSecretToken}`,
    '',
    'Try it:',
    `  TOKEN=$(curl -s -X POST -u '${c.clientId}:${c.clientSecret}' '${sim.urls.oauth}/oauth/token?grant_type=account_credentials&account_id=${c.accountId}' | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${sim.urls.api}/chat/users/me/channels`,
    ...(general
      ? [
          `  curl -s -X POST ${sim.urls.admin}/act/message -d '{"as":"blake.chen@example.com","channel":"general","text":"Hi from a simulated human"}'`,
        ]
      : []),
    '',
    'Press Ctrl+C to stop.',
  ].join('\n');
}

/** Starts the simulator from CLI arguments; resolves once it listens. */
export async function runCli(
  argv: string[],
  io: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
): Promise<Simulator | undefined> {
  const parsed = parseCli(argv);
  if (parsed.help) {
    io.out(HELP);
    return undefined;
  }
  const sim = await startSimulator({
    precompile: true,
    ...parsed.options,
    ...(parsed.log
      ? {
          onRequest: (e) =>
            io.err(
              `${e.server.padEnd(10)} ${e.method.padEnd(6)} ${e.reset ? `${e.status || '-'} reset` : e.status} ${String(e.ms).padStart(4)}ms ${e.path}`,
            ),
        }
      : {}),
  });
  if (parsed.json)
    io.out(JSON.stringify({ urls: sim.urls, credentials: sim.credentials, plan: parsed.options.plan }, null, 2));
  else io.out(describeSimulator(sim, String(parsed.options.plan)));
  return sim;
}

if (require.main === module) {
  runCli(process.argv.slice(2))
    .then((sim) => {
      if (!sim) return;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`\n${signal}: stopping the simulator…\n`);
        sim.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`error while stopping: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((err: unknown) => {
      const message =
        err instanceof CliError ? `${err.message}\nSee --help.` : `Could not start: ${(err as Error).message}`;
      process.stderr.write(`${message}\n`);
      process.exit(err instanceof CliError ? 2 : 1);
    });
}
