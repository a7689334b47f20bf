// Spawning helpers: a child that prints `READY <json>` when up, bounded in time, always stopped.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts `node <script> ...args` and resolves `{ info, child, stop() }` once it prints `READY <json>`.
 * @param {string} script absolute path
 * @param {string[]} args
 * @param {{ timeoutMs?: number, nodeArgs?: string[], env?: NodeJS.ProcessEnv }} [opts]
 */
export function startReadyChild(script, args = [], opts = {}) {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  /** @type {string[]} */
  const log = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not get ready in ${opts.timeoutMs ?? 30_000} ms:\n${log.join('\n')}`));
    }, opts.timeoutMs ?? 30_000);
    child.stderr.on('data', (d) => log.push(String(d)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${log.join('\n')}`));
    });
    child.stdout.on('data', (d) => {
      buffer += String(d);
      const line = buffer.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        info: JSON.parse(line.slice(6)),
        child,
        log,
        /** SIGTERM, then SIGKILL after 5 s. */
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(undefined);
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done(undefined);
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Starts a simulator in its own process. */
export async function startSimulatorProcess(options = {}) {
  const script = fileURLToPath(new URL('./sim-child.mjs', import.meta.url));
  const started = await startReadyChild(script, [JSON.stringify(options)]);
  return { ...started, urls: started.info.urls, credentials: started.info.credentials };
}

/**
 * Runs a benchmark module in a fresh Node process (its own heap and RSS) and returns the object it
 * prints as `RESULT <json>` on its last line. Its other output is passed through.
 * @param {string} script
 * @param {Record<string, unknown>} params
 * @param {{ timeoutMs: number, nodeArgs?: string[] }} opts
 */
export function runBenchChild(script, params, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, JSON.stringify(params)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      reject(new Error(`${script} took longer than ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.stdout.on('data', (d) => {
      const text = String(d);
      out += text;
      for (const line of text.split('\n'))
        if (line && !line.startsWith('RESULT ')) process.stderr.write(`    ${line}\n`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`${script} failed (${signal ?? code})${line ? '' : ': no RESULT line'}`));
    });
  });
}

/** For a benchmark module: its params (argv[2]) and how to hand back the result. */
export function benchMain() {
  const params = JSON.parse(process.argv[2] ?? '{}');
  return {
    params,
    /** @param {unknown} result */
    done(result) {
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    },
  };
}
