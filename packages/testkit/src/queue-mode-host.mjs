// Starts a real n8n in queue mode (installed by n8n-install.mjs): one main, N webhook processes and
// N workers on a fresh PostgreSQL database and a fresh Redis key prefix, sharing an encryption key
// and a user folder with the package installed as a community package (so every process loads it
// under its package name). Everything binds 127.0.0.1 on ports of its own; each process logs to
// <runDir>/queue-<role>.log. A small round-robin balancer stands in for the load balancer in front
// of the webhook processes: it is the instance's public URL (WEBHOOK_URL / N8N_WEBHOOK_URL), so
// what a trigger registers with Zoom reaches a webhook process.
//
//   const q = await startQueueMode({ target: 1, runDir, packageTarball });
//   q.main.base, q.webhooks[i].base, q.workers[i].pid, q.balancer.base, await q.call('GET', '/workflows'), await q.stop()
//   q.balancer.recorded(): the requests it passed to webhook processes (bytes, headers, which process)
//
// Postgres (trust auth, user postgres) and Redis are taken from 127.0.0.1:5432 and :6379 unless
// `postgres` / `redis` say otherwise (or PGHOST/PGPORT/PGUSER/PGPASSWORD, REDIS_HOST/REDIS_PORT).
// Unreachable: an Error whose message starts with "queue mode needs".
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { n8nBinFor, nodeBinFor, targets } from './n8n-install.mjs';
import { freePort, installCommunityPackage, logPath, ownerSession, quietEnv } from './n8n-host.mjs';

/** Paths the load balancer sends to the webhook processes (the rest goes to main). */
const WEBHOOK_PATHS = /^\/(webhook|webhook-waiting|form|form-waiting)\//;
const BOOT_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Process groups still running. They are detached (a Ctrl-C in the terminal does not reach them),
 * so they are killed if this Node process exits without stop(), and on SIGINT/SIGTERM/SIGHUP: when
 * nobody else handles the signal, the runs' databases are dropped too and the signal is re-raised.
 */
const liveGroups = new Set();
/** stop() of every run not yet stopped. */
const activeRuns = new Set();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

async function onSignal(signal) {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  if (process.listenerCount(signal) > 1) return; // the host handles it (and calls stop()).
  await Promise.race([Promise.allSettled([...activeRuns].map((stop) => stop())), delay(10_000)]);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

function trackRun(stop) {
  if (activeRuns.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  activeRuns.add(stop);
}

function untrackRun(stop) {
  activeRuns.delete(stop);
  if (activeRuns.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections at host:port (bounded). */
async function tcpOpen(host, port, timeoutMs = 3000) {
  return await new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok, reason) => {
      socket.destroy();
      resolve(ok ? { ok: true } : { ok: false, reason });
    };
    socket.setTimeout(timeoutMs, () => done(false, 'timed out'));
    socket.once('connect', () => done(true));
    socket.once('error', (error) => done(false, error.code ?? error.message));
  });
}

/** Redis answers PING with +PONG (bounded; no client library needed). */
async function redisPing(host, port, timeoutMs = 3000) {
  return await new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: 'no answer to PING' }));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n'))
        done(text.startsWith('+PONG') ? { ok: true } : { ok: false, reason: `PING answered ${text.trim()}` });
    });
    socket.once('error', (error) => done({ ok: false, reason: error.code ?? error.message }));
  });
}

/** A module from the n8n install (pg, ioredis): n8n needs them itself, so they are there. */
function n8nModule(target, name) {
  return createRequire(join(targets[target].dir, 'node_modules', 'n8n', 'package.json'))(name);
}

