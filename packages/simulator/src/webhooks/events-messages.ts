import {
  atItems,
  checkEpoch,
  contentFields,
  legacyOperatorFields,
  memberIdOf,
  need,
  operatorFields,
  replyField,
  timeOf,
  zoomDateTime,
  type ChannelRef,
  type EpochMs,
  type MessageContent,
  type Mention,
  type Operator,
  type Timed,
  type UserRef,
} from './events-common';

/** A message posted or edited in a channel. */
export interface ChannelMessageInput extends Timed {
  /** The sender (or editor). */
  operator: Operator;
  channel: ChannelRef;
  message: MessageContent & { mentions?: Mention[] };
  /** `session_id`. Default: the channel ID. */
  sessionId?: string;
}

/** `team_chat.channel_message_posted` */
export function channelMessagePosted(input: ChannelMessageInput): Record<string, unknown> {
  return channelMessage(input);
}

/** `team_chat.channel_message_updated` */
export function channelMessageUpdated(input: ChannelMessageInput): Record<string, unknown> {
  return channelMessage(input);
}

function channelMessage(input: ChannelMessageInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  const message = need(input.message, 'message');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      message_id: message.id,
      ...replyField(message.replyToId),
      session_id: input.sessionId ?? channel.id,
      date_time: zoomDateTime(at),
      timestamp: at,
      channel_id: channel.id,
      channel_owner_account_id: channel.ownerAccountId ?? input.operator.accountId,
      channel_name: channel.name,
      ...contentFields(message),
      ...(message.mentions === undefined || message.mentions.length === 0
        ? {}
        : { at_items: atItems(message.mentions) }),
    },
  };
}

/** A channel message deleted. */
export interface ChannelMessageDeletedInput extends Timed {
  operator: Operator;
  channel: ChannelRef;
  messageId: string;
  /** The thread's parent when the deleted message was a reply. */
  replyToId?: string;
}

/** `team_chat.channel_message_deleted` */
export function channelMessageDeleted(input: ChannelMessageDeletedInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      message_id: input.messageId,
      date_time: zoomDateTime(at),
      timestamp: at,
      channel_id: channel.id,
      channel_owner_account_id: channel.ownerAccountId ?? input.operator.accountId,
      channel_name: channel.name,
      ...replyField(input.replyToId),
    },
  };
}

/** A direct message posted or edited. */
export interface DmMessageInput extends Timed {
  /** The sender (or editor). */
  operator: Operator;
  /** The other person in the conversation. */
  contact: UserRef;
  message: MessageContent;
  /** `session_id`. Default: the contact's user ID. */
  sessionId?: string;
}

/** `team_chat.dm_message_posted` */
export function dmMessagePosted(input: DmMessageInput): Record<string, unknown> {
  return dmMessage(input);
}

/** `team_chat.dm_message_updated` */
export function dmMessageUpdated(input: DmMessageInput): Record<string, unknown> {
  return dmMessage(input);
}

function dmMessage(input: DmMessageInput): Record<string, unknown> {
  const at = timeOf(input);
  const contact = need(input.contact, 'contact');
  const message = need(input.message, 'message');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      message_id: message.id,
      ...replyField(message.replyToId),
      session_id: input.sessionId ?? contact.userId,
      date_time: zoomDateTime(at),
      timestamp: at,
      ...contactFields(contact),
      ...contentFields(message),
    },
  };
}

/** A direct message deleted. */
export interface DmMessageDeletedInput extends Timed {
  operator: Operator;
  contact: UserRef;
  messageId: string;
  replyToId?: string;
}

/** `team_chat.dm_message_deleted` */
export function dmMessageDeleted(input: DmMessageDeletedInput): Record<string, unknown> {
  const at = timeOf(input);
  const contact = need(input.contact, 'contact');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      message_id: input.messageId,
      date_time: zoomDateTime(at),
      timestamp: at,
      ...contactFields(contact),
      ...replyField(input.replyToId),
    },
  };
}

function contactFields(contact: UserRef): Record<string, unknown> {
  return {
    contact_email: contact.email,
    contact_id: contact.userId,
    contact_account_id: contact.accountId,
    contact_member_id: memberIdOf(contact),
  };
}

/** Where a message went: a channel or a contact (the other side of a DM). */
export type Destination = { channel: Pick<ChannelRef, 'id' | 'name'> } | { contact: UserRef };

/**
 * The older `chat_message.*` events. Their schema requires both the channel and the contact
 * fields, so the ones that do not apply are sent as empty strings.
 */
export interface LegacyMessageInput extends Timed {
  operator: Operator;
  message: { id: string; text: string };
  to: Destination;
  /** `session_id`. Default: the channel ID or the contact's user ID. */
  sessionId?: string;
}

/** `chat_message.sent` */
export function chatMessageSent(input: LegacyMessageInput): Record<string, unknown> {
  return legacyMessage(input, {});
}

/** `chat_message.updated` */
export function chatMessageUpdated(input: LegacyMessageInput): Record<string, unknown> {
  return legacyMessage(input, {});
}

/** `chat_message.deleted` (message.text: the text the message had) */
export function chatMessageDeleted(input: LegacyMessageInput): Record<string, unknown> {
  return legacyMessage(input, {});
}

/** A reply in a thread. */
export interface LegacyReplyInput extends LegacyMessageInput {
  /** `parent_msg_id`: the thread's parent message. */
  parentMessageId: string;
}

