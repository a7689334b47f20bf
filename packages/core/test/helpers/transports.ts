import * as undici from 'undici';
import { createFetchTransport, createNodeHttpTransport, createUndiciTransport, type Transport } from '../../src/index';

/** Every transport the core ships, so each safety rule is checked on each of them. */
export const transports: Array<[name: string, make: () => Transport]> = [
  ['fetch', () => createFetchTransport()],
  ['node:http', () => createNodeHttpTransport()],
  ['undici', () => createUndiciTransport(undici)],
];
