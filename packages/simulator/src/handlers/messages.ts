/** Chat messages: send, list, get, edit, delete, react, mark, threads, scheduled messages. */
import type { Call, Handler } from '../http/api-server';
import { ZoomError, badRequest } from '../http/errors';
import type { SendInput } from '../state/chat';
import type { Message, StoredFile } from '../state/types';
import {
  actorFor,
  downloadUrl,
  fileJson,
  isoSeconds,
  listedMessageJson,
  messageJson,
  pageSize,
  threadMessageJson,
} from './common';

const DAY = 86_400_000;

/** Index of the first message whose seq is ≥ `seq` (messages are in ascending seq order). */
function upperIndex(list: Message[], seq: number): number {
  if (seq === Infinity) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function targetOf(call: Call, src: Record<string, unknown>) {
  const actor = actorFor(call, call.path['userId']);
  const target = call.sim.chat.resolveTarget(actor, str(src['to_channel']), str(src['to_contact']));
  return { actor, target };
}

const sendaChatMessage: Handler = (call) => {
  const actor = actorFor(call, call.path['userId']);
  const b = call.body;
  const scheduled = str(b['scheduled_time']);
  if (scheduled) return { body: { id: schedule(call, actor, scheduled) } };
  const channel = str(b['to_channel']) ? call.sim.store.findChannel(b['to_channel'] as string) : undefined;
  if (channel) {
    const limited = call.sim.channelLimiter.take(channel.id);
    if (limited) throw new ZoomError(429, 429, limited.body.message, { headers: limited.headers });
  }
  let message;
  try {
    message = send(call, actor, b);
  } catch (err) {
    if (channel) call.sim.channelLimiter.untake(channel.id);
    throw err;
  }
  return { body: { id: message.id } };
};

function send(call: Call, actor: ReturnType<typeof actorFor>, b: Record<string, unknown>) {
  return call.sim.chat.sendMessage(actor, sendInput(b));
}

function sendInput(b: Record<string, unknown>): SendInput {
  return {
    toChannel: str(b['to_channel']),
    toContact: str(b['to_contact']),
    text: String(b['message'] ?? ''),
    replyTo: str(b['reply_main_message_id']),
    fileIds: b['file_ids'] as string[] | undefined,
    richText: b['rich_text'] as unknown[] | undefined,
    atItems: b['at_items'] as Array<Record<string, unknown>> | undefined,
    interactiveCards: b['interactive_cards'] as Array<Record<string, unknown>> | undefined,
  };
}

/**
 * `scheduled_time` must be more than 30 minutes ahead and within 180 days. The send is checked now
 * (channel, posting rights, thread, files), so a draft that could never be sent is refused at once.
 */
function schedule(call: Call, actor: ReturnType<typeof actorFor>, when: string): string {
  const { store, chat, scheduler } = call.sim;
  const at = Date.parse(when);
  const now = store.now();
  if (!(at > now + 30 * 60_000 && at < now + 180 * DAY)) {
    throw new ZoomError(
      400,
      300,
      'Invalid parameter: send_time. The time requirement is more than 30 minutes from now and within 180 days.',
    );
  }
  const b = call.body;
  const input = sendInput(b);
  const { target } = chat.checkSend(actor, input);
  const id = store.ids.uuid();
  scheduler.add({
    id,
    senderId: actor.id,
    conversation: target.conversation,
    ...(target.channel ? { channelId: target.channel.id } : {}),
    ...(target.recipient ? { toUserId: target.recipient.id } : {}),
    text: input.text,
    scheduledAt: at,
    createdAt: now,
    seq: store.seq(),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(input.fileIds?.length ? { fileIds: [...input.fileIds] } : {}),
    ...(input.richText ? { richText: input.richText } : {}),
    ...(input.atItems ? { atItems: input.atItems } : {}),
    ...(input.interactiveCards ? { interactiveCards: input.interactiveCards } : {}),
    state: 'scheduled',
  });
  return id;
}

const sendimmessages: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const to = str(call.query['chat_user']);
  if (!to)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'chat_user', message: 'Required field is missing.' }],
    });
  const text = str(call.body['message']);
  if (!text)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'message', message: 'Required field is missing.' }],
    });
  const m = call.sim.chat.sendMessage(actor, { toContact: to, text });
  return { body: { id: m.id } };
};

