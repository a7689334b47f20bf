import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { startQueueMode } from './queue-mode-host.mjs';
const target = process.argv[2] ?? '1';
const variant = process.argv[3] ?? 'runners';
const runDir = join('/tmp/qm', `exp-${variant}-${target}-${Date.now()}`);
mkdirSync(runDir, { recursive: true });
const clashPort = 45999;
const opts = {
	target, runDir, webhookProcesses: 1, workers: 2, log: (l) => console.log('  ' + l),
	extraEnv: variant === 'runners' || variant === 'clash' ? { N8N_RUNNERS_ENABLED: 'true' } : {},
	roleEnv: variant === 'clash' ? { worker: { N8N_RUNNERS_BROKER_PORT: String(clashPort) } } : variant === 'nohealth' ? { worker: { QUEUE_HEALTH_CHECK_ACTIVE: 'false' } } : {},
};
let q;
try {
	q = await startQueueMode(opts);
	await new Promise((r) => setTimeout(r, 3000));
	const ss = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
	for (const p of [q.main, ...q.webhooks, ...q.workers]) {
		const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(p.pid)], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean);
		const lines = ss.split('\n').filter((l) => pids.some((pid) => l.includes(`pid=${pid},`)));
		console.log(p.role, 'group', pids.join(','), '\n   ' + lines.map((l) => l.split(/\s+/)[3]).join(' '));
	}
} catch (e) {
	console.log('ERROR', e.message);
	if (variant === 'clash') console.log(execFileSync('bash', ['-c', `tail -n 15 ${runDir}/queue-worker-*.log`], { encoding: 'utf8' }));
} finally {
	await q?.stop();
}
