// Security suite: forged and malformed webhooks into the trigger of BOTH real hosts, each
// checked for its HTTP status AND for "no flow / workflow run started" (counted in the host);
// then Node-RED route safety: httpNodeAuth, a non-default httpNodeRoot, two triggers on two
// paths, and redeploys (full and nodes-only) that must leave no stale route behind.
// Standalone: node src/suites/security.mjs [--fast|--long]
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { eventBody, post, slowLoris, zoomHeaders } from '../lib/http.mjs';
import { toolsDir } from '../lib/hosts.mjs';
import { accountNode as nrAccountNode } from '@zoom-team-chat/testkit/nr-flows';

export const name = 'security';

const MB = 1024 * 1024;
/** RSS growth allowed for a refused 10 MB body (the body must not be kept, nor copied many times). */
const RSS_BOUND = 48 * MB;
/** A slow-loris body must be answered or cut within this (our raw-body deadline is 10 s). */
const SLOW_LORIS_BOUND_MS = 15_000;
const N8N_TRIGGER = 'zoomTeamChatTrigger';

const hex = (n) => randomBytes(n).toString('hex');
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

/** A Node-RED account node pointing at a simulator. */
function accountNode(id, sim) {
  // Named apart from its id: Node-RED reads a property equal to a config node's id as a reference.
  return nrAccountNode(id, { name: `Zoom ${id}`, urls: sim.urls, plan: 'pro' });
}
function accountCreds(sim, webhookSecretToken = sim.credentials.webhookSecretToken) {
  const c = sim.credentials;
  return { clientId: c.clientId, clientSecret: c.clientSecret, accountId: c.accountId, webhookSecretToken };
}

/** One flow: trigger on `triggerPath` -> counter(key) -> debug to the log. */
function triggerFlow(nr, { tab, account, triggerPath, key, triggerId = `${tab}-trig` }) {
  return [
    { id: tab, type: 'tab', label: `security ${tab}` },
    {
      id: triggerId,
      type: 'zoom-team-chat-trigger',
      z: tab,
      account,
      path: triggerPath,
      events: '',
      channels: '',
      ignoreOwn: false,
      dedupe: true,
      x: 150,
      y: 60,
      wires: [[`${tab}-count`]],
    },
    nr.counterNode({ id: `${tab}-count`, z: tab, key, wires: [[`${tab}-dbg`]] }),
    nr.debugNode({ id: `${tab}-dbg`, z: tab }),
  ];
}

/** A signed url_validation challenge (or signed with `signWith`). */
function challenge(secret, signWith = secret) {
  const plainToken = `plain-${hex(8)}`;
  const body = JSON.stringify({ event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken } });
  return { body, plainToken, headers: zoomHeaders(signWith, body) };
}

/**
 * The forged/malformed cases, as data: each sends something and names the status it must get.
 * `target`: { host, url, secret, runs(), settleMs, rss(), expect?: overrides per case id }.
 */
