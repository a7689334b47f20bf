/**
 * Apps, their credentials and the tokens they are granted. Tokens are opaque to clients
 * (shaped like Zoom's JWTs) and looked up in a map on every API call.
 */
import { createHash, randomBytes } from 'node:crypto';

export type AppKind = 's2s' | 'userOAuth' | 'chatbot';

export interface AppConfig {
  kind: AppKind;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** User OAuth: allowed redirect URIs (empty = any http(s) URI). */
  redirectUris: string[];
}

export interface TokenRecord {
  app: AppKind;
  clientId: string;
  grant: 'account_credentials' | 'client_credentials' | 'authorization_code' | 'refresh_token';
  /** The user `me` stands for; undefined for client-credentials tokens. */
  userId: string | undefined;
  scopes: Set<string>;
  expiresAt: number;
}

interface RefreshRecord {
  app: AppKind;
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  userId: string;
  challenge?: string;
  challengeMethod?: 'S256' | 'plain';
  expiresAt: number;
}

const REFRESH_TTL_MS = 90 * 24 * 3600 * 1000;
const CODE_TTL_MS = 10 * 60 * 1000;

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  ttlSeconds: number;

  constructor(
    private readonly now: () => number,
    ttlSeconds: number,
  ) {
    this.ttlSeconds = ttlSeconds;
  }

  get(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  mint(input: Omit<TokenRecord, 'expiresAt' | 'scopes'> & { scopes: string[]; accountId: string }): {
    token: string;
    record: TokenRecord;
  } {
    const token = jwtLike(input.clientId, input.accountId, input.userId, this.now(), this.ttlSeconds);
    const record: TokenRecord = {
      app: input.app,
      clientId: input.clientId,
      grant: input.grant,
      userId: input.userId,
      scopes: new Set(input.scopes),
      expiresAt: this.now() + this.ttlSeconds * 1000,
    };
    this.tokens.set(token, record);
    if (this.tokens.size > 50_000) this.prune();
    return { token, record };
  }

  mintRefresh(app: AppKind, clientId: string, userId: string, scopes: string[]): string {
    const token = jwtLike(clientId, 'refresh', userId, this.now(), REFRESH_TTL_MS / 1000);
    this.refresh.set(token, { app, clientId, userId, scopes, expiresAt: this.now() + REFRESH_TTL_MS });
    return token;
  }

  /** Zoom rotates refresh tokens: using one invalidates it. */
  consumeRefresh(token: string, clientId: string): RefreshRecord | undefined {
    const rec = this.refresh.get(token);
    if (!rec || rec.clientId !== clientId || rec.expiresAt < this.now()) return undefined;
    this.refresh.delete(token);
    return rec;
  }

  issueCode(rec: Omit<CodeRecord, 'expiresAt'>): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...rec, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single use. */
  consumeCode(code: string): CodeRecord | undefined {
    const rec = this.codes.get(code);
    if (!rec) return undefined;
    this.codes.delete(code);
    return rec.expiresAt < this.now() ? undefined : rec;
  }

  /** Admin "expire all tokens now": access tokens only; refresh tokens keep working. */
  expireAll(): number {
    const past = this.now() - 1;
    for (const rec of this.tokens.values()) rec.expiresAt = past;
    return this.tokens.size;
  }

  clear(): void {
    this.tokens.clear();
    this.refresh.clear();
    this.codes.clear();
  }

  count(): { access: number; refresh: number } {
    return { access: this.tokens.size, refresh: this.refresh.size };
  }

  private prune(): void {
    const now = this.now();
    for (const [k, v] of this.tokens) if (v.expiresAt < now - 3600_000) this.tokens.delete(k);
  }
}

function b64(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

/** Looks like Zoom's tokens (a JWT); the signature is random: only the simulator reads them. */
function jwtLike(clientId: string, accountId: string, userId: string | undefined, now: number, ttl: number): string {
  const iat = Math.floor(now / 1000);
  const header = b64({ alg: 'HS512', v: '2.0', kid: randomBytes(8).toString('hex') });
  const payload = b64({
    aud: 'https://oauth.zoom.us',
    uid: userId ?? '',
    ver: 10,
    auid: createHash('sha256').update(clientId).digest('hex').slice(0, 32),
    nbf: iat,
    iss: 'zm:cid:' + clientId,
    gno: 0,
    exp: iat + ttl,
    iat,
    aid: accountId,
    jti: randomBytes(12).toString('base64url'),
  });
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

export function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
