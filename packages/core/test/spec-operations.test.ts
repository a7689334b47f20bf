// Checks the generated operation table against the specs, read here independently of the
// generator: its own JSON walk, its own expectations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  getOperation,
  operationIds,
  operations,
  type JsonSchema,
  type OperationId,
  type OperationMeta,
  type OperationTypes,
  type PaginatedOperationId,
  type ZoomBinary,
} from '../src/spec';
import { ZoomConfigError } from '../src/errors';

type Json = any;

const OPENAPI = join(__dirname, '..', 'openapi');
const read = (file: string): Json => JSON.parse(readFileSync(join(OPENAPI, file), 'utf8'));

interface SpecOp {
  api: 'team-chat' | 'chatbot';
  path: string;
  method: string;
  op: Json;
}

function specOps(): SpecOp[] {
  const out: SpecOp[] = [];
  for (const [api, file] of [
    ['team-chat', 'team-chat.openapi.json'],
    ['chatbot', 'chatbot.openapi.json'],
  ] as const) {
    const doc = read(file);
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (item[method]) out.push({ api, path, method, op: item[method] });
      }
    }
  }
  return out;
}

const all = specOps();
const table: Record<string, OperationMeta> = operations;

describe('operation table vs the specs', () => {
  it('has 107 team chat + 4 chatbot = 111 operations, with unique IDs', () => {
    expect(all.filter((o) => o.api === 'team-chat')).toHaveLength(107);
    expect(all.filter((o) => o.api === 'chatbot')).toHaveLength(4);
    expect(Object.keys(operations)).toHaveLength(111);
    expect(operationIds).toHaveLength(111);
    expect(new Set(operationIds).size).toBe(111);
    expect(new Set(all.map((o) => o.op.operationId))).toEqual(new Set(operationIds));
  });

  it.each(all.map((o) => [o.op.operationId as string, o] as const))('%s matches its spec entry', (id, s) => {
    const meta = table[id];
    expect(meta, `${id} missing from the table`).toBeDefined();
    if (!meta) return;
    expect(meta.operationId).toBe(id);
    expect(meta.api).toBe(s.api);
    expect(meta.method).toBe(s.method.toUpperCase());
    expect(meta.path).toBe(s.path);
    expect(meta.path.startsWith('/v2')).toBe(false);
    expect(meta.tag).toBe(s.op.tags[0]);
    expect(meta.summary).toBe(s.op.summary.trim());

    const desc: string = s.op.description;
    const label = /Rate Limit Label\]\([^)]*\):\*\*\s*`([^`]+)`/.exec(desc);
    if (label) expect(meta.rateLimit).toBe(label[1]!.toUpperCase());
    else expect(meta.rateLimit).toBe('FILE');

    expect(meta.host).toBe(desc.includes('https://file.zoom.us/v2') ? 'file' : 'api');

    const ext = s.op['x-extensions'] ?? {};
    expect(meta.scopes).toEqual(ext['x-macro-scopes'] ?? s.op['x-macro-scopes']);
    expect(meta.granularScopes).toEqual(ext['x-granular-scopes'] ?? s.op['x-granular-scopes'] ?? []);

    const params: Json[] = s.op.parameters ?? [];
    for (const [loc, list] of [
      ['path', meta.pathParams],
      ['query', meta.queryParams],
    ] as const) {
      const expected = params.filter((p) => p.in === loc);
      expect(list.map((p) => p.name)).toEqual(expected.map((p) => p.name));
      for (const [i, p] of expected.entries()) {
        const got = list[i]!;
        expect(got.required, `${loc}.${p.name} required`).toBe(loc === 'path' ? true : p.required === true);
        expect(got.schema.type).toBe(p.schema.type);
        expect(got.schema.enum).toEqual(p.schema.enum);
        expect(got.schema.maximum).toBe(p.schema.maximum);
        expect(got.schema.format).toBe(p.schema.format);
        expect(got.schema.oneOf?.length).toBe(p.schema.oneOf?.length);
      }
    }

    const content = s.op.requestBody?.content;
    if (!content) expect(meta.body).toBeUndefined();
    else {
      const [contentType] = Object.keys(content);
      const schema = content[contentType!].schema;
      expect(meta.body?.contentType).toBe(contentType);
      expect(meta.body?.schema.required).toEqual(schema.required);
      expect(Object.keys(meta.body?.schema.properties ?? {})).toEqual(Object.keys(schema.properties ?? {}));
      expect(sameConstraints(meta.body!.schema, schema)).toBe(true);
    }

    const codes = Object.keys(s.op.responses).filter((c) => c.startsWith('2'));
    if (codes.length === 1) expect(meta.successStatus).toBe(Number(codes[0]));
    else expect(codes).toContain(String(meta.successStatus));
  });

  it('serves exactly the two file operations from file.zoom.us with the FILE bucket (KNOWN-DEFECTS #3)', () => {
    const fileOps = Object.values(table).filter((o) => o.host === 'file');
    expect(fileOps.map((o) => o.operationId).sort()).toEqual(['sendChatFile', 'uploadAChatFile']);
    expect(fileOps.every((o) => o.rateLimit === 'FILE')).toBe(true);
    expect(Object.values(table).filter((o) => o.rateLimit === 'FILE')).toHaveLength(2);
  });

  it('normalises mixed-case labels (Medium, Light) to upper case', () => {
    const mixed = all.filter((o) => /Label[^`]*`(Medium|Light)`/.test(o.op.description));
    expect(mixed.length).toBeGreaterThan(0);
    for (const o of mixed) expect(['MEDIUM', 'LIGHT']).toContain(table[o.op.operationId]!.rateLimit);
  });

  it('picks 201 for imGroupCreate, whose "200" is an error-code note', () => {
    expect(operations.imGroupCreate.successStatus).toBe(201);
    expect(operations.batchDeleteChannelsAccountLevel.successStatus).toBe(202);
  });

  it('keeps the runtime table lean: no descriptions or examples, only validation keywords', () => {
    const allowed = new Set([
      'type',
      'format',
      'enum',
      'properties',
      'required',
      'additionalProperties',
      'items',
      'oneOf',
      'anyOf',
      'allOf',
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
      'minItems',
      'maxItems',
      'uniqueItems',
      'pattern',
      'default',
    ]);
    const bad: string[] = [];
    const walk = (s: JsonSchema, where: string): void => {
      for (const k of Object.keys(s)) if (!allowed.has(k)) bad.push(`${where}.${k}`);
      for (const [n, sub] of Object.entries(s.properties ?? {})) walk(sub, `${where}.${n}`);
      if (s.items) walk(s.items, `${where}[]`);
      for (const k of ['oneOf', 'anyOf', 'allOf'] as const) s[k]?.forEach((b, i) => walk(b, `${where}|${i}`));
    };
    for (const op of Object.values(table)) {
      for (const p of [...op.pathParams, ...op.queryParams]) {
        expect(p.description).toBeUndefined();
        walk(p.schema, `${op.operationId}.${p.name}`);
      }
      if (op.body) walk(op.body.schema, `${op.operationId}.body`);
    }
    expect(bad).toEqual([]);
  });
});