function attackCases(target, mode) {
  const { secret, url } = target;
  const now = Math.floor(Date.now() / 1000);
  const valid = () => {
    const body = eventBody();
    return { body, headers: zoomHeaders(secret, body) };
  };
  const sigHeader = (h) => h['x-zm-signature'];
  const n8n = target.host === 'n8n';
  return [
    {
      id: 'control',
      case: 'control: a correctly signed event (with an Authorization header the output must not carry)',
      status: 200,
      runs: 1,
      send: () => {
        const v = valid();
        // The header's value is a registered secret: the secrets suite looks for it in logs and outputs.
        return post(url, { body: v.body, headers: { ...v.headers, authorization: `Bearer ${target.probe}` } });
      },
    },
    {
      id: 'forged',
      case: 'forged signature (64 random hex digits)',
      status: 401,
      send: () => {
        const v = valid();
        return post(url, { body: v.body, headers: { ...v.headers, 'x-zm-signature': `v0=${hex(32)}` } });
      },
    },
    {
      id: 'wrong-secret',
      case: 'signed with a wrong secret',
      status: 401,
      send: () => {
        const body = eventBody();
        return post(url, { body, headers: zoomHeaders(`wrong-${hex(8)}`, body) });
      },
    },
    {
      id: 'truncated',
      case: 'truncated signature (63 of 64 hex digits)',
      status: 401,
      send: () => {
        const v = valid();
        return post(url, {
          body: v.body,
          headers: { ...v.headers, 'x-zm-signature': sigHeader(v.headers).slice(0, -1) },
        });
      },
    },
    {
      id: 'overlong',
      case: 'over-long signature (valid one + 2 hex digits)',
      status: 401,
      send: () => {
        const v = valid();
        return post(url, { body: v.body, headers: { ...v.headers, 'x-zm-signature': `${sigHeader(v.headers)}00` } });
      },
    },
    {
      id: 'no-prefix',
      case: 'signature without the "v0=" prefix',
      status: 401,
      send: () => {
        const v = valid();
        return post(url, { body: v.body, headers: { ...v.headers, 'x-zm-signature': sigHeader(v.headers).slice(3) } });
      },
    },
    {
      id: 'no-signature',
      case: 'missing x-zm-signature header',
      status: 401,
      send: () => {
        const { 'x-zm-signature': _s, ...headers } = valid().headers;
        void _s;
        return post(url, { body: eventBody(), headers });
      },
    },
    {
      id: 'no-timestamp',
      case: 'missing x-zm-request-timestamp header',
      status: 401,
      send: () => {
        const v = valid();
        const { 'x-zm-request-timestamp': _t, ...headers } = v.headers;
        void _t;
        return post(url, { body: v.body, headers });
      },
    },
    {
      id: 'no-zoom-headers',
      case: 'missing both Zoom headers',
      status: 401,
      send: () => post(url, { body: eventBody(), headers: { 'content-type': 'application/json' } }),
    },
    {
      id: 'old',
      case: 'timestamp 6 minutes old (correctly signed)',
      status: 401,
      send: () => {
        const body = eventBody();
        return post(url, { body, headers: zoomHeaders(secret, body, { timestamp: now - 360 }) });
      },
    },
    {
      id: 'future',
      case: 'timestamp 6 minutes in the future (correctly signed)',
      status: 401,
      send: () => {
        const body = eventBody();
        return post(url, { body, headers: zoomHeaders(secret, body, { timestamp: now + 360 }) });
      },
    },
    {
      id: 'one-byte',
      case: 'body altered by one byte after signing',
      status: 401,
      send: () => {
        const v = valid();
        const i = v.body.indexOf('reliability check');
        return post(url, { body: `${v.body.slice(0, i)}R${v.body.slice(i + 1)}`, headers: v.headers });
      },
    },
    {
      id: 'reserialised',
      case: 'body re-serialised (same JSON, other bytes)',
      status: 401,
      send: () => {
        const v = valid();
        return post(url, { body: JSON.stringify(JSON.parse(v.body), null, 2), headers: v.headers });
      },
    },
    {
      id: 'replay',
      case: 'replayed delivery (the same signed bytes and headers twice)',
      status: 200,
      runs: 1,
      expected: 'both 200 (acknowledged), one run',
      send: async () => {
        const v = valid();
        const first = await post(url, v);
        const second = await post(url, v);
        return {
          ...second,
          status: first.status === 200 ? second.status : first.status,
          note: `first ${first.status}, second ${second.status}`,
        };
      },
    },
    {
      id: 'replay-new-id',
      case: 'replayed signed bytes with a new x-zm-request-id (an attacker can change the unsigned header)',
      status: 200,
      runs: 1,
      expected: 'both 200 (acknowledged), one run',
      send: async () => {
        const v = valid();
        const first = await post(url, v);
        const second = await post(url, {
          body: v.body,
          headers: { ...v.headers, 'x-zm-request-id': `replay-${hex(8)}` },
        });
        return {
          ...second,
          status: first.status === 200 ? second.status : first.status,
          note: `first ${first.status}, second ${second.status}`,
        };
      },
    },
    {
      id: 'challenge-bad',
      case: 'url_validation challenge with a bad signature',
      status: 401,
      expected: '401, no encryptedToken in the answer, no run',
      send: async () => {
        const c = challenge(secret, `wrong-${hex(8)}`);
        const res = await post(url, { body: c.body, headers: c.headers });
        return {
          ...res,
          bad: res.text.includes('encryptedToken') ? 'the answer carries an encryptedToken' : undefined,
        };
      },
    },
    {
      id: 'challenge-good',
      case: 'control: a signed url_validation challenge',
      status: 200,
      expected: '200 with the right encryptedToken, no run',
      send: async () => {
        const { createHmac } = await import('node:crypto');
        const c = challenge(secret);
        const res = await post(url, { body: c.body, headers: c.headers });
        let bad;
        try {
          const answer = JSON.parse(res.text);
          if (
            answer.plainToken !== c.plainToken ||
            answer.encryptedToken !== createHmac('sha256', secret).update(c.plainToken).digest('hex')
          )
            bad = `wrong answer ${res.text.slice(0, 120)}`;
        } catch {
          bad = `answer is not JSON: ${res.text.slice(0, 80)}`;
        }
        return { ...res, bad };
      },
    },
    {
      id: 'non-json',
      case: 'non-JSON body, correctly signed, Content-Type application/json',
      // n8n parses application/json bodies itself before any node runs and answers 422 on bad JSON.
      status: n8n ? 422 : 400,
      expected: n8n ? "422 from n8n's own body parser (before our node), no run" : '400, no run',
      send: () => {
        const body = 'this is not json {';
        return post(url, { body, headers: zoomHeaders(secret, body) });
      },
    },
    {
      id: 'non-json-text',
      case: 'non-JSON body, correctly signed, Content-Type text/plain',
      status: 400,
      send: () => {
        const body = 'this is not json {';
        return post(url, { body, headers: { ...zoomHeaders(secret, body), 'content-type': 'text/plain' } });
      },
    },
    {
      id: 'unsigned-non-json',
      case: 'non-JSON body, unsigned',
      status: n8n ? 422 : 401,
      expected: n8n ? "422 from n8n's own body parser (before our node), no run" : '401, no run',
      send: () => post(url, { body: '<xml>not json</xml>', headers: { 'content-type': 'application/json' } }),
    },
    ...bigBodyCases(target, mode),
  ];
}

