import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { applySchemaFixes } from './schema-fixes';

/** Which spec an event comes from: Chatbot events go to Chatbot subscriptions only. */
export type EventKind = 'team-chat' | 'chatbot';

const SPEC_FILES: Record<EventKind, string> = {
  'team-chat': '@zoom-team-chat/core/openapi/team-chat-events.openapi.json',
  chatbot: '@zoom-team-chat/core/openapi/chatbot-events.openapi.json',
};

interface Entry {
  kind: EventKind;
  /** The delivery schema `{event, event_ts, payload}` (a private, patched copy). */
  schema: Record<string, unknown>;
  validate?: ValidateFunction;
}

/**
 * The events Zoom documents (54 Team Chat + 8 Chatbot), read from the vendored specs, with one
 * validator per event compiled on first use. Specs are parsed from disk (not `require`d) so the
 * schema fixes patch a private copy, never an object another module shares.
 */
export class EventCatalog {
  private readonly entries = new Map<string, Entry>();
  private readonly ajv: Ajv2020;

  constructor() {
    for (const kind of Object.keys(SPEC_FILES) as EventKind[]) {
      const spec = JSON.parse(readFileSync(require.resolve(SPEC_FILES[kind]), 'utf8')) as {
        paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: unknown }> } } }>;
      };
      for (const [event, item] of Object.entries(spec.paths)) {
        const schema = item.post?.requestBody?.content?.['application/json']?.schema;
        if (schema === null || typeof schema !== 'object') {
          throw new Error(`${SPEC_FILES[kind]}: event ${event} has no application/json request body schema`);
        }
        applySchemaFixes(event, schema as Record<string, unknown>);
        this.entries.set(event, { kind, schema: schema as Record<string, unknown> });
      }
    }
    // strict off: the specs carry OpenAPI annotations (`example`, `x-…`) that are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
  }

  has(event: string): boolean {
    return this.entries.has(event);
  }

  kind(event: string): EventKind | undefined {
    return this.entries.get(event)?.kind;
  }

  names(kind?: EventKind): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.entries) if (kind === undefined || entry.kind === kind) out.push(name);
    return out.sort();
  }

  /** The (patched) delivery schema, for tests and docs. */
  schema(event: string): Record<string, unknown> | undefined {
    return this.entries.get(event)?.schema;
  }

  /** Validates a whole delivery; returns an error text naming the failing paths, or undefined when valid. */
  check(event: string, delivery: unknown): string | undefined {
    const entry = this.entries.get(event);
    if (entry === undefined) return `unknown event ${event}`;
    entry.validate ??= this.ajv.compile(entry.schema);
    if (entry.validate(delivery)) return undefined;
    return this.ajv.errorsText(entry.validate.errors, { dataVar: 'delivery', separator: '; ' });
  }

  /** The known event nearest to a misspelt name, for "did you mean" hints. */
  suggest(name: string): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of this.entries.keys()) {
      const d = distance(name.toLowerCase(), candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // Beyond this the "suggestion" is noise rather than a typo fix.
    return bestDistance <= Math.max(3, Math.floor(name.length / 3)) ? best : undefined;
  }
}

let shared: EventCatalog | undefined;

/** One catalog per process: parsing 850 KB of spec and compiling validators is done once. */
export function eventCatalog(): EventCatalog {
  shared ??= new EventCatalog();
  return shared;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