const getChatMessages: Handler = (call) => {
  const q = call.query;
  const { store } = call.sim;
  const actor = actorFor(call, call.path['userId']);
  const searchKey = str(q['search_key']);
  const searchType = str(q['search_type']);
  if (!!searchKey !== !!searchType) throw badRequest('search_key and search_type must be used together.');
  const withStatus = q['include_deleted_and_edited_message'] === true;
  if (searchKey && withStatus)
    throw badRequest('include_deleted_and_edited_message cannot be combined with search_key.');

  let conversations: string[];
  if (str(q['to_channel']) || str(q['to_contact']) || !searchKey) {
    conversations = [call.sim.chat.resolveTarget(actor, str(q['to_channel']), str(q['to_contact'])).conversation];
  } else {
    conversations = [...store.conversations.keys()].filter((k) =>
      k.startsWith('c:') ? store.channels.get(k.slice(2))?.members.has(actor.id) : k.split(':').includes(actor.id),
    );
  }

  // `date` wins over from/to; neither means today (UTC).
  const now = store.now();
  const date = str(q['date']);
  const from = str(q['from']);
  let start: number;
  let end: number;
  if (date || !from) {
    start = date ? Date.parse(`${date}T00:00:00Z`) : Math.floor(now / DAY) * DAY;
    end = start + DAY - 1;
  } else {
    start = Date.parse(from);
    end = str(q['to']) ? Date.parse(q['to'] as string) : Math.max(now, start);
  }
  if (now - start > 183 * DAY) throw badRequest('Only provide past chat messages in recent 6 months.');

  const excludeReplies = q['exclude_child_message'] === true;
  const needle = searchKey?.toLowerCase();
  const keep = (m: Message): boolean => {
    if (m.timestamp < start || m.timestamp > end) return false;
    if (m.status === 'Deleted' && !withStatus) return false;
    if (excludeReplies && m.replyTo) return false;
    if (needle) {
      if (searchType === 'message' && !m.text.toLowerCase().includes(needle)) return false;
      if (searchType === 'file' && !m.fileIds.some((id) => store.files.get(id)?.name.toLowerCase().includes(needle)))
        return false;
    }
    return true;
  };
  const size = pageSize(call);
  // What a page token is bound to. IDs hold no '|'; the free-text search goes last, JSON-quoted
  // (a template rather than JSON.stringify of the whole: ~0.5 µs per page).
  const scope = `msgs|${actor.id}|${conversations.join(',')}|${start}|${end}|${withStatus}|${excludeReplies}${needle === undefined ? '' : `|${JSON.stringify([needle, searchType ?? ''])}`}`;
  const token = str(q['next_page_token']);
  const beforeSeq = token ? store.readPageToken(token, scope) : Infinity;

  // Newest first. Conversations are stored in send order, so one conversation is read backwards
  // from the cursor and stops after a page: cost per page, not per conversation size.
  const items: Message[] = [];
  let more = false;
  if (conversations.length === 1) {
    const list = store.conversation(conversations[0] as string);
    let i = upperIndex(list, beforeSeq) - 1;
    for (; i >= 0; i--) {
      const m = list[i] as Message;
      if (m.timestamp < start) break; // send order is time order
      if (!keep(m)) continue;
      if (items.length === size) {
        more = true;
        break;
      }
      items.push(m);
    }
  } else {
    const all: Message[] = [];
    for (const key of conversations)
      for (const m of store.conversation(key)) if (m.seq < beforeSeq && keep(m)) all.push(m);
    all.sort((a, b) => b.seq - a.seq);
    more = all.length > size;
    items.push(...all.slice(0, size));
  }
  const last = items[items.length - 1];
  const page = { items, next_page_token: more && last ? store.pageToken(scope, last.seq) : '' };
  return {
    body: {
      // isoSeconds caches each formatted second; start is a whole second here too.
      ...(date || !from ? { date: isoSeconds(start).slice(0, 10) } : { from: isoSeconds(start), to: isoSeconds(end) }),
      page_size: size,
      next_page_token: page.next_page_token,
      messages: page.items.map((m) => listedMessageJson(call, m, withStatus)),
    },
  };
};

const getChatMessage: Handler = (call) => {
  const { target } = targetOf(call, call.query);
  const m = call.sim.chat.messageIn(target, call.path['messageId'] as string);
  return { body: messageJson(call, m) };
};

const editMessage: Handler = (call) => {
  const { actor, target } = targetOf(call, call.body);
  const m = call.sim.chat.messageIn(target, call.path['messageId'] as string);
  call.sim.chat.editMessage(actor, target, m, {
    text: call.body['message'] as string | undefined,
    fileIds: call.body['file_ids'] as string[] | undefined,
  });
  if (Array.isArray(call.body['interactive_cards']))
    m.interactiveCards = call.body['interactive_cards'] as Array<Record<string, unknown>>;
  return {};
};

const deleteChatMessage: Handler = (call) => {
  const { actor, target } = targetOf(call, call.query);
  const m = call.sim.chat.messageIn(target, call.path['messageId'] as string);
  call.sim.chat.deleteMessage(actor, target, m);
  return {};
};

const reactMessage: Handler = (call) => {
  const b = call.body;
  const missing = ['action', 'emoji'].filter(
    (f) => b[f] === undefined && !(f === 'emoji' && b['custom_emoji'] === true && b['custom_emoji_id']),
  );
  if (missing.length)
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: missing.map((field) => ({ field, message: 'Required field is missing.' })),
    });
  const { actor, target } = targetOf(call, b);
  const m = call.sim.chat.messageIn(target, call.path['messageId'] as string);
  const emoji = (b['custom_emoji'] === true ? str(b['custom_emoji_id']) : str(b['emoji'])) ?? '';
  call.sim.chat.react(actor, target, m, emoji, b['action'] as 'add' | 'remove');
  return {};
};

