import { ZoomValidationError, type ZoomFieldError } from '../errors';
import type { OperationMeta } from '../spec/types';
import { validateRequest } from '../spec/validate';
import { encodeMultipart, binaryLength, isBinaryPart, type BinaryPart } from '../http/multipart';
import type { PreparedRequest } from '../http/pipeline';
import { fileLimitFor, limitedStream } from './file-limits';

export interface CallParams {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const SECTIONS = new Set(['path', 'query', 'body']);

/**
 * Accepts `{ path, query, body }` or a flat object whose keys are matched to the operation's path and
 * query parameters, the rest going into the body (Octokit style).
 */
export function normalizeParams(op: OperationMeta, params: unknown): CallParams {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new ZoomValidationError(op.operationId, [
      { field: 'params', message: 'must be an object such as { path, query, body }' },
    ]);
  }
  let sectioned = true;
  for (const key in params) {
    if (Object.prototype.hasOwnProperty.call(params, key) && !SECTIONS.has(key)) {
      sectioned = false;
      break;
    }
  }
  if (sectioned) return params as CallParams;
  const entries = Object.entries(params as Record<string, unknown>);

  const pathNames = new Set(op.pathParams.map((p) => p.name));
  const queryNames = new Set(op.queryParams.map((p) => p.name));
  const out: { path: Record<string, unknown>; query: Record<string, unknown>; body?: Record<string, unknown> } = {
    path: {},
    query: {},
  };
  for (const [key, value] of entries) {
    if (SECTIONS.has(key) && value && typeof value === 'object' && !Array.isArray(value) && !isBinaryPart(value)) {
      const section = key as 'path' | 'query' | 'body';
      out[section] = { ...(out[section] ?? {}), ...(value as Record<string, unknown>) };
    } else if (pathNames.has(key)) out.path[key] = value;
    else if (queryNames.has(key)) out.query[key] = value;
    else (out.body ??= {})[key] = value;
  }
  return out;
}

/**
 * Validates against the spec, then builds URL, headers and body. Throws ZoomValidationError naming the field.
 * The headers are a fresh object the pipeline owns (it adds `authorization`).
 */
export function prepareRequest(
  op: OperationMeta,
  params: CallParams,
  bases: { api: string; file: string },
  userAgent: string,
): PreparedRequest {
  const errors: ZoomFieldError[] = validateRequest(op, params);
  for (const p of op.pathParams) {
    const v = params.path?.[p.name];
    if (v !== undefined && v !== null && String(v).trim() === '' && !errors.some((e) => e.field === `path.${p.name}`)) {
      errors.push({ field: `path.${p.name}`, message: 'must not be empty' });
    }
  }
  if (errors.length) throw new ZoomValidationError(op.operationId, errors);

  // The bases come without a trailing slash (create-client's checkUrl strips it).
  const base = op.host === 'file' ? bases.file : bases.api;
  const url = base + buildPath(op, params.path) + queryString(params.query);
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };

  if (params.body === undefined || params.body === null || op.method === 'GET') return { op, url, headers };
  if (op.body?.contentType === 'multipart/form-data') {
    const fields = withFileLimits(op, params.body as Record<string, unknown>);
    const { body, contentType } = encodeMultipart(fields);
    headers['content-type'] = contentType;
    if (typeof body === 'object' && 'length' in body && body.length !== undefined)
      headers['content-length'] = String(body.length);
    return { op, url, headers, body };
  }
  headers['content-type'] = 'application/json';
  const prepared: PreparedRequest = { op, url, headers, body: JSON.stringify(params.body) };
  const channel = op.channelLimits ? (params.body as Record<string, unknown>)[op.channelLimits.field] : undefined;
  if (typeof channel === 'string' && channel !== '') prepared.channel = channel;
  return prepared;
}

/** An operation's path split once at its `{name}` parameters: literal, name, literal, name, …, literal. */
const pathTemplates = new WeakMap<OperationMeta, string[]>();

function buildPath(op: OperationMeta, values: Record<string, unknown> | undefined): string {
  let parts = pathTemplates.get(op);
  if (!parts) {
    parts = op.path.split(/\{([^}]+)\}/);
    pathTemplates.set(op, parts);
  }
  let path = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    path += encodeURIComponent(String(values?.[parts[i] as string])) + (parts[i + 1] as string);
  }
  return path;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    // Zoom takes multi-valued query parameters as comma-separated lists.
    search.append(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Refuses files over Zoom's documented limits before a byte is sent; a stream of unknown length is
 * counted in flight instead. Returns a copy: the caller's parts are not modified.
 */
function withFileLimits(op: OperationMeta, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const limitPart = (part: unknown, field: string): unknown => {
      if (!isBinaryPart(part)) return part;
      const limit = fileLimitFor(op.operationId, part);
      if (!limit) return part;
      const length = binaryLength(part);
      // Same rule as the Node-RED node's own check, so every host refuses an empty file before sending.
      if (length === 0)
        throw new ZoomValidationError(op.operationId, [
          { field, message: `${part.fileName} is empty; Zoom refuses empty files` },
        ]);
      if (length !== undefined && length > limit.bytes) {
        throw new ZoomValidationError(op.operationId, [
          {
            field,
            message: `${part.fileName} is ${formatBytes(length)}; Zoom accepts at most ${formatBytes(limit.bytes)} ${limit.what}`,
          },
        ]);
      }
      if (length !== undefined || !part.stream) return part;
      const source = part.stream;
      const tooBig = () =>
        new ZoomValidationError(op.operationId, [
          { field, message: `${part.fileName} exceeds ${formatBytes(limit.bytes)}, Zoom's limit ${limit.what}` },
        ]);
      return { ...part, stream: () => limitedStream(source(), limit.bytes, tooBig) } satisfies BinaryPart;
    };
    out[name] = Array.isArray(raw)
      ? raw.map((p, i) => limitPart(p, `body.${name}[${i}]`))
      : limitPart(raw, `body.${name}`);
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 2 : 0)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 ? 1 : 0)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
