/**
 * Payload builders: plain fields in, a `payload` valid for the event's schema out (the hub wraps
 * it in `{event, event_ts, payload}`). One builder per event of Zoom's two event specs, all
 * reachable by event name through `buildEventPayload`.
 */
import { eventCatalog } from './catalog';
import { WebhookInputError } from './errors';
import * as chatbot from './events-chatbot';
import * as channels from './events-channels';
import * as files from './events-files';
import * as messages from './events-messages';
import * as spaces from './events-spaces';

export * from './events-common';
export * from './events-messages';
export * from './events-channels';
export * from './events-files';
export * from './events-spaces';
export * from './events-chatbot';

/** Event name → builder. */
export const EVENT_BUILDERS = {
  'chat_message.sent': messages.chatMessageSent,
  'chat_message.updated': messages.chatMessageUpdated,
  'chat_message.deleted': messages.chatMessageDeleted,
  'chat_message.replied': messages.chatMessageReplied,
  'team_chat.channel_message_posted': messages.channelMessagePosted,
  'team_chat.channel_message_updated': messages.channelMessageUpdated,
  'team_chat.channel_message_deleted': messages.channelMessageDeleted,
  'team_chat.dm_message_posted': messages.dmMessagePosted,
  'team_chat.dm_message_updated': messages.dmMessageUpdated,
  'team_chat.dm_message_deleted': messages.dmMessageDeleted,
  'team_chat.channel_reaction_added': messages.channelReactionAdded,
  'team_chat.channel_reaction_removed': messages.channelReactionRemoved,
  'team_chat.dm_reaction_added': messages.dmReactionAdded,
  'team_chat.dm_reaction_removed': messages.dmReactionRemoved,
  'team_chat.channel_pin_added': messages.channelPinAdded,
  'team_chat.channel_pin_removed': messages.channelPinRemoved,
  'team_chat.bookmark_added': messages.bookmarkAdded,
  'team_chat.bookmark_removed': messages.bookmarkRemoved,

  'chat_channel.created': channels.chatChannelCreated,
  'chat_channel.updated': channels.chatChannelUpdated,
  'chat_channel.deleted': channels.chatChannelDeleted,
  'chat_channel.member_joined': channels.chatChannelMemberJoined,
  'chat_channel.member_left': channels.chatChannelMemberLeft,
  'chat_channel.member_invited': channels.chatChannelMemberInvited,
  'chat_channel.member_removed': channels.chatChannelMemberRemoved,
  'team_chat.channel_archived': channels.channelArchived,
  'team_chat.channel_unarchived': channels.channelUnarchived,
  'team_chat.channel_app_added': channels.channelAppAdded,
  'team_chat.channel_app_removed': channels.channelAppRemoved,
  'team_chat.starred': channels.starred,
  'team_chat.unstarred': channels.unstarred,
  'team_chat.channel_invitation_created': channels.channelInvitationCreated,
  'team_chat.channel_invitation_accepted': channels.channelInvitationAccepted,
  'team_chat.channel_invitation_rejected': channels.channelInvitationRejected,
  'team_chat.channel_invitation_removed': channels.channelInvitationRemoved,
  'team_chat.channel_invitation_approved': channels.channelInvitationApproved,
  'team_chat.channel_invitation_declined': channels.channelInvitationDeclined,
  'team_chat.channel_invitation_approval_requested': channels.channelInvitationApprovalRequested,
  'team_chat.channel_join_requested': channels.channelJoinRequested,
  'team_chat.channel_join_approved': channels.channelJoinApproved,
  'team_chat.channel_join_declined': channels.channelJoinDeclined,
  'team_chat.channel_join_approval_requested': channels.channelJoinApprovalRequested,

  'team_chat.file_uploaded': files.fileUploaded,
  'team_chat.file_changed': files.fileChanged,
  'team_chat.file_deleted': files.fileDeleted,
  'team_chat.file_shared': files.fileShared,
  'team_chat.file_unshared': files.fileUnshared,
  'team_chat.file_downloaded': files.fileDownloaded,
  'team_chat.emoji_added': files.emojiAdded,
  'team_chat.emoji_removed': files.emojiRemoved,

  'team_chat.shared_spaces_member_invited': spaces.sharedSpacesMemberInvited,
  'team_chat.shared_spaces_member_removed': spaces.sharedSpacesMemberRemoved,
  'team_chat.shared_spaces_member_left': spaces.sharedSpacesMemberLeft,
  'team_chat.shared_spaces_edited': spaces.sharedSpacesEdited,

  bot_notification: chatbot.botNotification,
  bot_installed: chatbot.botInstalled,
  interactive_message_actions: chatbot.interactiveMessageActions,
  interactive_message_select: chatbot.interactiveMessageSelect,
  interactive_message_editable: chatbot.interactiveMessageEditable,
  interactive_message_fields_editable: chatbot.interactiveMessageFieldsEditable,
  'team_chat.app_mention': chatbot.appMention,
  'team_chat.link_shared': chatbot.linkShared,
} as const;

export type BuildableEvent = keyof typeof EVENT_BUILDERS;

/** The input each builder takes, by event name. */
export type EventInputs = { [E in BuildableEvent]: Parameters<(typeof EVENT_BUILDERS)[E]>[0] };

/**
 * Top-level delivery fields an event needs besides `event`, `event_ts` and `payload`; pass them
 * as `emit(event, payload, { extra })`.
 */
export const REQUIRED_ENVELOPE_EXTRAS: Partial<Record<BuildableEvent, readonly string[]>> = {
  'team_chat.link_shared': ['response_url'],
};

/** Builds the payload of `event` from its builder's input (see `EventInputs[event]`). */
export function buildEventPayload<E extends BuildableEvent>(event: E, fields: EventInputs[E]): Record<string, unknown> {
  const builder = (EVENT_BUILDERS as Record<string, ((input: never) => Record<string, unknown>) | undefined>)[event];
  if (builder === undefined) {
    const suggestion = eventCatalog().suggest(String(event));
    throw new WebhookInputError(
      'event',
      `no payload builder for '${String(event)}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`,
    );
  }
  if (fields === null || typeof fields !== 'object') {
    throw new WebhookInputError('fields', `${event}: fields must be an object`);
  }
  return builder(fields as never);
}
