/**
 * The `callback_url` of interactive Chatbot events: one asynchronous answer within 30 minutes,
 * authorised by the event's `callback_token` as a Bearer token, with a body shaped like
 * sendChatbot's (`content`, optional `reply_to`, `visible_to_user`, `is_markdown_support`).
 * Not in the vendored REST specs; chatbot-events.openapi.json describes it on the events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sim } from '../context';
import { readBody } from '../http/body';
import { ZoomError } from '../http/errors';
import { sendError, sendJson } from '../http/respond';
import { botMessageReply, postBotMessage } from './chatbot';

type Extra = (req: IncomingMessage, res: ServerResponse, path: string, qs: string) => Promise<boolean>;

const PATH = /^\/v2\/im\/chat\/callback\/([^/]+)\/?$/;

export function chatbotCallbackRoute(sim: () => Sim, next: Extra): Extra {
  return async (req, res, path, qs) => {
    const m = PATH.exec(path);
    if (!m) return next(req, res, path, qs);
    const s = sim();
    try {
      if (req.method !== 'POST') throw new ZoomError(405, 405, `Method ${req.method} is not allowed for ${path}.`);
      const cb = s.store.botCallbacks.get(decodeURIComponent(m[1] as string));
      if (!cb) throw new ZoomError(404, 404, `Not found: POST ${path}.`);
      const auth = req.headers.authorization;
      // Chatbot endpoints answer 401 / 7010 for a missing or wrong token; a used or expired one is no better.
      if (!auth?.startsWith('Bearer ') || auth.slice(7).trim() !== cb.token || cb.used || cb.expiresAt <= s.now()) {
        throw new ZoomError(401, 7010, 'Invalid Authorization token.');
      }
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new ZoomError(400, 7001, 'Invalid Request Body format.');
      }
      const content = body?.['content'];
      if (content === null || typeof content !== 'object' || Array.isArray(content)) {
        throw new ZoomError(400, 300, 'Validation Failed.', {
          errors: [{ field: 'content', message: 'Required field is missing.' }],
        });
      }
      const bot = s.store.bots.get(cb.robotJid);
      if (!bot) throw new ZoomError(403, 7003, 'No Chatbot can be found with the given robot_jid value.');
      const sent = postBotMessage(s.store, bot, {
        toJid: cb.toJid,
        userJid: cb.userJid,
        content: content as Record<string, unknown>,
        ...(typeof body['reply_to'] === 'string' ? { replyTo: body['reply_to'] } : {}),
        ...(typeof body['visible_to_user'] === 'string' ? { visibleToUser: body['visible_to_user'] } : {}),
        ...(typeof body['is_markdown_support'] === 'boolean' ? { isMarkdown: body['is_markdown_support'] } : {}),
      });
      cb.used = true;
      sendJson(res, 201, botMessageReply(sent));
    } catch (err) {
      if (req.readable && !req.readableEnded) req.resume();
      if (err instanceof ZoomError) sendError(res, err);
      else sendJson(res, 500, { code: 500, message: `Simulator error: ${(err as Error)?.message ?? String(err)}` });
    }
    return true;
  };
}