/** 10 MB bodies (declared and chunked) and one over n8n's own limit, with the host's RSS around them. */
function bigBodyCases(target, mode) {
  const { url, secret } = target;
  const series = mode === 'long' ? 30 : 5;
  const seriesBound = (series * 10 * MB) / 2;
  const n8n = target.host === 'n8n';
  const tenMb = () => {
    const body = eventBody({ pad: 'x'.repeat(10 * MB) });
    return { body, headers: zoomHeaders(secret, body) };
  };
  // Measured 2 s after, once the host's collector has caught up
  // (n8n's RSS moves by ~100 MB on its own between samples taken right after a burst).
  const withRss =
    (send, settleMs = 2000) =>
    async () => {
      const before = target.rss();
      const res = await send();
      await delay(settleMs);
      const after = target.rss();
      const growth = before !== undefined && after !== undefined ? after - before : undefined;
      return {
        ...res,
        note: [res.note, `RSS ${before === undefined ? '?' : mb(before)} -> ${after === undefined ? '?' : mb(after)}`]
          .filter(Boolean)
          .join(', '),
        bad: growth !== undefined && growth > RSS_BOUND ? `RSS grew ${mb(growth)} (bound ${mb(RSS_BOUND)})` : undefined,
      };
    };
  return [
    {
      id: 'big',
      case: '10 MB body, correctly signed, with Content-Length',
      status: 413,
      expected: n8n
        ? `413 from our node (n8n reads up to N8N_PAYLOAD_SIZE_MAX = 16 MB before any node runs), RSS growth (2 s after) ≤ ${mb(RSS_BOUND)}, no run`
        : `413 before the body is read (Content-Length checked), RSS growth (2 s after) ≤ ${mb(RSS_BOUND)}, no run`,
      send: withRss(() => post(url, tenMb())),
    },
    {
      id: 'big-chunked',
      case: '10 MB body, correctly signed, chunked (no Content-Length)',
      status: 413,
      expected: n8n
        ? `413 from our node after n8n buffered it, RSS growth (2 s after) ≤ ${mb(RSS_BOUND)}, no run`
        : `413 once 1 MB has arrived, RSS growth (2 s after) ≤ ${mb(RSS_BOUND)}, no run`,
      send: withRss(() => post(url, { ...tenMb(), chunked: true })),
    },
    {
      id: 'big-series',
      case: `10 MB bodies, two series of ${series} in a row (memory does not build up)`,
      status: 413,
      // A host that buffers bodies (n8n does, before our node runs) keeps the freed pages in its allocator
      // after the first series; build-up is growth that continues over the second series.
      // n8n's RSS swings by ±100 MB between samples after buffering 10 MB bodies (its own parser, before our
      // node), so a fast run's few bodies cannot tell a leak from noise there: the long run (30 per series)
      // holds n8n to half the bytes of its second series; Node-RED, which never buffers them, to the fixed bound.
      expected: n8n
        ? mode === 'long'
          ? `every one 413, RSS growth over the second series (2 s after) ≤ ${mb(seriesBound)} (half the bytes sent in it), no run`
          : 'every one 413, no run; RSS reported (n8n buffers each body before our node; the long run bounds it)'
        : `every one 413, RSS growth over the second series (2 s after) ≤ ${mb(RSS_BOUND)}, no run`,
      send: async () => {
        const statuses = [];
        let last;
        const rssAt = [target.rss()];
        for (let round = 0; round < 2; round++) {
          for (let i = 0; i < series; i++) {
            last = await post(url, tenMb());
            statuses.push(last.status);
          }
          await delay(2000);
          rssAt.push(target.rss());
        }
        const wrong = statuses.filter((st) => st !== 413);
        const [start, mid, end] = rssAt;
        const bound = !n8n ? RSS_BOUND : mode === 'long' ? seriesBound : undefined;
        const growth = mid !== undefined && end !== undefined ? end - mid : undefined;
        const trail = rssAt.map((v) => (v === undefined ? '?' : mb(v))).join(' -> ');
        return {
          ...last,
          status: wrong.length === 0 ? 413 : wrong[0],
          note: `statuses ${[...new Set(statuses)].join('/')}, RSS ${trail}${start !== undefined && mid !== undefined ? ` (first series ${mb(mid - start)})` : ''}`,
          bad:
            growth !== undefined && bound !== undefined && growth > bound
              ? `RSS grew ${mb(growth)} over the second series (bound ${mb(bound)})`
              : undefined,
        };
      },
    },
    {
      id: 'over-host-limit',
      case: "17 MB body (over n8n's 16 MB N8N_PAYLOAD_SIZE_MAX), declared",
      status: 413,
      // n8n refuses it unread but turns raw-body's PayloadTooLargeError into a 500 (its own code, before our node).
      accept: n8n ? [413, 500] : [413],
      expected: n8n
        ? 'refused by n8n before reading it (n8n answers its PayloadTooLargeError with 500, not 413), no run'
        : '413 before the body is read, no run',
      send: withRss(() => {
        const body = Buffer.alloc(17 * MB, 0x20);
        return post(url, {
          body,
          headers: {
            'content-type': 'application/json',
            'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)),
            'x-zm-signature': `v0=${hex(32)}`,
          },
        });
      }),
    },
  ];
}

