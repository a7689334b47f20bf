// Starts a real n8n (installed by install-n8n.mjs) on 127.0.0.1 with a private user folder, and
// talks to it over its REST API the way the editor does.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { n8nBinFor, nodeBinFor, targets } from './install-n8n.mjs';

export async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Two consecutive free ports (n8n's task-runner broker takes the one after the main port). */
async function freePortPair() {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await freePort();
		const ok = await new Promise((resolve) => {
			const probe = createServer();
			probe.once('error', () => resolve(false));
			probe.listen(port + 1, '127.0.0.1', () => probe.close(() => resolve(true)));
		});
		if (ok) return port;
	}
	throw new Error('no two consecutive free ports');
}

/** What keeps a local n8n quiet and offline: no telemetry, banners, templates or look-ups at boot. */
export function quietEnv(major) {
	return {
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
		N8N_MCP_COMMUNITY_NODE_DISCOVERY_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// 1.x refuses to start on a module name it does not know.
		...(String(major) === '2' ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
	};
}

export async function startN8n({ target, userFolder, customExtensions, log, extraEnv = {} }) {
	const port = await freePortPair();
	mkdirSync(userFolder, { recursive: true });
	const major = String(target);
	const env = {
		PATH: process.env.PATH,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		...quietEnv(major),
		// Binaries on disk: file uploads then go through the streaming path.
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_LOG_LEVEL: 'info',
		DB_SQLITE_POOL_SIZE: '2',
		...(customExtensions ? { N8N_CUSTOM_EXTENSIONS: customExtensions } : {}),
		...extraEnv,
	};
	const out = createWriteStream(log, { flags: 'a' });
	const child = spawn(nodeBinFor(target), [n8nBinFor(target), 'start'], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(out);
	child.stderr.pipe(out);
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const base = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		const status = await fetch(`${base}/healthz/readiness`).then((r) => r.status, () => 0);
		if (status === 200) break;
		const done = await Promise.race([exited, delay(500).then(() => undefined)]);
		if (done) throw new Error(`n8n ${targets[target].version} exited (${JSON.stringify(done)}); see ${log}`);
		if (Date.now() - started > 180_000) throw new Error(`n8n did not become ready in 180 s; see ${log}`);
	}
	return {
		port,
		base,
		pid: child.pid,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			const done = await Promise.race([exited, delay(20_000).then(() => undefined)]);
			if (!done) {
				child.kill('SIGKILL');
				await exited;
			}
			out.end();
		},
	};
}

/** A REST session as the instance owner. */
export async function ownerSession(base) {
	const headers = { 'content-type': 'application/json', 'browser-id': 'acceptance-run' };
	let cookie = '';
	const started = Date.now();
	// The REST routes come up a few seconds after readiness.
	for (;;) {
		const res = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ email: 'owner@example.com', firstName: 'Acceptance', lastName: 'Owner', password: 'Acceptance-Pass1' }),
		}).catch(() => undefined);
		if (res?.ok) {
			cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
			break;
		}
		if (Date.now() - started > 60_000) throw new Error(`owner setup failed: ${res?.status} ${await res?.text()}`);
		await delay(1000);
	}
	const call = async (method, path, body) => {
		const res = await fetch(`${base}/rest${path}`, {
			method,
			headers: { ...headers, cookie },
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		const text = await res.text();
		let data;
		try {
			data = text ? JSON.parse(text) : undefined;
		} catch {
			data = text;
		}
		if (!res.ok) {
			const error = new Error(`${method} /rest${path}: ${res.status} ${text.slice(0, 500)}`);
			error.status = res.status;
			throw error;
		}
		return data?.data ?? data;
	};
	/** A non-REST path of the editor (the node type catalogue), with the session. */
	const getJson = async (path) => {
		const res = await fetch(`${base}${path}`, { headers: { ...headers, cookie } });
		if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
		return await res.json();
	};
	return { call, getJson };
}

export const logPath = (dir, name) => join(dir, `${name}.log`);
