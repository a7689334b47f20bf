#!/usr/bin/env node
// Fault injection in both real hosts: action nodes send messages and files to a simulator that
// answers 429s, 5xx, resets, timeouts, expired tokens, a redirect loop and a restart. Per case:
// what the user sees (the Node-RED Catch message / the n8n continueOnFail item), what was
// retried (the simulator's own request log), and the send ledger (faults-ledger.mjs): every
// message stored once or reported failed, none twice, and a failure report for something that
// did arrive must say it may have been sent.
// Each host gets its own simulator (faults are consumed per request, so hosts sharing one would
// take each other's), and the two hosts run their cases at the same time.
import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  n8nBatch,
  n8nCredential,
  n8nTarget,
  nodeRedAccount,
  nodeRedBatch,
  nodeRedTargetFlow,
} from '../lib/faults-drivers.mjs';
import { countMarkers, ledger, saysMaybeSent, tallyText } from '../lib/faults-ledger.mjs';

export const name = 'faults';

const SEND_PATH = /^\/v2\/chat\/users\/[^/]+\/messages$/;
const FILE_PATH = /^\/v2\/chat\/users\/[^/]+\/messages\/files$/;
const LIST_PATH = SEND_PATH;
const DAILY_MESSAGE =
  'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.';
/** The core's per-request timeout (30 s in both hosts, not configurable there). */
const CLIENT_TIMEOUT_MS = 30_000;

/** One host's way to send, upload and list, bound to its simulator. */
async function nodeRedRig(nr, sim, owner) {
  const acc = nodeRedAccount('facc', sim, { plan: 'pro', userId: owner.email });
  await nr.deploy(
    [
      acc.node,
      ...nodeRedTargetFlow('fsend', {
        type: 'zoom-team-chat-send',
        account: 'facc',
        mode: 'message',
        replyInThread: false,
      }),
      ...nodeRedTargetFlow('fupload', {
        type: 'zoom-team-chat-upload',
        account: 'facc',
        mode: 'send',
        replyInThread: false,
      }),
      ...nodeRedTargetFlow('flist', {
        type: 'zoom-team-chat-list',
        account: 'facc',
        resource: 'messages',
        returnAll: false,
        limit: 5,
        output: 'array',
      }),
    ],
    acc.credentials,
  );
  return {
    host: 'node-red',
    send: (items) =>
      nodeRedBatch(
        nr.base,
        'fsend',
        items.map((it) => ({ key: it.key, msg: { payload: it.text, channel: it.channel } })),
      ),
    upload: (items) =>
      nodeRedBatch(
        nr.base,
        'fupload',
        items.map((it) => ({
          key: it.key,
          msg: { fileName: it.fileName, channel: it.channel },
          bufferB64: Buffer.from(it.content).toString('base64'),
        })),
      ),
    list: (items) =>
      nodeRedBatch(
        nr.base,
        'flist',
        items.map((it) => ({ key: it.key, msg: { channel: it.channel } })),
      ),
  };
}

async function n8nRig(n8n, sim, owner) {
  const credential = await n8nCredential(n8n, sim, `faults ${randomUUID().slice(0, 8)}`);
  const channelId = { __rl: true, mode: 'id', value: '={{ $json.channel }}' };
  const common = { target: 'channel', channelId, actAsUser: owner.email };
  const [send, upload, list] = await Promise.all([
    n8nTarget(n8n, {
      name: 'faults: send',
      credential,
      parameters: {
        resource: 'message',
        operation: 'send',
        ...common,
        message: '={{ $json.text }}',
        additionalFields: {},
      },
    }),
    n8nTarget(n8n, {
      name: 'faults: upload',
      credential,
      parameters: { resource: 'file', operation: 'send', ...common, binaryPropertyName: 'data', options: {} },
    }),
    n8nTarget(n8n, {
      name: 'faults: list',
      credential,
      parameters: { resource: 'message', operation: 'getAll', ...common, returnAll: false, limit: 5, filters: {} },
    }),
  ]);
  return {
    host: 'n8n',
    send: (items) =>
      n8nBatch(
        send,
        items.map((it) => ({ key: it.key, json: { text: it.text, channel: it.channel } })),
      ),
    upload: (items) =>
      n8nBatch(
        upload,
        items.map((it) => ({
          key: it.key,
          json: { channel: it.channel },
          binary: { b64: Buffer.from(it.content).toString('base64'), fileName: it.fileName, mimeType: 'text/plain' },
        })),
      ),
    list: (items) =>
      n8nBatch(
        list,
        items.map((it) => ({ key: it.key, json: { channel: it.channel } })),
      ),
  };
}

