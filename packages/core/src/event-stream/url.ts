import { ZoomConfigError } from '../errors';

/** Where Zoom serves WebSocket subscriptions: the base used when only an ID is given. */
export const DEFAULT_EVENT_STREAM_URL = 'wss://ws.zoom.us/ws';

/** A WebSocket subscription, checked: where to connect, without the token. */
export interface Subscription {
  subscriptionId: string;
  /** The endpoint to open: `subscriptionId` set; no `access_token` or fragment; other parameters kept. */
  url: string;
  /**
   * `<scheme>://<host><path>?subscriptionId=<id>`: the same however the subscription was written
   * (bare ID, Marketplace URL, extra parameters), so a host can share one socket per key.
   */
  key: string;
}

/** What a host's settings are called, so every error names the field the user has to fix. */
export interface SubscriptionFields {
  /** The field holding the ID (or, in a host with one field, the ID or the URL). Default `subscriptionId`. */
  subscriptionId?: string;
  /** The field (or the role of the one field) holding the URL. Default `endpointUrl`. */
  endpointUrl?: string;
}

export interface ParseSubscriptionOptions {
  fields?: SubscriptionFields;
  /**
   * Host names the access token may be sent to, e.g. `isZoomHost` plus the hosts of the account's
   * custom base URLs. Default: any (still wss://, or ws:// to this machine only).
   */
  allowHost?: (hostname: string) => boolean;
}

/**
 * Zoom's IDs are URL-safe base64-ish; anything with spaces or URL syntax is a paste error, and a
 * bound on the length keeps a pasted document out of URLs, keys and messages.
 */
const ID = /^[A-Za-z0-9_.~-]{1,200}$/;
const ID_RULE = 'letters, digits, "-", "_", ".", "~"; at most 200 characters';
/** A scheme is enough: `wss:ws.zoom.us/…` or `https:…` is a URL to refuse by name, not a bad ID. */
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:/i;
/** The token travels in the query string: unencrypted only to a test server on this machine. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** zoom.us and zoomgov.com and their subdomains. */
export function isZoomHost(hostname: string): boolean {
  return /(^|\.)(zoom\.us|zoomgov\.com)$/i.test(hostname);
}

/**
 * Reads what users paste: the Marketplace's endpoint URL (already holding `?subscriptionId=`), a
 * URL without it plus `subscriptionId`, or the bare ID in either field. An `access_token` pasted
 * along is dropped: it is stale sooner or later and must never be reused or shown.
 * Throws `ZoomConfigError` naming the field (see `fields`).
 */
export function parseSubscription(
  input: { subscriptionId?: unknown; endpointUrl?: unknown },
  options: ParseSubscriptionOptions = {},
): Subscription {
  const idField = options.fields?.subscriptionId ?? 'subscriptionId';
  const urlField = options.fields?.endpointUrl ?? 'endpointUrl';
  let endpoint = optionalString(input?.endpointUrl, urlField);
  let id = optionalString(input?.subscriptionId, idField);
  // A URL in the ID field, or an ID in the URL field, is still unambiguous.
  if (id !== undefined && LOOKS_LIKE_URL.test(id) && endpoint === undefined) [endpoint, id] = [id, undefined];
  if (endpoint !== undefined && !LOOKS_LIKE_URL.test(endpoint)) {
    if (id !== undefined && id !== endpoint) {
      throw new ZoomConfigError(`${urlField} is neither a wss:// URL nor the same subscription ID as ${idField}`);
    }
    [endpoint, id] = [undefined, endpoint];
  }
  if (endpoint === undefined && id === undefined) {
    throw new ZoomConfigError(
      `${idField} is blank: paste the WebSocket subscription ID, or the endpoint URL the Zoom Marketplace shows ` +
        '(wss://ws.zoom.us/ws?subscriptionId=…). A subscriptionId is required to connect.',
    );
  }
  if (id !== undefined && !ID.test(id)) {
    throw new ZoomConfigError(
      `${idField} must be a WebSocket subscription ID or a wss:// endpoint URL; ${notAnId(id)}`,
    );
  }

  let url: URL;
  try {
    url = new URL(endpoint ?? DEFAULT_EVENT_STREAM_URL);
  } catch {
    throw new ZoomConfigError(
      `${urlField} is not a valid URL: paste the endpoint URL exactly as the Zoom Marketplace shows it (wss://ws.zoom.us/ws?subscriptionId=…)`,
    );
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    throw new ZoomConfigError(
      `${urlField} must start with wss:// (got ${url.protocol}//): use the WebSocket endpoint URL of the event subscription`,
    );
  }
  if (url.protocol === 'ws:' && !LOOPBACK.test(url.hostname)) {
    throw new ZoomConfigError(
      `${urlField} must start with wss://: over ws:// the access token would travel unencrypted to ${url.hostname} ` +
        '(ws:// only for a test server on this machine)',
    );
  }
  if (url.username || url.password) {
    throw new ZoomConfigError(`${urlField} must not contain a user name or password`);
  }
  if (options.allowHost !== undefined && !options.allowHost(url.hostname.toLowerCase())) {
    throw new ZoomConfigError(
      `${urlField} points at ${url.hostname}, which is not a Zoom host: the access token is only sent to Zoom ` +
        '(or to the hosts of the custom base URLs the credentials name)',
    );
  }
  url.searchParams.delete('access_token');
  url.hash = '';

  const fromUrl = url.searchParams.get('subscriptionId') || undefined;
  if (fromUrl !== undefined && id !== undefined && fromUrl !== id) {
    throw new ZoomConfigError(
      `${idField} "${id}" differs from the one in ${urlField} ("${fromUrl.slice(0, 80)}"); give one of them`,
    );
  }
  const subscriptionId = id ?? fromUrl;
  if (subscriptionId === undefined) {
    throw new ZoomConfigError(
      `${urlField} has no usable subscriptionId parameter: a subscriptionId is required to connect. Paste the whole ` +
        'endpoint URL as the Zoom Marketplace shows it, or just the subscription ID.',
    );
  }
  if (!ID.test(subscriptionId)) {
    throw new ZoomConfigError(`${urlField} has no usable subscriptionId parameter: ${notAnId(subscriptionId)}`);
  }
  url.searchParams.set('subscriptionId', subscriptionId);
  const key = `${url.protocol}//${url.host}${url.pathname}?subscriptionId=${encodeURIComponent(subscriptionId)}`;
  return { subscriptionId, url: url.toString(), key };
}

function notAnId(id: string): string {
  return `subscriptionId "${id.slice(0, 80)}" is not a Zoom subscription ID (${ID_RULE})`;
}

/** The URL to open. Secret: never log it; use `scrubSecrets` on anything derived from it. */
export function urlWithToken(target: Subscription, token: string): string {
  const url = new URL(target.url);
  url.searchParams.set('access_token', token);
  return url.toString();
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ZoomConfigError(`${field} must be a string`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
