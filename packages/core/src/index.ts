import { createPortableClient, type PortableClientOptions, type ZoomClient } from './client/create-client';
import { defaultNodeTransport } from './http/default-transport';
import { systemClock } from './node-defaults';

export * from './public-api';
export { createFetchTransport } from './http/fetch-transport';
export {
  createNodeHttpTransport,
  createUndiciTransport,
  type NodeHttpTransportOptions,
  type UndiciLike,
} from './http/node-transports';
export { systemClock } from './node-defaults';
export { nodeWebSocketFactory, type WsConstructor, type WsUpgradeResponse } from './event-stream/node-ws';
export { createPortableClient } from './client/create-client';

export type ZoomClientOptions = Omit<PortableClientOptions, 'transport' | 'clock'> &
  Partial<Pick<PortableClientOptions, 'transport' | 'clock'>>;

/** A client with plain-Node defaults: node:http keep-alive transport (shared), real clock, in-memory token cache. */
export function createZoomClient(options: ZoomClientOptions): ZoomClient {
  return createPortableClient({
    ...options,
    transport: options?.transport ?? defaultNodeTransport(),
    clock: options?.clock ?? systemClock,
  });
}