/** Runs one case: status, run count (before/after, after the host's settle time), secret not echoed. */
async function runCase(target, c) {
  const before = await target.runs();
  let res;
  try {
    res = await c.send();
  } catch (err) {
    res = { status: 0, text: '', error: err instanceof Error ? err.message : String(err) };
  }
  await delay(target.settleMs);
  const after = await target.runs();
  const wantRuns = c.runs ?? 0;
  const ran = after - before;
  const leaks = typeof res.text === 'string' && res.text.includes(target.secret);
  const pass = (c.accept ?? [c.status]).includes(res.status) && ran === wantRuns && !res.bad && !leaks;
  const observed = [
    `${res.status || 'no answer'}${res.error ? ` (${res.error})` : ''}`,
    `${ran} run${ran === 1 ? '' : 's'}`,
    res.note,
    res.ms !== undefined ? `${res.ms} ms` : undefined,
    res.bad,
    leaks ? 'THE SECRET IS IN THE ANSWER' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    area: 'security',
    host: target.host,
    case: c.case,
    expected: c.expected ?? `${c.status}, ${wantRuns === 0 ? 'no run' : `${wantRuns} run`}`,
    observed,
    pass,
  };
}

/** Slow-loris against a target while a valid event goes through beside it. */
async function slowLorisCases(target, mode) {
  const rows = [];
  const before = await target.runs();
  const n8n = target.host === 'n8n';
  // Long mode waits out Node's requestTimeout (300 s, checked every 30 s) to see n8n's connection end.
  const giveUpMs = mode === 'long' && n8n ? 360_000 : SLOW_LORIS_BOUND_MS + 5_000;
  const loris = slowLoris(target.url, { headers: zoomHeaders(target.secret, '{'), everyMs: 500, giveUpMs });
  await delay(1000);
  const body = eventBody();
  const meanwhile = await post(target.url, { body, headers: zoomHeaders(target.secret, body) });
  const result = await loris;
  await delay(target.settleMs);
  const ran = (await target.runs()) - before;
  const bounded = result.outcome !== 'still open' && result.ms <= SLOW_LORIS_BOUND_MS;
  rows.push({
    area: 'security',
    host: target.host,
    case: `slow-loris body (1 byte every 500 ms of a declared 4 KB)`,
    expected: n8n
      ? `no run and no 2xx; the connection is n8n's to bound: n8n reads the body itself before any node runs and sets no read timeout${mode === 'long' ? " (Node's requestTimeout ends it within 360 s)" : " (Node's requestTimeout, 300 s, ends it; seen in --long)"}`
      : `answered (408) or cut within ${SLOW_LORIS_BOUND_MS / 1000} s, no run`,
    observed: `${result.outcome}${result.status ? ` ${result.status}` : ''} after ${(result.ms / 1000).toFixed(1)} s (${result.bytesSent} bytes trickled)${result.outcome === 'still open' ? ', given up by the sender' : ''}, ${ran - (meanwhile.status === 200 ? 1 : 0)} runs from it`,
    pass:
      (n8n
        ? !(result.status >= 200 && result.status < 300) && (mode !== 'long' || result.outcome !== 'still open')
        : bounded) && ran === (meanwhile.status === 200 ? 1 : 0),
  });
  rows.push({
    area: 'security',
    host: target.host,
    case: 'a valid event sent during the slow-loris',
    expected: '200 and one run (the trickle blocks nothing else)',
    observed: `${meanwhile.status || meanwhile.error} in ${meanwhile.ms} ms, ${ran} run${ran === 1 ? '' : 's'} in all`,
    pass: meanwhile.status === 200 && ran === 1,
  });
  return rows;
}

