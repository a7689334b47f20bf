import type { Clock, Logger, TokenStore, Transport } from '../ports';
import { ZoomConfigError } from '../errors';
import { createTokenProvider, validateAuthConfig, type AuthConfig, type TokenProvider } from '../auth';
import { getOperation } from '../spec';
import { operations, type OperationId } from '../spec/generated/operations';
import type { OperationTypes } from '../spec/generated/types';
import { RateLimiter, type Plan, type RateLimitOverrides } from '../http/rate-limiter';
import { sharedRateLimiter } from '../http/shared-limiters';
import { execute, type PipelineDeps, type RateLimitedInfo, type RequestOptions } from '../http/pipeline';
import { redirectPolicy } from '../http/redirects';
import { normalizeParams, prepareRequest, type CallParams } from './prepare';
import { paginateItems, type PaginateOptions } from './paginate';
import { createResources, type Resources } from '../resources';
import { redactingLogger, silentLogger, createMemoryTokenStore } from '../defaults';
import { trackOwnSend } from '../events/own-sends';
import { createFileFetcher } from '../http/download';

export const DEFAULT_BASE_URLS = {
  api: 'https://api.zoom.us/v2',
  file: 'https://file.zoom.us/v2',
  oauth: 'https://zoom.us',
} as const;

export interface BaseUrls {
  api?: string;
  file?: string;
  oauth?: string;
}

/** Options with every port explicit: what `@zoom-team-chat/core/portable` takes. */
export interface PortableClientOptions {
  auth: AuthConfig;
  transport: Transport;
  clock: Clock;
  baseUrls?: BaseUrls;
  tokenStore?: TokenStore;
  logger?: Logger;
  /** Zoom plan of the account, for client-side pacing (default `pro`). */
  plan?: Plan;
  rateLimits?: RateLimitOverrides;
  /** Per request (default 30 s); file uploads use `fileTimeoutMs` (default 30 min). */
  timeoutMs?: number;
  fileTimeoutMs?: number;
  /** Retries of failed idempotent requests and of requests that provably never left (default 3). */
  maxRetries?: number;
  /**
   * Share pacing with every other client of this process that passes the same key: Zoom's limits are
   * per account, so give each account one key (`accountRateLimitKey`). Without it the client paces alone.
   */
  rateLimitKey?: string;
  /**
   * Pace messages into each channel within Zoom's per-channel windows (default true). Off only for
   * measuring against a server that does not enforce them.
   */
  channelPacing?: boolean;
  /** This process's share of the account's allowance, 0 < share ≤ 1 (default 1); see README "Several processes". */
  rateLimitShare?: number;
  /**
   * How long one call may wait in total for rate limits, Zoom's 429 pauses included, before it fails
   * with nothing sent (default 10 min). A call that waits its turn is not a failure.
   */
  maxRateLimitWaitMs?: number;
  /** 429s per call tolerated before failing (default: no count; `maxRateLimitWaitMs` bounds the call). */
  maxRateLimitRetries?: number;
  /** Hosts outside the configured Zoom domains that may receive the token after a redirect. */
  trustedRedirectHosts?: string[];
  userAgent?: string;
  onRateLimited?: (info: RateLimitedInfo) => void;
}

/** `{ path, query, body }` of an operation, typed from the spec. */
export type ParamsOf<Id extends OperationId> = {
  [K in 'path' | 'query' | 'body' as OperationTypes[Id][K] extends never ? never : K]?: OperationTypes[Id][K];
};
export type ResponseOf<Id extends OperationId> = OperationTypes[Id]['response'];

export interface ZoomClient extends Resources {
  /** Any of the 111 operations by operationId; validated against the spec before sending. */
  call<Id extends OperationId>(
    operationId: Id,
    params?: ParamsOf<Id> | Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<ResponseOf<Id>>;
  // `T = any` as in Octokit's request(): callers of an operation not in the spec type name T.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(
    operationId: string,
    params?: CallParams | Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<T>;
  /** Items of a list operation, across pages, lazily. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  paginate<T = any>(
    operationId: OperationId | (string & {}),
    params?: CallParams | Record<string, unknown>,
    options?: PaginateOptions & RequestOptions,
  ): AsyncGenerator<T>;
  /** All items (up to `limit`) of a list operation. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  collect<T = any>(
    operationId: OperationId | (string & {}),
    params?: CallParams | Record<string, unknown>,
    options?: PaginateOptions & RequestOptions,
  ): Promise<T[]>;
  readonly operations: typeof operations;
  /** Resolved base URLs. */
  readonly baseUrls: Readonly<Required<BaseUrls>>;
  /** The token provider (hosts use it for a credential test). */
  readonly tokens: TokenProvider;
}

function checkUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    return value.replace(/\/+$/, '');
  } catch {
    throw new ZoomConfigError(`baseUrls.${name} must be an http(s) URL (got "${value}")`);
  }
}

