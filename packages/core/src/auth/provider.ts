import { createHash } from 'node:crypto';
import { withSignal } from '../abort';
import { createMemoryTokenStore, redactingLogger } from '../defaults';
import { ZoomAuthError, ZoomConfigError } from '../errors';
import type { Logger, StoredToken, TokenStore } from '../ports';
import { joinFlight, serialInvalidate } from './single-flight';
import { checkOauthBaseUrl, requestToken, type TokenRequest } from './token-endpoint';
import type { AuthConfig, TokenProvider, TokenProviderDeps } from './types';
import { validateAuthConfig } from './validate';

const DEFAULT_SKEW_MS = 60_000;
/** A configured access token without expiresAt is used until Zoom rejects it (JSON-safe "never"). */
const UNKNOWN_EXPIRY = Number.MAX_SAFE_INTEGER;

type UserAuth = Extract<AuthConfig, { kind: 'user' }>;
type HostTokenFn = () => string | Promise<string>;
type Fresh = (t: StoredToken) => boolean;

export function createTokenProvider(authInput: AuthConfig, deps: TokenProviderDeps): TokenProvider {
  const auth = validateAuthConfig(authInput);
  checkDeps(deps);
  const logger = redactingLogger(deps.logger);
  const skew = deps.refreshSkewMs ?? DEFAULT_SKEW_MS;
  // Not a type guard: a stale token is still a StoredToken (its refresh token matters).
  const fresh: Fresh = (t) => t.accessToken !== '' && deps.clock.now() < t.expiresAt - skew;

  switch (auth.kind) {
    case 'none':
      return { cacheKey: 'zoom:none', getToken: async () => undefined, invalidate: async () => {} };

    case 'token': {
      const supplied = auth.accessToken;
      if (typeof supplied === 'string') {
        // Nothing can replace a fixed token, so invalidating it changes nothing.
        return {
          cacheKey: `zoom:token:${digest(supplied)}`,
          getToken: async () => supplied,
          invalidate: async () => {},
        };
      }
      // The host's function is the source; a private memory store holds its last answer until invalidated.
      return storeBackedProvider(
        `zoom:token:fn${fnId(supplied)}`,
        createMemoryTokenStore(),
        fresh,
        async (store, key) => {
          const cached = await readStore(store, key, logger, false);
          if (cached && fresh(cached)) return cached.accessToken;
          const t = await supplied();
          if (typeof t !== 'string' || !t.trim()) {
            throw new ZoomConfigError(
              `auth.accessToken function returned ${typeof t === 'string' ? 'a blank string' : typeof t}; it must return the access token`,
            );
          }
          await store.set(key, { accessToken: t.trim(), expiresAt: UNKNOWN_EXPIRY });
          return t.trim();
        },
      );
    }

    case 'account':
    case 'chatbot': {
      const cacheKey =
        auth.kind === 'account' ? `zoom:account:${auth.accountId}:${auth.clientId}` : `zoom:chatbot:${auth.clientId}`;
      const form: TokenRequest['form'] =
        auth.kind === 'account'
          ? { grant_type: 'account_credentials', account_id: auth.accountId }
          : { grant_type: 'client_credentials' };
      return storeBackedProvider(cacheKey, deps.tokenStore, fresh, async (store, key) => {
        const cached = await readStore(store, key, logger, true);
        if (cached && fresh(cached)) return cached.accessToken;
        logger.debug('Minting a Zoom access token', { kind: auth.kind, cacheKey: key });
        const token = await requestToken({
          ...deps,
          logger,
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          form,
          authKind: auth.kind,
        });
        try {
          await store.set(key, token);
        } catch (err) {
          // The token is still good for this call; the next one mints again.
          logger.warn('Could not save the Zoom token in the token store', { cacheKey: key, error: errorName(err) });
        }
        return token.accessToken;
      });
    }

    case 'user':
      return userProvider(auth, deps, logger, fresh);
  }
}

/** The provider shape shared by every minting kind: a store-backed cache behind one flight per key. */
function storeBackedProvider(
  cacheKey: string,
  store: TokenStore,
  fresh: Fresh,
  lookupOrMint: (store: TokenStore, key: string) => Promise<string>,
  invalidateStored: (stored: StoredToken) => Promise<void> = async () => {
    await store.delete(cacheKey);
  },
): TokenProvider {
  return {
    cacheKey,
    getToken: (signal) =>
      withSignal(
        joinFlight(store, cacheKey, () => lookupOrMint(store, cacheKey)),
        signal,
      ),
    invalidate: (token) =>
      serialInvalidate(store, cacheKey, async () => {
        const stored = await store.get(cacheKey);
        if (stored && stored.accessToken === token) await invalidateStored(stored);
      }),
  };
}

