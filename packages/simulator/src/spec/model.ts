/**
 * The operation table, built once per process from the two REST specs: what the router,
 * validators, rate limiter and scope check need to know about each of the 111 operations.
 */
import { binaryPartNames, normaliseSchema, servedByFileHost } from './defects';
import { loadSpec, type OpenApiOperation, type Schema } from './load';

// The simulator reads the specs on its own (to catch the core reading them wrong), but the names of
// the methods and rate-limit labels are the core's: a type-only import, nothing of the core runs here.
import type { HttpMethod, RateLimitLabel } from '@zoom-team-chat/core';

export type { HttpMethod, RateLimitLabel } from '@zoom-team-chat/core';

export interface ParamSpec {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface SimOperation {
  operationId: string;
  api: 'team-chat' | 'chatbot';
  method: HttpMethod;
  /** Template relative to `/v2`, e.g. `/chat/users/{userId}/messages`. */
  path: string;
  /** `file` for the operations Zoom serves from its file host. */
  host: 'api' | 'file';
  /** Also answered by the file host (custom emoji: its description names `fileapi.zoom.us`). */
  alsoOnFileHost: boolean;
  rateLimit: RateLimitLabel;
  scopes: string[];
  granularScopes: string[];
  pathParams: ParamSpec[];
  queryParams: ParamSpec[];
  body?: { contentType: 'application/json' | 'multipart/form-data'; schema: Schema };
  /** Multipart properties carrying file content. */
  binaryParts: Set<string>;
  successStatus: number;
  successSchema?: Schema;
  /** Largest `page_size` the spec allows. */
  maxPageSize?: number;
  summary: string;
  description: string;
}

const LABELS: Record<string, RateLimitLabel> = {
  LIGHT: 'LIGHT',
  MEDIUM: 'MEDIUM',
  HEAVY: 'HEAVY',
  'RESOURCE-INTENSIVE': 'RESOURCE-INTENSIVE',
};

function rateLimitOf(op: OpenApiOperation, host: 'api' | 'file', description: string): RateLimitLabel {
  const m = /Rate Limit Label[^`]*`([^`]+)`/.exec(op.description ?? '');
  const label = m?.[1] ? LABELS[m[1].toUpperCase()] : undefined;
  // A stated label wins: addACustomEmoji also has the file host's "20 requests per second per API"
  // note (for fileapi.zoom.us), but it is labelled `LIGHT` and is called on the API host.
  if (label) return label;
  // File operations: "20 requests per second per API" in their description, no label.
  if (host === 'file' || /20 requests per second per API/.test(description)) return 'FILE';
  return 'MEDIUM';
}

function scopesFromDescription(description: string, heading: string): string[] {
  const m = new RegExp(`\\*\\*\\[${heading}\\][^*]*\\*\\*:?\\s*([^\\n]+)`).exec(description);
  if (!m?.[1]) return [];
  return [...m[1].matchAll(/`([^`]+)`/g)].map((x) => x[1] as string);
}

function successOf(op: OpenApiOperation): { status: number; schema?: Schema } {
  const codes = Object.keys(op.responses)
    .map(Number)
    .filter((c) => c >= 200 && c < 300)
    .sort((a, b) => a - b);
  // Prefer a documented 2xx that has a body (imGroupCreate lists 200 without one and 201 with one).
  for (const code of codes) {
    const schema = op.responses[String(code)]?.content?.['application/json']?.schema;
    if (schema) return { status: code, schema: normaliseSchema(schema) };
  }
  return { status: codes[0] ?? 200 };
}

let table: SimOperation[] | undefined;

export function operations(): SimOperation[] {
  if (table) return table;
  const list: SimOperation[] = [];
  for (const api of ['team-chat', 'chatbot'] as const) {
    const doc = loadSpec(api);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op || typeof op !== 'object' || !op.operationId) continue;
        const description = op.description ?? '';
        const host = servedByFileHost(op) ? 'file' : 'api';
        const params = op.parameters ?? [];
        const toParam = (p: (typeof params)[number]): ParamSpec => ({
          name: p.name,
          required: p.required === true,
          schema: normaliseSchema(p.schema ?? { type: 'string' }),
        });
        let body: SimOperation['body'];
        const content = op.requestBody?.content;
        if (content) {
          const contentType = content['multipart/form-data'] ? 'multipart/form-data' : 'application/json';
          body = { contentType, schema: normaliseSchema(content[contentType]?.schema ?? { type: 'object' }) };
        }
        const success = successOf(op);
        const pageSize = params.find((p) => p.name === 'page_size' && p.in === 'query');
        const x = op['x-extensions'] ?? {};
        list.push({
          operationId: op.operationId,
          api,
          method: method.toUpperCase() as HttpMethod,
          path,
          host,
          alsoOnFileHost: /fileapi\.zoom\.us/.test(description),
          rateLimit: rateLimitOf(op, host, description),
          scopes: x['x-macro-scopes'] ?? scopesFromDescription(description, 'Scopes'),
          granularScopes: x['x-granular-scopes'] ?? scopesFromDescription(description, 'Granular Scopes'),
          pathParams: params.filter((p) => p.in === 'path').map(toParam),
          queryParams: params.filter((p) => p.in === 'query').map(toParam),
          ...(body ? { body } : {}),
          binaryParts: binaryPartNames(body?.contentType === 'multipart/form-data' ? body.schema : undefined),
          successStatus: success.status,
          ...(success.schema ? { successSchema: success.schema } : {}),
          ...(typeof pageSize?.schema?.maximum === 'number' ? { maxPageSize: pageSize.schema.maximum } : {}),
          summary: op.summary ?? '',
          description,
        });
      }
    }
  }
  table = list;
  return list;
}

let byId: Map<string, SimOperation> | undefined;

export function operation(operationId: string): SimOperation {
  byId ??= new Map(operations().map((o) => [o.operationId, o]));
  const op = byId.get(operationId);
  if (!op) throw new Error(`Unknown operationId: ${operationId}`);
  return op;
}

/** Every scope the specs mention, macro and granular: the default grant of the simulated apps. */
export function allSpecScopes(api?: 'team-chat' | 'chatbot'): string[] {
  const set = new Set<string>();
  for (const op of operations()) {
    if (api && op.api !== api) continue;
    for (const s of op.scopes) set.add(s);
    for (const s of op.granularScopes) set.add(s);
  }
  return [...set].sort();
}