async function withPostgres(target, pg, database, fn) {
  const { Client } = n8nModule(target, 'pg');
  const client = new Client({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * n8n's PostgreSQL pool holds 2 connections by default. Under 300 executions at once their queries
 * queue behind each other until n8n's own health ping times out: it then answers every request,
 * webhooks included, with 503 "Database is not ready!" (seen on 1.123). The README tells users who
 * take bursts to raise it; the suites run as they would.
 */
const BURST_POOL = { DB_POSTGRESDB_POOL_SIZE: '10' };

/**
 * A fresh PostgreSQL database for one n8n run (regular mode too: n8n on SQLite times out its own
 * database under a burst of webhook executions). Resolves with the env that points n8n at it and
 * `drop()`; throws "… needs PostgreSQL at …" when there is none to reach.
 */
export async function freshPostgresDatabase(
  target,
  {
    host = process.env.PGHOST ?? '127.0.0.1',
    port = Number(process.env.PGPORT ?? 5432),
    user = process.env.PGUSER ?? 'postgres',
    password = process.env.PGPASSWORD ?? '',
  } = {},
) {
  const major = String(target);
  const up = await tcpOpen(host, port);
  if (!up.ok) throw new Error(`needs PostgreSQL at ${host}:${port} (${up.reason})`);
  const pg = { host, port, user, password };
  const database = `n8n_r_${randomBytes(5).toString('hex')}`;
  await withPostgres(major, pg, 'postgres', (client) => client.query(`CREATE DATABASE "${database}"`));
  return {
    database,
    env: {
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: host,
      DB_POSTGRESDB_PORT: String(port),
      DB_POSTGRESDB_DATABASE: database,
      DB_POSTGRESDB_USER: user,
      ...(password ? { DB_POSTGRESDB_PASSWORD: password } : {}),
      ...BURST_POOL,
    },
    drop: () =>
      withPostgres(major, pg, 'postgres', (client) =>
        client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      ).catch(() => undefined),
  };
}

/** Deletes every Redis key under the run's prefix (Bull queues, and n8n's cache if it shares it). */
async function clearRedisPrefix(target, redis, prefix) {
  const Redis = n8nModule(target, 'ioredis');
  const client = new (Redis.default ?? Redis)({
    host: redis.host,
    port: redis.port,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  await client.connect();
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) removed += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return removed;
}

/** Distinct free ports on 127.0.0.1 (freePort alone may hand out the same one twice). */
async function portAllocator() {
  const taken = new Set();
  return async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error('no free port');
  };
}

/** Requests to webhook paths the balancer keeps (bytes and headers), for replays in tests. */
const RECORDED_MAX = 5_000;

/** Round-robin HTTP proxy: webhook paths to the webhook processes, everything else to main. */
async function startBalancer(port) {
  const state = { main: undefined, webhooks: [], next: 0, served: [], recorded: [] };
  const server = createHttpServer((req, res) => {
    const toWebhook = WEBHOOK_PATHS.test(req.url ?? '') && state.webhooks.length > 0;
    const index = toWebhook ? state.next++ % state.webhooks.length : -1;
    const upstreamPort = toWebhook ? state.webhooks[index] : state.main;
    if (!upstreamPort) {
      res.writeHead(503).end('queue mode is starting');
      req.resume();
      return;
    }
    let record;
    if (toWebhook) {
      state.served[index] = (state.served[index] ?? 0) + 1;
      record = {
        path: req.url,
        method: req.method,
        headers: { ...req.headers },
        chunks: [],
        process: index,
        at: Date.now(),
      };
      req.on('data', (chunk) => record.chunks.push(chunk));
      state.recorded.push(record);
      if (state.recorded.length > RECORDED_MAX) state.recorded.shift();
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (record) record.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`balancer: ${error.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    state,
    /** How many requests each webhook process got through the balancer. */
    served: () => state.webhooks.map((_, i) => state.served[i] ?? 0),
    /** The last requests to webhook paths, oldest first: { path, method, headers, body (Buffer), process (index), status, at }. */
    recorded: () => state.recorded.map(({ chunks, ...r }) => ({ ...r, body: Buffer.concat(chunks) })),
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** One n8n process in its own process group, output appended to its log file. */
function spawnN8n({ target, role, args, env, cwd, log }) {
  const fd = openSync(log, 'a');
  const child = spawn(nodeBinFor(target), [n8nBinFor(target), ...args], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  liveGroups.add(child.pid);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  const proc = {
    role,
    pid: child.pid,
    log,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      if (proc.running) {
        killGroup(child.pid, 'SIGTERM');
        const done = await Promise.race([exited, delay(STOP_TIMEOUT_MS).then(() => undefined)]);
        if (!done) killGroup(child.pid, 'SIGKILL');
        await Promise.race([exited, delay(5000)]);
      }
      // Children of n8n (task runners) share the group: none may outlive it.
      killGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
    },
  };
  return proc;
}

/** Polls url until it answers 200; fails early if the process exits. */
async function waitReady(proc, url, timeoutMs = BOOT_TIMEOUT_MS) {
  const started = Date.now();
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return Date.now() - started;
    const done = await Promise.race([proc.exited, delay(500).then(() => undefined)]);
    if (done) throw new Error(`n8n ${proc.role} exited (${JSON.stringify(done)}) before it was ready; see ${proc.log}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`n8n ${proc.role} not ready after ${timeoutMs / 1000} s (${url}); see ${proc.log}`);
  }
}

/**
 * Starts main, webhook processes and workers; resolves when all are ready and the owner is set up.
 * @param {object} options
 * @param {1|2|'1'|'2'} options.target          n8n 1.123 (Node 20) or 2.41 (Node 24), installed by n8n-install.mjs
 * @param {string} options.runDir                user folder, logs (queue-main.log, queue-webhook-<i>.log, queue-worker-<i>.log)
 * @param {string} [options.packageTarball]      `npm pack` tarball, installed as a community package
 * @param {number} [options.webhookProcesses=2]
 * @param {number} [options.workers=2]
 * @param {number} [options.workerConcurrency=10]
 * @param {(line: string) => void} [options.log] progress lines
 * @param {Record<string,string>} [options.extraEnv]   added to every process's environment (last)
 * @param {{ main?: object, webhook?: object, worker?: object }} [options.roleEnv]  per role, after extraEnv
 * @param {boolean} [options.offloadManualExecutions=true]  OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS on main
 */
export async function startQueueMode({
  target,
  runDir,
  packageTarball,
  webhookProcesses = 2,
  workers = 2,
  workerConcurrency = 10,
  log = () => {},
  extraEnv = {},
  roleEnv = {},
  offloadManualExecutions = true,
  postgres = {},
  redis = {},
}) {
  const major = String(target);
  if (!targets[major]) throw new Error(`unknown n8n target ${target} (1 or 2)`);
  const pg = {
    host: postgres.host ?? process.env.PGHOST ?? '127.0.0.1',
    port: Number(postgres.port ?? process.env.PGPORT ?? 5432),
    user: postgres.user ?? process.env.PGUSER ?? 'postgres',
    password: postgres.password ?? process.env.PGPASSWORD ?? '',
  };
  const rd = {
    host: redis.host ?? process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(redis.port ?? process.env.REDIS_PORT ?? 6379),
  };

  // What is missing, named, before anything starts.
  const [pgUp, redisUp] = await Promise.all([tcpOpen(pg.host, pg.port), redisPing(rd.host, rd.port)]);
  const missing = [];
  if (!pgUp.ok) missing.push(`PostgreSQL at ${pg.host}:${pg.port} (${pgUp.reason})`);
  if (!redisUp.ok) missing.push(`Redis at ${rd.host}:${rd.port} (${redisUp.reason})`);
  if (missing.length) throw new Error(`queue mode needs ${missing.join(' and ')}`);
  if (!existsSync(join(targets[major].dir, '.installed'))) {
    throw new Error(
      `n8n ${targets[major].version} is not installed: run node packages/testkit/src/n8n-install.mjs ${major}`,
    );
  }

  // Every process loads the package from <user folder>/.n8n/nodes/node_modules.
  const userFolder = join(runDir, 'user');
  mkdirSync(userFolder, { recursive: true });
  if (packageTarball) installCommunityPackage(packageTarball, userFolder);

  const runId = randomBytes(5).toString('hex');
  const database = `n8n_q_${runId}`;
  const bullPrefix = `bull_q_${runId}`;
  // n8n's Redis cache (on by default in queue mode: webhook look-ups, among others) uses its own
  // prefix, N8N_REDIS_KEY_PREFIX (default "n8n"), not QUEUE_BULL_PREFIX.
  const redisPrefix = `n8n_q_${runId}`;
  try {
    await withPostgres(major, pg, 'postgres', (client) => client.query(`CREATE DATABASE "${database}"`));
  } catch (error) {
    throw new Error(
      `queue mode needs a PostgreSQL database it may create at ${pg.host}:${pg.port} as ${pg.user}: ${error.message}`,
    );
  }

  const nextPort = await portAllocator();
  const procs = [];
  let balancer;
  let stopping;
  /** Idempotent: a second call (or a signal during start) waits for the same clean-up. */
  const stop = () => (stopping ??= shutDown());
  const shutDown = async () => {
    untrackRun(stop);
    // Workers and webhook processes first (they need Redis/Postgres while draining), then main.
    await Promise.all(procs.filter((p) => p.role !== 'main').map((p) => p.stop()));
    await Promise.all(procs.filter((p) => p.role === 'main').map((p) => p.stop()));
    await balancer?.close().catch(() => undefined);
    await withPostgres(major, pg, 'postgres', (client) =>
      client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    ).catch((error) => log(`could not drop database ${database}: ${error.message}`));
    for (const prefix of [bullPrefix, redisPrefix]) {
      await clearRedisPrefix(major, rd, prefix).catch((error) =>
        log(`could not clear Redis keys ${prefix}:*: ${error.message}`),
      );
    }
  };
  trackRun(stop);

  try {
    balancer = await startBalancer(await nextPort());
    const encryptionKey = randomBytes(24).toString('hex');
    const common = {
      PATH: process.env.PATH,
      HOME: userFolder,
      TZ: process.env.TZ ?? 'UTC',
      N8N_USER_FOLDER: userFolder,
      N8N_ENCRYPTION_KEY: encryptionKey,
      EXECUTIONS_MODE: 'queue',
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: pg.host,
      DB_POSTGRESDB_PORT: String(pg.port),
      DB_POSTGRESDB_DATABASE: database,
      DB_POSTGRESDB_USER: pg.user,
      ...(pg.password ? { DB_POSTGRESDB_PASSWORD: pg.password } : {}),
      ...BURST_POOL,
      QUEUE_BULL_REDIS_HOST: rd.host,
      QUEUE_BULL_REDIS_PORT: String(rd.port),
      QUEUE_BULL_PREFIX: bullPrefix,
      N8N_REDIS_KEY_PREFIX: redisPrefix,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_HOST: '127.0.0.1',
      N8N_PROTOCOL: 'http',
      // The public URL: 1.x reads WEBHOOK_URL; 2.x reads N8N_WEBHOOK_URL (WEBHOOK_URL still works there, with a deprecation warning).
      ...(major === '2' ? { N8N_WEBHOOK_URL: `${balancer.base}/` } : { WEBHOOK_URL: `${balancer.base}/` }),
      ...quietEnv(major),
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
      N8N_LOG_LEVEL: 'info',
    };
    const envFor = (role, name, own) => ({
      ...common,
      ...own,
      N8N_QUEUE_PROCESS: name,
      ...extraEnv,
      ...(roleEnv[role] ?? {}),
    });

    // Main first: it creates the schema; the others would race its migrations.
    const mainPort = await nextPort();
    const main = spawnN8n({
      target: major,
      role: 'main',
      args: ['start'],
      cwd: userFolder,
      log: logPath(runDir, 'queue-main'),
      env: envFor('main', 'main', {
        N8N_PORT: String(mainPort),
        N8N_RUNNERS_BROKER_PORT: String(await nextPort()),
        N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
        OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: offloadManualExecutions ? 'true' : 'false',
      }),
    });
    procs.push(main);
    main.base = `http://127.0.0.1:${mainPort}`;
    balancer.state.main = mainPort;
    const mainStarted = Date.now();
    main.bootMs = await waitReady(main, `${main.base}/healthz/readiness`);
    log(`main ready in ${(main.bootMs / 1000).toFixed(1)} s (pid ${main.pid}, ${main.base})`);

    const hooks = [];
    for (let i = 0; i < webhookProcesses; i++) {
      const port = await nextPort();
      const proc = spawnN8n({
        target: major,
        role: `webhook-${i}`,
        args: ['webhook'],
        cwd: userFolder,
        log: logPath(runDir, `queue-webhook-${i}`),
        env: envFor('webhook', `webhook-${i}`, {
          N8N_PORT: String(port),
          N8N_RUNNERS_BROKER_PORT: String(await nextPort()),
        }),
      });
      proc.base = `http://127.0.0.1:${port}`;
      proc.port = port;
      procs.push(proc);
      hooks.push(proc);
    }
    const workerProcs = [];
    for (let i = 0; i < workers; i++) {
      const healthPort = await nextPort();
      const proc = spawnN8n({
        target: major,
        role: `worker-${i}`,
        args: ['worker', `--concurrency=${workerConcurrency}`],
        cwd: userFolder,
        log: logPath(runDir, `queue-worker-${i}`),
        env: envFor('worker', `worker-${i}`, {
          N8N_PORT: String(await nextPort()),
          N8N_RUNNERS_BROKER_PORT: String(await nextPort()),
          // The worker's own HTTP server (/healthz, /healthz/readiness), only when asked for.
          QUEUE_HEALTH_CHECK_ACTIVE: 'true',
          QUEUE_HEALTH_CHECK_PORT: String(healthPort),
          N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
        }),
      });
      proc.healthBase = `http://127.0.0.1:${healthPort}`;
      procs.push(proc);
      workerProcs.push(proc);
    }
    await Promise.all([
      ...hooks.map(async (p) => {
        p.bootMs = await waitReady(p, `${p.base}/healthz/readiness`);
        log(`${p.role} ready in ${(p.bootMs / 1000).toFixed(1)} s (pid ${p.pid}, ${p.base})`);
      }),
      ...workerProcs.map(async (p) => {
        p.bootMs = await waitReady(p, `${p.healthBase}/healthz/readiness`);
        log(`${p.role} ready in ${(p.bootMs / 1000).toFixed(1)} s (pid ${p.pid})`);
      }),
    ]);
    balancer.state.webhooks = hooks.map((p) => p.port);

    const session = await ownerSession(main.base);
    log(
      `queue mode up in ${((Date.now() - mainStarted) / 1000).toFixed(1)} s (database ${database}, Redis prefix ${bullPrefix})`,
    );

    const describe = (p, extra = {}) => ({
      role: p.role,
      pid: p.pid,
      log: p.log,
      bootMs: p.bootMs,
      ...extra,
      exited: p.exited,
      isRunning: () => p.running,
    });
    return {
      target: major,
      version: targets[major].version,
      main: describe(main, { base: main.base }),
      webhooks: hooks.map((p) => describe(p, { base: p.base })),
      workers: workerProcs.map((p) => describe(p, { healthBase: p.healthBase })),
      balancer: { base: balancer.base, served: balancer.served, recorded: balancer.recorded },
      /** The public webhook base URL n8n was told (the balancer). */
      webhookUrl: `${balancer.base}/`,
      call: session.call,
      getJson: session.getJson,
      /** SQL on the run's database (e.g. a workflow's "staticData"); resolves with the rows. */
      query: async (text, params = []) =>
        (await withPostgres(major, pg, database, (client) => client.query(text, params))).rows,
      database,
      bullPrefix,
      redisPrefix,
      encryptionKey,
      userFolder,
      stop,
    };
  } catch (error) {
    const interrupted = stopping !== undefined;
    await stop().catch(() => undefined);
    if (interrupted) throw new Error(`queue mode start interrupted (stopped while starting): ${error.message}`);
    throw error;
  }
}
