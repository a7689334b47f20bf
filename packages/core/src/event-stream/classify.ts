import type { ConnectResult } from './connect';
import { EventStreamError } from './errors';

export type Outcome =
  | { kind: 'fatal'; error: EventStreamError; reason: string }
  | {
      /** 'auth': retry with a freshly minted token. */
      kind: 'auth' | 'transient';
      reason: string;
      /** The connection had stayed up long enough to reset the backoff. */
      stable: boolean;
      /** Counts toward maxHandshakeRejections. */
      countsAsRejection: boolean;
      giveUp(rejections: number): EventStreamError;
    };

/**
 * Zoom does not document its close codes: 1008 (policy violation), these 4xxx codes and an
 * auth-sounding reason mean "new token". A needless refresh costs one token request.
 */
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4003, 4401, 4403]);
const AUTH_REASON = /token|auth|expired|credential/i;
/** A connection up this long was healthy: the next drop starts the backoff over. */
const STABLE_CAP_MS = 10_000;

export function classifyEnd(
  result: ConnectResult,
  ctx: { freshToken: boolean; subscriptionId: string; heartbeatMs: number },
): Outcome {
  const sub = `WebSocket subscription "${ctx.subscriptionId}"`;
  const noGiveUp = () => new EventStreamError(`${sub}: gave up`, 'handshake_rejected');

  if (result.opened) {
    const upMs = result.endedAt - (result.openedAt ?? result.endedAt);
    const stable = upMs >= Math.min(ctx.heartbeatMs, STABLE_CAP_MS);
    const closed = result.silent
      ? `connection lost: ${result.reason ?? 'the server stopped answering heartbeats'}`
      : `connection closed${closeDetails(result)}`;
    const auth = !result.silent && (AUTH_CLOSE_CODES.has(result.code ?? 0) || AUTH_REASON.test(result.reason ?? ''));
    return { kind: auth ? 'auth' : 'transient', reason: closed, stable, countsAsRejection: false, giveUp: noGiveUp };
  }

  if (result.timedOut) {
    return {
      kind: 'transient',
      reason: 'no answer to the connection request in time',
      stable: false,
      countsAsRejection: false,
      giveUp: noGiveUp,
    };
  }

  if (result.status === undefined && result.networkCode !== undefined) {
    // Nothing answered: an outage or a network problem, worth waiting out however long it lasts.
    return {
      kind: 'transient',
      reason: `could not reach the endpoint (${result.networkCode})`,
      stable: false,
      countsAsRejection: false,
      giveUp: noGiveUp,
    };
  }
  const status = result.status;
  const said = zoomMessage(result.body);
  if (status === 404) {
    const error = new EventStreamError(
      `Zoom does not know ${sub} (HTTP 404${said}). Check the subscription ID or endpoint URL: it is shown in the ` +
        'Zoom App Marketplace under Features > Event Subscriptions when the method is WebSocket, and must belong to the ' +
        'app whose credentials are used. Not retrying: a wrong ID does not fix itself.',
      'subscription_not_found',
      404,
    );
    return { kind: 'fatal', error, reason: error.message };
  }
  if (status === 401 || status === 403) {
    const reason = `Zoom refused the connection to ${sub} (HTTP ${status}${said})`;
    return {
      kind: 'auth',
      reason,
      stable: false,
      countsAsRejection: ctx.freshToken,
      giveUp: (n) =>
        new EventStreamError(
          `${reason}, ${n} times in a row with a newly minted token. Check that the app's credentials are right, that the ` +
            `app has the scopes for WebSocket events, and that ${sub} belongs to this app.`,
          'unauthorized',
          status,
        ),
    };
  }
  if (status !== undefined && (status === 429 || status >= 500)) {
    // Zoom is overloaded or down: worth waiting for, however long it takes.
    return {
      kind: 'transient',
      reason: `Zoom could not take the connection (HTTP ${status}${said})`,
      stable: false,
      countsAsRejection: false,
      giveUp: noGiveUp,
    };
  }
  if (status !== undefined) {
    const reason = `Zoom refused the connection to ${sub} (HTTP ${status}${said})`;
    return {
      kind: 'transient',
      reason,
      stable: false,
      countsAsRejection: true,
      giveUp: (n) => new EventStreamError(`${reason}, ${n} times in a row; giving up.`, 'handshake_rejected', status),
    };
  }
  // Failed before open, status unknown (a WHATWG WebSocket cannot see it): most likely the token,
  // so first retry with a fresh one; repeated refusals with fresh tokens end the stream.
  const detail = result.error ? `: ${result.error}` : result.code !== undefined ? ` (close code ${result.code})` : '';
  const reason = `the connection to ${sub} failed before it opened${detail}`;
  return {
    kind: 'auth',
    reason,
    stable: false,
    countsAsRejection: ctx.freshToken,
    giveUp: (n) =>
      new EventStreamError(
        `${reason}. It failed ${n} times in a row, each with a newly minted token. Check the subscription ID or endpoint ` +
          `URL, the app's credentials and scopes, and that this machine can reach the endpoint.`,
        'handshake_rejected',
      ),
  };
}

function closeDetails(result: ConnectResult): string {
  if (result.code === undefined) return result.error ? `: ${result.error}` : '';
  return ` (code ${result.code}${result.reason ? `: ${result.reason}` : ''})`;
}

/** Zoom answers refused upgrades with `{ code, message }`. Already cleaned of secrets. */
function zoomMessage(body: string | undefined): string {
  if (!body) return '';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const { code, message } = parsed as { code?: unknown; message?: unknown };
      const parts = [
        typeof code === 'number' || typeof code === 'string' ? `code ${code}` : '',
        typeof message === 'string' ? message.slice(0, 200) : '',
      ].filter(Boolean);
      return parts.length ? `: ${parts.join(', ')}` : '';
    }
  } catch {
    // Not JSON: a proxy's HTML page says nothing useful.
  }
  return '';
}
