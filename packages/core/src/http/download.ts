import {
  TransportError,
  type Clock,
  type Logger,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../ports';
import { ZoomApiError, ZoomConfigError, ZoomError, ZoomValidationError } from '../errors';
import type { TokenProvider } from '../auth';
import type { OperationMeta } from '../spec/types';
import type { RateLimitedInfo } from './pipeline';
import { isRedirect, MAX_HOPS, trusted, type RedirectPolicy } from './redirects';
import { backoffMs, parseRetryAfter } from './retry-after';
import { isDailyLimit, parseErrorBody, zoomErrorFromResponse } from './zoom-error';
import { handlesTimeout } from './own-timeout';
import { hostOf, toTransportError } from './transport-errors';
import { throwIfAborted, withTimeout } from '../abort';

/** The name a download's errors carry where an API call's carry its operationId (no spec operation downloads). */
export const DOWNLOAD_OPERATION_ID = 'downloadChatFile';

/** What a download's errors describe it as: never the URL itself, whose query carries a signed token. */
const DOWNLOAD_OP: OperationMeta = {
  operationId: DOWNLOAD_OPERATION_ID,
  api: 'team-chat',
  tag: 'Chat Files',
  summary: 'Download a chat file from its download_url',
  method: 'GET',
  path: '/file/download/{fileId}',
  host: 'file',
  rateLimit: 'FILE',
  scopes: [],
  granularScopes: [],
  pathParams: [],
  queryParams: [],
  successStatus: 200,
};

/** The part of the pipeline's dependencies a download uses (PipelineDeps has them all). */
export interface DownloadDeps {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  tokens: TokenProvider;
  redirects: RedirectPolicy;
  /** The whole exchange's bound, body included, unless the call passes `timeoutMs`. */
  fileTimeoutMs: number;
  maxRetries: number;
  maxRateLimitWaitMs: number;
  /** 429s from the file host tolerated per download (default: bounded by `maxRateLimitWaitMs` alone). */
  maxRateLimitRetries?: number;
  userAgent?: string;
  onRateLimited?: (info: RateLimitedInfo) => void;
  random?: () => number;
}

export interface FetchFileRequest {
  /** A `download_url` from Zoom (getFileInfo, a message, an event). */
  url: string;
  /** Refuse (before, or while, reading) a file larger than this many bytes. */
  maxBytes: number;
  /** What Zoom said of the file elsewhere; the name wins over what the file host says. */
  fileName?: string;
  size?: number;
  signal?: AbortSignal;
  /** Bound on the whole download, body included (default: the client's `fileTimeoutMs`). */
  timeoutMs?: number;
}

export interface FileDownload {
  fileName: string;
  /** The media type without parameters (`image/png`); guessed from the name when the host sends none. */
  mimeType: string;
  /** Bytes to come: the host's Content-Length, else the size Zoom listed; absent when neither is known. */
  size?: number;
  /**
   * The bytes as they arrive, at most `maxBytes` of them (more fails the stream with a
   * ZoomValidationError). Readable once. Until it is read to the end or cancelled, the connection
   * stays open (up to the timeout).
   */
  stream: AsyncIterable<Uint8Array>;
  /** Reads the stream whole, under the same cap. */
  toBuffer(): Promise<Uint8Array>;
  /** Closes the connection without reading (what is left of) the body. */
  cancel(): Promise<void>;
}

export type FileFetcher = (request: FetchFileRequest) => Promise<FileDownload>;

/** Error bodies are read up to this much: Zoom's are a line of JSON, and the rest is discarded. */
const ERROR_BODY_BYTES = 64 * 1024;

/**
 * Downloads from Zoom's file host: GET `download_url` with the token, following its redirects
 * ourselves. The token goes only to hosts the client trusts (as for uploads); a redirect to any
 * other host (a storage service's signed URL) is followed without it, and no later hop gets it
 * back. A host whose transport adds the token itself (auth `none`) cannot have it withheld, so
 * such a redirect is refused instead.
 *
 * Not paced by the account's API rate limits: the file host is not the API host, and a download
 * has no rate-limit label (the getFileInfo call that finds the URL is paced as usual). A 429 from
 * the file host is still honoured (Retry-After, within `maxRateLimitWaitMs`).
 *
 * Retried, being a GET, after a network failure, a timeout or a 5xx, but only before any of the
 * body was handed on: a failure mid-body fails the stream.
 */
export function createFileFetcher(deps: DownloadDeps): FileFetcher {
  return (request) => fetchFile(deps, request);
}

async function fetchFile(deps: DownloadDeps, request: FetchFileRequest): Promise<FileDownload> {
  const { maxBytes, signal } = request;
  checkDownloadCap(maxBytes);
  if (request.size !== undefined && request.size > maxBytes) {
    throw tooLarge(maxBytes, `Zoom lists the file at ${bytesText(request.size)}`, 'nothing was downloaded');
  }
  const url = checkUrl(deps, request.url);
  const timeoutMs = request.timeoutMs ?? deps.fileTimeoutMs;
  const deadline = deps.clock.now() + deps.maxRateLimitWaitMs;
  let failures = 0;
  let rateLimited = 0;
  let reauthorized = false;
  for (;;) {
    throwIfAborted(signal);
    const token = await deps.tokens.getToken(signal);
    let answer: Answer;
    try {
      answer = await follow(deps, url, token, signal, timeoutMs);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      if (signal?.aborted) throw signal.reason ?? err;
      if (failures < deps.maxRetries) {
        const wait = backoffMs(failures++, 500, 8_000, deps.random ?? Math.random);
        deps.logger.warn(`${DOWNLOAD_OPERATION_ID}: ${err.message}; retrying in ${wait} ms`, { attempt: failures });
        await deps.clock.sleep(wait, signal);
        continue;
      }
      throw networkError(err, 'Retried as far as maxRetries allows');
    }
    const { res } = answer;
    if (res.status >= 200 && res.status < 300) return opened(answer, request);

    const text = await readText(res);
    // A storage host's error page may echo the signed URL's signature: only Zoom's own words are kept.
    const failed: TransportResponse = { status: res.status, headers: res.headers, body: answer.foreign ? '' : text };
    const now = deps.clock.now();
    const parsed = parseErrorBody(failed.body);
    if (res.status === 401 && Number(parsed.code) === 124 && token && answer.authorized && !reauthorized) {
      reauthorized = true;
      await deps.tokens.invalidate(token);
      continue;
    }
    if (res.status === 429 && !isDailyLimit(failed, parsed.message)) {
      const waitMs =
        parseRetryAfter(res.headers['retry-after'], now) ??
        backoffMs(rateLimited, 1_000, 30_000, deps.random ?? Math.random);
      if (now + waitMs <= deadline && rateLimited < (deps.maxRateLimitRetries ?? Infinity)) {
        rateLimited++;
        deps.onRateLimited?.({ operationId: DOWNLOAD_OPERATION_ID, label: 'file host', waitMs, reason: '429' });
        deps.logger.info(`${DOWNLOAD_OPERATION_ID}: rate limited by the file host; resuming in ${waitMs} ms`);
        await deps.clock.sleep(waitMs, signal);
        continue;
      }
    }
    if (res.status >= 500 && failures < deps.maxRetries) {
      const wait = backoffMs(failures++, 500, 8_000, deps.random ?? Math.random);
      deps.logger.warn(`${DOWNLOAD_OPERATION_ID}: HTTP ${res.status}; retrying in ${wait} ms`, { attempt: failures });
      await deps.clock.sleep(wait, signal);
      continue;
    }
    throw zoomErrorFromResponse(DOWNLOAD_OP, failed, now);
  }
}

interface Answer {
  res: TransportResponse;
  /** Where the answer came from, after redirects. */
  url: string;
  /** Whether the answering request carried the token. */
  authorized: boolean;
  /** Whether the answer came from a host the client does not trust (after a redirect). */
  foreign: boolean;
}

/** One attempt: the GET and its redirects, within one timeout. */
async function follow(
  deps: DownloadDeps,
  url: URL,
  token: string | undefined,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<Answer> {
  const started = deps.clock.now();
  const ownTimer = handlesTimeout(deps.transport);
  let current = url;
  let authorized = token !== undefined;
  let foreign = false;
  for (let hops = 0; ; hops++) {
    const headers: Record<string, string> = { accept: '*/*' };
    if (deps.userAgent) headers['user-agent'] = deps.userAgent;
    if (authorized) headers.authorization = `Bearer ${token}`;
    const left = Math.max(1, timeoutMs - (deps.clock.now() - started));
    const req: TransportRequest = {
      method: 'GET',
      url: current.href,
      headers,
      signal,
      timeoutMs: left,
      responseType: 'stream',
    };
    if (!ownTimer) req.signal = withTimeout(signal, left);
    const res = await deps.transport(req);
    if (!isRedirect(res)) return { res, url: current.href, authorized, foreign };
    // Read (a redirect's body is a line at most) rather than cancelled: the connection can be reused.
    await readText(res);
    const refuse = (why: string) =>
      new ZoomApiError({
        status: res.status,
        message: `Redirect not followed: ${why}`,
        operationId: DOWNLOAD_OPERATION_ID,
        method: 'GET',
        path: DOWNLOAD_OP.path,
      });
    if (hops >= MAX_HOPS) throw refuse(`more than ${MAX_HOPS} redirects`);
    let next: URL;
    try {
      next = new URL(res.headers.location as string, current);
    } catch {
      throw refuse('the Location header is not a URL');
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw refuse(`unsupported protocol ${next.protocol}`);
    // Even without the token, the URL itself may be a signed link to the file.
    if (current.protocol === 'https:' && next.protocol === 'http:') throw refuse('it downgrades https to http');
    if (!trusted(deps.redirects, next.hostname)) {
      if (token === undefined) {
        throw refuse(
          `${next.hostname} is not a Zoom host, and this client's transport adds the token to every request itself, so it cannot be withheld (add the host to trustedRedirectHosts if it is yours)`,
        );
      }
      if (authorized)
        deps.logger.debug(
          `${DOWNLOAD_OPERATION_ID}: redirected to ${next.hostname}, which is not a Zoom host; following without the token`,
        );
      authorized = false;
      foreign = true;
    } else {
      foreign = false;
    }
    current = next;
  }
}

function opened(answer: Answer, request: FetchFileRequest): FileDownload {
  const { res } = answer;
  const { maxBytes } = request;
  if (!res.stream) {
    throw new ZoomConfigError(
      "Downloading a file needs a transport that streams response bodies (TransportRequest.responseType 'stream'); this one answered with text. The core's fetch, node:http and undici transports do",
    );
  }
  const length = contentLength(res.headers);
  if (length !== undefined && length > maxBytes) {
    void discard(res);
    throw tooLarge(
      maxBytes,
      `the file host announces ${bytesText(length)}`,
      'the download was stopped before its body',
    );
  }
  const fileName =
    cleanName(request.fileName) ??
    dispositionName(res.headers['content-disposition']) ??
    queryName(request.url) ??
    queryName(answer.url) ??
    pathName(answer.url) ??
    'download';
  const mimeType = mediaType(res.headers['content-type']) ?? guessType(fileName) ?? 'application/octet-stream';
  const body = new CappedBody(res.stream, maxBytes, length, answer.url, request.signal);
  const size = length ?? request.size;
  return {
    fileName,
    mimeType,
    ...(size === undefined ? {} : { size }),
    stream: body,
    toBuffer: () => body.collect(),
    cancel: async () => {
      await body.return();
    },
  };
}

/** The file host's bytes, counted against the cap and against the length announced. */
class CappedBody implements AsyncIterableIterator<Uint8Array> {
  private readonly source: AsyncIterator<Uint8Array>;
  private received = 0;
  private taken = false;
  private closed = false;

  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly maxBytes: number,
    private readonly length: number | undefined,
    private readonly url: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    // A second reader would get the bytes the first one left, silently: a truncated file.
    if (this.taken) throw new ZoomConfigError("A download's stream can be read only once (toBuffer reads it too)");
    this.taken = true;
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.closed) return { done: true, value: undefined };
    let result: IteratorResult<Uint8Array>;
    try {
      result = await this.source.next();
    } catch (err) {
      this.closed = true;
      throw this.failure(err);
    }
    if (result.done) {
      this.closed = true;
      if (this.length !== undefined && this.received < this.length) {
        throw this.failure(
          new TransportError(
            `Response body from ${hostOf(this.url)} ended after ${this.received} of ${this.length} bytes`,
            { code: 'ECONNRESET', sentNothing: false },
          ),
        );
      }
      return result;
    }
    this.received += result.value.byteLength;
    if (this.length !== undefined && this.received > this.length) {
      await this.return();
      throw this.failure(
        new TransportError(`Response body from ${hostOf(this.url)} ran past the ${this.length} bytes announced`, {
          code: 'EPROTO',
          sentNothing: false,
        }),
      );
    }
    if (this.received > this.maxBytes) {
      await this.return();
      throw tooLarge(this.maxBytes, `more than that arrived from the file host`, 'the download was stopped');
    }
    return result;
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.closed) {
      this.closed = true;
      await this.source.return?.();
    }
    return { done: true, value: undefined };
  }

  async collect(): Promise<Uint8Array> {
    if (this.length !== undefined) {
      // The length is known (and enforced by next()): the bytes go straight into one array.
      const whole = new Uint8Array(this.length);
      let offset = 0;
      for await (const chunk of this) {
        whole.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return whole;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this) {
      chunks.push(chunk);
      total += chunk.byteLength;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  private failure(err: unknown): unknown {
    if (this.signal?.aborted) return this.signal.reason ?? err;
    if (err instanceof ZoomError && !(err instanceof TransportError)) return err;
    const cause = toTransportError(err, { url: this.url, signal: this.signal });
    return networkError(
      cause,
      `The download was not retried: ${this.received} bytes of it had been handed on already. Download it again`,
    );
  }
}

function networkError(err: TransportError, hint: string): ZoomApiError {
  return new ZoomApiError({
    status: 0,
    code: err.code,
    message: err.timedOut ? `${err.message} (timeout)` : err.message,
    operationId: DOWNLOAD_OPERATION_ID,
    method: 'GET',
    path: DOWNLOAD_OP.path,
    hint,
    cause: err,
  });
}

/** Refuses a cap that is not a whole number of bytes ≥ 1 (before any request is made). */
export function checkDownloadCap(maxBytes: unknown): asserts maxBytes is number {
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new ZoomValidationError(DOWNLOAD_OPERATION_ID, [
      {
        field: 'maxBytes',
        message: `must be a whole number of bytes ≥ 1, the largest file to accept (got ${String(maxBytes)})`,
      },
    ]);
  }
}

function checkUrl(deps: DownloadDeps, raw: string): URL {
  const refuse = (message: string) => new ZoomValidationError(DOWNLOAD_OPERATION_ID, [{ field: 'url', message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a URL (a file ID, or the download_url Zoom gave)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(`has the unsupported protocol ${url.protocol}`);
  if (!trusted(deps.redirects, url.hostname)) {
    throw refuse(
      `is on ${url.hostname}, which is not a Zoom host this client trusts with its token (add it to trustedRedirectHosts if it is yours)`,
    );
  }
  return url;
}

function tooLarge(maxBytes: number, what: string, outcome: string): ZoomValidationError {
  return new ZoomValidationError(DOWNLOAD_OPERATION_ID, [
    { field: 'maxBytes', message: `the download cap is ${bytesText(maxBytes)}, and ${what}; ${outcome}` },
  ]);
}

function bytesText(n: number): string {
  const exact = `${n} bytes`;
  if (n < 1024 * 1024) return exact;
  const mb = n / (1024 * 1024);
  return `${exact} (${mb >= 100 ? Math.round(mb) : Number(mb.toFixed(1))} MB)`;
}

function contentLength(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Reads an answer's body as text, up to ERROR_BODY_BYTES, and closes it. */
async function readText(res: TransportResponse): Promise<string> {
  if (!res.stream) return res.body;
  const it = res.stream[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < ERROR_BODY_BYTES) {
      const next = await it.next();
      if (next.done) break;
      chunks.push(next.value);
      total += next.value.byteLength;
    }
  } catch {
    // An answer whose body broke off still has its status.
  } finally {
    await it.return?.()?.catch(() => undefined);
  }
  const all = new Uint8Array(Math.min(total, ERROR_BODY_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, all.byteLength - offset);
    all.set(part, offset);
    offset += part.byteLength;
  }
  return new TextDecoder().decode(all);
}

async function discard(res: TransportResponse): Promise<void> {
  await res.stream?.[Symbol.asyncIterator]()
    .return?.()
    ?.catch(() => undefined);
}

/** A name safe to use as one (no directories, no control characters); undefined when empty. */
function cleanName(name: string | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  return clean === '' || clean === '.' || clean === '..' ? undefined : clean;
}

/** `filename*` (RFC 6266/8187, UTF-8) first, then `filename`. */
function dispositionName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)'[^']*'([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return cleanName(decodeURIComponent(extended[1].trim()));
    } catch {
      // not percent-encoded properly: try the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const value = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return cleanName(value);
}

/** Zoom's download URLs name the file in a `filename` query parameter. */
function queryName(url: string): string | undefined {
  try {
    return cleanName(new URL(url).searchParams.get('filename') ?? undefined);
  } catch {
    return undefined;
  }
}

/** The path's last segment, when it looks like a file name (not an ID or a storage key). */
function pathName(url: string): string | undefined {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /^[^.].*\.[A-Za-z0-9]{1,8}$/.test(last) ? cleanName(last) : undefined;
  } catch {
    return undefined;
  }
}

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  // A generic type says nothing about the file: the name may say more.
  if (
    !type ||
    !/^[\w.+-]+\/[\w.+-]+$/.test(type) ||
    type === 'application/octet-stream' ||
    type === 'binary/octet-stream'
  )
    return undefined;
  return type;
}

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  md: 'text/markdown',
  zip: 'application/zip',
  gz: 'application/gzip',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

function guessType(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? TYPES[fileName.slice(dot + 1).toLowerCase()] : undefined;
}
