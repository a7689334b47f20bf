import { ZoomAuthError } from '../errors';
import { REDACTED, scrubSecrets } from '../scrub';
import type { AuthKind } from './types';

export type Grant = 'account_credentials' | 'client_credentials' | 'authorization_code' | 'refresh_token';

const GRANT_LABEL: Record<Grant, string> = {
  account_credentials: 'Server-to-Server OAuth (account_credentials)',
  client_credentials: 'Chatbot (client_credentials)',
  authorization_code: 'authorization code exchange (authorization_code)',
  refresh_token: 'user OAuth refresh (refresh_token)',
};

export const APP_TYPE_HINT =
  "The app type does not match the auth kind: Server-to-Server OAuth apps use account_credentials (auth kind 'account'), " +
  "General apps use authorization_code and refresh_token (kind 'user') or client_credentials for chatbots (kind 'chatbot')";

export interface MintContext {
  grant: Grant;
  /** Undefined for a code exchange done outside a provider. */
  authKind?: AuthKind;
  /** Every secret of this request; removed from any text Zoom sends back before it reaches a message. */
  secrets: readonly string[];
}

/**
 * Turns an error answer of /oauth/token into an error a workflow builder can act on.
 * Zoom answers either `{reason, error}` (OAuth style) or `{code, message}` (Zoom style).
 */
export function authErrorFromResponse(status: number, body: string, ctx: MintContext): ZoomAuthError {
  let parsed: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    // Not JSON (an HTML error page from a proxy): the status alone has to do.
  }
  const oauthError = typeof parsed.error === 'string' ? parsed.error : undefined;
  const zoomCode = typeof parsed.code === 'number' || typeof parsed.code === 'string' ? parsed.code : undefined;
  const rawReason = [parsed.reason, parsed.error_description, parsed.message].find(
    (r) => typeof r === 'string' && r,
  ) as string | undefined;
  // Zoom may echo request parameters back in `reason`.
  const reason = rawReason ? scrubSecrets(rawReason, ctx.secrets, REDACTED).slice(0, 300) : undefined;
  const code = oauthError ?? zoomCode;

  const what = `Zoom refused the ${GRANT_LABEL[ctx.grant]} token request (HTTP ${status}${code !== undefined ? `, ${code}` : ''})`;
  const hint = hintFor(status, oauthError, zoomCode === undefined ? undefined : Number(zoomCode), reason ?? '', ctx);
  const text = [sentence(what + (reason ? `: ${reason}` : '')), hint && sentence(hint)].filter(Boolean).join(' ');
  return new ZoomAuthError(text, status, code);
}

function hintFor(
  status: number,
  oauthError: string | undefined,
  zoomCode: number | undefined,
  reason: string,
  ctx: MintContext,
): string {
  const r = reason.toLowerCase();
  if (oauthError === 'unsupported_grant_type' || zoomCode === 4705 || /grant[ _]type/.test(r)) {
    return `${APP_TYPE_HINT}; this request used ${ctx.grant}${ctx.authKind ? ` (kind '${ctx.authKind}')` : ''}`;
  }
  if (ctx.grant === 'account_credentials' && /account/.test(r)) {
    return "Check the Account ID: it is on the Server-to-Server OAuth app's App Credentials page, next to the Client ID";
  }
  if (
    oauthError === 'invalid_client' ||
    zoomCode === 4702 ||
    zoomCode === 4704 ||
    zoomCode === 4706 ||
    /client[ _](id|secret)|invalid client/.test(r)
  ) {
    const where =
      ctx.grant === 'account_credentials'
        ? ' and the Account ID (all three are on the App Credentials page of the same Server-to-Server OAuth app; regenerating the secret makes the old one invalid)'
        : ' (App Credentials page of the app in the Zoom App Marketplace)';
    return `Check the Client ID and Client Secret of the Zoom app${where}`;
  }
  if (zoomCode === 4717 || /disabled/.test(r)) {
    return 'The Zoom app or token was disabled: ask the account admin (or Zoom support) to enable it, then re-authorize';
  }
  if (ctx.grant === 'refresh_token' && status < 500 && status !== 429) {
    return (
      'The refresh token is no longer valid (Zoom rotates it on every refresh so an older copy is dead; ' +
      'it may also have been revoked or have expired): re-authorize the app to get a new one'
    );
  }
  if (ctx.grant === 'authorization_code') {
    if (zoomCode === 4709 || /redirect/.test(r)) {
      return "The redirect_uri must exactly match the one in the authorize URL and in the app's OAuth redirect URL allow list";
    }
    if (status < 500 && status !== 429) {
      return 'The authorization code is invalid or expired (codes are single-use and live 5 minutes): start the authorization again';
    }
  }
  if (status === 429) {
    return 'Too many token requests: keep tokens in a shared token store instead of minting them per call, and try again later';
  }
  if (status >= 500) return "Zoom's OAuth service failed; try again later";
  return '';
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
