/**
 * Capturing the exact bytes of a webhook request under Node-RED.
 *
 * With the default `httpAdminRoot` of `/`, the admin app (mounted before `RED.httpNode` on the
 * same root app) runs `bodyParser.json()` on EVERY request, and by the time a route on
 * `RED.httpNode` runs, the body is parsed and the bytes a signature covers are gone. So, like
 * Node-RED's own `http in` node does for its raw-body routes, a middleware is put at the top of
 * the root app's stack: for the paths our triggers own it reads the body itself and marks
 * `req._body`, which makes body-parser (and Node-RED's parsers) leave the request alone.
 */
import type { ExpressApp, Handler, HttpRequest, RouterLayer } from './red';

export const RAW_BODY = Symbol.for('zoom-team-chat.rawBody');
/** Zoom's events are a few KB; this bounds what an unauthenticated sender can make us buffer. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Full paths (httpNodeRoot + node path, normalized) whose bodies we capture. */
const capturedPaths = new Map<string, number>();

export function normalizePath(p: string): string {
  // Express matches case-insensitively and ignores a trailing slash by default: so do we.
  return (
    p
      .replace(/\/{2,}/g, '/')
      .replace(/\/$/, '')
      .toLowerCase() || '/'
  );
}

/**
 * Zoom sends its few KB at once. A body still arriving after this is a slow-loris sender holding
 * a connection open (Node's own requestTimeout would wait 300 s), not Zoom.
 */
export const BODY_TIMEOUT_MS = 10_000;

/** How long the rest of a too-large body is discarded before the 413 goes out regardless. */
const DRAIN_MS = 1000;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export class BodyTimeoutError extends Error {
  override readonly name = 'BodyTimeoutError';
}

/** Reads a request stream fully, bounded in size and in time. */
export function readBody(req: HttpRequest, limit = MAX_BODY_BYTES, timeoutMs = BODY_TIMEOUT_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(`Request body of ${declared} bytes exceeds ${limit}`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (err: Error) => {
      failed = true;
      clearTimeout(timer);
      reject(err);
    };
    const timer = setTimeout(() => {
      if (!failed)
        fail(new BodyTimeoutError(`Request body not complete after ${timeoutMs} ms (${size} bytes received)`));
    }, timeoutMs);
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        fail(new BodyTooLargeError(`Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) fail(err);
    });
  });
}

const captureRawBody: Handler = (req, res, next) => {
  if (req.method !== 'POST' || capturedPaths.size === 0 || req._body || req.readableEnded) return next();
  const url = req.url ?? '';
  const q = url.indexOf('?');
  // Not decoded: Express matches routes against the raw path too.
  const pathname = q === -1 ? url : url.slice(0, q);
  if (!capturedPaths.has(normalizePath(pathname))) return next();
  readBody(req).then(
    (buf) => {
      req[RAW_BODY] = buf;
      req.body = buf;
      // body-parser, Node-RED's raw parser and the http-in capture all skip a request marked so.
      req._body = true;
      next();
    },
    (err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        // Refused now, answered once the sender stops writing (at most DRAIN_MS later; the rest
        // is discarded, never buffered): answering and closing while a 10 MB sender was still
        // writing reset its connection before it could read the 413.
        let answered = false;
        const answer = () => {
          if (answered) return;
          answered = true;
          clearTimeout(cap);
          res.statusCode = 413;
          res.setHeader('connection', 'close');
          res.end();
        };
        const cap = setTimeout(answer, DRAIN_MS);
        req.once('end', answer);
        req.once('error', answer);
        req.resume();
      } else if (err instanceof BodyTimeoutError) {
        // Answer, then drop the connection: the sender is still holding it open.
        res.statusCode = 408;
        res.setHeader('connection', 'close');
        res.end(() => req.destroy());
      } else {
        next(err);
      }
    },
  );
};

function rootOf(app: ExpressApp): ExpressApp {
  let current = app;
  while (current.parent !== undefined && current.parent !== current) current = current.parent;
  return current;
}

export function routerStack(app: ExpressApp): RouterLayer[] | undefined {
  return app._router?.stack ?? app.router?.stack;
}

/** Puts the capture middleware first on the root app (once per root app; Node-RED may rebuild it in tests). */
function installCapture(httpNode: ExpressApp): boolean {
  const root = rootOf(httpNode);
  let stack = routerStack(root);
  if (stack?.some((layer) => layer.handle === captureRawBody)) return true;
  root.use(captureRawBody);
  stack = routerStack(root);
  if (stack === undefined) return false;
  const index = stack.findIndex((layer) => layer.handle === captureRawBody);
  if (index > 0) stack.unshift(...stack.splice(index, 1));
  return true;
}

/**
 * Starts capturing raw bodies for POSTs to `fullPath`. Returns a function that stops it.
 * Reference-counted: two deploy generations of a trigger may overlap briefly.
 */
export function captureRawBodies(httpNode: ExpressApp, fullPath: string): () => void {
  installCapture(httpNode);
  const key = normalizePath(fullPath);
  capturedPaths.set(key, (capturedPaths.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (capturedPaths.get(key) ?? 1) - 1;
    if (count <= 0) capturedPaths.delete(key);
    else capturedPaths.set(key, count);
  };
}

/** The exact request bytes: captured above, or read here when no parser ran (custom admin root). */
export async function rawBodyOf(req: HttpRequest): Promise<Buffer | undefined> {
  const captured = req[RAW_BODY];
  if (Buffer.isBuffer(captured)) return captured;
  if (req._body || req.readableEnded) return undefined;
  const buf = await readBody(req);
  req[RAW_BODY] = buf;
  req._body = true;
  return buf;
}
