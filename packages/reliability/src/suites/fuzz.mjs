#!/usr/bin/env node
// Property-based fuzz of every action node in both real hosts (fuzz-cases.mjs says what is fed
// and what must come out). Bad and good items travel in the same batch (Node-RED: one message
// per item through the node, Catch per message; n8n: one execution, continueOnFail): the host
// must stay up, each bad item must fail with an error naming its field, each good item must go
// through (and a good send must be stored exactly once). A failing kind is shrunk against the
// real host (fast-check's shrinker, a few batches of candidates) to a minimal counter-example.
// --fast: a few hundred cases per node; --long: 10 000 per node (FUZZ_CASES overrides both,
// FUZZ_SEED replays a run).
import fc from 'fast-check';
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
import { allocate, fuzzSpecs, judge, show, withMarker } from '../lib/fuzz-cases.mjs';
import { countMarkers } from '../lib/faults-ledger.mjs';

export const name = 'fuzz';

const CASES = { fast: 200, long: 10_000 };
const BATCH = { fast: 250, long: 500 };
/** Time for one shrink, and for all shrinking of a run (shrinking is one host call per candidate). */
const SHRINK_MS = { fast: 8_000, long: 30_000 };
const SHRINK_TOTAL_MS = { fast: 40_000, long: 600_000 };
const SHRINK_KINDS_PER_NODE = 3;

const NODE_RED_TARGETS = {
  'node-red send': {
    id: 'zsend',
    def: { type: 'zoom-team-chat-send', account: 'zacc', mode: 'message', replyInThread: false, text: '' },
  },
  'node-red list': {
    id: 'zlist',
    def: {
      type: 'zoom-team-chat-list',
      account: 'zacc',
      resource: 'messages',
      returnAll: false,
      limit: '',
      output: 'array',
    },
  },
  'node-red upload': {
    id: 'zupload',
    def: {
      type: 'zoom-team-chat-upload',
      account: 'zacc',
      mode: 'send',
      replyInThread: false,
      fileName: '',
      filePath: '',
    },
  },
  'node-red api': {
    id: 'zapi',
    def: { type: 'zoom-team-chat-api', account: 'zacc', operationId: '', params: '', returnAll: false, limit: '' },
  },
};

const channelId = { __rl: true, mode: 'id', value: '={{ $json.channel }}' };
const N8N_TARGETS = {
  'n8n message send': {
    resource: 'message',
    operation: 'send',
    target: 'channel',
    channelId,
    message: '={{ $json.text }}',
    additionalFields: {},
  },
  'n8n message getAll': {
    resource: 'message',
    operation: 'getAll',
    target: 'channel',
    channelId,
    returnAll: false,
    limit: '={{ $json.limit }}',
    filters: {},
  },
  'n8n message get': {
    resource: 'message',
    operation: 'get',
    target: 'channel',
    channelId,
    messageId: '={{ $json.messageId }}',
    simplify: true,
  },
  'n8n file upload': { resource: 'file', operation: 'upload', binaryPropertyName: 'data', options: {} },
  'n8n file send': {
    resource: 'file',
    operation: 'send',
    target: 'channel',
    channelId,
    binaryPropertyName: 'data',
    options: {},
  },
  'n8n apiCall': {
    resource: 'apiCall',
    operation: 'call',
    operationId: '={{ $json.operationId }}',
    pathParameters: '={{ $json.path }}',
    queryParameters: '={{ $json.query }}',
    body: '={{ $json.body }}',
    options: {},
  },
};