/** Request log of one host's simulator(s), with a cursor per case. */
function requestLog() {
  const entries = [];
  return {
    push: (e) => entries.push(e),
    mark: () => entries.length,
    since(mark, server, method, pathRe) {
      return entries
        .slice(mark)
        .filter((e) => (server === undefined || e.server === server) && e.method === method && pathRe.test(e.path));
    },
  };
}

const RETRY_ADVICE = /retry the request immediately|'Retry on Fail' option/i;
// The simulator logs status 200 for a request whose connection it destroyed without answering.
const statusList = (reqs) => reqs.map((r) => r.status || 'reset').join(',');

/**
 * The cases, in order (the restart goes last: it replaces the simulator). Each returns
 * { expected, observed, pass }. `t` = { rig, sim(), log, channel, marker(), restart() }.
 */
const CASES = [
  {
    case: '429 storm, Retry-After in seconds (3 in a row)',
    expected: 'all 3 messages delivered once, each 429 retried after the wait, no error shown',
    fault: {
      operationId: 'sendaChatMessage',
      status: 429,
      count: 3,
      headers: { 'retry-after': '1' },
      body: { code: 429, message: 'Too many requests.' },
    },
    n: 3,
    want: { delivered: 3, posts: 6 },
  },
  {
    case: '429 with Retry-After as an HTTP date',
    expected: 'both messages delivered once after the date, no error shown',
    fault: () => ({
      operationId: 'sendaChatMessage',
      status: 429,
      count: 2,
      headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() },
    }),
    n: 2,
    want: { delivered: 2, posts: 4 },
  },
  {
    case: '429 without Retry-After',
    expected: 'both messages delivered once after a backoff, no error shown',
    fault: { operationId: 'sendaChatMessage', status: 429, count: 2 },
    n: 2,
    want: { delivered: 2, posts: 4 },
  },
  {
    case: '429 storm (10 in a row, Retry-After 0)',
    expected:
      'a 429 refuses, so the send waits its turn however often it comes (no count of retries): delivered once after 11 attempts',
    fault: { operationId: 'sendaChatMessage', status: 429, count: 10, headers: { 'retry-after': '0' } },
    n: 1,
    want: { delivered: 1, posts: 11 },
  },
  {
    case: 'daily limit (429, X-RateLimit-Type Daily-limit)',
    expected: 'each message reported failed at once with a daily-limit error, never retried',
    fault: () => ({
      operationId: 'sendaChatMessage',
      status: 429,
      count: 2,
      headers: { 'x-ratelimit-type': 'Daily-limit', 'retry-after': new Date(Date.now() + 3_600_000).toISOString() },
      body: { code: 429, message: DAILY_MESSAGE },
    }),
    n: 2,
    want: { failed: 2, posts: 2, error: /daily/i },
  },
  ...[500, 502, 503].map((status) => ({
    case: `HTTP ${status} on a send (POST)`,
    expected: 'reported failed, not retried (a POST may have been carried out), the error says so',
    fault: { operationId: 'sendaChatMessage', status, count: 1 },
    n: 1,
    want: { failed: 1, posts: 1, error: /may or may not|may have/i },
  })),
  {
    case: 'HTTP 503 twice on a list (GET, idempotent)',
    expected: 'retried until it succeeds: the list arrives, no error shown',
    kind: 'list',
    fault: { operationId: 'getChatMessages', status: 503, count: 2 },
    n: 1,
    want: { listed: 1, gets: 3 },
  },
  {
    case: 'connection reset before the body is read',
    expected: 'reported failed (the client cannot know nothing happened), not retried, nothing stored',
    fault: { operationId: 'sendaChatMessage', reset: 'before-body', count: 1 },
    n: 1,
    want: { failed: 1, posts: 1, error: /ECONNRESET|EPIPE|socket|reset|may have/i, maySent: true, noRetryAdvice: true },
  },
  {
    case: 'connection reset after the message was stored',
    expected: 'stored once, reported as possibly sent (not retried: no duplicate)',
    fault: { operationId: 'sendaChatMessage', reset: 'after-body', count: 1 },
    n: 1,
    want: { uncertain: 1, posts: 1, maySent: true, noRetryAdvice: true },
  },
  {
    case: `timeout (the simulator answers after ${(CLIENT_TIMEOUT_MS + 2000) / 1000} s, the client gives up at ${CLIENT_TIMEOUT_MS / 1000} s)`,
    expected:
      'reported failed with a timeout that says the message may have been sent; not retried; stored at most once',
    fault: { operationId: 'sendaChatMessage', delayMs: CLIENT_TIMEOUT_MS + 2000, count: 1 },
    n: 1,
    settleMs: 2500,
    want: { failedOrUncertain: 1, posts: 1, error: /time/i, maySent: true, noRetryAdvice: true },
  },
  {
    case: 'token expiry mid-run (admin expires every token: 401 code 124)',
    expected: 'all messages delivered once: the client mints a new token once and replays',
    run: async (t) => {
      const first = t.items(2);
      const second = t.items(2);
      const a = await t.rig.send(first);
      const expired = await t.sim().admin.expireTokens();
      const b = await t.rig.send(second);
      return {
        items: [...first, ...second],
        outcomes: new Map([...a, ...b]),
        note: `${expired.expired} token(s) expired between the two batches`,
      };
    },
    want: { delivered: 4, tokenMints: [1, 2], unauthorized: [1, 2] },
  },
  {
    case: '30x redirect loop on the file host (the upload target redirects to itself)',
    expected: 'the upload reported failed ("more than 5 redirects"), no file message stored',
    kind: 'upload',
    fault: { operationId: 'sendChatFile', status: 307, count: 20, headers: { location: '?loop=1' } },
    n: 1,
    want: { failed: 1, error: /redirect/i, fileTargetPostsMax: 6 },
  },
  {
    case: '429 on a file upload, Retry-After 1',
    expected: 'the file delivered once after the wait, no error shown',
    kind: 'upload',
    fault: { operationId: 'sendChatFile', status: 429, count: 1, headers: { 'retry-after': '1' } },
    n: 1,
    want: { delivered: 1 },
  },
  {
    case: 'connection reset after a file upload was stored',
    expected: 'the file stored once, reported as possibly sent (not re-uploaded)',
    kind: 'upload',
    fault: { operationId: 'sendChatFile', reset: 'after-body', count: 1 },
    n: 1,
    want: { uncertain: 1, maySent: true, noRetryAdvice: true },
  },
  {
    case: 'simulator restarted mid-run (same ports; state NOT kept: it restarts from its seed and forgets tokens)',
    expected:
      'the message in flight at the restart reported as possibly sent (a host that had not sent the next one yet delivers it after the restart); messages sent while it is down retried (connection refused = provably unsent) and delivered once after the restart; none twice',
    run: async (t) => {
      const inflight = t.items(2);
      const during = t.items(2);
      await t.sim().admin.addFault({ operationId: 'sendaChatMessage', delayMs: 2500, count: 2 });
      const a = t.rig.send(inflight);
      await delay(800);
      const before = t.sim();
      // Sent while it is down: these find the port closed.
      const { pending } = await t.restart(() => t.rig.send(during));
      const outA = await a;
      const outB = await pending;
      await delay(500);
      return {
        items: [...inflight, ...during],
        outcomes: new Map([...outA, ...outB]),
        extraStores: [before],
        note: 'old state + new state counted',
      };
    },
    want: { firstInflightUncertain: true, lastDelivered: 2 },
  },
];

