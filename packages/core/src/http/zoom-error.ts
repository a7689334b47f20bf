import { ZoomApiError, type RateLimitInfo, type ZoomFieldError } from '../errors';
import type { OperationMeta } from '../spec/types';
import type { TransportResponse } from '../ports';
import { parseRetryAfter } from './retry-after';

/** Zoom's codes for "the token lacks the scope this call needs". */
const SCOPE_CODES = new Set([4700, 4711]);

export function rateLimitInfo(headers: Record<string, string>, now: number): RateLimitInfo | undefined {
  const num = (v: string | undefined) =>
    v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
  const retryMs = parseRetryAfter(headers['retry-after'], now);
  const info: RateLimitInfo = {
    category: headers['x-ratelimit-category'],
    type: headers['x-ratelimit-type'],
    limit: num(headers['x-ratelimit-limit']),
    remaining: num(headers['x-ratelimit-remaining']),
    retryAfterSeconds: retryMs === undefined ? undefined : Math.ceil(retryMs / 1000),
  };
  return Object.values(info).some((v) => v !== undefined) ? info : undefined;
}

export function parseErrorBody(body: string): { code?: number | string; message?: string; errors?: ZoomFieldError[] } {
  if (!body) return {};
  try {
    const data = JSON.parse(body) as Record<string, unknown>;
    if (!data || typeof data !== 'object') return {};
    const errors = Array.isArray(data.errors)
      ? data.errors
          .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
          .map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
      : undefined;
    const code = typeof data.code === 'number' || typeof data.code === 'string' ? data.code : undefined;
    // OAuth-style bodies use `reason`/`error` instead of `message`/`code`.
    const message =
      typeof data.message === 'string' ? data.message : typeof data.reason === 'string' ? data.reason : undefined;
    return { code: code ?? (typeof data.error === 'string' ? data.error : undefined), message, errors };
  } catch {
    return { message: body.length > 200 ? `${body.slice(0, 200)}…` : body };
  }
}

export function isDailyLimit(res: TransportResponse, message: string | undefined): boolean {
  return /daily/i.test(res.headers['x-ratelimit-type'] ?? '') || /daily rate limit/i.test(message ?? '');
}

/** The next 00:00 UTC, when Zoom's daily counters reset. */
export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export function zoomErrorFromResponse(
  op: OperationMeta,
  res: TransportResponse,
  now: number,
  hint?: string,
): ZoomApiError {
  const parsed = parseErrorBody(res.body);
  const numericCode = typeof parsed.code === 'string' && /^\d+$/.test(parsed.code) ? Number(parsed.code) : parsed.code;
  const zoomMessage = parsed.message || `HTTP ${res.status}`;
  const scopeProblem =
    [400, 401, 403].includes(res.status) && (SCOPE_CODES.has(numericCode as number) || /scope/i.test(zoomMessage));
  const rateLimit = rateLimitInfo(res.headers, now);
  let resetAt: number | undefined;
  if (res.status === 429 && isDailyLimit(res, parsed.message)) {
    const retryMs = parseRetryAfter(res.headers['retry-after'], now);
    resetAt = retryMs !== undefined ? now + retryMs : nextUtcMidnight(now);
  }
  return new ZoomApiError({
    status: res.status,
    code: numericCode,
    message: zoomMessage,
    hint,
    errors: parsed.errors,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    trackingId: res.headers['x-zm-trackingid'],
    rateLimit,
    requiredScopes: scopeProblem ? [...op.scopes, ...op.granularScopes] : undefined,
    resetAt,
  });
}
