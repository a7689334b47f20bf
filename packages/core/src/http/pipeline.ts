import type { Clock, Logger, RequestBody, Transport, TransportRequest, TransportResponse } from '../ports';
import { TransportError } from '../ports';
import { ZoomApiError, ZoomValidationError } from '../errors';
import type { TokenProvider } from '../auth';
import type { OperationMeta } from '../spec/types';
import type { RateLimiter } from './rate-limiter';
import { WaitTooLongError } from './paced-queue';
import type { Turn } from './transit';
import { backoffMs, parseRetryAfter } from './retry-after';
import { isDailyLimit, parseErrorBody, zoomErrorFromResponse } from './zoom-error';
import { followRedirects, isRedirect, type RedirectPolicy } from './redirects';
import { handlesTimeout } from './own-timeout';
import { throwIfAborted, withTimeout } from '../abort';

export interface RateLimitedInfo {
  operationId: string;
  label: string;
  waitMs: number;
  /** Why: our own pacing, or a 429 from Zoom. */
  reason: 'pacing' | '429';
}

export interface PipelineDeps {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  tokens: TokenProvider;
  limiter: RateLimiter;
  redirects: RedirectPolicy;
  timeoutMs: number;
  fileTimeoutMs: number;
  /** Retries of 5xx/network failures (idempotent methods) and of provably-unsent requests. */
  maxRetries: number;
  /** 429s tolerated per call before giving up (Infinity: bounded by `maxRateLimitWaitMs` alone). */
  maxRateLimitRetries: number;
  /** Messages into a channel wait for Zoom's per-channel windows. */
  channelPacing: boolean;
  /** How long a call may wait in total for rate limits (pacing and 429 pauses) before failing. */
  maxRateLimitWaitMs: number;
  userAgent: string;
  onRateLimited?: (info: RateLimitedInfo) => void;
  random?: () => number;
}

