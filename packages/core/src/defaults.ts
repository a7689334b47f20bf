/** Defaults that touch no timer, network or process: safe for every host, n8n's sandbox included. */
import type { Logger, StoredToken, TokenStore } from './ports';
import { REDACTED } from './scrub';

/** Tokens live for the life of the process; hosts can pass a persistent store instead. */
export function createMemoryTokenStore(): TokenStore {
  const map = new Map<string, StoredToken>();
  return {
    get: (key) => map.get(key),
    set: (key, token) => {
      map.set(key, token);
    },
    delete: (key) => {
      map.delete(key);
    },
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const SECRET_KEYS = /token|secret|password|authorization|assertion|code_verifier|^code$/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Deep-copies `meta` with secret-looking keys and bearer/basic credentials masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(BEARER, `$1 ${REDACTED}`);
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/** Wraps any logger so nothing that looks like a credential reaches it. */
export function redactingLogger(inner: Logger): Logger {
  const wrap = (level: keyof Logger) => (message: string, meta?: Record<string, unknown>) =>
    inner[level](redact(message) as string, meta && (redact(meta) as Record<string, unknown>));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
