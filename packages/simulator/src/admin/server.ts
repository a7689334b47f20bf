/**
 * The admin API (JSON on 127.0.0.1): inspect and reset state, seed data, inject faults, change
 * rate limits, expire tokens, act as a simulated human, and manage webhook subscriptions.
 * Routes are listed in `ADMIN_ROUTES` (and the README).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseQuery, readBody, splitUrl } from '../http/body';
import { ZoomError } from '../http/errors';
import { AdminError, HANDLED, routes, type AdminContext, type Params } from './registry';
import './routes-inspect';
import './routes-act';
import './routes-ws';

export type { AdminContext } from './registry';
export { channelView, fileView, messageView } from './registry';

export const ADMIN_ROUTES = routes.map((r) => ({ method: r.method, path: r.pattern, summary: r.summary }));

export function createAdminHandler(ctx: AdminContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitUrl(req.url ?? '/');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      let pathMatched = false;
      for (const r of routes) {
        const m = r.re.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (r.method !== req.method) continue;
        const params: Params = {};
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] as string)));
        let body: Record<string, unknown> = {};
        const raw = await readBody(req);
        if (raw.length) {
          try {
            body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          } catch {
            throw new AdminError(400, 'body must be JSON');
          }
          if (body === null || typeof body !== 'object' || Array.isArray(body))
            throw new AdminError(400, 'body must be a JSON object');
        }
        const out = await r.handler(ctx, params, body, parseQuery(query), res);
        if (out !== HANDLED) send(200, out);
        return;
      }
      throw new AdminError(
        pathMatched ? 405 : 404,
        pathMatched
          ? `method ${req.method} not allowed on ${path}`
          : `no admin route ${req.method} ${path} (GET / lists them)`,
      );
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof AdminError) send(err.status, { error: err.message });
      else if (err instanceof ZoomError)
        send(err.status, { error: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) });
      else send(500, { error: (err as Error).message });
    }
  };
}
