/** `startSimulator`: wires state, servers, rate limits, faults and the webhook hub together. */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { AdminClient } from './admin/client';
import { createAdminHandler } from './admin/server';
import { TokenStore, type AppConfig } from './auth/tokens';
import type { Sim, SimUrls } from './context';
import { Faults } from './faults';
import { FileStorage, type StorageMode } from './files/storage';
import { chatbotCallbackRoute } from './handlers/chatbot-callback';
import { fileLimit } from './handlers/files';
import { handlerFor } from './handlers/index';
import { marketplaceRoute } from './handlers/marketplace';
import { HubAdapter } from './hub-adapter';
import { createApiHandler } from './http/api-server';
import { createRedirectHandler, downloadRoute, type FileRedirect } from './http/file-host';
import { createOAuthHandler } from './http/oauth-server';
import { ChannelMessageLimiter, RateLimiter, type Plan, type RateLimitOverrides } from './ratelimit';
import { allSpecScopes, operations } from './spec/model';
import { validatorsFor } from './spec/validators';
import { ChatService } from './state/chat';
import { IdFactory } from './state/ids';
import { MessageScheduler } from './state/scheduler';
import { seedStore, type Fixtures } from './state/seed';
import { Store } from './state/store';
import { createWebhookHub, type WebhookHub, type WebhookHubOptions } from './webhooks';
import { checkWebSocketOptions, WebSocketEndpoint, WEBSOCKET_PATH, WEBSOCKET_SCOPE, type WebSocketOptions } from './ws';

export interface SimulatorOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /**
   * Host name put in URLs the simulator hands out (its URLs, the file host's redirect, download
   * URLs, `api_url`). Default: `host`, or 127.0.0.1 when binding all interfaces. Set it to e.g.
   * `host.docker.internal` when n8n or Node-RED runs in a container.
   */
  publicHost?: string;
  /** 0 (default) picks a free port. `fileTarget` is the address the file host redirects to. */
  ports?: { api?: number; file?: number; fileTarget?: number; oauth?: number; admin?: number };
  /** Rate-limit preset (docs/rate-limits.md) or `off`. Default `pro`. */
  plan?: Plan | 'off';
  /** Per-label changes to the preset, e.g. `{ MEDIUM: { limit: 5 }, HEAVY: 'off' }`. */
  rateLimits?: RateLimitOverrides;
  /** Daily 429s: `Retry-After` in seconds (default) or as an ISO date (what Zoom's docs show). */
  dailyRetryAfter?: 'seconds' | 'date';
  /**
   * The per-channel message limits sendaChatMessage documents (10 per second, 30 per 10 s, …,
   * then the channel is blocked for a while). Default: on unless `plan` is `off`.
   */
  channelMessageLimits?: boolean;
  /** Access token lifetime (default 3600, Zoom's). */
  tokenTtlSeconds?: number;
  /** Divides Zoom's webhook retry delays (5/20/60 min): 600 turns minutes into 0.1 s. Default 1. */
  timeScale?: number;
  /** The file host's redirect status, or `none` to serve files at the first address. Default 307. */
  fileRedirect?: FileRedirect;
  /** Seeds IDs and credentials: the same seed gives the same IDs and secrets. Default `zoom-team-chat`. */
  seed?: string | number;
  /** `default`: five users, four channels, a few messages, a bot. `minimal`: the owner and the bot. */
  fixtures?: Fixtures;
  /** Scopes granted to tokens (default: every scope the specs mention), per app or for all. */
  scopes?: string[] | { s2s?: string[]; userOAuth?: string[]; chatbot?: string[] };
  /** Where uploads go (default `disk`, a temp dir removed on close). */
  fileStorage?: StorageMode;
  /** Cap on stored bytes; past it the oldest files' bytes are dropped. Default 2 GiB disk / 256 MiB memory. */
  maxFileStorageBytes?: number;
  /** Parent directory for disk storage (default the OS temp dir). */
  fileStorageDir?: string;
  /** Allowed redirect URIs of the user OAuth app (default: any http(s) URI). */
  redirectUris?: string[];
  /** Override generated credentials (e.g. to keep ones pasted into n8n). */
  credentials?: Partial<Pick<SimulatorCredentials, 'clientId' | 'clientSecret' | 'webhookSecretToken'>> & {
    chatbot?: Partial<Pick<SimulatorCredentials['chatbot'], 'clientId' | 'clientSecret'>>;
    userOAuth?: Partial<Pick<SimulatorCredentials['userOAuth'], 'clientId' | 'clientSecret'>>;
  };
  /** Clock (epoch ms) for tokens, rate limits, timestamps. Default `Date.now`. */
  now?: () => number;
  /** Use this hub instead of creating one (it is closed with the simulator only if created here). */
  hub?: WebhookHub;
  /** Options for the hub created here. */
  webhooks?: Omit<WebhookHubOptions, 'now' | 'timeScale'>;
  /** WebSocket event delivery on the API host at `/ws` (idle timeout, closing on token expiry). */
  webSocket?: WebSocketOptions;
  /** Called once per finished request (no headers, no query strings: nothing secret). */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * Compile every operation's validators before resolving (about a second of CPU, once per
   * process) instead of on each operation's first call. For benchmarks; the CLI does it.
   */
  precompile?: boolean;
}

