import { ZoomConfigError } from '../errors';

export const DEFAULT_ENDPOINT_URL = 'wss://ws.zoom.us/ws';

/** Where to connect, without the token. */
export interface StreamTarget {
  subscriptionId: string;
  /** The endpoint with `subscriptionId` set and no `access_token`. */
  url: string;
}

/** Zoom's IDs are URL-safe base64-ish; anything with spaces or URL syntax is a paste error. */
const ID = /^[A-Za-z0-9_.~-]+$/;
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Accepts what users paste: the Marketplace's endpoint URL (already holding `?subscriptionId=`),
 * a URL without it plus `subscriptionId`, or the bare ID in either field.
 */
export function resolveTarget(options: { endpointUrl?: unknown; subscriptionId?: unknown }): StreamTarget {
  const rawUrl = optionalString(options.endpointUrl, 'endpointUrl');
  const rawId = optionalString(options.subscriptionId, 'subscriptionId');
  let endpoint = rawUrl;
  let id = rawId;
  // A URL in the ID field, or an ID in the URL field, is still unambiguous.
  if (id !== undefined && LOOKS_LIKE_URL.test(id) && endpoint === undefined) [endpoint, id] = [id, undefined];
  if (endpoint !== undefined && !LOOKS_LIKE_URL.test(endpoint)) {
    if (id !== undefined && id !== endpoint) {
      throw new ZoomConfigError(
        `createEventStream: endpointUrl is neither a ws:// / wss:// URL nor the same subscription ID as subscriptionId`,
      );
    }
    [endpoint, id] = [undefined, endpoint];
  }

  let url: URL;
  try {
    url = new URL(endpoint ?? DEFAULT_ENDPOINT_URL);
  } catch {
    throw new ZoomConfigError('createEventStream: endpointUrl is not a valid URL (expected wss://ws.zoom.us/ws?subscriptionId=…)');
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    throw new ZoomConfigError(`createEventStream: endpointUrl must start with wss:// (or ws://), not ${url.protocol}//`);
  }
  if (url.username || url.password) {
    throw new ZoomConfigError('createEventStream: endpointUrl must not contain a user name or password');
  }
  // A token pasted along with the URL is stale sooner or later and must never be reused or shown.
  url.searchParams.delete('access_token');
  url.hash = '';

  const fromUrl = url.searchParams.get('subscriptionId') ?? undefined;
  if (fromUrl !== undefined && id !== undefined && fromUrl !== id) {
    throw new ZoomConfigError(
      `createEventStream: subscriptionId "${id}" differs from the one in endpointUrl ("${fromUrl}"); give one of them`,
    );
  }
  const subscriptionId = id ?? fromUrl;
  if (subscriptionId === undefined || subscriptionId === '') {
    throw new ZoomConfigError(
      'createEventStream: subscriptionId is required (or an endpointUrl holding ?subscriptionId=…, as the Marketplace shows it)',
    );
  }
  if (!ID.test(subscriptionId)) {
    throw new ZoomConfigError(
      `createEventStream: subscriptionId "${subscriptionId.slice(0, 80)}" is not a Zoom subscription ID (letters, digits, - and _ only)`,
    );
  }
  url.searchParams.set('subscriptionId', subscriptionId);
  return { subscriptionId, url: url.toString() };
}

/** The URL to open. Secret: never log it; use `redactSecrets` on anything derived from it. */
export function urlWithToken(target: StreamTarget, token: string): string {
  const url = new URL(target.url);
  url.searchParams.set('access_token', token);
  return url.toString();
}

const TOKEN_PARAM = /(access_token=)[^&#\s"'<>]*/gi;

/** Masks `access_token=…` and every literal secret in `text`. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text.replace(TOKEN_PARAM, '$1***');
  for (const s of secrets) {
    if (s.length >= 4) {
      out = out.split(s).join('***');
      // The URL carries the token percent-encoded.
      const encoded = encodeURIComponent(s);
      if (encoded !== s) out = out.split(encoded).join('***');
    }
  }
  return out;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ZoomConfigError(`createEventStream: ${field} must be a string`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
