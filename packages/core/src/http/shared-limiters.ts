import type { Clock } from '../ports';
import { ZoomConfigError } from '../errors';
import { RateLimiter, type RateLimiterConfig } from './rate-limiter';

/**
 * Zoom's rate limits belong to the account and are shared by every app on it, so every client in
 * this process that sends for one account must wait in the same lines: every n8n execution, the
 * trigger and the editor's look-ups; every Node-RED node and flow. Clients find their limiter here
 * by a key naming the account (see `accountRateLimitKey`).
 */

/** Accounts kept at most; the least recently used idle one goes first. */
const MAX_ACCOUNTS = 200;
/** A limiter nobody used for this long, with nobody waiting, is dropped. */
const IDLE_DROP_MS = 30 * 60_000;

interface Entry {
  limiter: RateLimiter;
  lastUsed: number;
}

/**
 * Module-level: one per copy of the core in the process. n8n loads every node and credential of the
 * package as its own file, so its build puts the core in one shared file they all require.
 */
const entries = new Map<string, Entry>();

/**
 * The process's one limiter for `key`, made on first use. A later call with other settings (the
 * plan was changed in the credential) reconfigures it; waiting callers keep their places.
 */
export function sharedRateLimiter(key: string, clock: Clock, config: RateLimiterConfig): RateLimiter {
  if (typeof key !== 'string' || key === '') throw new ZoomConfigError('rateLimitKey must be a non-empty string');
  const now = clock.now();
  let entry = entries.get(key);
  if (entry) {
    entry.limiter.configure(config);
    entry.lastUsed = now;
    // Most recently used last, so the sweep meets the oldest first.
    entries.delete(key);
    entries.set(key, entry);
    return entry.limiter;
  }
  sweep(now);
  entry = { limiter: new RateLimiter(clock, config), lastUsed: now };
  entries.set(key, entry);
  return entry.limiter;
}

function sweep(now: number): void {
  for (const [key, entry] of entries) {
    const stale = now - entry.lastUsed > IDLE_DROP_MS;
    if ((stale || entries.size >= MAX_ACCOUNTS) && entry.limiter.idle) entries.delete(key);
    else if (!stale && entries.size < MAX_ACCOUNTS) break;
  }
}

/** How many accounts have a limiter in this process (for tests and diagnostics). */
export function sharedRateLimiterCount(): number {
  return entries.size;
}

/**
 * The key for an account's shared limiter: the API host (a simulator and Zoom are different worlds)
 * and the account ID. Without an account ID (user OAuth apps: the credential does not name one), the
 * OAuth client ID stands in, which shares the budget per app instead of per account.
 */
export function accountRateLimitKey(input: { apiBaseUrl?: string; accountId?: string; clientId?: string }): string {
  const base = (input.apiBaseUrl || 'https://api.zoom.us/v2').replace(/\/+$/, '').toLowerCase();
  const accountId = input.accountId?.trim();
  if (accountId) return `${base}#account:${accountId}`;
  const clientId = input.clientId?.trim();
  if (clientId) return `${base}#app:${clientId}`;
  throw new ZoomConfigError('A shared rate limit needs the account ID or the client ID');
}
