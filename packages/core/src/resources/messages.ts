import type { Body, ListOptions, Query, ResourceContext, UserScoped } from './types';
import type { RequestOptions } from '../http/pipeline';

type Opts = UserScoped & RequestOptions;

/** Chat messages; bodies and queries use Zoom's own field names (to_channel, to_contact, reply_main_message_id…). */
export function messages(ctx: ResourceContext) {
  const user = (o?: UserScoped) => o?.userId ?? 'me';
  return {
    /** Sends to a channel (`to_channel`) or a contact (`to_contact`); a thread reply with `reply_main_message_id`. */
    send: (body: Body, o?: Opts): Promise<{ id: string }> => ctx.call('sendaChatMessage', { path: { userId: user(o) }, body }, o),
    /** Items of a channel's or a contact's history (`to_channel` or `to_contact` in the query). */
    list: (query: Query, o?: ListOptions) => ctx.collect('getChatMessages', { path: { userId: user(o) }, query }, o),
    iterate: (query: Query, o?: ListOptions) => ctx.paginate('getChatMessages', { path: { userId: user(o) }, query }, o),
    get: (messageId: string, query: Query, o?: Opts) => ctx.call('getChatMessage', { path: { userId: user(o), messageId }, query }, o),
    update: (messageId: string, body: Body, o?: Opts) => ctx.call('editMessage', { path: { userId: user(o), messageId }, body }, o),
    delete: (messageId: string, query: Query, o?: Opts) => ctx.call('deleteChatMessage', { path: { userId: user(o), messageId }, query }, o),
    /** `{ action: 'add' | 'remove', emoji: 'U+1F600', to_channel | to_contact }`. */
    react: (messageId: string, body: Body, o?: Opts) => ctx.call('reactMessage', { path: { userId: user(o), messageId }, body }, o),
    thread: (messageId: string, query: Query, o?: Opts) => ctx.call('retrieveThread', { path: { userId: user(o), messageId }, query }, o),
  };
}
