/**
 * A small JSON-Schema-subset validator for requests, run before every call.
 *
 * Schemas are compiled once into closures (cached per schema object), so a call costs a walk of
 * the input, not of the schema keywords.
 *
 * Conventions:
 * - Field names: `path.userId`, `query.page_size`, `body.to_channel`, `body.at_items[0].at_type`.
 * - `undefined` means "not given"; in path and query `null` and '' do too (the core drops them).
 * - A query array of strings/numbers stands for the comma-separated list the core sends.
 * - Path and query values may come from UIs as text: numeric strings pass for integers/numbers,
 *   'true'/'false' for booleans, and numbers for strings. Bodies are JSON: no such coercion.
 * - Multipart bodies are plain objects, one key per form part; file parts are `ZoomBinary`
 *   (`{ fileName, data | stream }`, see binary.ts). Text parts get the same leniency as query
 *   values (they are text on the wire).
 * - Unknown fields: the specs never set `additionalProperties`, and Zoom ignores fields it does
 *   not know, so a typo (`reply_main_mesage_id`) is silently dropped and changes what the call
 *   does. An unknown top-level body field or query parameter that is a near miss of a declared
 *   one is therefore an error with a "did you mean"; other unknown names pass, so fields Zoom
 *   added after this spec snapshot still get through. A non-empty body for an operation that
 *   takes none is an error (it is usually parameters put in the wrong place).
 * - `oneOf` over object shapes reads each object branch as closed (see "Known defects").
 * - Values are never echoed in messages (they may be private); only their kind is.
 *
 * Every spec defect in openapi/KNOWN-DEFECTS.md that concerns validation is handled in the
 * "Known defects" section below and nowhere else.
 */
import type { ZoomFieldError } from '../errors';
import { BINARY_EXPECTED, isBinaryValue } from './binary';
import { closestMatch } from './suggest';
import type { JsonSchema, OperationMeta, ParamMeta } from './types';

export interface RequestInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface ValidateOptions {
  /** Values come as text (path, query, multipart text parts): see the module comment. */
  fromText?: boolean;
}

type Check = (value: unknown, field: string, out: ZoomFieldError[]) => void;

const jsonChecks = new WeakMap<JsonSchema, Check>();
const textChecks = new WeakMap<JsonSchema, Check>();

/** Validates one value against a schema. `field` prefixes every error (e.g. `body`). */
export function validateValue(
  schema: JsonSchema,
  value: unknown,
  field: string,
  options: ValidateOptions = {},
): ZoomFieldError[] {
  const out: ZoomFieldError[] = [];
  compile(schema, options.fromText === true)(value, field, out);
  return out;
}

