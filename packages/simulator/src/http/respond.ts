import type { ServerResponse } from 'node:http';
import type { ZoomError } from './errors';

let tracking = 0;
const trackingPrefix = `v=2.0;clid=us06;rid=WEB_${process.pid.toString(16)}`;

/** Zoom tags every response with a tracking ID; clients log it in their errors. */
export function trackingId(): string {
  tracking = (tracking + 1) % 1e9;
  return `${trackingPrefix}${tracking.toString(36)}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string | number>,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  const h: Record<string, string | number> = {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'x-zm-trackingid': trackingId(),
  };
  if (headers) Object.assign(h, headers);
  if (body === undefined) {
    delete h['content-type'];
    // RFC 9110: no Content-Length on a 204.
    if (status === 204) delete h['content-length'];
  }
  res.writeHead(status, h);
  res.end(text);
}

export function sendError(res: ServerResponse, err: ZoomError, extraHeaders?: Record<string, string | number>): void {
  sendJson(res, err.status, err.body(), { ...err.headers, ...extraHeaders });
}
