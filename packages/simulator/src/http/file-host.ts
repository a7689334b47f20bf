/**
 * The file host, as file.zoom.us behaves: the public address answers every request with a
 * 30x to a second address that does the work; that address checks the Authorization header
 * again (clients must keep it across the redirect). Downloads are served there too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sim } from '../context';
import { ZoomError } from './errors';
import { authenticate } from './api-server';
import { sendError, sendJson } from './respond';

export type FileRedirect = 302 | 307 | 308 | 'none';

/** Bodies up to this size are read before the redirect is answered (see below). */
const READ_BEFORE_ANSWER_BYTES = 32 * 1024 * 1024;

export function createRedirectHandler(target: () => string, status: Exclude<FileRedirect, 'none'>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const location = target() + (req.url ?? '/');
    const body = JSON.stringify({ message: `Moved to ${location}` });
    const answer = () => {
      if (res.headersSent) return;
      res.writeHead(status, {
        location,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    // A client still writing its body when the connection closes after an early answer gets EPIPE
    // instead of the redirect (seen with n8n's axios on a loaded machine), so a body of chat-file size
    // is read (and discarded) first. A larger upload is answered at once, so it is not sent in full twice.
    const length = Number(req.headers['content-length'] ?? 0);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    if (hasBody && !(length > READ_BEFORE_ANSWER_BYTES)) {
      req.on('end', answer);
      req.on('error', () => res.destroy());
      req.resume();
    } else {
      answer();
    }
  };
}

/** `GET /file/download/{fileId}`: the `download_url` of files; needs a Bearer token like Zoom's. */
export function downloadRoute(sim: () => Sim) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const m = /^\/file\/download\/([^/]+)$/.exec(path);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const s = sim();
    try {
      authenticate(s, req);
      const f = s.store.files.get(decodeURIComponent(m[1] as string));
      if (!f || f.deleted) throw new ZoomError(404, 404, 'Resource not found.');
      const stream = s.files.read(f);
      if (!stream) throw new ZoomError(410, 410, `The content of ${f.id} is no longer stored (storage cap reached).`);
      res.writeHead(200, {
        'content-type': f.contentType || 'application/octet-stream',
        'content-length': f.size,
        'content-disposition': `attachment; filename="${f.name.replace(/["\\\r\n]/g, '_')}"`,
      });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    } catch (err) {
      if (err instanceof ZoomError) sendError(res, err);
      else sendJson(res, 500, { code: 500, message: (err as Error).message });
    }
    return true;
  };
}
