// Child-process entry: runs the simulator with the options passed as JSON in argv[2], prints one
// line `READY {urls, credentials}` and stays up until SIGTERM or until its parent goes away, so
// the simulator's CPU and memory never mix with the load generator's.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSimulator } = require('@zoom-team-chat/simulator');

const options = JSON.parse(process.argv[2] ?? '{}');
const sim = await startSimulator({ precompile: true, ...options });
process.stdout.write(`READY ${JSON.stringify({ urls: sim.urls, credentials: sim.credentials })}\n`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  sim.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent closes our stdin when it exits, even if it crashed: never outlive it.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