export interface PreparedRequest {
  op: OperationMeta;
  url: string;
  /** Every header but `authorization` (the pipeline adds it); owned by the pipeline from here on. */
  headers: Record<string, string>;
  body?: RequestBody;
  /** The channel a message goes to, for operations with per-channel windows (`op.channelLimits`). */
  channel?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Methods Zoom applies idempotently: repeating them after an unknown outcome is safe. */
const IDEMPOTENT = new Set(['GET', 'PUT', 'PATCH', 'DELETE']);

/**
 * validate (done by the caller) → pace → authorize → send (following redirects) → retry → errors.
 * The one place where a request's fate is decided, so every operation gets the same safety rules.
 * Resolves with the parsed body of the 2xx answer.
 *
 * Written for the common case of one attempt: against a local server a request costs the client
 * ~50 µs of CPU, so every object, closure and promise hop here shows (see BENCHMARKS.md). The
 * request's headers object is reused across attempts (only `authorization` changes).
 */
export async function execute(
  deps: PipelineDeps,
  req: PreparedRequest,
  options: RequestOptions = {},
): Promise<unknown> {
  const { op } = req;
  const signal = options.signal;
  const idempotent = IDEMPOTENT.has(op.method);
  const timeoutMs = options.timeoutMs ?? (op.host === 'file' ? deps.fileTimeoutMs : deps.timeoutMs);
  const headers = req.headers;
  // A transport with its own clearable timer gets only the caller's signal (see own-timeout.ts);
  // any other gets a fresh timeout signal per attempt.
  const ownTimer = handlesTimeout(deps.transport);
  const attempt: TransportRequest = { method: op.method, url: req.url, headers, body: req.body, signal, timeoutMs };
  let failures = 0;
  let rateLimited = 0;
  let reauthorized = false;
  let reportedPause = false;
  // One place in line for the whole call: after a 429 it goes back ahead of later callers.
  const ticket = deps.limiter.ticket();
  const deadline = deps.clock.now() + deps.maxRateLimitWaitMs;

  for (;;) {
    throwIfAborted(signal);
    // After a 429 the wait was already reported with its reason; don't announce it twice.
    const onWait = reportedPause || !deps.onRateLimited ? undefined : pacingReporter(deps, op);
    reportedPause = false;
    const wait = { signal, onWait, ticket, deadline };
    // The turns taken: when Zoom answers tells the pacing how late it may have counted the request.
    const turns: Turn[] = [];
    try {
      // The channel's turn first: its windows can hold a message for seconds, and it should not
      // hold a slot of the account's label meanwhile.
      if (req.channel && op.channelLimits && deps.channelPacing) {
        const turn = deps.limiter.channels.acquire(req.channel, op.channelLimits.windows, wait);
        turns.push(turn instanceof Promise ? await turn : turn);
      }
      const slot = deps.limiter.acquire(op.rateLimit, wait);
      if (slot) turns.push(slot instanceof Promise ? await slot : slot);
    } catch (err) {
      settle(turns, deps.clock.now());
      if (err instanceof WaitTooLongError) throw waitTooLong(deps, op, err, req.channel);
      throw err;
    }
    for (const turn of turns) turn.leave();
    let token: string | undefined;
    try {
      token = await deps.tokens.getToken(signal);
    } catch (err) {
      settle(turns, deps.clock.now());
      throw err;
    }
    if (token) headers.authorization = `Bearer ${token}`;
    else delete headers.authorization;
    if (!ownTimer) attempt.signal = withTimeout(signal, timeoutMs);

    let res: TransportResponse;
    const started = deps.clock.now();
    try {
      try {
        res = await deps.transport(attempt);
      } finally {
        settle(turns, deps.clock.now());
      }
      if (isRedirect(res))
        res = await followRedirects(deps.transport, attempt, res, deps.redirects, op, deps.clock.now, started);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      if (signal?.aborted) throw signal.reason ?? err;
      const refusal = findCause(err, ZoomValidationError);
      if (refusal) throw refusal; // our own body stream refused to go on (a file over Zoom's limit)
      // A POST that may have reached Zoom is never repeated: Zoom has no idempotency keys.
      const retryable = err.sentNothing || idempotent;
      if (retryable && failures < deps.maxRetries) {
        const wait = backoffMs(failures++, 500, 8_000, deps.random ?? Math.random);
        deps.logger.warn(`${op.operationId}: ${err.message}; retrying in ${wait} ms`, { attempt: failures });
        await deps.clock.sleep(wait, signal);
        continue;
      }
      throw networkError(op, err, retryable);
    }

    if (res.status >= 200 && res.status < 300) return parseBody(res.body);

    const parsed = parseErrorBody(res.body);
    if (res.status === 401 && Number(parsed.code) === 124 && token && !reauthorized) {
      // The token expired or was revoked early: mint a fresh one once and replay.
      reauthorized = true;
      await deps.tokens.invalidate(token);
      continue;
    }

    if (res.status === 429) {
      // A 429 is a refusal: nothing was carried out, so the call waits its turn again.
      const now = deps.clock.now();
      if (isDailyLimit(res, parsed.message)) throw zoomErrorFromResponse(op, res, now);
      if (rateLimited >= deps.maxRateLimitRetries) {
        throw zoomErrorFromResponse(op, res, now, `Gave up after ${rateLimited + 1} rate-limited attempts`);
      }
      const waitMs =
        parseRetryAfter(res.headers['retry-after'], now) ??
        backoffMs(rateLimited, 1_000, 30_000, deps.random ?? Math.random);
      if (now + waitMs > deadline) {
        throw zoomErrorFromResponse(
          op,
          res,
          now,
          `Zoom asked to wait ${Math.ceil(waitMs / 1000)} s, which would pass this call's rate-limit wait bound (maxRateLimitWaitMs ${deps.maxRateLimitWaitMs / 1000} s); nothing was sent`,
        );
      }
      rateLimited++;
      // Zoom blocks a channel for its message windows: pause that channel, not the whole account.
      const channelBlock = req.channel && op.channelLimits && /channel/i.test(parsed.message ?? '');
      if (channelBlock) deps.limiter.channels.pause(req.channel as string, op.channelLimits!.windows, now + waitMs);
      else deps.limiter.pause(op.rateLimit, now + waitMs);
      const label = channelBlock ? `channel ${req.channel}` : op.rateLimit;
      deps.onRateLimited?.({ operationId: op.operationId, label, waitMs, reason: '429' });
      reportedPause = true;
      deps.logger.info(`${op.operationId}: rate limited (${label}); resuming in ${waitMs} ms`);
      continue;
    }

    if (res.status >= 500 && idempotent && failures < deps.maxRetries) {
      const wait = backoffMs(failures++, 500, 8_000, deps.random ?? Math.random);
      deps.logger.warn(`${op.operationId}: HTTP ${res.status}; retrying in ${wait} ms`, { attempt: failures });
      await deps.clock.sleep(wait, signal);
      continue;
    }

    const hint =
      res.status >= 500 && !idempotent
        ? 'Zoom may or may not have carried it out; it was not retried, because repeating it could post twice'
        : undefined;
    throw zoomErrorFromResponse(op, res, deps.clock.now(), hint);
  }
}

function pacingReporter(deps: PipelineDeps, op: OperationMeta): (waitMs: number) => void {
  return (waitMs) =>
    deps.onRateLimited?.({ operationId: op.operationId, label: op.rateLimit, waitMs, reason: 'pacing' });
}

function waitTooLong(
  deps: PipelineDeps,
  op: OperationMeta,
  err: WaitTooLongError,
  channel: string | undefined,
): ZoomApiError {
  const what = channel && err.paused ? `channel ${channel}` : `the account's ${op.rateLimit} requests`;
  const seconds = Math.ceil((err.readyAt - deps.clock.now()) / 1000);
  // 429: what stopped it is Zoom's rate limit, though the refusal is ours and nothing was sent.
  return new ZoomApiError({
    status: 429,
    message: `Zoom's rate limits for ${what} would hold this request another ${seconds} s, past its wait bound (maxRateLimitWaitMs ${deps.maxRateLimitWaitMs / 1000} s)`,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    hint: 'Nothing was sent. Send fewer messages at once, or raise the wait bound',
    cause: err,
  });
}

function parseBody(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function networkError(op: OperationMeta, err: TransportError, retried: boolean): ZoomApiError {
  const hint = retried
    ? undefined
    : 'The request may have reached Zoom, so it was not retried (repeating it could post twice); check the chat before sending again';
  return new ZoomApiError({
    status: 0,
    code: err.code,
    message: err.timedOut ? `${err.message} (timeout)` : err.message,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    hint,
    cause: err,
  });
}

function findCause<T extends Error>(err: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof type) return e;
  }
  return undefined;
}

function settle(turns: readonly Turn[], now: number): void {
  for (const turn of turns) turn.settle(now);
}
