import { ZoomConfigError } from '../errors';
import type { AuthConfig } from './types';

const KINDS = ['account', 'chatbot', 'user', 'token', 'none'] as const;

const LABEL: Record<(typeof KINDS)[number], string> = {
  account: 'Server-to-Server OAuth',
  chatbot: 'Chatbot (client_credentials) auth',
  user: 'user OAuth',
  token: "auth kind 'token'",
  none: "auth kind 'none'",
};

/**
 * Checks an auth object coming from a host (node credentials, JSON config) and returns a clean copy.
 * Values are trimmed because credentials pasted from the Marketplace often carry stray whitespace,
 * which Zoom answers with a confusing invalid_client. Errors name the field, never its value.
 */
export function validateAuthConfig(auth: unknown): AuthConfig {
  if (auth === null || typeof auth !== 'object' || Array.isArray(auth)) {
    throw new ZoomConfigError(
      `auth is required: an object with kind ${KINDS.map((k) => `'${k}'`).join(' | ')} (got ${typeName(auth)})`,
    );
  }
  const a = auth as Record<string, unknown>;
  const kind = a.kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const got = typeof kind === 'string' ? `'${kind.slice(0, 40)}'` : typeName(kind);
    throw new ZoomConfigError(`auth.kind must be one of ${KINDS.map((k) => `'${k}'`).join(', ')} (got ${got})`);
  }
  const k = kind as AuthConfig['kind'];
  const label = LABEL[k];
  switch (k) {
    case 'account':
      return {
        kind: 'account',
        accountId: required(a, 'accountId', label, "the Account ID on the app's App Credentials page"),
        clientId: required(a, 'clientId', label),
        clientSecret: required(a, 'clientSecret', label),
      };
    case 'chatbot':
      return {
        kind: 'chatbot',
        clientId: required(a, 'clientId', label),
        clientSecret: required(a, 'clientSecret', label),
      };
    case 'user': {
      const out: Extract<AuthConfig, { kind: 'user' }> = {
        kind: 'user',
        clientId: required(a, 'clientId', label),
        clientSecret: required(a, 'clientSecret', label),
      };
      const refreshToken = optional(a, 'refreshToken');
      const accessToken = optional(a, 'accessToken');
      if (refreshToken === undefined && accessToken === undefined) {
        throw new ZoomConfigError(
          'auth.refreshToken (or auth.accessToken) is required for user OAuth: complete the authorization flow first (buildAuthorizeUrl, then exchangeAuthorizationCode)',
        );
      }
      if (refreshToken !== undefined) out.refreshToken = refreshToken;
      if (accessToken !== undefined) out.accessToken = accessToken;
      if (a.expiresAt !== undefined && a.expiresAt !== null) {
        if (typeof a.expiresAt !== 'number' || !Number.isFinite(a.expiresAt) || a.expiresAt <= 0) {
          throw new ZoomConfigError(
            `auth.expiresAt must be epoch milliseconds (a positive number, got ${typeName(a.expiresAt)})`,
          );
        }
        out.expiresAt = a.expiresAt;
      }
      if (a.onTokens !== undefined && a.onTokens !== null) {
        if (typeof a.onTokens !== 'function') {
          throw new ZoomConfigError(`auth.onTokens must be a function (got ${typeName(a.onTokens)})`);
        }
        out.onTokens = a.onTokens as NonNullable<typeof out.onTokens>;
      }
      return out;
    }
    case 'token': {
      if (typeof a.accessToken === 'function') {
        return { kind: 'token', accessToken: a.accessToken as () => string | Promise<string> };
      }
      return { kind: 'token', accessToken: required(a, 'accessToken', label, 'a string or a function returning one') };
    }
    case 'none':
      return { kind: 'none' };
  }
}

function required(a: Record<string, unknown>, field: string, label: string, hint?: string): string {
  const v = a[field];
  const help = hint ? ` (${hint})` : '';
  if (v === undefined || v === null) throw new ZoomConfigError(`auth.${field} is required for ${label}${help}`);
  if (typeof v !== 'string')
    throw new ZoomConfigError(`auth.${field} must be a string for ${label} (got ${typeName(v)})`);
  const t = v.trim();
  if (!t) throw new ZoomConfigError(`auth.${field} is required for ${label} (it is blank)${help}`);
  return t;
}

function optional(a: Record<string, unknown>, field: string): string | undefined {
  const v = a[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ZoomConfigError(`auth.${field} must be a string (got ${typeName(v)})`);
  const t = v.trim();
  return t || undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
