import type { Transport, TransportRequest, TransportResponse } from '../ports';
import { ZoomApiError } from '../errors';
import type { OperationMeta } from '../spec/types';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Redirects followed for one request at most. */
export const MAX_HOPS = 5;

export interface RedirectPolicy {
  /** Hostnames (exact) that may receive our Authorization header after a redirect. */
  trustedHosts: ReadonlySet<string>;
  /** Domain suffixes (e.g. `zoom.us`) whose subdomains may receive it. */
  trustedSuffixes: readonly string[];
}

/** Trust the configured hosts and the registrable domain of each (file.zoom.us → *.zoom.us). */
export function redirectPolicy(baseUrls: readonly string[], extraHosts: readonly string[] = []): RedirectPolicy {
  const hosts = new Set<string>(extraHosts.map((h) => h.toLowerCase()));
  const suffixes = new Set<string>();
  for (const base of baseUrls) {
    const { hostname } = new URL(base);
    hosts.add(hostname);
    const labels = hostname.split('.');
    if (labels.length >= 2 && !/^[\d.]+$/.test(hostname) && !hostname.includes(':')) {
      suffixes.add(labels.slice(-2).join('.'));
    }
  }
  return { trustedHosts: hosts, trustedSuffixes: [...suffixes] };
}

/** Whether `hostname` may receive the token (a configured host, or under a configured host's domain). */
export function trusted(policy: RedirectPolicy, hostname: string): boolean {
  const host = hostname.toLowerCase();
  return policy.trustedHosts.has(host) || policy.trustedSuffixes.some((s) => host === s || host.endsWith(`.${s}`));
}

/** A 30x with a Location: the pipeline calls `followRedirects` only then. */
export function isRedirect(res: TransportResponse): boolean {
  return REDIRECT_STATUSES.has(res.status) && !!res.headers.location;
}

/**
 * Zoom's file host answers with a 30x to the node that takes the upload, and the caller "must retain the
 * authorization header when redirected to a different hostname". fetch would drop it cross-origin and turn a
 * 302 POST into a GET, so the core follows redirects itself: same method, same (replayable) body, same headers —
 * but only towards hosts it trusts, and never from https down to http.
 *
 * `res` is the answer `request` already got; `started` is when it was sent (the timeout covers the
 * whole exchange, redirects included: a later hop gets what is left of it).
 */
export async function followRedirects(
  transport: Transport,
  request: TransportRequest,
  res: TransportResponse,
  policy: RedirectPolicy,
  op: OperationMeta,
  now: () => number,
  started: number,
): Promise<TransportResponse> {
  let current = request;
  const budget = request.timeoutMs;
  for (let hops = 0; ; hops++) {
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.status) || !location) return res;
    const status = res.status;
    const refuse = (why: string) =>
      new ZoomApiError({
        status,
        message: `Redirect not followed: ${why}`,
        operationId: op.operationId,
        method: op.method,
        path: op.path,
      });
    if (hops >= MAX_HOPS) throw refuse(`more than ${MAX_HOPS} redirects`);
    let next: URL;
    try {
      next = new URL(location, current.url);
    } catch {
      throw refuse('the Location header is not a URL');
    }
    const from = new URL(current.url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw refuse(`unsupported protocol ${next.protocol}`);
    if (from.protocol === 'https:' && next.protocol === 'http:') throw refuse('it downgrades https to http');
    if (!trusted(policy, next.hostname)) {
      throw refuse(
        `${next.hostname} is not a Zoom host this client trusts with its token (add it to trustedRedirectHosts if it is yours)`,
      );
    }
    current =
      status === 303
        ? { ...current, url: next.href, method: 'GET', body: undefined, headers: withoutBodyHeaders(current.headers) }
        : { ...current, url: next.href };
    if (budget !== undefined && Number.isFinite(budget) && budget > 0) {
      current.timeoutMs = Math.max(1, budget - (now() - started));
    }
    res = await transport(current);
  }
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _type, 'content-length': _length, ...rest } = headers;
  return rest;
}