async function attackHost(target, mode, log) {
  const rows = [];
  let accepted = 0;
  const startRuns = await target.runs();
  for (const c of attackCases(target, mode)) {
    const row = await runCase(target, c);
    accepted += c.runs ?? 0;
    rows.push(row);
    log(`${target.host}: ${row.pass ? 'ok  ' : 'FAIL'} ${c.case}: ${row.observed}`);
  }
  const lorisRows = await slowLorisCases(target, mode);
  accepted += 1;
  rows.push(...lorisRows);
  await delay(target.settleMs * 2);
  const total = (await target.runs()) - startRuns;
  rows.push({
    area: 'security',
    host: target.host,
    case: 'runs over the whole attack sequence',
    expected: `${accepted} (the accepted deliveries only)`,
    observed: String(total),
    pass: total === accepted,
  });
  return rows;
}

// ------------------------------------------------------------------------------------------
// Node-RED route safety

/** A bcrypt hash with the bcryptjs Node-RED itself ships (httpNodeAuth wants one). */
function bcryptHash(password) {
  const req = createRequire(path.join(toolsDir, 'node-red-4.1', 'node_modules', 'node-red', 'package.json'));
  let bcrypt;
  try {
    bcrypt = req('bcryptjs');
  } catch {
    bcrypt = createRequire(req.resolve('@node-red/runtime'))('bcryptjs');
  }
  return bcrypt.hashSync(password, 8);
}

function check(host, kase, expected, observed, pass) {
  return { area: 'security', host, case: kase, expected, observed, pass };
}

async function sendCounted(nr, key, url, opts) {
  const before = await nr.runs(key);
  const res = await post(url, opts);
  await delay(250);
  const ran = (await nr.runs(key)) - before;
  return { res, ran, text: `${res.status || res.error}, ${ran} run${ran === 1 ? '' : 's'}` };
}

