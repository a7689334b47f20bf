import * as fs from 'node:fs';
import * as path from 'node:path';

/** The four vendored Zoom specs, read from the core package (never copied here). */
export type SpecName = 'team-chat' | 'chatbot' | 'team-chat-events' | 'chatbot-events';

let dirCache: string | undefined;

/** Where `@zoom-team-chat/core/openapi` lives: resolved through the package, else the monorepo layout. */
export function specDir(): string {
  if (dirCache) return dirCache;
  try {
    dirCache = path.dirname(require.resolve('@zoom-team-chat/core/openapi/team-chat.openapi.json'));
  } catch {
    // Monorepo fallback: src/spec (or dist/spec) → packages/core/openapi.
    dirCache = path.join(__dirname, '../../../core/openapi');
  }
  return dirCache;
}

const cache = new Map<SpecName, unknown>();

/** Parsed once per process: the specs are immutable, so every simulator shares them. */
export function loadSpec(name: SpecName): OpenApiDoc {
  let doc = cache.get(name);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(path.join(specDir(), `${name}.openapi.json`), 'utf8'));
    cache.set(name, doc);
  }
  return doc as OpenApiDoc;
}

export interface OpenApiParam {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Schema;
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParam[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  'x-extensions'?: { 'x-macro-scopes'?: string[]; 'x-granular-scopes'?: string[]; 'x-permissions'?: string[] };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** JSON Schema as the Zoom specs use it (loosely typed on purpose: we only walk it). */
export type Schema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  description?: string;
  [key: string]: unknown;
};
