/** Reading node settings and message properties: a configured value wins over the message, as in core nodes. */
import type { NodeMessage } from './red';

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The configured value if set, else the message's, else undefined. */
export function pick(configured: unknown, fromMsg: unknown): string | undefined {
  return str(configured) ?? str(fromMsg);
}

/** A string field that must be present; the error names both places it can come from. */
export function need(value: string | undefined, what: string, where: string): string {
  if (value === undefined) throw new Error(`${what} is required: set it in the node or send it as ${where}.`);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** A list from the editor (comma or newline separated) or from a message (array or string): the core's. */
export { parseList as list } from '@zoom-team-chat/core';

/** A whole number ≥ 1 from config or msg; undefined when blank. */
export function positiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${field} must be a whole number ≥ 1 (got ${JSON.stringify(value)}).`);
  return n;
}

/** Copies a message and replaces its payload (other properties, e.g. msg.req, pass through). */
export function withPayload(msg: NodeMessage, payload: unknown, extra: Record<string, unknown> = {}): NodeMessage {
  return { ...msg, ...extra, payload };
}