const markMessage: Handler = (call) => {
  const { target } = targetOf(call, call.body);
  call.sim.chat.messageIn(target, call.path['messageId'] as string);
  if (call.body['action'] === undefined) {
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: 'action', message: 'Required field is missing.' }],
    });
  }
  return {};
};

const retrieveThread: Handler = (call) => {
  const q = call.query;
  if (!str(q['from'])) throw new ZoomError(400, 4233, 'The `from` cannot be blank.');
  if (!str(q['to_channel']) && !str(q['to_contact']))
    throw new ZoomError(400, 4234, 'The `to_channel` cannot be blank.');
  const { actor, target } = targetOf(call, q);
  const main = call.sim.chat.messageIn(target, call.path['messageId'] as string);
  if (main.replyTo)
    throw new ZoomError(404, 4131, `Message does not exist: ${main.id} is a reply, not a main message.`);
  const from = Date.parse(q['from'] as string);
  const to = str(q['to']) ? Date.parse(q['to'] as string) : call.sim.store.now();
  if (Number.isNaN(from) || Number.isNaN(to))
    throw badRequest('from and to must be dates in yyyy-MM-ddTHH:mm:ssZ format.');
  const replies = call.sim.store
    .conversation(target.conversation)
    .filter((m) => m.replyTo === main.id && m.status !== 'Deleted' && m.timestamp >= from && m.timestamp <= to);
  if (q['sort'] !== 'asc') replies.reverse();
  const limit = typeof q['limit'] === 'number' ? q['limit'] : 10;
  const opts = {
    emoji: q['need_emoji'] === true,
    attachments: q['need_attachment'] === true,
    richText: q['need_rich_text'] === true,
    atItems: q['need_at_items'] === true,
  };
  const messages = replies.slice(0, limit).map((m) => threadMessageJson(call, m, actor, opts));
  if (q['need_main_message'] !== false) messages.unshift(threadMessageJson(call, main, actor, opts));
  return { body: { total: replies.length, messages } };
};

const listScheduledMessages: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const { store } = call.sim;
  const q = call.query;
  const conv =
    str(q['to_channel']) || str(q['to_contact'])
      ? call.sim.chat.resolveTarget(actor, str(q['to_channel']), str(q['to_contact'])).conversation
      : undefined;
  // Sent (or failed) drafts are no longer scheduled: they leave the list when their time comes.
  const drafts = [...store.drafts.values()].filter(
    (d) => d.state === 'scheduled' && d.senderId === actor.id && (!conv || d.conversation === conv),
  );
  const size = pageSize(call);
  const page = store.page(drafts, `drafts:${actor.id}:${conv ?? ''}`, size, str(q['next_page_token']));
  return {
    body: {
      ...(str(q['to_channel']) ? { to_channel: q['to_channel'] } : {}),
      ...(str(q['to_contact']) ? { to_contact: q['to_contact'] } : {}),
      page_size: size,
      next_page_token: page.next_page_token,
      messages: page.items.map((d) => {
        const files = (d.fileIds ?? []).map((id) => store.files.get(id)).filter((f): f is StoredFile => !!f);
        const main = d.replyTo ? store.messages.get(d.replyTo) : undefined;
        return {
          draft_id: d.id,
          create_date: isoSeconds(d.createdAt),
          scheduled_time: isoSeconds(d.scheduledAt),
          message: d.text,
          ...(files[0]
            ? {
                file_id: files[0].id,
                file_name: files[0].name,
                file_size: files[0].size,
                download_url: downloadUrl(call, files[0]),
              }
            : {}),
          ...(files.length ? { files: files.map((f) => fileJson(call, f)) } : {}),
          ...(d.replyTo
            ? { reply_main_message_id: d.replyTo, ...(main ? { reply_main_message_timestamp: main.timestamp } : {}) }
            : {}),
        };
      }),
    },
  };
};

const deleteScheduleMessage: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const id = call.path['draftId'] as string;
  const q = call.query;
  const d = call.sim.store.drafts.get(id);
  // to_channel / to_contact, when given, must name the draft's conversation.
  const conv =
    str(q['to_channel']) || str(q['to_contact'])
      ? call.sim.chat.resolveTarget(actor, str(q['to_channel']), str(q['to_contact']), { requireMember: false })
          .conversation
      : undefined;
  if (!d || d.state !== 'scheduled' || d.senderId !== actor.id || (conv && d.conversation !== conv))
    throw new ZoomError(400, 5404, `Invalid draft id: ${id}.`);
  call.sim.store.drafts.delete(id);
  call.sim.scheduler.arm();
  return {};
};

export const messageHandlers: Record<string, Handler> = {
  sendaChatMessage,
  sendimmessages,
  getChatMessages,
  getChatMessage,
  editMessage,
  deleteChatMessage,
  reactMessage,
  markMessage,
  retrieveThread,
  listScheduledMessages,
  deleteScheduleMessage,
};
