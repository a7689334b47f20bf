#!/usr/bin/env node
// What `npm pack` would put in a package's tarball, for the pack tests (test/pack.test.ts of each
// published package). `node pack-manifest.mjs <package dir>` prints JSON:
//   name, files [{ path, size }], pkg (its package.json),
//   entries: every entry point package.json declares (main, exports, bin, n8n nodes and
//     credentials, node-red nodes), each { entry, packed, loaded, error? }: `loaded` means a fresh
//     Node process required it from a copy of the packed files alone, next to only the declared
//     dependencies and peer dependencies — so a file left out of `files`, or a module the package
//     uses without declaring it, fails here;
//   problems: every breach of the rules all published packages share — files that look like
//     secrets, files that never belong in a tarball (sources, tests, tool state, local config),
//     a missing package.json/README.md/LICENSE or a LICENSE that is not MIT, an entry point that
//     is not packed or does not load from the tarball alone.
// `npm pack --dry-run` writes nothing; the copy lives in a temporary folder, removed after.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
  cwd: dir,
  encoding: 'utf8',
  env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  maxBuffer: 64 * 1024 * 1024,
});
// npm may print lifecycle noise before the JSON array.
const report = JSON.parse(out.slice(out.indexOf('[')))[0];
const files = report.files.map((f) => ({ path: f.path, size: f.size }));
const packed = new Set(files.map((f) => f.path));
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Never in a tarball: sources, tests, build and tool state, local config. */
const NEVER = [
  /^(src|test|tests|scripts|coverage|\.tools|\.turbo|node_modules|\.github|\.changeset)\//,
  /(^|\/)(tsconfig[^/]*|vitest\.config[^/]*|eslint[^/]*|test-results|acceptance-results[^/]*)\.(json|ts|mjs|js)$/,
  /(?<!\.d)\.ts$/,
  /\.(test|spec)\.[cm]?[jt]s$/,
  /\.tgz$/,
];

const problems = [];
for (const required of ['package.json', 'README.md', 'LICENSE']) {
  if (!packed.has(required)) problems.push(`${required}: not packed`);
}
if (packed.has('LICENSE') && !/^MIT License/.test(readFileSync(join(dir, 'LICENSE'), 'utf8')))
  problems.push('LICENSE: not the MIT license');
for (const { path, size } of files) {
  if (NEVER.some((re) => re.test(path))) problems.push(`${path}: does not belong in a tarball`);
  if (/(^|\/)\.env(\.|$)|(^|\/)\.npmrc$|\.(pem|key|p12|pfx)$|(^|\/)id_(rsa|ed25519)/.test(path))
    problems.push(`${path}: looks like a secrets file`);
  if (size < 8 * 1024 * 1024 && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(readFileSync(join(dir, path), 'utf8'))) {
    problems.push(`${path}: contains a private key`);
  }
}

const entries = [...new Set(declaredEntries(pkg))].map((entry) => ({ entry, packed: packed.has(entry) }));
const stage = mkdtempSync(join(tmpdir(), 'pack-manifest-'));
try {
  const home = join(stage, 'node_modules', ...pkg.name.split('/'));
  for (const { path } of files) {
    mkdirSync(dirname(join(home, path)), { recursive: true });
    cpSync(join(dir, path), join(home, path));
  }
  // Only what an installer would put next to it: dependencies and peer dependencies.
  const fromPackage = createRequire(join(dir, 'package.json'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
    const target = packageRoot(fromPackage, name);
    if (!target) continue; // reported by the load below if it is needed
    mkdirSync(dirname(join(stage, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(stage, 'node_modules', name), 'dir');
  }
  for (const e of entries) {
    if (!e.packed) continue;
    const res = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(home, e.entry))})`], {
      cwd: stage,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_PATH: '' },
      timeout: 60_000,
    });
    e.loaded = res.status === 0;
    if (!e.loaded)
      e.error = (res.stderr || res.error?.message || '')
        .split('\n')
        .filter((l) => /Error|Cannot find/.test(l))
        .slice(0, 3)
        .join(' | ');
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
for (const e of entries) {
  if (!e.packed) problems.push(`${e.entry}: declared in package.json but not packed`);
  else if (!e.loaded) problems.push(`${e.entry}: does not load from the tarball alone: ${e.error}`);
}

process.stdout.write(JSON.stringify({ name: report.name, files, pkg, entries, problems }));

function* declaredEntries(p) {
  const norm = (s) => s.replace(/^\.\//, '');
  if (typeof p.main === 'string') yield norm(p.main);
  const walk = function* (v) {
    if (typeof v === 'string') {
      if (!v.includes('*') && /\.(c|m)?js$/.test(v)) yield norm(v);
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) yield* walk(x);
  };
  yield* walk(p.exports);
  yield* walk(p.bin);
  for (const f of [...(p.n8n?.nodes ?? []), ...(p.n8n?.credentials ?? [])]) yield norm(f);
  for (const f of Object.values(p['node-red']?.nodes ?? {})) yield norm(f);
}

function packageRoot(req, name) {
  try {
    return dirname(realpathSync(req.resolve(`${name}/package.json`)));
  } catch {
    // Packages whose exports hide package.json: walk up from the main entry.
    try {
      let d = dirname(realpathSync(req.resolve(name)));
      while (
        !existsSync(join(d, 'package.json')) ||
        JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name !== name
      ) {
        const up = dirname(d);
        if (up === d) return undefined;
        d = up;
      }
      return d;
    } catch {
      return undefined;
    }
  }
}
