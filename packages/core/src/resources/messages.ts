import type { ListOptions, ResourceContext, UserScoped } from './types';
import type { RequestOptions } from '../http/pipeline';
import type { OperationTypes } from '../spec/generated/types';
import { formatMessage, type ZoomMessageBody } from '../content';

type Opts = UserScoped & RequestOptions;
type T = OperationTypes;

/** Chat messages; bodies and queries use Zoom's own field names (to_channel, to_contact, reply_main_message_id…). */
export function messages(ctx: ResourceContext) {
  const user = (o?: UserScoped) => o?.userId ?? 'me';
  /** A contact's name for a mention, or undefined (not a contact, no access): the mention then shows as written. */
  const contactName = async (identifier: string): Promise<string | undefined> => {
    try {
      const c = await ctx.call<{ first_name?: string; last_name?: string }>('getUserContact', { path: { identifier } });
      const name = [c.first_name, c.last_name].filter((p) => typeof p === 'string' && p.trim() !== '').join(' ');
      return name === '' ? undefined : name;
    } catch {
      return undefined;
    }
  };
  return {
    /**
     * The body for text as people write it: `markdown` gives rich text, and `@all`, `@<email>` or
     * `@<member id>` become mentions, shown by the contact's name where Zoom finds the contact.
     * Plain text is sent as written. Never refuses text: what cannot be expressed stays plain.
     */
    compose: (text: string, o: { format: 'plain' | 'markdown'; mentions?: boolean }): Promise<ZoomMessageBody> =>
      formatMessage(text, { format: o.format, mentions: o.mentions, resolveName: contactName }),
    /** Sends to a channel (`to_channel`) or a contact (`to_contact`); a thread reply with `reply_main_message_id`. */
    send: (body: T['sendaChatMessage']['body'], o?: Opts): Promise<T['sendaChatMessage']['response']> =>
      ctx.call('sendaChatMessage', { path: { userId: user(o) }, body }, o),
    /** Items of a channel's or a contact's history (`to_channel` or `to_contact` in the query). */
    list: (
      query: T['getChatMessages']['query'],
      o?: ListOptions,
    ): Promise<NonNullable<T['getChatMessages']['response']['messages']>> =>
      ctx.collect('getChatMessages', { path: { userId: user(o) }, query }, o),
    iterate: (
      query: T['getChatMessages']['query'],
      o?: ListOptions,
    ): AsyncGenerator<NonNullable<T['getChatMessages']['response']['messages']>[number]> =>
      ctx.paginate('getChatMessages', { path: { userId: user(o) }, query }, o),
    get: (messageId: string, query: T['getChatMessage']['query'], o?: Opts): Promise<T['getChatMessage']['response']> =>
      ctx.call('getChatMessage', { path: { userId: user(o), messageId }, query }, o),
    update: (messageId: string, body: T['editMessage']['body'], o?: Opts): Promise<void> =>
      ctx.call('editMessage', { path: { userId: user(o), messageId }, body }, o),
    delete: (messageId: string, query: T['deleteChatMessage']['query'], o?: Opts): Promise<void> =>
      ctx.call('deleteChatMessage', { path: { userId: user(o), messageId }, query }, o),
    /** `{ action: 'add' | 'remove', emoji: 'U+1F600', to_channel | to_contact }`. */
    react: (messageId: string, body: T['reactMessage']['body'], o?: Opts): Promise<void> =>
      ctx.call('reactMessage', { path: { userId: user(o), messageId }, body }, o),
    thread: (
      messageId: string,
      query: T['retrieveThread']['query'],
      o?: Opts,
    ): Promise<T['retrieveThread']['response']> =>
      ctx.call('retrieveThread', { path: { userId: user(o), messageId }, query }, o),
  };
}
