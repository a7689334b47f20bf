/** Chatbot messages (sent by the bot's client-credentials token) and link unfurls. */
import type { Call, Handler } from '../http/api-server';
import { ZoomError } from '../http/errors';
import type { Bot, BotMessage } from '../state/types';

/** Zoom's chatbot timestamps: `yyyy-MM-dd HH:mm:ss` in UTC. */
function sentTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function botFor(call: Call, robotJid: string): Bot {
  const bot = call.sim.store.bots.get(robotJid);
  // A bot's messages can only be sent with that bot's own credentials.
  if (!bot || bot.clientId !== call.token.clientId) throw new ZoomError(403, 7003, 'No Chatbot can be found with the given robot_jid value.');
  return bot;
}

function checkAccount(call: Call, accountId: unknown): void {
  if (accountId !== call.sim.store.account.id) throw new ZoomError(403, 7004, 'Not authorized: account_id does not match the account the bot is installed on.');
}

function reply(m: BotMessage): Record<string, unknown> {
  return { message_id: m.id, robot_jid: m.robotJid, sent_time: sentTime(m.sentAt), to_jid: m.toJid, ...(m.userJid ? { user_jid: m.userJid } : {}) };
}

const sendChatbot: Handler = (call) => {
  const b = call.body;
  const bot = botFor(call, b['robot_jid'] as string);
  checkAccount(call, b['account_id']);
  const { store } = call.sim;
  const toJid = b['to_jid'] as string;
  const channel = store.findChannel(toJid);
  const toUser = channel ? undefined : store.findUser(toJid);
  if (!channel && !toUser) throw new ZoomError(403, 7004, 'No channel or user can be found with the given to_jid value.');
  const onBehalf = store.findUser(b['user_jid'] as string);
  if (!onBehalf) throw new ZoomError(403, 7004, 'Not authorized: user_jid is not a user of this account.');
  if (channel && !channel.members.has(onBehalf.id)) throw new ZoomError(403, 7004, 'Not authorized: user_jid is not a member of the channel.');
  const now = store.now();
  const id = `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}${store.ids.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 8)}_main`;
  const replyTo = typeof b['reply_to'] === 'string' ? b['reply_to'] : undefined;
  // Mirror it on the channel (or the user's chat with the bot) so message lists show it.
  const conversation = channel ? `c:${channel.id}` : `b:${bot.jid}:${toUser!.id}`;
  const main = replyTo ? store.messages.get(replyTo) : undefined;
  const content = b['content'] as Record<string, unknown>;
  store.addMessage({
    id,
    seq: store.seq(),
    conversation,
    ...(channel ? { channelId: channel.id } : { toUserId: toUser!.id }),
    senderId: bot.jid,
    robotJid: bot.jid,
    text: textOf(content),
    timestamp: now,
    fileIds: [],
    reactions: [],
    botMessage: content,
    status: 'Normal',
    history: [],
    replyCount: 0,
    ...(main && main.conversation === conversation ? { replyTo: main.id } : {}),
  });
  const m: BotMessage = {
    id,
    robotJid: bot.jid,
    toJid,
    userJid: onBehalf.jid,
    accountId: store.account.id,
    content,
    sentAt: now,
    messageId: id,
    deleted: false,
    ...(typeof b['visible_to_user'] === 'string' ? { visibleToUser: b['visible_to_user'] } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(typeof b['is_markdown_support'] === 'boolean' ? { isMarkdown: b['is_markdown_support'] } : {}),
  };
  store.botMessages.set(id, m);
  return { body: reply(m) };
};

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
  return { body: reply(m) };
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
  return { body: reply(m) };
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

export const chatbotHandlers: Record<string, Handler> = { sendChatbot, editChatbotMessage, deleteAChatbotMessage, unfurlingLink };