/** `chat_message.replied` */
export function chatMessageReplied(input: LegacyReplyInput): Record<string, unknown> {
  return legacyMessage(input, { parent_msg_id: input.parentMessageId });
}

function legacyMessage(input: LegacyMessageInput, extra: Record<string, unknown>): Record<string, unknown> {
  const at = timeOf(input);
  const message = need(input.message, 'message');
  const to = need(input.to, 'to');
  const channel = 'channel' in to ? need(to.channel, 'to.channel') : undefined;
  const contact = 'contact' in to ? need(to.contact, 'to.contact') : undefined;
  return {
    ...legacyOperatorFields(input.operator),
    object: {
      id: message.id,
      type: channel === undefined ? 'to_contact' : 'to_channel',
      date_time: zoomDateTime(at),
      timestamp: at,
      session_id: input.sessionId ?? channel?.id ?? contact?.userId ?? '',
      contact_email: contact?.email ?? '',
      contact_id: contact?.userId ?? '',
      channel_id: channel?.id ?? '',
      channel_name: channel?.name ?? '',
      message: message.text,
      ...extra,
    },
  };
}

/** An emoji reaction added to or removed from a channel message. */
export interface ChannelReactionInput extends Timed {
  operator: Operator;
  channelId: string;
  messageId: string;
  /** When the reacted-to message was sent (`msg_time`). */
  messageAt: EpochMs;
  /** Zoom sends the code point form, e.g. `U+1f44c`. */
  emoji: string;
}

/** `team_chat.channel_reaction_added` */
export function channelReactionAdded(input: ChannelReactionInput): Record<string, unknown> {
  return reaction(input, { channel_id: input.channelId });
}

/** `team_chat.channel_reaction_removed` */
export function channelReactionRemoved(input: ChannelReactionInput): Record<string, unknown> {
  return reaction(input, { channel_id: input.channelId });
}

/** An emoji reaction added to or removed from a direct message. */
export interface DmReactionInput extends Timed {
  operator: Operator;
  /** The other person in the conversation. */
  contact: UserRef;
  messageId: string;
  messageAt: EpochMs;
  emoji: string;
}

/** `team_chat.dm_reaction_added` */
export function dmReactionAdded(input: DmReactionInput): Record<string, unknown> {
  return reaction(input, dmReactionContact(input));
}

/** `team_chat.dm_reaction_removed` */
export function dmReactionRemoved(input: DmReactionInput): Record<string, unknown> {
  return reaction(input, dmReactionContact(input));
}

function dmReactionContact(input: DmReactionInput): Record<string, unknown> {
  const contact = need(input.contact, 'contact');
  return { contact_email: contact.email, contact_id: contact.userId, contact_member_id: memberIdOf(contact) };
}

function reaction(
  input: Timed & { operator: Operator; messageId: string; messageAt: EpochMs; emoji: string },
  where: Record<string, unknown>,
): Record<string, unknown> {
  const at = timeOf(input);
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      msg_id: input.messageId,
      msg_time: zoomDateTime(checkEpoch(input.messageAt, 'messageAt')),
      emoji_time: zoomDateTime(at),
      emoji: input.emoji,
      timestamp: at,
      ...where,
    },
  };
}

/** A message pinned or unpinned in a channel. */
export interface PinInput extends Timed {
  operator: Operator;
  channel: ChannelRef;
  message: Omit<MessageContent, 'replyToId'> & { text: string; sentAt: EpochMs };
}

/** `team_chat.channel_pin_added` */
export function channelPinAdded(input: PinInput): Record<string, unknown> {
  return pin(input);
}

/** `team_chat.channel_pin_removed` */
export function channelPinRemoved(input: PinInput): Record<string, unknown> {
  return pin(input);
}

function pin(input: PinInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  const message = need(input.message, 'message');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      channel_name: channel.name,
      channel_id: channel.id,
      type: channel.type,
      message_id: message.id,
      message_timestamp: checkEpoch(message.sentAt, 'message.sentAt'),
      date_time: zoomDateTime(at),
      timestamp: at,
      ...contentFields(message),
    },
  };
}

/** A message bookmarked or un-bookmarked by the operator. */
export interface BookmarkInput extends Timed {
  operator: Operator;
  message: Omit<MessageContent, 'replyToId'> & { text: string; sentAt: EpochMs };
  /** Who sent the bookmarked message; `external` marks another account. */
  sender: UserRef & { external?: boolean };
  /** The channel the message is in; omit for a direct message. */
  channelId?: string;
}

/** `team_chat.bookmark_added` */
export function bookmarkAdded(input: BookmarkInput): Record<string, unknown> {
  return bookmark(input);
}

/** `team_chat.bookmark_removed` */
export function bookmarkRemoved(input: BookmarkInput): Record<string, unknown> {
  return bookmark(input);
}

function bookmark(input: BookmarkInput): Record<string, unknown> {
  const at = timeOf(input);
  const message = need(input.message, 'message');
  const sender = need(input.sender, 'sender');
  return {
    ...operatorFields(input.operator),
    object: {
      type: input.channelId === undefined ? 'to_contact' : 'to_channel',
      ...(input.channelId === undefined ? {} : { channel_id: input.channelId }),
      message_id: message.id,
      message_timestamp: checkEpoch(message.sentAt, 'message.sentAt'),
      sender: sender.email,
      sender_id: sender.userId,
      sender_member_id: memberIdOf(sender),
      by_external_user: sender.external === true,
      date_time: zoomDateTime(at),
      timestamp: at,
      ...contentFields(message),
    },
  };
}