/** Texts of every message (with its file names) in a simulator's store. */
function storedTexts(sim) {
  const texts = [];
  for (const m of sim.state.messages.values()) texts.push(m.text);
  for (const f of sim.state.files.values()) if (!f.deleted) texts.push(f.name);
  return texts;
}

async function runCase(t, c) {
  const log = t.log;
  const mark = log.mark();
  const kind = c.kind ?? 'send';
  let items;
  let outcomes;
  let note = '';
  let extraStores = [];
  if (c.run) {
    const r = await c.run(t);
    ({ items, outcomes } = r);
    note = r.note ?? '';
    extraStores = r.extraStores ?? [];
  } else {
    await t.sim().admin.addFault(typeof c.fault === 'function' ? c.fault() : c.fault);
    items = kind === 'upload' ? t.files(c.n) : t.items(c.n);
    outcomes = await t.rig[kind](items);
  }
  await t.sim().admin.clearFaults();
  if (c.settleMs) await delay(c.settleMs);

  const posts = log.since(mark, 'api', 'POST', SEND_PATH);
  const gets = log.since(mark, 'api', 'GET', LIST_PATH);
  const fileTargetPosts = log.since(mark, 'fileTarget', 'POST', FILE_PATH);
  const mints = log.since(mark, 'oauth', 'POST', /^\/oauth\/token/);
  const unauthorized = log.since(mark, undefined, 'POST', /./).filter((e) => e.status === 401);

  const problems = [];
  const facts = [];
  const w = c.want;
  if (kind === 'list') {
    const okCount = [...outcomes.values()].filter((o) => o.ok).length;
    facts.push(`${okCount}/${items.length} listed`);
    if (w.listed !== undefined && okCount !== w.listed) problems.push(`${okCount} listed, expected ${w.listed}`);
    for (const o of outcomes.values()) if (!o.ok) facts.push(`error: ${o.error}`);
  } else {
    const markers = items.map((it) => it.marker);
    const texts = [...extraStores, t.sim()].flatMap((s) => storedTexts(s));
    const counts = countMarkers(markers, texts);
    const l = ledger(
      items.map((it) => ({ key: it.key, marker: it.marker })),
      outcomes,
      counts,
    );
    facts.push(`ledger: ${tallyText(l.tally)}`);
    if (!l.pass) problems.push(...l.problems);
    const n = (v) => l.tally[v] ?? 0;
    if (w.delivered !== undefined && n('delivered') !== w.delivered)
      problems.push(`${n('delivered')} delivered, expected ${w.delivered}`);
    if (w.failed !== undefined && n('reported failed') !== w.failed)
      problems.push(`${n('reported failed')} reported failed, expected ${w.failed}`);
    if (w.uncertain !== undefined && n('stored, reported as possibly sent') !== w.uncertain)
      problems.push(
        `${n('stored, reported as possibly sent')} stored and reported as possibly sent, expected ${w.uncertain}`,
      );
    if (
      w.failedOrUncertain !== undefined &&
      n('reported failed') + n('stored, reported as possibly sent') !== w.failedOrUncertain
    )
      problems.push(`expected ${w.failedOrUncertain} failed or possibly-sent`);
    if (w.lastDelivered !== undefined) {
      for (const it of items.slice(-w.lastDelivered))
        if (!outcomes.get(it.key)?.ok) problems.push(`${it.key} (sent while the simulator was down) not delivered`);
    }
    if (w.firstInflightUncertain) {
      const o = outcomes.get(items[0].key);
      if (o?.ok || !saysMaybeSent(o?.error))
        problems.push(
          `${items[0].key} (in flight at the restart) was not reported as possibly sent: ${o?.ok ? 'reported sent' : o?.error}`,
        );
    }
    const errors = [...new Set([...outcomes.values()].filter((o) => !o.ok).map((o) => o.error))];
    if (errors.length)
      facts.push(`user sees: ${errors.map((e) => JSON.stringify(e.replace(/\s+/g, ' ').slice(0, 400))).join(' | ')}`);
    if (w.error && !errors.every((e) => w.error.test(e))) problems.push(`an error does not match ${w.error}`);
    if (w.error && errors.length === 0) problems.push('no error shown');
    if (w.maySent && !errors.every(saysMaybeSent))
      problems.push('the error does not say the message may have been sent');
    // A POST that may have gone through must not come with advice to repeat it (that makes the duplicate).
    const advice = errors.find((e) => RETRY_ADVICE.test(e));
    if (w.noRetryAdvice && advice)
      problems.push(
        `the error advises repeating a request that may have been carried out: "${RETRY_ADVICE.exec(advice)[0]}"`,
      );
  }
  if (kind === 'upload')
    facts.push(`file host: ${fileTargetPosts.length} POST(s) to the upload target [${statusList(fileTargetPosts)}]`);
  else if (kind === 'list') facts.push(`${gets.length} GET(s) [${statusList(gets)}]`);
  else facts.push(`${posts.length} POST(s) [${statusList(posts)}]`);
  if (w.posts !== undefined && posts.length !== w.posts) problems.push(`${posts.length} POSTs, expected ${w.posts}`);
  if (w.gets !== undefined && gets.length !== w.gets) problems.push(`${gets.length} GETs, expected ${w.gets}`);
  if (w.fileTargetPostsMax !== undefined && fileTargetPosts.length > w.fileTargetPostsMax)
    problems.push(`${fileTargetPosts.length} POSTs to the upload target, expected at most ${w.fileTargetPostsMax}`);
  if (w.tokenMints) {
    facts.push(`${mints.length} token request(s), ${unauthorized.length} 401(s)`);
    const [lo, hi] = w.tokenMints;
    if (mints.length < lo || mints.length > hi) problems.push(`${mints.length} token requests, expected ${lo}–${hi}`);
  }
  if (note) facts.push(note);
  t.dump.push({
    case: c.case,
    items: items.map((it) => ({ key: it.key, marker: it.marker, outcome: outcomes.get(it.key) })),
    requests: log.since(mark, undefined, 'POST', /./).length,
  });
  return {
    observed: `${problems.length ? `PROBLEMS: ${problems.join('; ')}. ` : ''}${facts.join('; ')}`,
    pass: problems.length === 0,
  };
}

