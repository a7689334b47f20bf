import type { Body, Query, ResourceContext } from './types';
import type { RequestOptions } from '../http/pipeline';

/** Chatbot messages (client_credentials token): `{ robot_jid, to_jid, account_id, user_jid, content }`. */
export function chatbot(ctx: ResourceContext) {
  return {
    send: (body: Body, o?: RequestOptions) => ctx.call<{ message_id: string }>('sendChatbot', { body }, o),
    edit: (messageId: string, body: Body, o?: RequestOptions) =>
      ctx.call('editChatbotMessage', { path: { message_id: messageId }, body }, o),
    delete: (messageId: string, query: Query, o?: RequestOptions) =>
      ctx.call('deleteAChatbotMessage', { path: { message_id: messageId }, query }, o),
  };
}