function limiterFor(options: PortableClientOptions): RateLimiter {
  const config = {
    plan: options.plan ?? 'pro',
    overrides: options.rateLimits ?? {},
    share: options.rateLimitShare ?? 1,
  };
  return options.rateLimitKey === undefined
    ? new RateLimiter(options.clock, config)
    : sharedRateLimiter(options.rateLimitKey, options.clock, config);
}

function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0))
    throw new ZoomConfigError(`${name} must be a number of milliseconds > 0 (got ${String(value)})`);
  return value;
}

export function createPortableClient(options: PortableClientOptions): ZoomClient {
  if (!options || typeof options !== 'object')
    throw new ZoomConfigError('createZoomClient needs an options object with `auth`');
  if (typeof options.transport !== 'function') throw new ZoomConfigError('options.transport must be a function');
  if (!options.clock || typeof options.clock.now !== 'function' || typeof options.clock.sleep !== 'function') {
    throw new ZoomConfigError('options.clock must have now() and sleep(ms)');
  }
  const auth = validateAuthConfig(options.auth);
  const baseUrls = {
    api: checkUrl('api', options.baseUrls?.api || DEFAULT_BASE_URLS.api),
    file: checkUrl('file', options.baseUrls?.file || DEFAULT_BASE_URLS.file),
    oauth: checkUrl('oauth', options.baseUrls?.oauth || DEFAULT_BASE_URLS.oauth),
  };
  const logger = redactingLogger(options.logger ?? silentLogger);
  const tokens = createTokenProvider(auth, {
    transport: options.transport,
    clock: options.clock,
    tokenStore: options.tokenStore ?? createMemoryTokenStore(),
    logger,
    oauthBaseUrl: baseUrls.oauth,
  });
  const deps: PipelineDeps = {
    transport: options.transport,
    clock: options.clock,
    logger,
    tokens,
    limiter: limiterFor(options),
    redirects: redirectPolicy([baseUrls.api, baseUrls.file, baseUrls.oauth], options.trustedRedirectHosts),
    timeoutMs: options.timeoutMs ?? 30_000,
    fileTimeoutMs: options.fileTimeoutMs ?? 30 * 60_000,
    maxRetries: options.maxRetries ?? 3,
    maxRateLimitRetries: options.maxRateLimitRetries ?? Infinity,
    channelPacing: options.channelPacing !== false,
    maxRateLimitWaitMs: positiveMs('maxRateLimitWaitMs', options.maxRateLimitWaitMs, 10 * 60_000),
    userAgent: options.userAgent ?? 'zoom-team-chat-core/0.1',
    onRateLimited: options.onRateLimited,
  };

  const userAgent = deps.userAgent;
  // Not async: one promise per call (the pipeline's), and a bad call still rejects rather than throws.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const callPrepared = (operationId: string, params: CallParams, requestOptions?: RequestOptions): Promise<any> => {
    let prepared;
    try {
      prepared = prepareRequest(getOperation(operationId), params, baseUrls, userAgent);
    } catch (err) {
      return Promise.reject(err);
    }
    return trackOwnSend(operationId, execute(deps, prepared, requestOptions));
  };

  const call = ((operationId: string, params?: unknown, requestOptions?: RequestOptions) => {
    let normalized;
    try {
      normalized = normalizeParams(getOperation(operationId), params);
    } catch (err) {
      return Promise.reject(err);
    }
    return callPrepared(operationId, normalized, requestOptions);
  }) as ZoomClient['call'];

  const paginate: ZoomClient['paginate'] = (operationId, params, pageOptions = {}) => {
    const op = getOperation(operationId);
    const { signal, timeoutMs, ...paging } = pageOptions;
    return paginateItems(
      op,
      normalizeParams(op, params),
      (p) => callPrepared(operationId, p, { signal, timeoutMs }),
      paging,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ) as AsyncGenerator<any>;
  };

  const collect: ZoomClient['collect'] = async (operationId, params, pageOptions) => {
    const items = [];
    for await (const item of paginate(operationId, params, pageOptions)) items.push(item);
    return items;
  };

  return {
    call,
    paginate,
    collect,
    operations,
    baseUrls,
    tokens,
    ...createResources({ call, paginate, collect, fetchFile: createFileFetcher(deps) }),
  };
}