/** All cases on one host, with its own simulator. */
async function runHost(ctx, hostName, startRig) {
  const rows = [];
  const log = requestLog();
  const simOptions = { plan: 'off', fileStorage: 'memory', onRequest: (e) => log.push(e) };
  let sim = await ctx.hosts.simulator(simOptions);
  const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
  const channel = (await sim.admin.channels()).find((c) => !c.archived && c.members.some((m) => m.userId === owner.id));
  const rig = await startRig(sim, owner);
  const run = randomUUID().slice(0, 6);
  let n = 0;
  const t = {
    rig,
    log,
    dump: [],
    sim: () => sim,
    items: (count) =>
      Array.from({ length: count }, () => {
        const k = ++n;
        const marker = `[L:${run}:${k}]`;
        return { key: `k${k}`, marker, text: `ledger ${marker}`, channel: channel.id };
      }),
    files: (count) =>
      Array.from({ length: count }, () => {
        const k = ++n;
        const marker = `[L:${run}:${k}]`;
        return { key: `k${k}`, marker, fileName: `ledger ${marker}.txt`, content: `file ${k}`, channel: channel.id };
      }),
    /** Closes the simulator, starts `whileDown()` (not awaited: returned as `pending`), starts a new one on the same ports. */
    async restart(whileDown) {
      const u = (s) => Number(new URL(s).port);
      const ports = {
        api: u(sim.urls.api),
        file: u(sim.urls.file),
        fileTarget: u(sim.urls.fileTarget),
        oauth: u(sim.urls.oauth),
        admin: u(sim.urls.admin),
      };
      await sim.close();
      const pending = whileDown();
      // Shorter than the core's three refused-connection retries (at least 0.25 + 0.5 + 1 s of backoff).
      await delay(1000);
      sim = await ctx.hosts.simulator({ ...simOptions, ports });
      return { pending };
    },
  };
  for (const c of CASES) {
    const started = Date.now();
    let row;
    try {
      const r = await runCase(t, c);
      row = { ...r };
    } catch (err) {
      row = { observed: `threw: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500), pass: false };
      await sim.admin.clearFaults().catch(() => undefined);
    }
    const ms = Date.now() - started;
    ctx.log(`faults ${hostName}: ${row.pass ? 'PASS' : 'FAIL'} ${c.case} — ${row.observed} (${ms} ms)`);
    rows.push({
      area: 'faults',
      host: hostName,
      case: c.case,
      expected: c.expected,
      observed: row.observed,
      pass: row.pass,
      ms,
    });
  }
  // Every error the host showed, for the secrets suite to grep.
  writeFileSync(path.join(ctx.artifacts, `faults-${hostName}.json`), JSON.stringify(t.dump, null, 1));
  return rows;
}

export async function run(ctx) {
  ctx.note?.(
    "Each host sends through its own simulator (faults are consumed per request), both hosts at once. Request counts come from the simulator's request log; " +
      'a connection closed without a complete answer (resets, timeouts) is marked [reset]. The ledger: every message is stored once or reported failed; ' +
      'a failure report for a stored message must say it may have been sent; nothing stored twice. Restart = close and start again on the same ports ' +
      'with the same seed: state is NOT kept (back to the seed, tokens forgotten, so clients get 401 code 124 and mint again).',
  );
  const hostRows = await Promise.all([
    runHost(ctx, 'node-red', async (sim, owner) => nodeRedRig(await ctx.hosts.nodeRed, sim, owner)).catch((err) => [
      failRow('node-red', err),
    ]),
    runHost(ctx, 'n8n', async (sim, owner) => n8nRig(await ctx.hosts.n8n, sim, owner)).catch((err) => [
      failRow('n8n', err),
    ]),
  ]);
  return hostRows.flat();
}

function failRow(host, err) {
  return {
    area: 'faults',
    host,
    case: 'fault cases could run',
    expected: 'host and simulator start',
    observed: `threw: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500),
    pass: false,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { standalone } = await import('../lib/standalone.mjs');
  await standalone({ name, run });
}
