/**
 * The request pipeline shared by the API host and the file host:
 * route → fault → auth → scopes → rate limit → body → validation → handler → response.
 * Everything per-request is a map lookup or a precompiled function call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenRecord } from '../auth/tokens';
import type { Sim } from '../context';
import { sleep, type Fault } from '../faults';
import { readMultipart, type Upload } from '../files/multipart';
import type { SimOperation } from '../spec/model';
import { validatorsFor } from '../spec/validators';
import { parseQuery, readBody, splitUrl } from './body';
import { ZoomError, invalidToken, validationFailed } from './errors';
import { sendError, sendJson } from './respond';
import { Router } from './router';

export interface Call {
  sim: Sim;
  op: SimOperation;
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  token: TokenRecord;
  uploads: Upload[];
  req: IncomingMessage;
  res: ServerResponse;
}

export interface Result {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The handler wrote the response itself (downloads). */
  handled?: boolean;
}

export type Handler = (call: Call) => Result | Promise<Result>;

export interface HostOptions {
  sim: () => Sim;
  operations: SimOperation[];
  handlerFor: (op: SimOperation) => Handler;
  /** Upload size limit for a file part of this operation. */
  fileLimit: (op: SimOperation, fileName: string) => number;
  /** Extra routes outside the spec (downloads, marketplace), matched before the 404. */
  extra?: (req: IncomingMessage, res: ServerResponse, path: string, query: string) => boolean | Promise<boolean>;
  /** Message for operations that exist but are served by another host. */
  elsewhere?: (op: SimOperation) => string | undefined;
  allOperations?: SimOperation[];
}

interface Route {
  op: SimOperation;
  handler: Handler;
}

export function createApiHandler(opts: HostOptions) {
  const router = new Router<Route>();
  for (const op of opts.operations) router.add(op.method, op.path, { op, handler: opts.handlerFor(op) });
  const otherRouter = new Router<SimOperation>();
  for (const op of opts.allOperations ?? []) if (!opts.operations.includes(op)) otherRouter.add(op.method, op.path, op);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sim = opts.sim();
    const { path: fullPath, query: qs } = splitUrl(req.url ?? '/');
    let fault: Fault | undefined;
    try {
      if (!fullPath.startsWith('/v2/')) {
        if (opts.extra && (await opts.extra(req, res, fullPath, qs))) return;
        throw new ZoomError(404, 404, `Not found: ${req.method} ${fullPath}. API paths start with /v2.`);
      }
      const path = fullPath.slice(3);
      const method = req.method ?? 'GET';
      const m = router.match(method, path);
      if (!('found' in m)) {
        if (opts.extra && (await opts.extra(req, res, fullPath, qs))) return;
        const other = otherRouter.match(method, path);
        const where = 'found' in other ? opts.elsewhere?.(other.found.route) : undefined;
        if (where) throw new ZoomError(404, 404, where);
        if (m.pathExists) throw new ZoomError(405, 405, `Method ${method} is not allowed for ${fullPath}.`);
        throw new ZoomError(404, 404, `Not found: ${method} ${fullPath}.`);
      }
      const { route, params } = m.found;
      const { op } = route;

      fault = sim.faults.take(op.operationId);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.reset === 'before-body') {
        req.socket.destroy();
        return;
      }

      const token = authenticate(sim, req);
      checkScopes(op, token);
      const limited = sim.limiter.take(op.rateLimit);
      if (limited.rejection) {
        req.resume();
        sendJson(res, 429, limited.rejection.body, limited.rejection.headers);
        return;
      }

      if (fault?.status !== undefined) {
        req.resume();
        const body = fault.body ?? { code: fault.status, message: `Injected fault: HTTP ${fault.status}.` };
        sendJson(res, fault.status, body, fault.headers);
        return;
      }

      const v = validatorsFor(op);
      const pathErrors = v.path(params);
      const query: Record<string, unknown> = parseQuery(qs);
      const queryErrors = v.query(query);

      let body: Record<string, unknown> = {};
      let uploads: Upload[] = [];
      let bodyErrors;
      if (op.body?.contentType === 'multipart/form-data') {
        const mp = await readMultipart(req, op, sim.files, (name) => opts.fileLimit(op, name));
        uploads = mp.uploads;
        body = mp.fields;
        bodyErrors = v.body(body);
      } else if (op.body) {
        const raw = await readBody(req);
        let parsed: unknown;
        if (raw.length > 0) {
          try {
            parsed = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new ZoomError(400, 300, 'Request Body should be a valid JSON object.');
          }
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
            throw new ZoomError(400, 300, 'Request Body should be a valid JSON object.');
          }
        }
        bodyErrors = v.body(parsed);
        body = (parsed ?? {}) as Record<string, unknown>;
      } else if (req.readable) {
        req.resume();
      }
      const errors = [...(pathErrors ?? []), ...(queryErrors ?? []), ...(bodyErrors ?? [])];
      if (errors.length) {
        await discardUploads(sim, uploads);
        throw validationFailed(errors);
      }

      let result: Result;
      try {
        result = await route.handler({ sim, op, path: params, query, body, token, uploads, req, res });
      } catch (err) {
        await discardUploads(sim, uploads);
        throw err;
      }
      if (fault?.reset === 'after-body') {
        // The change is made; the client never learns it (must not blindly retry a POST).
        req.socket.destroy();
        return;
      }
      if (result.handled) return;
      const status = result.status ?? op.successStatus;
      const headers = limited.headers ? { ...limited.headers, ...result.headers } : result.headers;
      sendJson(res, status, status === 204 ? undefined : result.body, headers);
    } catch (err) {
      if (fault?.reset === 'after-body') {
        req.socket.destroy();
        return;
      }
      if (err instanceof ZoomError) {
        if (req.readable && !req.readableEnded) req.resume();
        sendError(res, err);
        return;
      }
      if ((err as Error)?.message === 'request aborted') return;
      sendJson(res, 500, { code: 500, message: `Simulator error: ${(err as Error)?.message ?? String(err)}` });
    }
  };
}

async function discardUploads(sim: Sim, uploads: Upload[]): Promise<void> {
  for (const u of uploads) await sim.files.drop(u.location).catch(() => undefined);
}

export function authenticate(sim: Sim, req: IncomingMessage): TokenRecord {
  const auth = req.headers.authorization;
  if (!auth || !auth.startsWith('Bearer ')) throw invalidToken();
  const token = sim.tokens.get(auth.slice(7).trim());
  if (!token || token.expiresAt <= sim.now()) throw invalidToken();
  return token;
}

function checkScopes(op: SimOperation, token: TokenRecord): void {
  const wanted = op.scopes.length + op.granularScopes.length;
  if (wanted === 0) return;
  for (const s of op.scopes) if (token.scopes.has(s)) return;
  for (const s of op.granularScopes) if (token.scopes.has(s)) return;
  const all = [...op.scopes, ...op.granularScopes];
  throw new ZoomError(403, 4700, `Invalid access token, does not contain scopes:[${all.join(', ')}].`);
}
