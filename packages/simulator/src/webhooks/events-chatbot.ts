import {
  contentFields,
  memberIdOf,
  need,
  operatorFields,
  replyField,
  timeOf,
  zoomDateTime,
  type ChannelRef,
  type MessageContent,
  type Operator,
  type Timed,
  type UserRef,
} from './events-common';

/** Zoom's XMPP domains: users are `<id>@xmpp.zoom.us`, channels `<id>@conference.xmpp.zoom.us`. */
export const USER_JID_DOMAIN = 'xmpp.zoom.us';
export const CHANNEL_JID_DOMAIN = 'conference.xmpp.zoom.us';

/** A user's JID as Chatbot events carry it (Zoom lower-cases the user ID). */
export function userJid(userId: string): string {
  return `${userId.toLowerCase()}@${USER_JID_DOMAIN}`;
}

/** A channel's JID (the `toJid` of a command sent in a channel). */
export function channelJid(channelId: string): string {
  return `${channelId}@${CHANNEL_JID_DOMAIN}`;
}

/** The user who talks to the bot. */
export interface BotUser {
  userId: string;
  /** Display name. */
  userName: string;
  /** Default: `userJid(userId)`. */
  userJid?: string;
}

/** What every Chatbot event names. */
export interface ChatbotContext extends Timed {
  /** The user's account ID. */
  accountId: string;
  /** The bot's JID (its "Bot JID" on the Marketplace). */
  robotJid: string;
  user: BotUser;
}

function context(input: ChatbotContext): Record<string, unknown> {
  const user = need(input.user, 'user');
  return {
    accountId: input.accountId,
    robotJid: input.robotJid,
    timestamp: timeOf(input),
    userId: user.userId,
    userJid: user.userJid ?? userJid(user.userId),
    userName: user.userName,
  };
}

/** Where the user talked to the bot. */
export interface ChatbotPlace {
  /** The channel JID (`channelJid(id)`), or the user's JID for a 1:1 chat with the bot. */
  toJid: string;
  /** The channel's name, or the user's name in a 1:1 chat. */
  channelName: string;
}

/** A slash command sent to the bot (`/bot-command text`). */
export interface BotNotificationInput extends ChatbotContext, ChatbotPlace {
  /** The text after the slash command. */
  cmd: string;
  /** The bot's name. */
  botName: string;
}

/** `bot_notification` */
export function botNotification(input: BotNotificationInput): Record<string, unknown> {
  return { ...context(input), channelName: input.channelName, cmd: input.cmd, name: input.botName, toJid: input.toJid };
}

/** `bot_installed`: a user added the bot to their account. */
export function botInstalled(input: ChatbotContext): Record<string, unknown> {
  return context(input);
}

/** The interactive card the bot sent, echoed back as `original`. */
export interface InteractiveCard {
  head?: { text?: string; sub_head?: { text?: string } };
  body?: Array<Record<string, unknown>>;
}

/** A user acted on a card the bot sent. */
export interface InteractiveInput extends ChatbotContext, ChatbotPlace {
  /** The card message's ID. */
  messageId: string;
  original: InteractiveCard;
}

function interactive(input: InteractiveInput, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    ...context(input),
    channelName: input.channelName,
    messageId: input.messageId,
    original: need(input.original, 'original'),
    toJid: input.toJid,
    ...extra,
  };
}

/** `interactive_message_actions`: a button was clicked. */
export function interactiveMessageActions(
  input: InteractiveInput & { action: { text: string; value: string } },
): Record<string, unknown> {
  const action = need(input.action, 'action');
  return interactive(input, { actionItem: { text: action.text, value: action.value } });
}

/** `interactive_message_select`: options were chosen in a select. */
export function interactiveMessageSelect(
  input: InteractiveInput & { selected: Array<{ value: string }> },
): Record<string, unknown> {
  if (!Array.isArray(input.selected)) throw new TypeError('selected must be an array of { value }');
  return interactive(input, { selectedItems: input.selected.map((s) => ({ value: s.value })) });
}

/** `interactive_message_editable`: an editable text was changed from `origin` to `target`. */
export function interactiveMessageEditable(
  input: InteractiveInput & { edit: { origin: string; target: string } },
): Record<string, unknown> {
  const edit = need(input.edit, 'edit');
  return interactive(input, { editItem: { origin: edit.origin, target: edit.target } });
}

/** `interactive_message_fields_editable`: an editable field `key` was changed. */
export function interactiveMessageFieldsEditable(
  input: InteractiveInput & { field: { key: string; currentValue: string; newValue: string } },
): Record<string, unknown> {
  const field = need(input.field, 'field');
  return interactive(input, {
    fieldEditItem: { currentValue: field.currentValue, key: field.key, newValue: field.newValue },
  });
}

/** The bot was @mentioned in a channel message. */
export interface AppMentionInput extends Timed {
  operator: Operator;
  channel: Pick<ChannelRef, 'id' | 'name'>;
  message: MessageContent & { text: string };
}

/** `team_chat.app_mention` */
export function appMention(input: AppMentionInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  const message = need(input.message, 'message');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      message_id: message.id,
      type: 'to_channel',
      channel_id: channel.id,
      channel_name: channel.name,
      ...contentFields(message),
      ...replyField(message.replyToId),
      date_time: zoomDateTime(at),
      timestamp: at,
    },
  };
}

/**
 * A link of the app's domain was posted (unfurling). The delivery also needs the top-level
 * `response_url` (where the app posts the unfurl): pass it as `emit(…, { extra: { response_url } })`;
 * Zoom's is `https://api.zoom.us/v2/im/chat/users/{userId}/unfurls/{triggerId}`.
 */
export interface LinkSharedInput extends Timed {
  operator: Operator;
  to: { channel: Pick<ChannelRef, 'id' | 'name'> } | { contact: UserRef };
  /** The message with the link (absent while it is being composed). */
  messageId?: string;
  replyToId?: string;
  /** Identifies this unfurl request. */
  triggerId: string;
  link: string;
}

/** `team_chat.link_shared` */
export function linkShared(input: LinkSharedInput): Record<string, unknown> {
  const at = timeOf(input);
  const to = need(input.to, 'to');
  const where =
    'channel' in to
      ? { type: 'to_channel', channel_id: to.channel.id, channel_name: to.channel.name }
      : { type: 'to_contact', contact_id: to.contact.userId, contact_member_id: memberIdOf(to.contact) };
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      ...(input.messageId === undefined ? {} : { message_id: input.messageId }),
      ...where,
      trigger_id: input.triggerId,
      link: input.link,
      ...replyField(input.replyToId),
      date_time: zoomDateTime(at),
      timestamp: at,
    },
  };
}
