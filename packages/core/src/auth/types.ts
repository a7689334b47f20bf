import type { Clock, Logger, StoredToken, TokenStore, Transport } from '../ports';

/** How the core gets a bearer token for Zoom. */
export type AuthConfig =
  /** Server-to-Server OAuth app: `grant_type=account_credentials`. */
  | { kind: 'account'; accountId: string; clientId: string; clientSecret: string }
  /** Chatbot (General app with Team Chat surface): `grant_type=client_credentials`. */
  | { kind: 'chatbot'; clientId: string; clientSecret: string }
  /**
   * User OAuth (General app, authorization code flow). Zoom rotates the refresh token on every
   * refresh; the new one goes to the token store and to `onTokens` before any caller sees the token.
   */
  | {
      kind: 'user';
      clientId: string;
      clientSecret: string;
      refreshToken?: string;
      accessToken?: string;
      /** Epoch ms at which `accessToken` expires; when absent it is used until Zoom rejects it. */
      expiresAt?: number;
      onTokens?: (t: StoredToken) => void | Promise<void>;
    }
  /** The host supplies the token; a function is called again whenever the cached one was invalidated. */
  | { kind: 'token'; accessToken: string | (() => string | Promise<string>) }
  /** The host's transport authorizes every request. */
  | { kind: 'none' };

export type AuthKind = AuthConfig['kind'];

export interface TokenProvider {
  /** A valid token (minting if needed); undefined for kind 'none'. Single-flight. */
  getToken(signal?: AbortSignal): Promise<string | undefined>;
  /** Drop the cached token if it is still `token` (a late 401 must not drop a newer token). */
  invalidate(token: string): Promise<void>;
  /** A stable, secret-free key identifying these credentials (for token stores, rate-limit sharing). */
  readonly cacheKey: string;
}

export interface TokenProviderDeps {
  transport: Transport;
  clock: Clock;
  tokenStore: TokenStore;
  logger: Logger;
  oauthBaseUrl: string;
  /** A token is replaced this long before Zoom's expiry. Default 60 000. */
  refreshSkewMs?: number;
  /** Per token request. Default 15 000. */
  timeoutMs?: number;
}
