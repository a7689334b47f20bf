import { ZoomConfigError } from '../errors';

export interface BackoffConfig {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

/** Near-full jitter: the clients one outage dropped come back spread out, not all at once. */
export const RECONNECT_JITTER_FLOOR = 0.1;

export function resolveBackoff(value: unknown): BackoffConfig {
  if (value === undefined) return DEFAULT_BACKOFF;
  if (value === null || typeof value !== 'object') {
    throw new ZoomConfigError('createEventStream: backoff must be an object { initialMs?, maxMs?, factor? }');
  }
  const v = value as Record<string, unknown>;
  const initialMs = positive(v.initialMs, DEFAULT_BACKOFF.initialMs, 'backoff.initialMs');
  const maxMs = positive(v.maxMs, Math.max(DEFAULT_BACKOFF.maxMs, initialMs), 'backoff.maxMs');
  const factor = positive(v.factor, DEFAULT_BACKOFF.factor, 'backoff.factor');
  if (factor < 1) throw new ZoomConfigError('createEventStream: backoff.factor must be ≥ 1');
  if (maxMs < initialMs) throw new ZoomConfigError('createEventStream: backoff.maxMs must be ≥ backoff.initialMs');
  return { initialMs, maxMs, factor };
}

export function positive(value: unknown, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ZoomConfigError(`createEventStream: ${field} must be a positive number`);
  }
  return value;
}
