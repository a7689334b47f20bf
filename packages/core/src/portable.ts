/**
 * The entry for sandboxed hosts (n8n verified nodes): no timers, fetch, process or console inside.
 * Every port is passed in.
 */
export * from './public-api';
export { createPortableClient as createZoomClient } from './client/create-client';
