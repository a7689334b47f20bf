// Shared by the acceptance suites: pass/fail bookkeeping, the results file the root test
// command totals, and the package as users get it (build, `npm pack`, community install).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

import { toolsDir } from './install-n8n.mjs';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** One suite's checks; `write()` leaves acceptance-results-<key>.json in the package folder. */
export function createSuite(key, title) {
	const results = [];
	const record = (name, ok, detail = '') => {
		results.push({ name, ok, detail });
		console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	};
	return {
		results,
		record,
		async check(name, fn) {
			try {
				const detail = await fn();
				record(name, true, typeof detail === 'string' ? detail : '');
				return true;
			} catch (error) {
				record(name, false, error instanceof Error ? error.message : String(error));
				return false;
			}
		},
		counts() {
			const passed = results.filter((r) => r.ok).length;
			return { passed, failed: results.length - passed };
		},
		write() {
			const { passed, failed } = this.counts();
			// A suite that ran no check did not run: count that as a failure.
			// The checks with what they saw: docs/reliability.md quotes the burst and queue-mode ones.
			const summary = { suite: title, passed, failed: results.length === 0 ? 1 : failed, checks: results, at: new Date().toISOString() };
			writeFileSync(join(packageDir, `acceptance-results-${key}.json`), `${JSON.stringify(summary)}\n`);
			return summary;
		},
	};
}

/** What a Server-to-Server credential needs to talk to a simulator (`extra`: plan, share, …). */
export function simulatorCredentialData(sim, extra = {}) {
	return {
		accountId: sim.credentials.accountId,
		clientId: sim.credentials.clientId,
		clientSecret: sim.credentials.clientSecret,
		webhookSecretToken: sim.credentials.webhookSecretToken,
		cloud: 'custom',
		apiBaseUrl: sim.urls.api,
		fileBaseUrl: sim.urls.file,
		oauthBaseUrl: sim.urls.oauth,
		...extra,
	};
}

export function assert(condition, message) {
	if (!condition) throw new Error(message);
}

export async function waitFor(what, fn, timeoutMs = 30_000) {
	const started = Date.now();
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await delay(250);
	}
}

export function build() {
	const r = spawnSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs')], { stdio: 'inherit' });
	if (r.status !== 0) throw new Error('build failed');
}

/** `npm pack` of the package, as published (only dist, package.json, README, LICENSE). */
export function pack(outDir) {
	mkdirSync(outDir, { recursive: true });
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
		cwd: packageDir,
		encoding: 'utf8',
		env: { ...process.env, npm_config_cache: join(toolsDir, 'cache', 'npm') },
	})
		.trim()
		.split('\n')
		.pop();
	return join(outDir, name);
}

/** What n8n does when it installs a community package: unpack, drop dev/peer deps, npm install. */
export function installCommunityPackage(tarball, userFolder) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', packageJson.name);
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
	writeFileSync(join(target, 'package.json'), JSON.stringify(kept, null, 2));
	execFileSync('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--offline'], {
		cwd: target,
		stdio: 'ignore',
		env: { ...process.env, npm_config_cache: join(toolsDir, 'cache', 'npm') },
	});
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageJson.name]: kept.version } }, null, 2),
	);
	return target;
}

/** Each run leaves n8n user folders (databases, binaries, logs); only the last few are kept. */
export function pruneOldRuns(root, keep) {
	if (!existsSync(root)) return;
	const runs = readdirSync(root).filter((name) => /^\d{4}-\d{2}-\d{2}T/.test(name)).sort();
	for (const name of runs.slice(0, Math.max(0, runs.length - keep))) rmSync(join(root, name), { recursive: true, force: true });
}

/** The executions of one workflow, newest first (the list endpoint's shape differs by version). */
export async function executionsOf(call, workflowId) {
	const list = await call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	return list.results ?? list;
}

/**
 * Why an execution failed: n8n keeps run data "flatted" (values in one array, objects refer to
 * them by index), so this reads the error objects out of that array.
 */
export async function executionError(call, id) {
	const execution = await call('GET', `/executions/${id}`);
	let table;
	try {
		table = JSON.parse(execution.data);
	} catch {
		return 'run data not readable';
	}
	if (!Array.isArray(table)) return 'run data not readable';
	const deref = (v) => (typeof v === 'string' && /^\d+$/.test(v) ? table[Number(v)] : v);
	const messages = new Set();
	for (const entry of table) {
		if (entry && typeof entry === 'object' && !Array.isArray(entry) && 'message' in entry && ('stack' in entry || 'node' in entry || 'description' in entry)) {
			const message = deref(entry.message);
			const description = deref(entry.description);
			const node = deref(entry.node);
			const nodeName = node && typeof node === 'object' ? deref(node.name) : undefined;
			if (typeof message === 'string') {
				messages.add(`${nodeName ? `${nodeName}: ` : ''}${message}${typeof description === 'string' && description ? ` (${description})` : ''}`);
			}
		}
	}
	return [...messages].join('; ') || 'no error message in the run data';
}
