/**
 * Values built from a schema: the spec's examples where they fit, else type-correct values.
 * Used for the operations the simulator does not model statefully, and by the tests to build
 * valid requests.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Schema } from './load';

export interface SynthOptions {
  /** Use `example` values (default true). */
  examples?: boolean;
  /** Include optional properties (default true). */
  optional?: boolean;
  /** Fixed clock for dates (default now). */
  now?: number;
}

export function synthesize(schema: Schema | undefined, opts: SynthOptions = {}): unknown {
  return gen(
    schema,
    { examples: opts.examples ?? true, optional: opts.optional ?? true, now: opts.now ?? Date.now() },
    0,
  );
}

type Ctx = Required<SynthOptions>;

function gen(s: Schema | undefined, ctx: Ctx, depth: number): unknown {
  if (!s) return {};
  if (s.allOf) {
    const merged: Record<string, unknown> = {};
    for (const part of s.allOf) Object.assign(merged, gen(part, ctx, depth + 1));
    return merged;
  }
  const union = s.oneOf ?? s.anyOf;
  if (union?.[0]) return gen(union[0], ctx, depth + 1);
  if (ctx.examples && s.example !== undefined && fits(s, s.example)) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined && fits(s, s.default)) return s.default;
  const type = s.type ?? (s.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        if (!ctx.optional && !required.has(name)) continue;
        if (depth > 12 && !required.has(name)) continue;
        out[name] = gen(prop, ctx, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 0);
      const max = s.maxItems ?? n;
      const out: unknown[] = [];
      for (let i = 0; i < Math.min(n, max); i++) out.push(gen(s.items, ctx, depth + 1));
      return out;
    }
    case 'integer':
    case 'number': {
      if (s.format === 'int64' && /time|timestamp/i.test(s.description ?? '')) return ctx.now;
      let v = typeof s.minimum === 'number' ? s.minimum : 1;
      if (typeof s.maximum === 'number' && v > s.maximum) v = s.maximum;
      return v;
    }
    case 'boolean':
      return false;
    default:
      return stringFor(s, ctx);
  }
}

function stringFor(s: Schema, ctx: Ctx): string {
  switch (s.format) {
    case 'date-time':
      return new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'date':
      return new Date(ctx.now).toISOString().slice(0, 10);
    case 'email':
      return 'jchill@example.com';
    case 'uuid':
      return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'binary':
      return '';
    default: {
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? 64;
      let v = 'string';
      if (v.length < min) v = v.padEnd(min, 'x');
      if (v.length > max) v = v.slice(0, max);
      return v;
    }
  }
}

/** Cheap structural check of an example against its own (shallow) constraints. */
function fits(s: Schema, v: unknown): boolean {
  const type = s.type;
  if (s.enum && !s.enum.includes(v)) return false;
  switch (type) {
    case 'string': {
      if (typeof v !== 'string') return false;
      if (s.maxLength !== undefined && v.length > s.maxLength) return false;
      if (s.minLength !== undefined && v.length < s.minLength) return false;
      if (s.pattern && !new RegExp(s.pattern).test(v)) return false;
      if (s.format === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return false;
      if (s.format === 'date-time' && Number.isNaN(Date.parse(v))) return false;
      if (s.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v))
        return false;
      if (s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
      return true;
    }
    case 'integer':
      return Number.isInteger(v) && inRange(s, v as number);
    case 'number':
      return typeof v === 'number' && inRange(s, v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return (
        Array.isArray(v) &&
        (s.maxItems === undefined || v.length <= s.maxItems) &&
        v.every((x) => !s.items || fits(s.items, x))
      );
    case 'object':
      return false; // build objects property by property so every property is checked
    default:
      return v !== null && typeof v !== 'object';
  }
}

function inRange(s: Schema, v: number): boolean {
  return (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum);
}

const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
const checkers = new Map<Schema, ValidateFunction>();

/** A value for the schema that is guaranteed to validate (examples first, plain values if an example does not fit). */
export function synthesizeValid(schema: Schema | undefined, opts: SynthOptions = {}): unknown {
  const value = synthesize(schema, opts);
  if (!schema) return value;
  let check = checkers.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    checkers.set(schema, check);
  }
  if (check(value)) return value;
  const plain = synthesize(schema, { ...opts, examples: false });
  if (check(plain)) return plain;
  throw new Error(`cannot synthesise a valid value: ${ajv.errorsText(check.errors)}`);
}