async function routeSafety(ctx, sim, nr, log) {
  const rows = [];
  const secret = sim.credentials.webhookSecretToken;
  const creds = accountCreds(sim);
  const signed = (body = eventBody()) => ({ body, headers: zoomHeaders(secret, body) });

  // httpNodeAuth: Zoom must then send Basic credentials (event subscription → Authentication
  // Header Option → Basic Authentication), and the signature is still required on top.
  const password = `basic-${hex(12)}`;
  ctx.secret('httpNodeAuth password', password);
  ctx.secret('httpNodeAuth Basic header value', Buffer.from(`zoom:${password}`).toString('base64'));
  const authed = await ctx.hosts.nodeRedWith(
    `  httpNodeAuth: { user: 'zoom', pass: ${JSON.stringify(bcryptHash(password))} },\n`,
  );
  await authed.deploy(
    [
      accountNode('acc', sim),
      ...triggerFlow(authed, { tab: 'auth', account: 'acc', triggerPath: '/zoom/auth', key: 'auth' }),
    ],
    { acc: creds },
  );
  const authUrl = `${authed.base}/zoom/auth`;
  const basic = (pw) => ({ authorization: `Basic ${Buffer.from(`zoom:${pw}`).toString('base64')}` });
  {
    const r = await sendCounted(authed, 'auth', authUrl, signed());
    rows.push(
      check(
        'node-red',
        'httpNodeAuth set: signed event without Basic credentials',
        '401, no run',
        r.text,
        r.res.status === 401 && r.ran === 0,
      ),
    );
  }
  {
    const s = signed();
    const r = await sendCounted(authed, 'auth', authUrl, {
      body: s.body,
      headers: { ...s.headers, ...basic('wrong') },
    });
    rows.push(
      check(
        'node-red',
        'httpNodeAuth set: signed event with a wrong Basic password',
        '401, no run',
        r.text,
        r.res.status === 401 && r.ran === 0,
      ),
    );
  }
  {
    const s = signed();
    const r = await sendCounted(authed, 'auth', authUrl, {
      body: s.body,
      headers: { ...s.headers, ...basic(password) },
    });
    rows.push(
      check(
        'node-red',
        'httpNodeAuth set: signed event with the Basic credentials Zoom is configured to send',
        '200, one run',
        r.text,
        r.res.status === 200 && r.ran === 1,
      ),
    );
  }
  {
    const body = eventBody();
    const r = await sendCounted(authed, 'auth', authUrl, {
      body,
      headers: { ...zoomHeaders(`wrong-${hex(4)}`, body), ...basic(password) },
    });
    rows.push(
      check(
        'node-red',
        'httpNodeAuth set: right Basic credentials but a forged signature',
        '401, no run',
        r.text,
        r.res.status === 401 && r.ran === 0,
      ),
    );
  }
  {
    const c = challenge(secret);
    const res = await post(authUrl, { body: c.body, headers: { ...c.headers, ...basic(password) } });
    const ok = res.status === 200 && res.text.includes(c.plainToken) && res.text.includes('encryptedToken');
    rows.push(
      check(
        'node-red',
        'httpNodeAuth set: url_validation with the Basic credentials',
        '200 with the challenge answer',
        `${res.status} ${res.text.slice(0, 60)}`,
        ok,
      ),
    );
  }
  log(`httpNodeAuth: ${rows.filter((r) => r.pass).length}/${rows.length}`);

  // A non-default httpNodeRoot.
  const rooted = await ctx.hosts.nodeRedWith("  httpNodeRoot: '/hooks',\n");
  await rooted.deploy(
    [
      accountNode('acc', sim),
      ...triggerFlow(rooted, { tab: 'root', account: 'acc', triggerPath: '/zoom/rooted', key: 'rooted' }),
    ],
    { acc: creds },
  );
  {
    const r = await sendCounted(rooted, 'rooted', `${rooted.base}/hooks/zoom/rooted`, signed());
    rows.push(
      check(
        'node-red',
        "httpNodeRoot '/hooks': signed event to /hooks/zoom/rooted",
        '200, one run',
        r.text,
        r.res.status === 200 && r.ran === 1,
      ),
    );
  }
  {
    const r = await sendCounted(rooted, 'rooted', `${rooted.base}/zoom/rooted`, signed());
    rows.push(
      check(
        'node-red',
        "httpNodeRoot '/hooks': the same path without the root",
        '404, no run',
        r.text,
        r.res.status === 404 && r.ran === 0,
      ),
    );
  }
  {
    const body = eventBody();
    const r = await sendCounted(rooted, 'rooted', `${rooted.base}/hooks/zoom/rooted`, {
      body,
      headers: { ...zoomHeaders(secret, body), 'x-zm-signature': `v0=${hex(32)}` },
    });
    rows.push(
      check(
        'node-red',
        "httpNodeRoot '/hooks': forged signature",
        '401, no run',
        r.text,
        r.res.status === 401 && r.ran === 0,
      ),
    );
  }
  {
    const body = eventBody({ pad: 'x'.repeat(10 * MB) });
    const r = await sendCounted(rooted, 'rooted', `${rooted.base}/hooks/zoom/rooted`, {
      body,
      headers: zoomHeaders(secret, body),
      chunked: true,
    });
    rows.push(
      check(
        'node-red',
        "httpNodeRoot '/hooks': 10 MB chunked body (capture bound applies under the root)",
        '413, no run',
        r.text,
        r.res.status === 413 && r.ran === 0,
      ),
    );
  }

  // Two triggers on two paths of the shared instance, each with its own account and secret.
  const other = await ctx.hosts.simulator({ seed: 'reliability-security-second' });
  const otherSecret = other.credentials.webhookSecretToken;
  await nr.deploy(
    [
      accountNode('accA', sim),
      accountNode('accB', other),
      ...triggerFlow(nr, { tab: 'one', account: 'accA', triggerPath: '/zoom/one', key: 'one' }),
      ...triggerFlow(nr, { tab: 'two', account: 'accB', triggerPath: '/zoom/two', key: 'two' }),
    ],
    { accA: creds, accB: accountCreds(other) },
  );
  const both = async (url, opts) => {
    const [a0, b0] = [await nr.runs('one'), await nr.runs('two')];
    const res = await post(url, opts);
    await delay(250);
    const [a, b] = [(await nr.runs('one')) - a0, (await nr.runs('two')) - b0];
    return { res, a, b, text: `${res.status}, one +${a}, two +${b}` };
  };
  {
    const r = await both(`${nr.base}/zoom/one`, signed());
    rows.push(
      check(
        'node-red',
        'two triggers: event for /zoom/one (its secret)',
        '200; /zoom/one runs once, /zoom/two not',
        r.text,
        r.res.status === 200 && r.a === 1 && r.b === 0,
      ),
    );
  }
  {
    const body = eventBody();
    const r = await both(`${nr.base}/zoom/two`, { body, headers: zoomHeaders(otherSecret, body) });
    rows.push(
      check(
        'node-red',
        'two triggers: event for /zoom/two (its secret)',
        '200; /zoom/two runs once, /zoom/one not',
        r.text,
        r.res.status === 200 && r.a === 0 && r.b === 1,
      ),
    );
  }
  {
    const r = await both(`${nr.base}/zoom/two`, signed());
    rows.push(
      check(
        'node-red',
        "two triggers: /zoom/one's signed event sent to /zoom/two",
        '401 (other secret), no run anywhere',
        r.text,
        r.res.status === 401 && r.a === 0 && r.b === 0,
      ),
    );
  }

  // Redeploys must move the route, not leave the old one answering.
  const flow = (triggerPath, extra = {}) => [
    accountNode('acc', sim),
    ...triggerFlow(nr, { tab: 'redeploy', account: 'acc', triggerPath, key: 'redeploy' }).map((n) =>
      n.id === 'redeploy-dbg' ? { ...n, ...extra } : n,
    ),
  ];
  await nr.deploy(flow('/zoom/v1'), { acc: creds });
  {
    const r = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v1`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy: trigger on /zoom/v1 (first deploy)',
        '200, one run',
        r.text,
        r.res.status === 200 && r.ran === 1,
      ),
    );
  }
  {
    const r0 = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/one`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy: a trigger removed by a full deploy (/zoom/one)',
        '404, no run',
        r0.text,
        r0.res.status === 404 && r0.ran === 0,
      ),
    );
  }
  await nr.deploy(flow('/zoom/v2'), { acc: creds });
  {
    const old = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v1`, signed());
    const cur = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v2`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy (full) moving the path /zoom/v1 -> /zoom/v2',
        'old path 404 and no run; new path 200, one run',
        `old: ${old.text}; new: ${cur.text}`,
        old.res.status === 404 && old.ran === 0 && cur.res.status === 200 && cur.ran === 1,
      ),
    );
  }
  await nr.deployNodes(flow('/zoom/v3'), { acc: creds });
  {
    const old = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v2`, signed());
    const cur = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v3`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy (modified nodes only) moving the path /zoom/v2 -> /zoom/v3',
        'old path 404 and no run; new path 200, one run',
        `old: ${old.text}; new: ${cur.text}`,
        old.res.status === 404 && old.ran === 0 && cur.res.status === 200 && cur.ran === 1,
      ),
    );
  }
  await nr.deployNodes(flow('/zoom/v3', { name: 'renamed debug' }), { acc: creds });
  {
    const cur = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v3`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy (modified nodes only) of another node: the trigger keeps one route',
        '200, exactly one run',
        cur.text,
        cur.res.status === 200 && cur.ran === 1,
      ),
    );
  }
  await nr.deploy(flow('/zoom/v3', { name: 'full again' }), { acc: creds });
  {
    const cur = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v3`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy (full) with the same path: one route, not two',
        '200, exactly one run',
        cur.text,
        cur.res.status === 200 && cur.ran === 1,
      ),
    );
  }
  await nr.deploy([{ id: 'empty', type: 'tab', label: 'empty' }], {});
  {
    const r = await sendCounted(nr, 'redeploy', `${nr.base}/zoom/v3`, signed());
    rows.push(
      check(
        'node-red',
        'redeploy (full) without the trigger',
        '404, no run',
        r.text,
        r.res.status === 404 && r.ran === 0,
      ),
    );
  }
  return rows;
}

