/**
 * The ports the core talks through. Hosts (plain Node, n8n, Node-RED) inject their own;
 * the defaults in `defaults.ts` serve plain Node.
 */

import { ZoomError } from './errors';

/** A body the transport can send more than once (a redirect re-sends it). */
export type RequestBody =
  | string
  | Uint8Array
  /** Called once per attempt, so a stream can be produced afresh after a 30x. */
  | { stream: () => AsyncIterable<Uint8Array>; length?: number };

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: RequestBody;
  /** Aborts the request (caller cancellation, and the per-request timeout). */
  signal?: AbortSignal;
  /**
   * The per-request timeout, also folded into `signal` by the core. Given separately so transports
   * with their own timeout option (n8n's httpRequest) can use it instead of a timer.
   */
  timeoutMs?: number;
  /**
   * `stream`: hand the body over as `TransportResponse.stream` instead of reading it into `body`
   * (file downloads: binary, and up to a gigabyte). The timeout and `signal` then cover the whole
   * exchange until the stream ends or is cancelled. A transport that ignores this answers with
   * `body` as before, and the core reports that downloads need a streaming transport.
   */
  responseType?: 'text' | 'stream';
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body as text (Zoom answers JSON or nothing); '' when `stream` carries it. */
  body: string;
  /**
   * The body, read as the consumer pulls it, when the request asked for `responseType: 'stream'`
   * (whatever the status). Read it to the end or call its iterator's `return()`: until then the
   * connection stays open. A failure while reading rejects with a TransportError.
   */
  stream?: AsyncIterable<Uint8Array>;
}

/**
 * A transport never follows redirects itself (the core re-sends to `Location` with
 * the Authorization header kept) and never retries.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * Thrown (or rejected) by a transport when no HTTP response arrived.
 * `sentNothing` is true only when the request provably never reached the server
 * (DNS failure, connection refused): only then may a POST be retried.
 * The client hands it on as the cause of a ZoomApiError (or ZoomAuthError) of kind `network`.
 */
export class TransportError extends ZoomError {
  override readonly name = 'TransportError';
  readonly kind = 'network';
  /** No HTTP status, as on the ZoomApiError and ZoomAuthError that carry it on. */
  readonly status = 0;
  readonly code: string;
  readonly sentNothing: boolean;
  readonly timedOut: boolean;
  constructor(message: string, opts: { code: string; sentNothing: boolean; timedOut?: boolean; cause?: unknown }) {
    const timedOut = opts.timedOut ?? false;
    super(message, { cause: opts.cause, network: { code: opts.code, sentNothing: opts.sentNothing, timedOut } });
    this.code = opts.code;
    this.sentNothing = opts.sentNothing;
    this.timedOut = timedOut;
  }
}

/** Error codes that prove the request never left this machine or was never accepted. */
export const SENT_NOTHING_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT',
]);

export interface Clock {
  /** Milliseconds since epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface StoredToken {
  accessToken: string;
  /** Epoch ms at which Zoom said the token expires. */
  expiresAt: number;
  /** User OAuth only: Zoom rotates it on every refresh; persist the new one. */
  refreshToken?: string;
  scope?: string;
}

/** Where minted tokens live between calls (and processes, if the host persists them). */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined> | StoredToken | undefined;
  set(key: string, token: StoredToken): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}
