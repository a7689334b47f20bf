import { ZoomConfigError } from '../errors';
import type { HeadersLike, WebhookHeaders } from './types';

export const SIGNATURE_HEADER = 'x-zm-signature';
export const TIMESTAMP_HEADER = 'x-zm-request-timestamp';
export const REQUEST_ID_HEADER = 'x-zm-request-id';

/** `conflict` when a header arrives several times with different values (nothing safe to pick). */
export type HeaderValue = string | undefined | { conflict: number };

function isHeadersLike(headers: WebhookHeaders): headers is HeadersLike {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/**
 * Reads one header by its lower-case `name` from any host's header shape.
 * Node already lower-cases names, so the exact key is tried before a case-insensitive scan.
 */
export function readHeader(headers: WebhookHeaders, name: string): HeaderValue {
  if (isHeadersLike(headers)) {
    const value = headers.get(name);
    return value === null || value === '' ? undefined : value;
  }
  let value = headers[name];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (Array.isArray(value)) return fromArray(value as readonly unknown[]);
  return undefined;
}

/** A repeated header is usable only if every copy agrees (a proxy may duplicate it). */
function fromArray(values: readonly unknown[]): HeaderValue {
  let found: string | undefined;
  for (const v of values) {
    if (typeof v !== 'string' || v === '') continue;
    if (found === undefined) found = v;
    else if (v !== found) return { conflict: values.length };
  }
  return found;
}

/** Throws a clear misuse error unless `headers` is an object we can read. */
export function assertHeaders(headers: unknown): asserts headers is WebhookHeaders {
  if (headers === null || typeof headers !== 'object') {
    throw new ZoomConfigError(
      `headers must be the request's header object (e.g. req.headers) or a Headers instance, got ${
        headers === null ? 'null' : typeof headers
      }`,
    );
  }
}
