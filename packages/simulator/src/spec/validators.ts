/**
 * Request validation against the specs. One validator per operation and request part,
 * compiled on first use and kept for the life of the process (shared by every simulator
 * instance), so a request costs one compiled-function call per part.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { requiredBodyFields } from './defects';
import type { Schema } from './load';
import type { SimOperation } from './model';

export interface FieldError {
  field: string;
  message: string;
}

function makeAjv(coerce: boolean): Ajv {
  // strict off: the specs carry OpenAPI annotations (`example`) that are not JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: coerce, useDefaults: coerce });
  addFormats(ajv);
  return ajv;
}

/** Query, path and multipart values arrive as text: coerce them (and fill documented defaults). */
const coercing = makeAjv(true);
/** JSON bodies are typed already: `"5"` for an integer is a client bug Zoom refuses. */
const strict = makeAjv(false);

export interface OperationValidators {
  /** Validates (and coerces in place) the path parameters. */
  path(values: Record<string, unknown>): FieldError[] | undefined;
  /** Validates, coerces in place and fills defaults of the query parameters. */
  query(values: Record<string, unknown>): FieldError[] | undefined;
  /** Validates a body; `undefined` (no body sent) is validated as `{}` (KNOWN-DEFECTS 5). */
  body(value: unknown): FieldError[] | undefined;
}

const cache = new Map<string, OperationValidators>();

export function validatorsFor(op: SimOperation): OperationValidators {
  let v = cache.get(op.operationId);
  if (!v) {
    v = build(op);
    cache.set(op.operationId, v);
  }
  return v;
}

function paramsSchema(params: SimOperation['pathParams']): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const p of params) {
    if (p.required) {
      // A documented default must not satisfy `required` (ajv fills defaults first): Zoom refuses the call.
      const { default: _ignored, ...rest } = p.schema;
      properties[p.name] = rest;
      required.push(p.name);
    } else properties[p.name] = p.schema;
  }
  return { type: 'object', properties, required };
}

function bodySchema(op: SimOperation): Schema | undefined {
  if (!op.body) return undefined;
  const schema = { ...op.body.schema, required: requiredBodyFields(op.operationId, op.body.schema) };
  if (op.body.contentType !== 'multipart/form-data') return schema;
  // File parts reach the validator as their file name (the content is streamed, never held).
  const properties: Record<string, Schema> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!op.binaryParts.has(name)) properties[name] = prop;
    else if (prop.type === 'array') properties[name] = { ...prop, items: { type: 'string' } };
    else properties[name] = { type: 'string', description: prop.description };
  }
  return { ...schema, properties };
}

function build(op: SimOperation): OperationValidators {
  const path = op.pathParams.length ? coercing.compile(paramsSchema(op.pathParams)) : undefined;
  const query = op.queryParams.length ? coercing.compile(paramsSchema(op.queryParams)) : undefined;
  const bs = bodySchema(op);
  const body = bs ? (op.body?.contentType === 'multipart/form-data' ? coercing : strict).compile(bs) : undefined;
  return {
    path: (values) => run(path, values),
    query: (values) => run(query, values),
    body: (value) => {
      if (!body) return undefined;
      return run(body, value === undefined ? {} : value);
    },
  };
}

function run(fn: ValidateFunction | undefined, value: unknown): FieldError[] | undefined {
  if (!fn || fn(value)) return undefined;
  return formatErrors(fn.errors ?? []);
}

/** Turns ajv errors into Zoom's `errors: [{field, message}]`, one entry per failing field. */
export function formatErrors(errors: ErrorObject[]): FieldError[] {
  // Drop the per-branch noise under an anyOf/oneOf that failed as a whole.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (unions.some((u) => e.schemaPath !== u && e.schemaPath.startsWith(`${u}/`))) continue;
    const field = fieldName(e);
    let message = describe(e);
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // "an email or a member ID" fails as a whole: say what every branch wanted when they agree.
      const branch = errors.filter((b) => b.schemaPath.startsWith(`${e.schemaPath}/`));
      const types = new Set(
        branch.map((b) => (b.keyword === 'type' ? String((b.params as { type: string }).type) : '')),
      );
      const only = [...types][0];
      if (types.size === 1 && only) message = `Invalid field: must be ${only}.`;
    }
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

function fieldName(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  let name = '';
  for (const p of parts) name += /^\d+$/.test(p) ? `[${p}]` : name ? `.${p}` : p;
  return name || '(body)';
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'Required field is missing.';
    case 'type':
      return `Invalid field: must be ${String(p['type'])}.`;
    case 'enum':
      return `Invalid field: must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'format':
      return `Invalid field: must be a valid ${String(p['format'])}.`;
    case 'maxLength':
      return `Invalid field: must be at most ${String(p['limit'])} characters.`;
    case 'minLength':
      return `Invalid field: must be at least ${String(p['limit'])} characters.`;
    case 'maximum':
      return `Invalid field: must be at most ${String(p['limit'])}.`;
    case 'minimum':
      return `Invalid field: must be at least ${String(p['limit'])}.`;
    case 'maxItems':
      return `Invalid field: must have at most ${String(p['limit'])} items.`;
    case 'minItems':
      return `Invalid field: must have at least ${String(p['limit'])} items.`;
    case 'pattern':
      return `Invalid field: must match ${String(p['pattern'])}.`;
    case 'anyOf':
    case 'oneOf':
      return 'Invalid field: does not match any allowed form.';
    default:
      return `Invalid field: ${e.message ?? e.keyword}.`;
  }
}

/** A standalone validator for the simulator's own schemas (admin API, marketplace endpoints). */
export function compileStrict(schema: Schema): (value: unknown) => FieldError[] | undefined {
  const fn = strict.compile(schema);
  return (value) => run(fn, value);
}
