// Finds which Zoom operation each core helper calls, by running it: the transport answers every
// request with a 404, and the error the core throws names the operation (validation errors name it
// too). Nothing leaves the process.

import { HELPERS } from './hosts.mjs';

/** `core` is the built @zoom-team-chat/core module. Returns helper name → variant name → operationId. */
export async function resolveHelpers(core, variants) {
  const client = core.createZoomClient({
    auth: { kind: 'token', accessToken: 'docs-generator' },
    transport: async () => ({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode(JSON.stringify({ code: 1001, message: 'resolve' })),
    }),
    rateLimits: Object.fromEntries(['LIGHT', 'MEDIUM', 'HEAVY', 'RESOURCE-INTENSIVE', 'FILE'].map((l) => [l, 'off'])),
    maxRetries: 0,
  });
  const out = {};
  for (const [name, run] of Object.entries(HELPERS)) {
    out[name] = {};
    for (const variant of variants) {
      let error;
      try {
        await run(client, { ...variant.options });
      } catch (err) {
        error = err;
      }
      const id = error?.operationId;
      if (typeof id !== 'string' || !core.isOperationId(id)) {
        throw new Error(
          `core helper ${name} (${variant.name}): expected an error naming the operation, got ${error ? `${error.name}: ${error.message}` : 'no error'}`,
        );
      }
      out[name][variant.name] = id;
    }
  }
  return out;
}