// ------------------------------------------------------------------------------------------

async function nodeRedTarget(sim, nr) {
  await nr.deploy(
    [
      accountNode('acc', sim),
      ...triggerFlow(nr, { tab: 'sec', account: 'acc', triggerPath: '/zoom/security', key: 'security' }),
    ],
    { acc: accountCreds(sim) },
  );
  return {
    host: 'node-red',
    url: `${nr.base}/zoom/security`,
    secret: sim.credentials.webhookSecretToken,
    runs: () => nr.runs('security'),
    settleMs: 200,
    rss: () => nr.rss(),
  };
}

async function n8nTarget(sim, n8n) {
  const secret = sim.credentials.webhookSecretToken;
  const cred = await n8n.credential(
    'zoomTeamChatWebhookApi',
    { webhookSecretToken: secret },
    'security webhook secret',
  );
  const webhookId = `security-${hex(6)}`;
  const wf = await n8n.workflow(
    {
      name: 'security: trigger only',
      connections: {},
      nodes: [
        {
          id: '5e3c9a52-3b7e-4a4f-9d1c-5ec0000000a1',
          name: 'Zoom Team Chat Trigger',
          type: `${n8n.prefix}.${N8N_TRIGGER}`,
          typeVersion: 1,
          position: [0, 0],
          webhookId,
          credentials: { zoomTeamChatWebhookApi: { id: cred.id, name: cred.name } },
          parameters: {
            authentication: 'webhookSecret',
            events: ['team_chat.channel_message_posted'],
            options: { ignoreOwnMessages: false, includeHeaders: true },
          },
        },
      ],
    },
    { webhookId },
  );
  return { host: 'n8n', url: wf.webhookUrl, secret, runs: () => wf.count(), settleMs: 700, rss: () => n8n.rss() };
}

