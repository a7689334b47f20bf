export type { AuthConfig, AuthKind, TokenProvider, TokenProviderDeps } from './types';
export { createTokenProvider } from './provider';
export { validateAuthConfig } from './validate';
export { buildAuthorizeUrl, createPkcePair, pkceChallenge, exchangeAuthorizationCode } from './user-flow';
