// Shared by the acceptance suites: pass/fail bookkeeping, the results file the root test
// command totals, and the package as users get it (build, `npm pack`, community install).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

import { npmPack } from '@zoom-team-chat/testkit/n8n-host';

// Generic n8n helpers live in the testkit; re-exported so a suite imports this file alone.
export {
	executionError,
	executionsOf,
	installCommunityPackage,
	simulatorCredentialData,
} from '@zoom-team-chat/testkit/n8n-host';

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
			const summary = {
				suite: title,
				passed,
				failed: results.length === 0 ? 1 : failed,
				checks: results,
				at: new Date().toISOString(),
			};
			writeFileSync(join(packageDir, `acceptance-results-${key}.json`), `${JSON.stringify(summary)}\n`);
			return summary;
		},
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
	return npmPack(packageDir, outDir);
}

/** Each run leaves n8n user folders (databases, binaries, logs); only the last few are kept. */
export function pruneOldRuns(root, keep) {
	if (!existsSync(root)) return;
	const runs = readdirSync(root)
		.filter((name) => /^\d{4}-\d{2}-\d{2}T/.test(name))
		.sort();
	for (const name of runs.slice(0, Math.max(0, runs.length - keep)))
		rmSync(join(root, name), { recursive: true, force: true });
}