/** Validates a request against an operation's parameters and body. Empty array: valid. */
export function validateRequest(op: OperationMeta, req: RequestInput): ZoomFieldError[] {
  const out: ZoomFieldError[] = [];
  checkParams(op, 'path', op.pathParams, req.path, out);
  checkParams(op, 'query', op.queryParams, req.query, out);
  checkBody(op, req.body, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Requests

function checkParams(
  op: OperationMeta,
  loc: 'path' | 'query',
  params: readonly ParamMeta[],
  given: Record<string, unknown> | undefined,
  out: ZoomFieldError[],
): void {
  if (given !== undefined && !isPlainObject(given)) {
    out.push({ field: loc, message: `must be an object of ${loc} parameters` });
    return;
  }
  const values = given ?? {};
  for (const p of params) {
    let value = values[p.name];
    const field = `${loc}.${p.name}`;
    // '' is not sent as a query value, and as a path segment it would change which URL is called.
    if (value === undefined || value === null || value === '') {
      if (p.required) out.push({ field, message: 'is required' });
      continue;
    }
    // The core sends a query array as a comma-separated list, which is how Zoom takes ID lists.
    if (loc === 'query' && Array.isArray(value) && p.schema.type === 'string' && value.every(isScalar)) {
      value = value.join(',');
    }
    compile(p.schema, true)(value, field, out);
  }
  flagNearMisses(
    values,
    params.map((p) => p.name),
    loc,
    op,
    out,
  );
}

function checkBody(op: OperationMeta, body: unknown, out: ZoomFieldError[]): void {
  const spec = op.body;
  const absent = body === undefined || body === null;
  if (!spec) {
    if (!absent) misplacedBody(op, body, out);
    return;
  }
  const multipart = spec.contentType === 'multipart/form-data';
  if (absent) {
    const needed = requiredBodyFields(spec.schema, multipart);
    if (needed.length)
      out.push({ field: 'body', message: `is required (${op.operationId} needs ${needed.join(', ')})` });
    return;
  }
  const value = multipart ? multipartParts(spec.schema, body) : body;
  compile(spec.schema, multipart)(value, 'body', out);
  if (multipart && isPlainObject(value)) {
    for (const name of requiredBodyFields(spec.schema, true)) {
      if (value[name] === undefined && !out.some((e) => e.field === `body.${name}`)) {
        out.push({ field: `body.${name}`, message: 'is required (the file to send)' });
      }
    }
  }
  if (isPlainObject(value) && spec.schema.properties) {
    flagNearMisses(value, Object.keys(spec.schema.properties), 'body', op, out);
  }
}

/** A body for an operation that takes none: usually parameters put in the wrong place. */
function misplacedBody(op: OperationMeta, body: unknown, out: ZoomFieldError[]): void {
  const noBody = `${op.operationId} takes no request body`;
  if (!isPlainObject(body)) {
    out.push({ field: 'body', message: `must be empty: ${noBody}` });
    return;
  }
  const locations = new Map<string, 'path' | 'query'>();
  for (const p of op.pathParams) locations.set(p.name, 'path');
  for (const p of op.queryParams) locations.set(p.name, 'query');
  let unplaced = false;
  for (const name of Object.keys(body)) {
    if (body[name] === undefined) continue;
    const loc = locations.get(name);
    const near = loc ? undefined : closestMatch(name, locations.keys());
    if (loc) out.push({ field: `body.${name}`, message: `belongs in ${loc} (${noBody})` });
    else if (near)
      out.push({
        field: `body.${name}`,
        message: `is not a field of ${op.operationId}; did you mean ${locations.get(near)}.${near}?`,
      });
    else unplaced = true;
  }
  if (unplaced) out.push({ field: 'body', message: `must be empty: ${noBody}` });
}

/** Unknown names that are near misses of declared ones: almost surely typos (see module comment). */
function flagNearMisses(
  values: Record<string, unknown>,
  declared: readonly string[],
  loc: 'path' | 'query' | 'body',
  op: OperationMeta,
  out: ZoomFieldError[],
): void {
  for (const name of Object.keys(values)) {
    if (values[name] === undefined || declared.includes(name)) continue;
    const suggestion = closestMatch(name, declared);
    if (suggestion === undefined) continue;
    const what = loc === 'body' ? 'a body field' : `a ${loc} parameter`;
    out.push({
      field: `${loc}.${name}`,
      message: `is not ${what} of ${op.operationId}; did you mean ${loc}.${suggestion}?`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Known defects (openapi/KNOWN-DEFECTS.md). #3 and #4 are handled by the generator.

/**
 * #1: `oneOf` over plain strings (`to_contact`: email | member ID | user ID). Every email matches
 * two branches, so strict `oneOf` fails every valid request. Read as `anyOf`.
 */
function readsAsAnyOf(branches: readonly JsonSchema[]): boolean {
  return branches.length > 0 && branches.every((b) => b.type === 'string' && b.enum === undefined);
}

/**
 * Not in KNOWN-DEFECTS.md (found here): `oneOf` over object shapes without a discriminator, e.g.
 * `designated_posting_members[]: oneOf [{user_id}, {member_id}]` or `interactive_cards[]:
 * oneOf [{card_id}, {card_json}]`. Objects are open by default, so every object matches every
 * branch. Inside a `oneOf`, an object branch with declared properties is read as closed: it
 * matches only when the value uses no other properties.
 */
function closedBranchKeys(branch: JsonSchema): ReadonlySet<string> | undefined {
  const isObject = branch.type === 'object' || (branch.type === undefined && branch.properties !== undefined);
  return isObject && branch.properties ? new Set(Object.keys(branch.properties)) : undefined;
}

/**
 * #2: `sendChatFile` declares `files: array (maxItems 1) of binary`; Zoom expects one `files`
 * part per file. A single file part stands for an array of one.
 */
function multipartParts(schema: JsonSchema, body: unknown): unknown {
  if (!isPlainObject(body) || !schema.properties) return body;
  let copy: Record<string, unknown> | undefined;
  for (const [name, prop] of Object.entries(schema.properties)) {
    const v = body[name];
    if (prop.type === 'array' && prop.items?.format === 'binary' && isBinaryValue(v)) {
      copy ??= { ...body };
      copy[name] = [v];
    }
  }
  return copy ?? body;
}

/**
 * #5: `requestBody.required` is never set, so "no body" would pass; the schema's own `required`
 * list decides instead. A multipart body also needs its file parts (an upload without a file is
 * refused by Zoom, though `uploadAChatFile` lists no required part).
 */
function requiredBodyFields(schema: JsonSchema, multipart: boolean): string[] {
  const names = new Set(schema.required ?? []);
  if (multipart) {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      if (prop.format === 'binary' || prop.items?.format === 'binary') names.add(name);
    }
  }
  return [...names];
}

// ---------------------------------------------------------------------------------------------
// Compiler

function compile(schema: JsonSchema, fromText: boolean): Check {
  const cache = fromText ? textChecks : jsonChecks;
  let check = cache.get(schema);
  if (!check) {
    check = build(schema, fromText);
    cache.set(schema, check);
  }
  return check;
}

function build(schema: JsonSchema, fromText: boolean): Check {
  if (schema.format === 'binary') {
    return (value, field, out) => {
      if (!isBinaryValue(value)) {
        out.push({ field, message: BINARY_EXPECTED });
      }
    };
  }
  const steps: Check[] = [];
  const type = schema.type;
  const enumValues = schema.enum;
  const enumSet = enumValues ? new Set(enumValues) : undefined;
  const enumText = enumValues
    ? enumValues.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')
    : '';
  const formatCheck = schema.format ? FORMATS[schema.format] : undefined;
  const pattern = schema.pattern !== undefined ? safeRegExp(schema.pattern) : undefined;

  // Scalar keywords run on the (possibly coerced) value inside one step so coercion flows through.
  steps.push((value, field, out) => {
    let v = value;
    if (type !== undefined) {
      if (fromText) v = fromTextValue(type, v);
      const problem = typeProblem(type, v);
      if (problem) {
        out.push({ field, message: problem });
        return;
      }
    }
    if (enumSet && !enumSet.has(v)) {
      out.push({ field, message: `must be one of ${enumText}` });
      return;
    }
    if (typeof v === 'string') {
      if (schema.minLength !== undefined && codePoints(v) < schema.minLength) {
        out.push({ field, message: `must be at least ${schema.minLength} characters long` });
      }
      if (schema.maxLength !== undefined && v.length > schema.maxLength && codePoints(v) > schema.maxLength) {
        out.push({ field, message: `must be at most ${schema.maxLength} characters long` });
      }
      if (pattern && !pattern.test(v)) out.push({ field, message: `must match ${schema.pattern}` });
      if (formatCheck && !formatCheck.test(v)) out.push({ field, message: formatCheck.message });
    } else if (typeof v === 'number') {
      if (schema.minimum !== undefined && v < schema.minimum) {
        out.push({ field, message: `must be at least ${schema.minimum}` });
      }
      if (schema.maximum !== undefined && v > schema.maximum) {
        out.push({ field, message: `must be at most ${schema.maximum}` });
      }
    }
  });

  const isArray = type === 'array' || (type === undefined && schema.items !== undefined);
  if (isArray) steps.push(arrayStep(schema, fromText));
  const isObject = type === 'object' || (type === undefined && schema.properties !== undefined);
  if (isObject) steps.push(objectStep(schema, fromText));
  if (schema.allOf) for (const s of schema.allOf) steps.push(compile(s, fromText));
  if (schema.anyOf) steps.push(anyOfStep(schema.anyOf, fromText));
  if (schema.oneOf) {
    steps.push(readsAsAnyOf(schema.oneOf) ? anyOfStep(schema.oneOf, fromText) : oneOfStep(schema.oneOf, fromText));
  }

  if (steps.length === 1) return steps[0]!;
  return (value, field, out) => {
    const before = out.length;
    for (const step of steps) {
      step(value, field, out);
      // A wrong type makes the structural steps meaningless; stop at the first failing step.
      if (out.length > before) return;
    }
  };
}

function arrayStep(schema: JsonSchema, fromText: boolean): Check {
  const items = schema.items ? compile(schema.items, fromText) : undefined;
  const { minItems, maxItems, uniqueItems } = schema;
  return (value, field, out) => {
    if (!Array.isArray(value)) return; // reported by the type step
    if (minItems !== undefined && value.length < minItems) {
      out.push({ field, message: `must have at least ${minItems} item${minItems === 1 ? '' : 's'}` });
    }
    if (maxItems !== undefined && value.length > maxItems) {
      out.push({ field, message: `must have at most ${maxItems} item${maxItems === 1 ? '' : 's'}` });
    }
    if (uniqueItems && value.length > 1) {
      const seen = new Set<string>();
      for (const item of value) {
        const k = typeof item === 'object' && item !== null ? JSON.stringify(item) : `${typeof item}:${String(item)}`;
        if (seen.has(k)) {
          out.push({ field, message: 'must not contain duplicate items' });
          break;
        }
        seen.add(k);
      }
    }
    if (items) for (let i = 0; i < value.length; i++) items(value[i], `${field}[${i}]`, out);
  };
}

function objectStep(schema: JsonSchema, fromText: boolean): Check {
  const props = Object.entries(schema.properties ?? {}).map(
    ([name, sub]) => [name, compile(sub, fromText), childField(name)] as const,
  );
  const required = schema.required ?? [];
  const extra =
    typeof schema.additionalProperties === 'object' ? compile(schema.additionalProperties, fromText) : undefined;
  const closed = schema.additionalProperties === false;
  const declared = new Set(props.map(([name]) => name));
  return (value, field, out) => {
    if (!isPlainObject(value)) return; // reported by the type step
    for (const name of required) {
      if (value[name] === undefined) out.push({ field: field + childField(name), message: 'is required' });
    }
    for (const [name, check, suffix] of props) {
      const v = value[name];
      if (v !== undefined) check(v, field + suffix, out);
    }
    if (extra || closed) {
      for (const name of Object.keys(value)) {
        if (declared.has(name) || value[name] === undefined) continue;
        if (extra) extra(value[name], field + childField(name), out);
        else out.push({ field: field + childField(name), message: 'is not an allowed field' });
      }
    }
  };
}

function anyOfStep(branches: readonly JsonSchema[], fromText: boolean): Check {
  const checks = branches.map((b) => compile(b, fromText));
  return (value, field, out) => {
    let best: ZoomFieldError[] | undefined;
    for (const check of checks) {
      const errs: ZoomFieldError[] = [];
      check(value, field, errs);
      if (errs.length === 0) return;
      if (!best || errs.length < best.length) best = errs;
    }
    if (best) out.push(...best);
  };
}

function oneOfStep(branches: readonly JsonSchema[], fromText: boolean): Check {
  const compiled = branches.map((b) => ({
    check: compile(b, fromText),
    keys: closedBranchKeys(b),
    label: branchLabel(b),
  }));
  const labels = compiled.map((b) => b.label).join(' or ');
  return (value, field, out) => {
    let matches = 0;
    const sameShape: ZoomFieldError[][] = [];
    for (const b of compiled) {
      const errs: ZoomFieldError[] = [];
      b.check(value, field, errs);
      const fits =
        !b.keys || !isPlainObject(value) || Object.keys(value).every((k) => b.keys!.has(k) || value[k] === undefined);
      if (fits && errs.length === 0) matches++;
      else if (fits) sameShape.push(errs);
    }
    if (matches === 1) return;
    if (matches > 1) {
      out.push({ field, message: `matches more than one of ${labels}; give the fields of only one` });
    } else if (sameShape.length === 1) {
      out.push(...sameShape[0]!); // the value has this branch's shape: its errors are the useful ones
    } else {
      out.push({ field, message: `must match one of ${labels}` });
    }
  };
}

function branchLabel(b: JsonSchema): string {
  if (b.properties) return `{ ${Object.keys(b.properties).join(', ')} }`;
  if (b.enum) return b.enum.map((v) => JSON.stringify(v)).join(' | ');
  return b.type ?? 'any value';
}

// ---------------------------------------------------------------------------------------------
// Types, text coercion, formats

function fromTextValue(type: NonNullable<JsonSchema['type']>, v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim();
    if (type === 'integer' && /^[+-]?\d+$/.test(t)) return Number(t);
    if (type === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
    if (type === 'boolean') {
      const lower = t.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
  } else if (type === 'string' && typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  return v;
}

function typeProblem(type: NonNullable<JsonSchema['type']>, v: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? undefined : `must be a string, got ${kind(v)}`;
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return undefined;
      return typeof v === 'number' && Number.isFinite(v)
        ? 'must be a whole number'
        : `must be an integer, got ${kind(v)}`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `must be a number, got ${kind(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `must be true or false, got ${kind(v)}`;
    case 'object':
      return isPlainObject(v) ? undefined : `must be an object, got ${kind(v)}`;
    case 'array':
      return Array.isArray(v) ? undefined : `must be an array, got ${kind(v)}`;
    case 'null':
      return v === null ? undefined : `must be null, got ${kind(v)}`;
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  if (typeof v === 'string') return /^\s*$/.test(v) ? 'an empty string' : 'a string';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

interface FormatCheck {
  test(v: string): boolean;
  message: string;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > (DAYS_IN_MONTH[m - 1] ?? 0)) return false;
  return !(m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339, leniently: lower-case t/z, a space for T, optional seconds, fraction and offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;
// One @, no spaces, a dot in the domain, no empty labels.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

const FORMATS: Record<string, FormatCheck | undefined> = {
  date: {
    test: (v) => {
      const m = DATE.exec(v);
      return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    },
    message: 'must be a date as YYYY-MM-DD, e.g. 2024-01-31',
  },
  'date-time': {
    test: (v) => {
      const m = DATE_TIME.exec(v);
      if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
      const [h, min, s, oh, om] = [m[4], m[5], m[6] ?? '0', m[7] ?? '0', m[8] ?? '0'].map(Number);
      return h! <= 23 && min! <= 59 && s! <= 60 && oh! <= 23 && om! <= 59;
    },
    message: 'must be a date-time as YYYY-MM-DDTHH:mm:ssZ, e.g. 2024-01-31T09:30:00Z',
  },
  email: { test: (v) => EMAIL.test(v), message: 'must be an email address' },
};

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined; // a pattern JS cannot read is not enforced rather than failing every call
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

function childField(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