/** Same constraint keywords, recursively (the spec side has descriptions/examples on top). */
function sameConstraints(lean: JsonSchema, full: Json): boolean {
  for (const k of [
    'type',
    'format',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
    'pattern',
  ]) {
    if ((lean as Json)[k] !== full[k]) return false;
  }
  if (JSON.stringify(lean.enum) !== JSON.stringify(full.enum)) return false;
  if (JSON.stringify(lean.required) !== JSON.stringify(full.required)) return false;
  for (const [name, sub] of Object.entries<Json>(full.properties ?? {})) {
    const l = lean.properties?.[name];
    if (!l || !sameConstraints(l, sub)) return false;
  }
  if (full.items && (!lean.items || !sameConstraints(lean.items, full.items))) return false;
  for (const k of ['oneOf', 'anyOf', 'allOf'] as const) {
    const f: Json[] | undefined = full[k];
    if (!f) continue;
    const l = lean[k];
    if (!l || l.length !== f.length || !f.every((b, i) => sameConstraints(l[i]!, b))) return false;
  }
  return true;
}

describe('pagination', () => {
  it('detects token pagination with the items array and the page_size maximum', () => {
    expect(operations.getChatMessages.pagination).toEqual({ style: 'token', itemsKey: 'messages', maxPageSize: 50 });
    expect(operations.listChannelMembers.pagination).toEqual({ style: 'token', itemsKey: 'members', maxPageSize: 100 });
    // The response schema is wrapped in allOf.
    expect(operations.getChannels.pagination).toEqual({ style: 'token', itemsKey: 'channels', maxPageSize: 1000 });
    expect(operations.getUserContacts.pagination).toEqual({ style: 'token', itemsKey: 'contacts', maxPageSize: 50 });
  });

  it('prefers the token where page_number is also offered, and picks messages in reportChatMessages', () => {
    expect(operations.imGroupMembers.pagination).toEqual({ style: 'token', itemsKey: 'members', maxPageSize: 300 });
    expect(operations.reportChatMessages.pagination?.itemsKey).toBe('messages');
  });

  it('leaves maxPageSize out when the spec gives no maximum', () => {
    expect(operations.listSharedSpaces.pagination).toEqual({ style: 'token', itemsKey: 'shared_spaces' });
  });

  it('marks exactly the operations with a next_page_token or page_number query parameter', () => {
    for (const s of all) {
      const names = (s.op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
      const paged = names.includes('next_page_token') || names.includes('page_number');
      expect(Boolean(table[s.op.operationId]!.pagination), s.op.operationId).toBe(paged);
    }
    expect(operations.sendaChatMessage.pagination).toBeUndefined();
    expect(operations.getChatMessage.pagination).toBeUndefined();
  });
});

describe('getOperation', () => {
  it('returns the metadata of a known operation', () => {
    expect(getOperation('sendaChatMessage')).toBe(operations.sendaChatMessage);
    expect(getOperation('Migrate1:1ConversationOrChannelOperations').method).toBe('POST');
  });

  it('throws a ZoomConfigError with a suggestion for a near miss', () => {
    expect(() => getOperation('sendChatMessage')).toThrow(ZoomConfigError);
    expect(() => getOperation('sendChatMessage')).toThrow('Did you mean "sendaChatMessage"?');
    expect(() => getOperation('getchannels')).toThrow('Did you mean "getChannels"?');
  });

  it('throws without a suggestion when nothing is close', () => {
    let message = '';
    try {
      getOperation('launchTheRocket');
    } catch (err) {
      expect(err).toBeInstanceOf(ZoomConfigError);
      message = (err as Error).message;
    }
    expect(message).toBe('Unknown Zoom operation "launchTheRocket".');
  });

  it('does not resolve inherited object keys', () => {
    expect(() => getOperation('toString')).toThrow(ZoomConfigError);
    expect(() => getOperation('__proto__')).toThrow(ZoomConfigError);
  });
});

describe('OperationTypes', () => {
  type Send = OperationTypes['sendaChatMessage'];
  it('has an entry per operation', () => {
    expectTypeOf<keyof OperationTypes>().toEqualTypeOf<OperationId>();
    expectTypeOf<PaginatedOperationId>().toMatchTypeOf<OperationId>();
  });

  it('types path, query, body and response with required flags and enum unions', () => {
    expectTypeOf<Send['path']>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<Send['body']['message']>().toEqualTypeOf<string>();
    expectTypeOf<Send['body']['to_channel']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<Send['body']['at_items']>[number]['at_type']>().toEqualTypeOf<1 | 2 | undefined>();
    expectTypeOf<Send['response']>().toEqualTypeOf<{ id?: string }>();
    expectTypeOf<OperationTypes['getChatMessages']['query']['page_size']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<OperationTypes['getChatMessages']['query']['search_type']>().toEqualTypeOf<
      'message' | 'file' | undefined
    >();
    expectTypeOf<OperationTypes['getChatMessage']['body']>().toEqualTypeOf<never>();
    expectTypeOf<OperationTypes['deleteChatMessage']['response']>().toEqualTypeOf<undefined>();
  });

  it('types multipart file parts, one or many for sendChatFile (KNOWN-DEFECTS #2)', () => {
    expectTypeOf<OperationTypes['sendChatFile']['body']['files']>().toEqualTypeOf<ZoomBinary | ZoomBinary[]>();
    expectTypeOf<OperationTypes['addACustomEmoji']['body']['file']>().toEqualTypeOf<ZoomBinary>();
  });
});