export async function run(ctx) {
  const log = ctx.log ?? (() => {});
  const sim = await ctx.hosts.simulator({ seed: 'reliability-security' });
  const probe = `probe-${hex(16)}`;
  ctx.secret('Authorization header sent along an event', probe);
  // The two hosts are attacked side by side (separate processes); one failing to start does not stop the other.
  const failed = (host, what) => (err) => [
    {
      area: 'security',
      host,
      case: `${host} ${what}`,
      expected: 'completes',
      observed: `threw: ${String(err?.message ?? err).split('\n')[0]}`,
      pass: false,
    },
  ];
  const nrPart = (async () => {
    const nr = await ctx.hosts.nodeRed;
    const rows = await attackHost({ ...(await nodeRedTarget(sim, nr)), probe }, ctx.mode, log);
    // Route safety redeploys the shared Node-RED: after the attacks on it.
    return [...rows, ...(await routeSafety(ctx, sim, nr, log).catch(failed('node-red', 'route safety checks')))];
  })().catch(failed('node-red', 'attack sequence'));
  const n8nPart = (async () =>
    attackHost({ ...(await n8nTarget(sim, await ctx.hosts.n8n)), probe }, ctx.mode, log))().catch(
    failed('n8n', 'attack sequence'),
  );
  const [nrRows, n8nRows] = await Promise.all([nrPart, n8nPart]);
  ctx.note?.(
    "**Node-RED with `httpNodeAuth`.** Every HTTP-in route then needs Basic credentials, the trigger's too: in the Zoom app, set the event " +
      "subscription's *Authentication Header Option* to *Basic Authentication* with the same user and password. The signature is still checked " +
      "(right Basic credentials with a forged signature get 401). Our raw-body capture runs before Node-RED's auth middleware, so an " +
      'unauthenticated request to a trigger path still has its body read (at most 1 MB and 10 s) before the 401.',
  );
  ctx.note?.(
    "**What n8n does before our node runs.** n8n 1.123 reads a webhook's body itself (`parseBody`, raw-body with `N8N_PAYLOAD_SIZE_MAX`, default 16 MB) " +
      'before calling the trigger node: a body declared over that limit is refused unread (n8n answers its own PayloadTooLargeError with 500, not 413); a smaller one (the 10 MB case) is buffered whole by n8n, ' +
      "and then our node refuses anything over 1 MB with 413 before computing a signature. A body with `Content-Type: application/json` that is not JSON gets 422 from n8n's parser. " +
      "n8n sets no body-read timeout of its own, so a slow-loris sender is held by n8n until Node's `requestTimeout` (300 s by default, checked every 30 s: `--long` saw a 408 after about 318 s) — our node cannot act on a request n8n has not finished reading. " +
      'In every case no workflow execution starts.',
  );
  return [...nrRows, ...n8nRows];
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const { standalone } = await import('../lib/standalone.mjs');
  await standalone({ name, run });
}