/** Deterministic shuffle (the batch mixes kinds; the seed makes it replayable). */
function shuffle(list, seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function storedTexts(sim) {
  const texts = [];
  for (const m of sim.state.messages.values()) texts.push(m.text);
  for (const f of sim.state.files.values()) if (!f.deleted) texts.push(f.name);
  return texts;
}

export async function run(ctx) {
  const mode = ctx.mode === 'long' ? 'long' : 'fast';
  const perNode = Number(process.env.FUZZ_CASES) > 0 ? Number(process.env.FUZZ_CASES) : CASES[mode];
  const batchSize = BATCH[mode];
  const seed = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
  ctx.log(`fuzz: ${perNode} cases per node, seed ${seed} (FUZZ_SEED=${seed} replays it)`);
  ctx.note?.(
    `${perNode} cases per node (fast-check 4, seed ${seed}; FUZZ_SEED=${seed} FUZZ_CASES=${perNode} replays the run), bad and good items shuffled into the same batches. ` +
      'good: goes through (a sent message or file must be in the simulator exactly once); bad: fails with an error naming the field (the pattern shown), ' +
      'never an internal error (TypeError, "Cannot read properties", "is not a function"); either: a value a host may coerce, so it may go through. ' +
      'A failing kind is shrunk by fast-check against the real host (replayed by seed and run index, one host call per candidate, time-boxed).',
  );

  const sim = await ctx.hosts.simulator({ plan: 'off', fileStorage: 'memory' });
  const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
  const channels = (await sim.admin.channels()).filter(
    (c) => !c.archived && c.members.some((m) => m.userId === owner.id),
  );
  let channel = channels[0];
  let most = -1;
  for (const c of channels) {
    const n = (await sim.admin.channelMessages(c.id)).length;
    if (n > most) [channel, most] = [c, n];
  }
  const messageId = (await sim.admin.channelMessages(channel.id)).find((m) => m.status !== 'Deleted')?.id;
  if (!messageId) throw new Error(`the simulator's channel ${channel.name} has no message to read`);
  const specs = fuzzSpecs({ channel: channel.id, messageId, owner: owner.email });
  const run = randomUUID().slice(0, 6);
  let shrinkSpent = 0;
  const shrinkBudget = { left: () => SHRINK_TOTAL_MS[mode] - shrinkSpent, spend: (ms) => (shrinkSpent += ms) };
  let counter = 0;
  const nextMarker = () => `[F:${run}:${++counter}]`;

  const hostRunners = {
    'node-red': async () => {
      const nr = await ctx.hosts.nodeRed;
      const acc = nodeRedAccount('zacc', sim, { plan: 'business' });
      const flows = [acc.node];
      for (const t of Object.values(NODE_RED_TARGETS)) flows.push(...nodeRedTargetFlow(t.id, t.def));
      await nr.deploy(flows, acc.credentials);
      const alive = async () => {
        try {
          process.kill(nr.pid, 0);
          return (await fetch(`${nr.base}/settings`)).ok;
        } catch {
          return false;
        }
      };
      const rows = [];
      for (const [key, t] of Object.entries(NODE_RED_TARGETS)) {
        rows.push(
          ...(await fuzzNode(key, (items) => nodeRedBatch(nr.base, t.id, items, { timeoutMs: 180_000 }), alive)),
        );
      }
      return rows;
    },
    n8n: async () => {
      const n8n = await ctx.hosts.n8n;
      const credential = await n8nCredential(n8n, sim, `fuzz ${run}`);
      const targets = {};
      for (const [key, parameters] of Object.entries(N8N_TARGETS))
        targets[key] = await n8nTarget(n8n, { name: `fuzz: ${key}`, credential, parameters });
      const alive = async () => {
        try {
          process.kill(n8n.pid, 0);
          return (await fetch(`${n8n.base}/healthz`)).ok;
        } catch {
          return false;
        }
      };
      const rows = [];
      for (const key of Object.keys(N8N_TARGETS))
        rows.push(...(await fuzzNode(key, (items) => n8nBatch(targets[key], items, { timeoutMs: 600_000 }), alive)));
      return rows;
    },
  };

  /** Sends values of (kind) through the node; returns per value { outcome, stored, verdict }. */
  async function evaluate(send, pairs) {
    const items = pairs.map((pair) => {
      const marker = pair.kind.marker ? nextMarker() : undefined;
      return { ...pair, key: `c${++counter}`, marker, item: marker ? withMarker(pair.value, marker) : pair.value };
    });
    const outcomes = await send(items.map((it) => ({ key: it.key, ...it.item })));
    const markers = items.filter((it) => it.marker).map((it) => it.marker);
    const counts = markers.length ? countMarkers(markers, storedTexts(sim)) : new Map();
    return items.map((it) => {
      const outcome = outcomes.get(it.key);
      const stored = it.marker ? (counts.get(it.marker) ?? 0) : undefined;
      return { ...it, outcome, stored, verdict: judge(it.kind, outcome, stored) };
    });
  }

  /**
   * fast-check's own shrinking, against the host: the failing value is replayed by its seed and
   * run index (`path`), then shrunk one host call per candidate, within a time budget.
   */
  async function shrink(send, kind, kindIndex, index, numRuns, budgetMs) {
    let evaluations = 0;
    let last;
    const property = fc.asyncProperty(kind.arb, async (v) => {
      evaluations++;
      const [r] = await evaluate(send, [{ kind, value: v }]);
      if (!r.verdict.pass) last = r;
      return r.verdict.pass;
    });
    const details = await fc.check(property, {
      seed: seed + kindIndex,
      numRuns,
      path: String(index),
      interruptAfterTimeLimit: budgetMs,
      markInterruptAsFailure: false,
    });
    if (!details.failed || !details.counterexample) return { reproduced: false, evaluations };
    const [value] = details.counterexample;
    const [again] = await evaluate(send, [{ kind, value }]);
    return {
      reproduced: true,
      value,
      why: (again.verdict.pass ? last?.verdict.why : again.verdict.why) ?? '',
      shrinks: details.numShrinks,
      evaluations,
      interrupted: details.interrupted,
    };
  }

  async function fuzzNode(key, send, alive) {
    const spec = specs[key];
    const started = Date.now();
    const counts = allocate(spec.kinds, perNode);
    const pairs = [];
    spec.kinds.forEach((kind, i) => {
      if (counts[i] === 0) return;
      fc.sample(kind.arb, { numRuns: counts[i], seed: seed + i }).forEach((value, index) =>
        pairs.push({ kind, kindIndex: i, index, numRuns: counts[i], value }),
      );
    });
    shuffle(pairs, seed);
    const results = [];
    let down;
    for (let i = 0; i < pairs.length && !down; i += batchSize) {
      results.push(...(await evaluate(send, pairs.slice(i, i + batchSize))));
      if (!(await alive())) down = `the host stopped answering after case ${Math.min(i + batchSize, pairs.length)}`;
    }
    const simUp = await sim.admin.health().then(
      () => true,
      () => false,
    );
    // What the host answered, case by case, for the secrets suite to grep and for replaying by hand.
    const dump = results.map((r) => ({
      kind: r.kind.label,
      input: show(r.value, 2000),
      outcome: r.outcome,
      stored: r.stored,
      pass: r.verdict.pass,
      why: r.verdict.why,
    }));
    writeFileSync(
      path.join(ctx.artifacts, `fuzz-${key.replace(/[^a-z0-9]+/gi, '-')}.json`),
      JSON.stringify({ seed, cases: dump }, null, 1),
    );
    const rows = [];
    const host = spec.host;
    rows.push({
      area: 'fuzz',
      host,
      case: `${key}: host survives ${results.length} mixed cases in batches of ≤ ${batchSize}`,
      expected: 'host process alive and answering after every batch; simulator admin API answers',
      observed: `${down ?? `alive after ${results.length} cases (${Math.round((Date.now() - started) / 1000)} s)`}${simUp ? '' : '; the simulator admin API did not answer'}; seed ${seed} (FUZZ_SEED=${seed} FUZZ_CASES=${perNode} replays it)`,
      pass: !down && simUp && results.length === pairs.length,
    });
    let shrunk = 0;
    for (const kind of spec.kinds) {
      const mine = results.filter((r) => r.kind === kind);
      if (mine.length === 0) continue;
      const bad = mine.filter((r) => !r.verdict.pass);
      const expected =
        kind.kind === 'good'
          ? 'every item goes through (output, no error)' + (kind.marker ? ', stored exactly once' : '')
          : kind.kind === 'either'
            ? `goes through, or an error naming the field (/${kind.field}/i)`
            : `an error on the item naming the field (/${kind.field}/i), never a crash`;
      let observed;
      if (bad.length === 0) {
        const sample = mine.find((r) => r.outcome && !r.outcome.ok);
        const okCount = mine.filter((r) => r.outcome?.ok).length;
        observed = `${mine.length}/${mine.length} as expected (${okCount} went through)${sample ? `; e.g. ${JSON.stringify(String(sample.outcome.error).replace(/\s+/g, ' ').slice(0, 200))}` : ''}`;
      } else {
        const distinct = [...new Set(bad.map((r) => show(r.value, 160)))];
        observed = `${bad.length}/${mine.length} wrong (${distinct.length} distinct, e.g. ${distinct.slice(0, 3).join(' | ')}); first: ${show(bad[0].value)} → ${bad[0].verdict.why.replace(/\s+/g, ' ').slice(0, 300)}`;
        if (shrunk < SHRINK_KINDS_PER_NODE && !down && shrinkBudget.left() > 1000) {
          shrunk++;
          const first = bad[0];
          const budget = Math.min(SHRINK_MS[mode], shrinkBudget.left());
          const t0 = Date.now();
          try {
            const s = await shrink(send, kind, first.kindIndex, first.index, first.numRuns, budget);
            observed += s.reproduced
              ? `; minimal counter-example (${s.shrinks} shrink step(s), ${s.evaluations} host calls${s.interrupted ? ', time budget reached' : ''}): ${show(s.value)} → ${s.why.replace(/\s+/g, ' ').slice(0, 300)}`
              : `; not reproduced alone (${s.evaluations} host call(s)): it fails only in a batch`;
          } catch (err) {
            observed += `; shrinking failed: ${err instanceof Error ? err.message : String(err)}`;
          }
          shrinkBudget.spend(Date.now() - t0);
        }
      }
      rows.push({
        area: 'fuzz',
        host,
        case: `${key}: ${kind.label} (${kind.kind})`,
        expected,
        observed,
        pass: bad.length === 0,
      });
    }
    ctx.log(
      `fuzz ${key}: ${results.length} cases, ${rows.filter((r) => !r.pass).length} failing row(s), ${Math.round((Date.now() - started) / 1000)} s`,
    );
    return rows;
  }

  const settled = await Promise.all(
    Object.entries(hostRunners).map(([host, fn]) =>
      fn().catch((err) => [
        {
          area: 'fuzz',
          host,
          case: `${host}: fuzz targets deploy and run`,
          expected: 'no exception',
          observed: `threw: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500),
          pass: false,
        },
      ]),
    ),
  );
  const rows = settled.flat();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { standalone } = await import('../lib/standalone.mjs');
  await standalone({ name, run });
}