export interface RequestLogEntry {
  /** `ws`: an upgrade request to the API host's `/ws` (status 101 when it became a socket). */
  server: 'api' | 'file' | 'fileTarget' | 'oauth' | 'admin' | 'ws';
  method: string;
  path: string;
  /** The status sent; 0 when the connection closed before any answer (see `reset`). */
  status: number;
  ms: number;
  /**
   * Set when the connection closed before the answer was complete: a `reset` fault, or the
   * client gave up first (e.g. its timeout ran out during a `delayMs` fault). The client got no
   * usable answer, whatever the handler went on to do.
   */
  reset?: true;
}

export interface SimulatorCredentials {
  /** Server-to-Server OAuth app. */
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Chatbot app (client_credentials grant). */
  chatbot: {
    clientId: string;
    clientSecret: string;
    botJid: string;
    accountId: string;
    botName: string;
    slashCommand: string;
  };
  /** Signs webhook deliveries and answers url_validation challenges. */
  webhookSecretToken: string;
  /** User-managed OAuth app (authorization_code + refresh_token). */
  userOAuth: { clientId: string; clientSecret: string; authorizeUrl: string; tokenUrl: string; redirectUris: string[] };
}

export interface Simulator {
  /** `ws` is the WebSocket event endpoint (`ws://host:port/ws`), on the API host's port. */
  urls: { api: string; file: string; fileTarget: string; oauth: string; admin: string; ws: string };
  credentials: SimulatorCredentials;
  admin: AdminClient;
  /** Direct access to the state (read it in tests; mutate through `admin` to get events). */
  readonly state: Store;
  /** The running parts (state, services, limiter, faults, tokens). */
  readonly sim: Sim;
  hub: WebhookHub;
  /** Fresh state from the seed; tokens stay valid (same seed, same user IDs). */
  reset(opts?: { fixtures?: Fixtures; clearTokens?: boolean }): Promise<void>;
  close(): Promise<void>;
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function origin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const MARKETPLACE = [
  'marketplace:write:event_subscription',
  'marketplace:read:list_event_subscriptions',
  'marketplace:update:event_subscription',
  'marketplace:delete:event_subscription',
  // Gates WebSocket connections (src/ws/upgrade.ts): Zoom lists it among S2S scopes.
  WEBSOCKET_SCOPE,
];

const LABEL_NAMES = ['LIGHT', 'MEDIUM', 'HEAVY', 'RESOURCE-INTENSIVE', 'FILE'];

/** Misconfiguration fails loudly, naming the option, instead of quietly simulating something else. */
function checkOptions(o: SimulatorOptions): void {
  const fail = (name: string, want: string, got: unknown) => {
    throw new TypeError(`startSimulator: ${name} must be ${want}, got ${JSON.stringify(got)}`);
  };
  if (o.plan !== undefined && !['free', 'pro', 'business', 'off'].includes(o.plan))
    fail('plan', "'free', 'pro', 'business' or 'off'", o.plan);
  if (o.fileRedirect !== undefined && ![302, 307, 308, 'none'].includes(o.fileRedirect))
    fail('fileRedirect', "302, 307, 308 or 'none'", o.fileRedirect);
  if (o.fixtures !== undefined && o.fixtures !== 'default' && o.fixtures !== 'minimal')
    fail('fixtures', "'default' or 'minimal'", o.fixtures);
  if (o.fileStorage !== undefined && o.fileStorage !== 'disk' && o.fileStorage !== 'memory')
    fail('fileStorage', "'disk' or 'memory'", o.fileStorage);
  if (o.dailyRetryAfter !== undefined && o.dailyRetryAfter !== 'seconds' && o.dailyRetryAfter !== 'date')
    fail('dailyRetryAfter', "'seconds' or 'date'", o.dailyRetryAfter);
  if (o.tokenTtlSeconds !== undefined && !(Number.isFinite(o.tokenTtlSeconds) && o.tokenTtlSeconds > 0))
    fail('tokenTtlSeconds', 'a number > 0', o.tokenTtlSeconds);
  if (o.timeScale !== undefined && !(Number.isFinite(o.timeScale) && o.timeScale > 0))
    fail('timeScale', 'a number > 0', o.timeScale);
  if (o.maxFileStorageBytes !== undefined && !(Number.isFinite(o.maxFileStorageBytes) && o.maxFileStorageBytes >= 0))
    fail('maxFileStorageBytes', 'a number ≥ 0', o.maxFileStorageBytes);
  for (const [label, v] of Object.entries(o.rateLimits ?? {})) {
    if (!LABEL_NAMES.includes(label)) fail(`rateLimits key`, LABEL_NAMES.join(', '), label);
    if (v === 'off') continue;
    for (const k of ['limit', 'windowMs', 'daily'] as const) {
      const n = (v as Record<string, unknown>)[k];
      if (n !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n > 0))
        fail(`rateLimits.${label}.${k}`, 'a positive integer', n);
    }
  }
  checkWebSocketOptions(o.webSocket);
  for (const [name, port] of Object.entries(o.ports ?? {})) {
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
      fail(`ports.${name}`, 'a port number (0 for any free port)', port);
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const publicHost = options.publicHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 'zoom-team-chat';
  const fixtures = options.fixtures ?? 'default';
  const redirect = options.fileRedirect ?? 307;

  // Credentials come from their own generator so resets never change them.
  const cid = new IdFactory(`${seed}:credentials`);
  const botJid = cid.botJid();
  const creds = {
    clientId: options.credentials?.clientId ?? cid.clientId(),
    clientSecret: options.credentials?.clientSecret ?? cid.secret(),
    chatbotId: options.credentials?.chatbot?.clientId ?? cid.clientId(),
    chatbotSecret: options.credentials?.chatbot?.clientSecret ?? cid.secret(),
    userId: options.credentials?.userOAuth?.clientId ?? cid.clientId(),
    userSecret: options.credentials?.userOAuth?.clientSecret ?? cid.secret(),
    webhook: options.credentials?.webhookSecretToken ?? cid.secret(),
  };
  const bot = { clientId: creds.chatbotId, jid: botJid, name: 'Sim Bot', slashCommand: '/simbot' };

  const teamChatScopes = [...allSpecScopes('team-chat'), ...MARKETPLACE];
  const pick = (kind: 's2s' | 'userOAuth' | 'chatbot', fallback: string[]): string[] => {
    const s = options.scopes;
    if (Array.isArray(s)) return s;
    return s?.[kind] ?? fallback;
  };
  const apps: AppConfig[] = [
    {
      kind: 's2s',
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      scopes: pick('s2s', teamChatScopes),
      redirectUris: [],
    },
    {
      kind: 'userOAuth',
      clientId: creds.userId,
      clientSecret: creds.userSecret,
      scopes: pick('userOAuth', teamChatScopes),
      redirectUris: options.redirectUris ?? [],
    },
    {
      kind: 'chatbot',
      clientId: creds.chatbotId,
      clientSecret: creds.chatbotSecret,
      scopes: pick('chatbot', ['imchat:bot']),
      redirectUris: [],
    },
  ];

  const makeState = (fx: Fixtures): { store: Store } => {
    const store = new Store(seed, now);
    seedStore(store, fx, bot);
    return { store };
  };

  const files = new FileStorage({
    mode: options.fileStorage ?? 'disk',
    ...(options.maxFileStorageBytes !== undefined ? { maxBytes: options.maxFileStorageBytes } : {}),
    ...(options.fileStorageDir ? { dir: options.fileStorageDir } : {}),
  });
  await files.init();

  const ownHub = !options.hub;
  const hub = options.hub ?? createWebhookHub({ ...(options.webhooks ?? {}), now, timeScale: options.timeScale ?? 1 });
  const urls: SimUrls = { api: '', file: '', fileTarget: '', oauth: '', admin: '', ws: '' };
  let { store } = makeState(fixtures);
  const onRequest = options.onRequest;
  const ws = new WebSocketEndpoint(
    {
      tokens: () => sim.tokens,
      now,
      baseUrl: () => urls.ws,
      ...(onRequest
        ? {
            onUpgrade: (status: number, ms: number) =>
              onRequest({ server: 'ws', method: 'GET', path: WEBSOCKET_PATH, status, ms }),
          }
        : {}),
    },
    options.webSocket,
  );
  const adapter = new HubAdapter(hub, () => sim.store, now, ws);
  const sim: Sim = {
    store,
    chat: new ChatService(store, (e) => adapter.handle(e)),
    scheduler: new MessageScheduler(() => sim, now),
    tokens: new TokenStore(now, options.tokenTtlSeconds ?? 3600),
    apps,
    limiter: new RateLimiter(
      {
        plan: options.plan ?? 'pro',
        ...(options.rateLimits ? { overrides: options.rateLimits } : {}),
        ...(options.dailyRetryAfter ? { dailyRetryAfter: options.dailyRetryAfter } : {}),
      },
      now,
    ),
    channelLimiter: new ChannelMessageLimiter(now, options.channelMessageLimits ?? (options.plan ?? 'pro') !== 'off'),
    faults: new Faults(),
    files,
    hub: adapter,
    ws,
    urls,
    now,
    webhookSecretToken: creds.webhook,
  };
  const getSim = () => sim;
  const ops = operations();
  if (options.precompile) for (const op of ops) validatorsFor(op);

  const servers: http.Server[] = [];
  const make = (name: RequestLogEntry['server'], inner: http.RequestListener, big = false): http.Server => {
    // Scheduled messages that came due on an injected clock are sent before the request sees the state.
    const handler: http.RequestListener = (req, res) => {
      sim.scheduler.catchUp();
      return inner(req, res);
    };
    const listener: http.RequestListener = onRequest
      ? (req, res) => {
          const start = performance.now();
          res.once('close', () => {
            // res.statusCode is 200 until a handler sets one, so a cut connection would read as a 200.
            const answered = res.writableFinished;
            try {
              onRequest({
                server: name,
                method: req.method ?? '',
                path: (req.url ?? '').split('?')[0] ?? '',
                status: answered || res.headersSent ? res.statusCode : 0,
                ms: Math.round(performance.now() - start),
                ...(answered ? {} : { reset: true as const }),
              });
            } catch {
              // a logger must never break a request
            }
          });
          handler(req, res);
        }
      : handler;
    const s = http.createServer({ keepAliveTimeout: 65_000, ...(big ? { requestTimeout: 0 } : {}) }, listener);
    servers.push(s);
    return s;
  };

  const apiHandler = createApiHandler({
    sim: getSim,
    operations: ops.filter((o) => o.host === 'api'),
    allOperations: ops,
    handlerFor,
    fileLimit,
    extra: withWebSocketHint(chatbotCallbackRoute(getSim, marketplaceRoute(getSim))),
    elsewhere: (op) =>
      op.host === 'file' ? `${op.operationId} is served by the file host: POST ${urls.file}${op.path}` : undefined,
  });
  const fileWorkHandler = createApiHandler({
    sim: getSim,
    operations: ops.filter((o) => o.host === 'file' || o.alsoOnFileHost),
    allOperations: ops,
    handlerFor,
    fileLimit,
    extra: downloadRoute(getSim),
    elsewhere: (op) => `${op.operationId} is served by the API host: ${op.method} ${urls.api}${op.path}`,
  });
  const p = options.ports ?? {};
  const oauthServer = make(
    'oauth',
    createOAuthHandler({
      apps,
      tokens: sim.tokens,
      store: () => sim.store,
      apiOrigin: () => urls.api.replace(/\/v2$/, ''),
      faults: sim.faults,
    }),
  );
  const apiServer = make('api', apiHandler);
  ws.attach(apiServer);
  const fileTargetServer = redirect === 'none' ? undefined : make('fileTarget', fileWorkHandler, true);
  const fileServer = make(
    'file',
    redirect === 'none' ? fileWorkHandler : createRedirectHandler(() => urls.fileTarget.replace(/\/v2$/, ''), redirect),
    true,
  );

  let adminServer: http.Server | undefined;
  try {
    urls.oauth = origin(publicHost, await listen(oauthServer, host, p.oauth ?? 0));
    const apiPort = await listen(apiServer, host, p.api ?? 0);
    urls.api = `${origin(publicHost, apiPort)}/v2`;
    urls.ws = `${origin(publicHost, apiPort).replace(/^http/, 'ws')}${WEBSOCKET_PATH}`;
    urls.file = `${origin(publicHost, await listen(fileServer, host, p.file ?? 0))}/v2`;
    urls.fileTarget = fileTargetServer
      ? `${origin(publicHost, await listen(fileTargetServer, host, p.fileTarget ?? 0))}/v2`
      : urls.file;

    const credentials: SimulatorCredentials = {
      accountId: store.account.id,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      chatbot: {
        clientId: creds.chatbotId,
        clientSecret: creds.chatbotSecret,
        botJid,
        accountId: store.account.id,
        botName: bot.name,
        slashCommand: bot.slashCommand,
      },
      webhookSecretToken: creds.webhook,
      userOAuth: {
        clientId: creds.userId,
        clientSecret: creds.userSecret,
        authorizeUrl: `${urls.oauth}/oauth/authorize`,
        tokenUrl: `${urls.oauth}/oauth/token`,
        redirectUris: options.redirectUris ?? [],
      },
    };

    const reset = async (opts: { fixtures?: Fixtures; clearTokens?: boolean } = {}): Promise<void> => {
      const oldFiles = [...sim.store.files.values()];
      store = makeState(opts.fixtures ?? fixtures).store;
      sim.store = store;
      sim.chat = new ChatService(store, (e) => adapter.handle(e));
      sim.scheduler.arm();
      await files.clear(oldFiles);
      sim.faults.clear();
      sim.ws.reset();
      sim.limiter.reset();
      sim.channelLimiter.reset();
      adapter.clearLog();
      if (opts.clearTokens) sim.tokens.clear();
    };

    adminServer = make(
      'admin',
      createAdminHandler({ sim: getSim, credentials, reset, options: { seed, fixtures, fileRedirect: redirect } }),
    );
    urls.admin = origin(host, await listen(adminServer, '127.0.0.1', p.admin ?? 0));

    let closed: Promise<void> | undefined;
    return {
      urls: { ...urls },
      credentials,
      admin: new AdminClient(urls.admin),
      get state() {
        return sim.store;
      },
      sim,
      hub,
      reset,
      close: () =>
        (closed ??= (async () => {
          sim.scheduler.close();
          // Sockets first: upgraded connections are no longer the HTTP server's to close.
          await ws.close();
          await Promise.all(
            servers.map(
              (s) =>
                new Promise<void>((resolve) => {
                  if (!s.listening) return resolve();
                  s.close(() => resolve());
                  s.closeAllConnections();
                }),
            ),
          );
          if (ownHub) await hub.close();
          await files.close();
        })()),
    };
  } catch (err) {
    sim.scheduler.close();
    await ws.close();
    for (const s of servers) if (s.listening) s.close();
    await files.close();
    if (ownHub) await hub.close();
    throw err;
  }
}

/** A plain GET of /ws (no Upgrade header) is answered 426 with a hint, not the API host's 404. */
function withWebSocketHint(
  next: (req: http.IncomingMessage, res: http.ServerResponse, path: string, qs: string) => Promise<boolean>,
) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, path: string, qs: string): Promise<boolean> => {
    if (path !== WEBSOCKET_PATH) return next(req, res, path, qs);
    req.resume();
    const body = JSON.stringify({
      code: 426,
      message: `${WEBSOCKET_PATH} is the WebSocket event endpoint: open a WebSocket to ${WEBSOCKET_PATH}?subscriptionId=<id>&access_token=<token>.`,
    });
    res.writeHead(426, {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': Buffer.byteLength(body),
      upgrade: 'websocket',
    });
    res.end(body);
    return true;
  };
}
