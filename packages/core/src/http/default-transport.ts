import type { Transport } from '../ports';
import { createNodeHttpTransport } from './node-transports';

let shared: Transport | undefined;

/**
 * The Node entry's default transport: node:http with keep-alive, one for every client created
 * without a transport (one socket pool per process, as `fetch` has; idle sockets are unref'd, so
 * they never keep the process alive, and Node 20 closes them before the server's Keep-Alive hint).
 * Chosen over `fetch` for cost: against the same server it spends about a quarter of fetch's CPU
 * per request and streams uploads with the least memory (BENCHMARKS.md); undici's transport is
 * cheaper still, but undici is not a dependency of the core.
 */
export function defaultNodeTransport(): Transport {
  shared ??= createNodeHttpTransport();
  return shared;
}
