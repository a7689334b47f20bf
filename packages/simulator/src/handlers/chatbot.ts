/** Chatbot messages (sent by the bot's client-credentials token) and link unfurls. */
import type { Call, Handler } from '../http/api-server';
import { ZoomError } from '../http/errors';
import type { Store } from '../state/store';
import type { Bot, BotMessage, Channel, User } from '../state/types';

/** Zoom's chatbot timestamps: `yyyy-MM-dd HH:mm:ss` in UTC. */
function sentTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function botFor(call: Call, robotJid: string): Bot {
  const bot = call.sim.store.bots.get(robotJid);
  // A bot's messages can only be sent with that bot's own credentials.
  if (!bot || bot.clientId !== call.token.clientId)
    throw new ZoomError(403, 7003, 'No Chatbot can be found with the given robot_jid value.');
  return bot;
}

function checkAccount(call: Call, accountId: unknown): void {
  if (accountId !== call.sim.store.account.id)
    throw new ZoomError(403, 7004, 'Not authorized: account_id does not match the account the bot is installed on.');
}

export function botMessageReply(m: BotMessage): Record<string, unknown> {
  return {
    message_id: m.id,
    robot_jid: m.robotJid,
    sent_time: sentTime(m.sentAt),
    to_jid: m.toJid,
    ...(m.userJid ? { user_jid: m.userJid } : {}),
  };
}

const sendChatbot: Handler = (call) => {
  const b = call.body;
  const bot = botFor(call, b['robot_jid'] as string);
  checkAccount(call, b['account_id']);
  const m = postBotMessage(call.sim.store, bot, {
    toJid: b['to_jid'] as string,
    userJid: b['user_jid'] as string,
    content: b['content'] as Record<string, unknown>,
    ...(typeof b['reply_to'] === 'string' ? { replyTo: b['reply_to'] } : {}),
    ...(typeof b['visible_to_user'] === 'string' ? { visibleToUser: b['visible_to_user'] } : {}),
    ...(typeof b['is_markdown_support'] === 'boolean' ? { isMarkdown: b['is_markdown_support'] } : {}),
  });
  return { body: botMessageReply(m) };
};

/**
 * Where a chatbot message goes. A 1:1 chat with the bot is also named `<user JID>/robot_<bot JID>`:
 * the `toJid` Zoom's interactive events carry, which bots answer to as is.
 */
export function botTarget(store: Store, toJid: string): { channel?: Channel; toUser?: User } {
  const channel = store.findChannel(toJid);
  if (channel) return { channel };
  const toUser = store.findUser(toJid.replace(/\/robot_.*$/i, ''));
  return toUser ? { toUser } : {};
}

export interface BotMessageInput {
  toJid: string;
  /** The user on whose behalf the bot sends (`user_jid`). */
  userJid: string;
  content: Record<string, unknown>;
  replyTo?: string;
  visibleToUser?: string;
  isMarkdown?: boolean;
}

/** Stores a chatbot message and mirrors it on the channel (or the user's chat with the bot) so message lists show it. */
export function postBotMessage(store: Store, bot: Bot, input: BotMessageInput): BotMessage {
  const { channel, toUser } = botTarget(store, input.toJid);
  if (!channel && !toUser)
    throw new ZoomError(403, 7004, 'No channel or user can be found with the given to_jid value.');
  const onBehalf = store.findUser(input.userJid);
  if (!onBehalf) throw new ZoomError(403, 7004, 'Not authorized: user_jid is not a user of this account.');
  if (channel && !channel.members.has(onBehalf.id))
    throw new ZoomError(403, 7004, 'Not authorized: user_jid is not a member of the channel.');
  const now = store.now();
  const id = `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}${store.ids.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 8)}_main`;
  const conversation = channel ? `c:${channel.id}` : `b:${bot.jid}:${toUser!.id}`;
  const main = input.replyTo ? store.messages.get(input.replyTo) : undefined;
  store.addMessage({
    id,
    seq: store.seq(),
    conversation,
    ...(channel ? { channelId: channel.id } : { toUserId: toUser!.id }),
    senderId: bot.jid,
    robotJid: bot.jid,
    text: textOf(input.content),
    timestamp: now,
    fileIds: [],
    reactions: [],
    botMessage: input.content,
    status: 'Normal',
    history: [],
    replyCount: 0,
    ...(main && main.conversation === conversation ? { replyTo: main.id } : {}),
  });
  const m: BotMessage = {
    id,
    robotJid: bot.jid,
    toJid: input.toJid,
    userJid: onBehalf.jid,
    accountId: store.account.id,
    content: input.content,
    sentAt: now,
    messageId: id,
    deleted: false,
    ...(input.visibleToUser !== undefined ? { visibleToUser: input.visibleToUser } : {}),
    ...(input.replyTo !== undefined ? { replyTo: input.replyTo } : {}),
    ...(input.isMarkdown !== undefined ? { isMarkdown: input.isMarkdown } : {}),
  };
  store.botMessages.set(id, m);
  return m;
}

