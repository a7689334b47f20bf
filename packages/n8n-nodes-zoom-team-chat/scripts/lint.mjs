#!/usr/bin/env node
// Lints the sources with @n8n/node-cli (`n8n-node lint`: the community-nodes recommended config,
// and in strict mode a check that eslint.config.mjs is n8n's default), then the built bundles
// with the same community rules (eslint.dist.config.mjs), since the bundled core ships in them.
//
// `n8n-node lint` runs ESLint through the package manager named in npm_config_user_agent; under
// pnpm that needs a `pnpm` on PATH, and when it cannot start ESLint it exits 0 without linting.
// So it is told to use npm (which finds the local eslint), and ESLint is also run directly.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args, env = {}) {
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`lint: ${label} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
		process.exit(1);
	}
	console.log(`lint: ${label} passed in ${seconds} s`);
}

run('eslint on sources', bin('eslint'), ['--max-warnings', '0', '.']);
run('n8n-node lint', bin('n8n-node'), ['lint'], { npm_config_user_agent: 'npm/11 node-cli-lint', FORCE_COLOR: '0' });
run('eslint on dist', bin('eslint'), ['--max-warnings', '0', '-c', 'eslint.dist.config.mjs', 'dist']);