function userProvider(auth: UserAuth, deps: TokenProviderDeps, logger: Logger, fresh: Fresh): TokenProvider {
  // Keyed on the configured (first) credential, hashed: every token in this slot was rotated from it,
  // so whatever the store holds is newer than the config. A host that writes the rotated refresh
  // token back into its config gets a new, empty slot, and its config is then the newest.
  const cacheKey = `zoom:user:${auth.clientId}:${digest(auth.refreshToken ?? auth.accessToken ?? '')}`;
  const store = deps.tokenStore;

  const persist = async (token: StoredToken) => {
    try {
      await store.set(cacheKey, token);
    } catch (err) {
      logger.error(
        'Could not save the rotated Zoom refresh token in the token store; the previous one is no longer valid',
        {
          cacheKey,
          error: errorName(err),
        },
      );
    }
    if (auth.onTokens) {
      try {
        await auth.onTokens({ ...token });
      } catch (err) {
        logger.error('auth.onTokens failed while handling a rotated Zoom refresh token', {
          cacheKey,
          error: errorName(err),
        });
      }
    }
  };

  return storeBackedProvider(
    cacheKey,
    store,
    fresh,
    async () => {
      // A store we cannot read would make us refresh with a possibly dead token, so its error stands.
      const stored = await readStore(store, cacheKey, logger, false);
      if (stored && fresh(stored)) return stored.accessToken;
      if (!stored && auth.accessToken) {
        const seed: StoredToken = { accessToken: auth.accessToken, expiresAt: auth.expiresAt ?? UNKNOWN_EXPIRY };
        if (auth.refreshToken) seed.refreshToken = auth.refreshToken;
        if (fresh(seed)) {
          try {
            await store.set(cacheKey, seed);
          } catch (err) {
            logger.warn('Could not save the Zoom token in the token store', { cacheKey, error: errorName(err) });
          }
          return seed.accessToken;
        }
      }
      const refreshToken = stored?.refreshToken ?? auth.refreshToken;
      if (!refreshToken) {
        throw new ZoomAuthError(
          'The Zoom user access token has expired or was rejected, and no refresh token is configured: ' +
            're-authorize the app (buildAuthorizeUrl, then exchangeAuthorizationCode) and configure the new refreshToken',
          401,
          'reauthorization_required',
        );
      }
      logger.debug('Refreshing a Zoom user access token', { cacheKey });
      const token = await requestToken({
        ...deps,
        logger,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
        authKind: 'user',
      });
      // Zoom always rotates; should it ever not, the old refresh token is the one still valid.
      if (!token.refreshToken) token.refreshToken = refreshToken;
      await persist(token);
      return token.accessToken;
    },
    // Keep the refresh token: deleting the entry would lose the only valid (rotated) one.
    async (stored) => {
      const tombstone: StoredToken = { accessToken: '', expiresAt: 0 };
      if (stored.refreshToken) tombstone.refreshToken = stored.refreshToken;
      await store.set(cacheKey, tombstone);
    },
  );
}

/** Reads and shape-checks a stored token (a persistent store may hold anything). */
async function readStore(
  store: TokenStore,
  key: string,
  logger: Logger,
  tolerateErrors: boolean,
): Promise<StoredToken | undefined> {
  let v: unknown;
  try {
    v = await store.get(key);
  } catch (err) {
    if (!tolerateErrors) throw err;
    logger.warn('Could not read the Zoom token store; minting a new token', { cacheKey: key, error: errorName(err) });
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Partial<StoredToken>;
  if (typeof o.accessToken !== 'string' || typeof o.expiresAt !== 'number') return undefined;
  const t: StoredToken = { accessToken: o.accessToken, expiresAt: o.expiresAt };
  if (typeof o.refreshToken === 'string' && o.refreshToken) t.refreshToken = o.refreshToken;
  if (typeof o.scope === 'string') t.scope = o.scope;
  return t;
}

function checkDeps(deps: TokenProviderDeps): void {
  if (!deps || typeof deps.transport !== 'function')
    throw new ZoomConfigError('createTokenProvider: deps.transport must be a function');
  if (!deps.clock || typeof deps.clock.now !== 'function')
    throw new ZoomConfigError('createTokenProvider: deps.clock is required');
  const s = deps.tokenStore;
  if (!s || typeof s.get !== 'function' || typeof s.set !== 'function' || typeof s.delete !== 'function') {
    throw new ZoomConfigError('createTokenProvider: deps.tokenStore must have get, set and delete');
  }
  if (!deps.logger) throw new ZoomConfigError('createTokenProvider: deps.logger is required');
  checkOauthBaseUrl(deps.oauthBaseUrl, 'oauthBaseUrl');
  if (deps.refreshSkewMs !== undefined && !(deps.refreshSkewMs >= 0)) {
    throw new ZoomConfigError('refreshSkewMs must be a number of milliseconds >= 0');
  }
  if (deps.timeoutMs !== undefined && !(deps.timeoutMs > 0))
    throw new ZoomConfigError('timeoutMs must be a number of milliseconds > 0');
}

/** A short, one-way fingerprint: identifies a credential in a key without revealing it. */
function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

const fnIds = new WeakMap<HostTokenFn, number>();
let nextFnId = 1;
function fnId(fn: HostTokenFn): number {
  let id = fnIds.get(fn);
  if (id === undefined) {
    id = nextFnId++;
    fnIds.set(fn, id);
  }
  return id;
}

/** Only the error's class: a host store's message could quote what it was asked to save. */
function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
