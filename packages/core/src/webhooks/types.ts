/**
 * The envelope every Zoom webhook shares. The typed union of Team Chat / Chatbot events
 * lives in the generated spec module; this stays generic so verification depends on nothing.
 */
export interface WebhookEvent {
  event: string;
  event_ts: number;
  payload: Record<string, unknown>;
  download_token?: string;
}

/** A WHATWG `Headers` (fetch, undici) or anything with the same `get`. */
export interface HeadersLike {
  get(name: string): string | null;
}

/** Node's `req.headers`, an n8n/Node-RED header object, or `Headers`. Names in any case. */
export type WebhookHeaders = HeadersLike | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The exact bytes received. A parsed object cannot be verified. */
export type RawBody = string | Uint8Array | ArrayBuffer;

export interface VerifyWebhookOptions {
  rawBody: RawBody;
  headers: WebhookHeaders;
  /** The app's Secret Token; several while rotating (any one may match). */
  secrets: string | readonly string[];
  /** Maximum distance between `x-zm-request-timestamp` and now, both ways. Default 300. */
  toleranceSeconds?: number;
  /** Epoch milliseconds (tests, simulators). Default `Date.now`. */
  now?: () => number;
}

export interface UrlValidationResponse {
  plainToken: string;
  encryptedToken: string;
}

export type WebhookRequestResult<E = WebhookEvent> =
  | { kind: 'url_validation'; response: UrlValidationResponse; event: E }
  | { kind: 'event'; event: E };

export interface SignedWebhookHeaders {
  'x-zm-signature': string;
  'x-zm-request-timestamp': string;
}
