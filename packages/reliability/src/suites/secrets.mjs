// Secrets suite (runs last): every secret value the other suites registered (client secrets,
// webhook secret tokens, passwords, access and refresh tokens the simulator minted) is searched
// for in every file of ctx.artifacts — host logs (with the debug nodes' output), exported
// Node-RED flows and credentials file, n8n execution data, workflows and database, the
// simulator's request and delivery logs — as plain text, base64, base64url and URL-encoded.
// One row per secret kind × artifact kind. A planted canary proves the search can find one.
// Standalone: node src/suites/secrets.mjs (checks only a canary: nothing else ran).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const name = 'secrets';

/** Shorter values would match by chance; none of ours is this short. */
const MIN_LENGTH = 8;

/** What an artifact is, from its file name (the hosts lib and the suites name them so). */
export function artifactKind(file) {
  const base = path.basename(file);
  const rules = [
    [/^node-red-.*-flows-export-\d+\.json$/, 'Node-RED flows export (GET /flows)'],
    [/^node-red-.*-flows_cred\.json$/, 'Node-RED credentials file (encrypted at rest)'],
    [/^node-red-.*\.log$/, 'Node-RED log (with debug-node output)'],
    [/^n8n-execution-data\.json$/, 'n8n execution data (REST API)'],
    [/^n8n-workflows-export\.json$/, 'n8n workflow export (REST API)'],
    [/^n8n-database\.sqlite$/, 'n8n database file'],
    [/^n8n.*\.log$/, 'n8n log'],
    [/^simulator-requests-\d+\.log$/, "simulator's request log"],
    [/^simulator-deliveries-\d+\.json$/, "simulator's webhook delivery log"],
  ];
  for (const [re, kind] of rules) if (re.test(base)) return kind;
  // Anything else a suite wrote: named by its first segment (e.g. faults-ledger.json -> faults output).
  const dir = path.basename(path.dirname(file));
  const first = base.split(/[-._]/)[0] || base;
  return `${dir !== 'artifacts' && dir !== '.' && !dir.startsWith('rel-') ? dir : first} output`;
}

/** The forms a secret can leak in. */
export function encodings(value) {
  const forms = new Map([['plain', value]]);
  const b64 = Buffer.from(value).toString('base64');
  forms.set('base64', b64.replace(/=+$/, ''));
  forms.set('base64url', Buffer.from(value).toString('base64url'));
  const uri = encodeURIComponent(value);
  if (uri !== value) forms.set('URL-encoded', uri);
  return forms;
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/**
 * Searches every file for every secret. `labels`: value -> kind of secret.
 * Returns rows (one per secret kind × artifact kind) and the raw hits.
 */
export function grepSecrets({ files, secrets, labels, root }) {
  const byLabel = new Map();
  for (const value of secrets) {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) continue;
    const label = labels.get(value) ?? 'unlabelled secret';
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label).push(value);
  }
  const byKind = new Map();
  for (const f of files) {
    const kind = artifactKind(f);
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(f);
  }
  const contents = new Map(files.map((f) => [f, readFileSync(f)]));
  const rows = [];
  for (const [label, values] of [...byLabel].sort()) {
    for (const [kind, kindFiles] of [...byKind].sort()) {
      const hits = [];
      for (const f of kindFiles) {
        const buf = contents.get(f);
        for (const value of values) {
          for (const [form, needle] of encodings(value)) {
            const at = buf.indexOf(needle);
            if (at !== -1) hits.push({ file: path.relative(root, f), form, at });
          }
        }
      }
      const bytes = kindFiles.reduce((n, f) => n + contents.get(f).length, 0);
      rows.push({
        area: 'secrets',
        host: hostOfKind(kind),
        case: `${label} in ${kind}`,
        expected: 'absent (plain, base64, base64url, URL-encoded)',
        observed:
          hits.length === 0
            ? `absent: ${values.length} value${values.length === 1 ? '' : 's'} × ${kindFiles.length} file${kindFiles.length === 1 ? '' : 's'} (${Math.round(bytes / 1024)} KB)`
            : `FOUND ${hits.length}×: ${hits
                .slice(0, 3)
                .map((h) => `${h.form} in ${h.file} at byte ${h.at}`)
                .join('; ')}`,
        pass: hits.length === 0,
      });
    }
  }
  return rows;
}

function hostOfKind(kind) {
  if (kind.startsWith('Node-RED')) return 'node-red';
  if (kind.startsWith('n8n')) return 'n8n';
  if (kind.includes('simulator')) return 'simulator';
  return 'core';
}

/** Proves the search finds a planted secret in each encoding (so "absent" means something). */
export function canaryRows() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rel-canary-'));
  try {
    const canary = `canary-${Math.random().toString(36).slice(2)}-secret/+=`;
    const rows = [];
    for (const [form, needle] of encodings(canary)) {
      writeFileSync(path.join(dir, `n8n-canary-${form}.log`), `line before\nAuthorization: ${needle}\nline after\n`);
    }
    const forms = [...encodings(canary).keys()];
    const missed = forms.filter((form) => {
      const [row] = grepSecrets({
        files: [path.join(dir, `n8n-canary-${form}.log`)],
        secrets: new Set([canary]),
        labels: new Map([[canary, 'canary']]),
        root: dir,
      });
      return row?.pass !== false;
    });
    rows.push({
      area: 'secrets',
      host: 'core',
      case: 'self-check: a canary planted plain, base64, base64url and URL-encoded is found',
      expected: `found in each of the ${forms.length} files`,
      observed:
        missed.length === 0 ? `found in all ${forms.length} (${forms.join(', ')})` : `missed: ${missed.join(', ')}`,
      pass: missed.length === 0,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx) {
  // Tokens of simulators still open, Node-RED's flows export and credentials file, n8n's executions.
  await ctx.hosts.collectArtifacts?.();
  const files = walk(ctx.artifacts);
  const labels = ctx.hosts.labels ?? new Map();
  const rows = canaryRows();
  const usable = [...ctx.secrets].filter((s) => typeof s === 'string' && s.length >= MIN_LENGTH);
  rows.push({
    area: 'secrets',
    host: 'core',
    case: 'secrets registered by the suites, and artifacts to search',
    expected: 'at least one secret and one artifact',
    observed: `${usable.length} secret values (${new Set(usable.map((v) => labels.get(v) ?? 'unlabelled secret')).size} kinds) in ${files.length} files`,
    pass: usable.length > 0 && files.length > 0,
  });
  rows.push(...grepSecrets({ files, secrets: ctx.secrets, labels, root: ctx.artifacts }));
  ctx.log?.(`searched ${files.length} files for ${usable.length} secret values`);
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const { standalone } = await import('../lib/standalone.mjs');
  await standalone({ name, run });
}