function botMessage(call: Call, robotJid: string): BotMessage {
  const m = call.sim.store.botMessages.get(call.path['message_id'] as string);
  botFor(call, robotJid);
  if (!m || m.deleted || m.robotJid !== robotJid) throw new ZoomError(404, 8001, 'Invalid message_id value.');
  return m;
}

const editChatbotMessage: Handler = (call) => {
  const b = call.body;
  checkAccount(call, b['account_id']);
  const m = botMessage(call, b['robot_jid'] as string);
  m.content = b['content'] as Record<string, unknown>;
  const mirror = call.sim.store.messages.get(m.id);
  if (mirror) {
    mirror.history.push(mirror.text);
    mirror.botMessage = m.content;
    mirror.text = textOf(m.content);
    mirror.status = 'Edited';
    mirror.editedAt = call.sim.store.now();
  }
  return { body: botMessageReply(m) };
};

const deleteAChatbotMessage: Handler = (call) => {
  checkAccount(call, call.query['account_id']);
  const m = botMessage(call, call.query['robot_jid'] as string);
  m.deleted = true;
  const mirror = call.sim.store.messages.get(m.id);
  if (mirror) {
    mirror.status = 'Deleted';
    mirror.deletedAt = call.sim.store.now();
  }
  return { body: botMessageReply(m) };
};

const unfurlingLink: Handler = (call) => {
  // Unfurls answer a `team_chat.link_shared` event; the trigger ID must be one the simulator issued.
  const trigger = call.path['triggerId'] as string;
  if (!call.sim.store.unfurlTriggers.has(trigger)) throw new ZoomError(404, 8002, 'Invalid unfurl_id.');
  return {};
};

/** The readable text of a chatbot message template (head text and message bodies). */
function textOf(content: Record<string, unknown>): string {
  const parts: string[] = [];
  const head = content['head'] as { text?: unknown } | undefined;
  if (typeof head?.text === 'string') parts.push(head.text);
  const body = content['body'];
  if (Array.isArray(body)) {
    for (const item of body) {
      const text = (item as { text?: unknown }).text;
      if (typeof text === 'string') parts.push(text);
    }
  }
  return parts.join('\n');
}

export const chatbotHandlers: Record<string, Handler> = {
  sendChatbot,
  editChatbotMessage,
  deleteAChatbotMessage,
  unfurlingLink,
};

/** A button of a chatbot message (`{"type": "actions", "items": [{text, value, style}]}` in `body`). */
export interface CardButton {
  text: string;
  value: string;
  style?: string;
}

/**
 * The buttons of a chatbot message, in reading order: `actions` items of `body`, including those
 * inside `section` items' `sections` (Zoom's grouping of message parts).
 */
export function cardButtons(content: Record<string, unknown>): CardButton[] {
  const out: CardButton[] = [];
  const walk = (items: unknown): void => {
    if (!Array.isArray(items)) return;
    for (const raw of items) {
      if (raw === null || typeof raw !== 'object') continue;
      const item = raw as Record<string, unknown>;
      if (item['type'] === 'actions' && Array.isArray(item['items'])) {
        for (const b of item['items'] as unknown[]) {
          if (b === null || typeof b !== 'object') continue;
          const btn = b as Record<string, unknown>;
          if (typeof btn['text'] !== 'string' && typeof btn['value'] !== 'string') continue;
          out.push({
            text: typeof btn['text'] === 'string' ? btn['text'] : '',
            value: typeof btn['value'] === 'string' ? btn['value'] : String(btn['value'] ?? ''),
            ...(typeof btn['style'] === 'string' ? { style: btn['style'] } : {}),
          });
        }
      }
      if (item['type'] === 'section') walk(item['sections']);
    }
  };
  walk(content['body']);
  return out;
}
