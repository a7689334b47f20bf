/**
 * `zoom-team-chat-send`: a Team Chat message (to a channel or contact, as a thread reply, with
 * mentions or rich text) or a chatbot message (text, markdown, or a card built in the editor or
 * written as JSON).
 */
import { placeMentions, type AtItem, type Mention, type ZoomClient } from '@zoom-team-chat/core';
import type { Account } from '../../lib/account';
import { setupAction } from '../../lib/action';
import type { NodeMessage } from '../../lib/red';
import type { Node, NodeAPI, NodeDef } from '../../lib/red';
import { replyTargetOf, resolveTarget } from '../../lib/targets';
import { isPlainObject, need, pick, str, withPayload } from '../../lib/values';
import { cardFromBuilder, cardFromJson } from './card';

export type SendMode = 'message' | 'chatbot';
/** `card` is a card written as JSON; `cardBuilder` one built from the editor's Card section. */
export type ChatbotFormat = 'text' | 'markdown' | 'card' | 'cardBuilder';
export type TextFormat = 'plain' | 'markdown';

/**
 * Text format of a Team Chat message: the node's setting, else msg.format, else plain (flows made
 * before the setting existed keep sending their text as written).
 */
export function textFormatOf(config: NodeDef, msg: NodeMessage): TextFormat {
  const configured = str(config.textFormat);
  const chosen = configured !== undefined && configured !== 'msg' ? configured : str(msg.format);
  if (chosen === undefined || chosen === 'plain') return 'plain';
  if (chosen === 'markdown') return 'markdown';
  throw new Error(
    `Text format must be "plain" or "markdown" (got ${JSON.stringify(chosen)} from ${configured !== undefined && configured !== 'msg' ? 'the node' : 'msg.format'}).`,
  );
}

function messageText(config: NodeDef, msg: NodeMessage): string | undefined {
  const payload = msg.payload;
  return pick(config.text, typeof payload === 'string' || typeof payload === 'number' ? payload : undefined);
}

/** Mentions from msg.mentions: emails/IDs of contacts, or "all". Positions are found (or the mention appended). */
export function applyMentions(body: Record<string, unknown>, mentions: unknown): void {
  if (mentions === undefined || mentions === null) return;
  if (!Array.isArray(mentions)) throw new Error('msg.mentions must be an array of emails or member IDs (or "all").');
  const wanted: Mention[] = mentions.map((m, i) => {
    const who = str(m);
    if (who === undefined)
      throw new Error(`msg.mentions[${i}] must be a non-empty string (an email, a member ID or "all").`);
    return who.toLowerCase() === 'all' ? { all: true } : { contact: who };
  });
  const existing = Array.isArray(body.at_items) ? (body.at_items as AtItem[]) : [];
  const placed = placeMentions(typeof body.message === 'string' ? body.message : '', wanted, existing);
  body.message = placed.message;
  body.at_items = placed.atItems;
}

export async function buildMessageBody(
  config: NodeDef,
  msg: NodeMessage,
  compose?: ZoomClient['messages']['compose'],
): Promise<Record<string, unknown>> {
  const text = messageText(config, msg);
  // A full body object in msg.payload is used as is (settings still win), unless the node has its own text.
  const body: Record<string, unknown> = text === undefined && isPlainObject(msg.payload) ? { ...msg.payload } : {};
  if (text !== undefined) {
    const format = textFormatOf(config, msg);
    if (format === 'markdown' && compose !== undefined && msg.richText === undefined)
      Object.assign(body, await compose(text, { format }));
    else body.message = text;
  }
  const target = resolveTarget(config, msg, body);
  delete body.to_channel;
  delete body.to_contact;
  if (target.channel !== undefined) body.to_channel = target.channel;
  if (target.contact !== undefined) body.to_contact = target.contact;
  if (target.replyTo !== undefined) body.reply_main_message_id = target.replyTo;
  if (msg.richText !== undefined) body.rich_text = msg.richText;
  applyMentions(body, msg.mentions);
  if (typeof body.message !== 'string' || body.message.trim() === '') {
    throw new Error(
      'No message text: set Text in the node, or send the text in msg.payload (or a body object with "message").',
    );
  }
  return body;
}

function chatbotContent(config: NodeDef, msg: NodeMessage, format: ChatbotFormat): Record<string, unknown> {
  if (format === 'card') return cardFromJson(config, msg);
  if (format === 'cardBuilder') return cardFromBuilder(config, msg);
  const text = messageText(config, msg);
  if (text === undefined) throw new Error('No message text: set Text in the node or send the text in msg.payload.');
  return { body: [{ type: 'message', text }] };
}

const CHATBOT_FORMATS: readonly ChatbotFormat[] = ['text', 'markdown', 'card', 'cardBuilder'];

export function buildChatbotBody(config: NodeDef, msg: NodeMessage, account: Account): Record<string, unknown> {
  const format = CHATBOT_FORMATS.find((f) => f === config.format) ?? 'text';
  const reply = replyTargetOf(msg);
  const payload = msg.payload;
  // A full chatbot body in msg.payload (it has "content") is used as is; settings and msg fields still win.
  // Not for cards: their formats say where the card comes from, and the builder's settings win.
  const isCard = format === 'card' || format === 'cardBuilder';
  const full = !isCard && isPlainObject(payload) && isPlainObject(payload.content) ? { ...payload } : undefined;
  const body: Record<string, unknown> = full ?? { content: chatbotContent(config, msg, format) };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) body[key] = value;
  };
  set('robot_jid', str(account.settings.botJid) ?? str(msg.robotJid) ?? str(body.robot_jid) ?? str(reply?.robotJid));
  set('to_jid', pick(config.toJid, msg.toJid) ?? str(body.to_jid) ?? str(reply?.toJid));
  set('user_jid', str(msg.userJid) ?? str(body.user_jid) ?? str(reply?.userJid));
  set('account_id', str(account.accountId) ?? str(msg.accountId) ?? str(body.account_id) ?? str(reply?.accountId));
  set('reply_to', pick(config.replyTo, msg.replyTo) ?? str(body.reply_to));
  if (format === 'markdown') body.is_markdown_support = true;
  need(str(body.robot_jid), 'The bot JID', 'msg.robotJid (or set Bot JID in the account node)');
  need(str(body.to_jid), 'The recipient JID (To JID)', 'msg.toJid');
  need(str(body.user_jid), 'The user JID', 'msg.userJid');
  need(str(body.account_id), 'The account ID', 'msg.accountId (or set Account ID in the account node)');
  return body;
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatSendNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const mode: SendMode = def.mode === 'chatbot' ? 'chatbot' : 'message';
    setupAction(this, def, {
      busyText: 'sending',
      async work({ msg, client, account, signal }) {
        if (mode === 'chatbot') {
          const body = buildChatbotBody(def, msg, account);
          const result = await client.chatbot.send(body, { signal });
          return { out: withPayload(msg, result), status: 'sent' };
        }
        const body = await buildMessageBody(def, msg, (text, o) => client.messages.compose(text, o));
        const userId = pick(account.settings.userId, msg.userId) ?? 'me';
        const result = await client.messages.send(body as Parameters<typeof client.messages.send>[0], {
          userId,
          signal,
        });
        return { out: withPayload(msg, result), status: 'sent' };
      },
    });
  }
  RED.nodes.registerType('zoom-team-chat-send', ZoomTeamChatSendNode);
}
