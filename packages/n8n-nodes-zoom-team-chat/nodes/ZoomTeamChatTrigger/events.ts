import type { INode, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { eventCatalog, type ZoomEventName } from '@zoom-team-chat/core/portable';

import type { TriggerAuthentication } from './authentication';

interface EventLabel {
	/** "Kind: What happened": the list is read by kind, so the kind leads. */
	name: string;
	/** One line: the multi-select shows a description under every entry. */
	description: string;
}

/**
 * Labels written for the picker rather than taken from Zoom's spec, whose descriptions run to
 * several lines, carry typos and repeat one text for two events. Listed in the order the picker
 * shows them: by kind, then in the order things happen.
 */
const LABELS: Record<ZoomEventName, EventLabel> = {
	'chat_message.sent': { name: 'Message: Sent', description: 'A user sent a message to a contact or a channel' },
	'chat_message.replied': {
		name: 'Message: Replied in Thread',
		description: 'A user replied to a message in a thread',
	},
	'chat_message.updated': { name: 'Message: Edited', description: 'A user edited a message they sent' },
	'chat_message.deleted': { name: 'Message: Deleted', description: 'A user deleted a message they sent' },
	'team_chat.channel_message_posted': {
		name: 'Message: Posted in Channel',
		description: 'A channel received a message',
	},
	'team_chat.channel_message_updated': {
		name: 'Message: Edited in Channel',
		description: 'A message in a channel was edited',
	},
	'team_chat.channel_message_deleted': {
		name: 'Message: Deleted in Channel',
		description: 'A message in a channel was deleted',
	},
	'team_chat.dm_message_posted': {
		name: 'Message: Posted in Direct Message',
		description: 'A direct message was received',
	},
	'team_chat.dm_message_updated': {
		name: 'Message: Edited in Direct Message',
		description: 'A direct message was edited',
	},
	'team_chat.dm_message_deleted': {
		name: 'Message: Deleted in Direct Message',
		description: 'A direct message was deleted',
	},
	'team_chat.channel_pin_added': { name: 'Message: Pinned', description: 'A message was pinned in a channel' },
	'team_chat.channel_pin_removed': { name: 'Message: Unpinned', description: 'A message was unpinned in a channel' },
	'team_chat.bookmark_added': { name: 'Message: Bookmarked', description: 'A user bookmarked a message' },
	'team_chat.bookmark_removed': {
		name: 'Message: Bookmark Removed',
		description: 'A user removed a bookmark from a message',
	},

	'chat_channel.created': { name: 'Channel: Created', description: 'A user created a channel' },
	'chat_channel.updated': { name: 'Channel: Updated', description: "An admin changed a channel's details" },
	'chat_channel.deleted': { name: 'Channel: Deleted', description: 'An admin deleted a channel' },
	'team_chat.channel_archived': { name: 'Channel: Archived', description: 'The owner archived a channel' },
	'team_chat.channel_unarchived': { name: 'Channel: Unarchived', description: 'The owner unarchived a channel' },
	'team_chat.channel_app_added': { name: 'Channel: App Added', description: 'Chatbot apps were added to a channel' },
	'team_chat.channel_app_removed': {
		name: 'Channel: App Removed',
		description: 'A chatbot app was removed from a channel',
	},

	'chat_channel.member_invited': { name: 'Channel Member: Invited', description: 'A user was added to a channel' },
	'chat_channel.member_joined': { name: 'Channel Member: Joined', description: 'A user joined a public channel' },
	'chat_channel.member_left': { name: 'Channel Member: Left', description: 'A user left a channel' },
	'chat_channel.member_removed': {
		name: 'Channel Member: Removed',
		description: 'A member removed a user from a channel',
	},

	'team_chat.channel_invitation_created': {
		name: 'Channel Invitation: Sent',
		description: 'A user was invited into a channel',
	},
	'team_chat.channel_invitation_accepted': {
		name: 'Channel Invitation: Accepted',
		description: 'The invitee accepted the invitation',
	},
	'team_chat.channel_invitation_rejected': {
		name: 'Channel Invitation: Rejected',
		description: 'The invitee rejected the invitation',
	},
	'team_chat.channel_invitation_removed': {
		name: 'Channel Invitation: Withdrawn',
		description: 'The inviter withdrew the invitation',
	},
	'team_chat.channel_invitation_approval_requested': {
		name: 'Channel Invitation: Approval Requested',
		description: 'Inviting an external user needs an admin to approve',
	},
	'team_chat.channel_invitation_approved': {
		name: 'Channel Invitation: Approved',
		description: 'An admin approved the invitation',
	},
	'team_chat.channel_invitation_declined': {
		name: 'Channel Invitation: Declined',
		description: 'An admin declined the invitation',
	},

	'team_chat.channel_join_requested': {
		name: 'Channel Join Request: Sent',
		description: 'A user asked to join a channel',
	},
	'team_chat.channel_join_approval_requested': {
		name: 'Channel Join Request: Approval Requested',
		description: 'An external user joining needs an admin to approve',
	},
	'team_chat.channel_join_approved': {
		name: 'Channel Join Request: Approved',
		description: 'The join request was approved',
	},
	'team_chat.channel_join_declined': {
		name: 'Channel Join Request: Declined',
		description: 'The join request was declined',
	},

	'team_chat.file_uploaded': { name: 'File: Uploaded', description: 'A user uploaded files' },
	'team_chat.file_shared': { name: 'File: Shared', description: 'A user shared files with a contact or a channel' },
	'team_chat.file_unshared': {
		name: 'File: Unshared',
		description: 'A user unshared files from a contact or a channel',
	},
	'team_chat.file_changed': { name: 'File: Changed', description: 'A user changed files' },
	'team_chat.file_downloaded': { name: 'File: Downloaded', description: 'A user downloaded a file sent in a chat' },
	'team_chat.file_deleted': { name: 'File: Deleted', description: 'A user deleted files' },

	'team_chat.channel_reaction_added': {
		name: 'Reaction: Added in Channel',
		description: 'A user reacted to a message in a channel',
	},
	'team_chat.channel_reaction_removed': {
		name: 'Reaction: Removed in Channel',
		description: 'A user removed a reaction in a channel',
	},
	'team_chat.dm_reaction_added': {
		name: 'Reaction: Added in Direct Message',
		description: 'A user reacted to a direct message',
	},
	'team_chat.dm_reaction_removed': {
		name: 'Reaction: Removed in Direct Message',
		description: 'A user removed a reaction from a direct message',
	},

	'team_chat.shared_spaces_edited': {
		name: 'Shared Space: Edited',
		description: 'The settings of a shared space changed',
	},
	'team_chat.shared_spaces_member_invited': {
		name: 'Shared Space: Member Invited',
		description: 'A contact was invited to a shared space',
	},
	'team_chat.shared_spaces_member_left': {
		name: 'Shared Space: Member Left',
		description: 'A member left a shared space',
	},
	'team_chat.shared_spaces_member_removed': {
		name: 'Shared Space: Member Removed',
		description: 'A member was removed from a shared space',
	},

	'team_chat.emoji_added': { name: 'Custom Emoji: Added', description: 'A user added a custom emoji' },
	'team_chat.emoji_removed': { name: 'Custom Emoji: Removed', description: 'A user removed a custom emoji' },

	'team_chat.starred': { name: 'Star: Added', description: 'A user starred contacts or channels' },
	'team_chat.unstarred': { name: 'Star: Removed', description: 'A user unstarred contacts or channels' },

	bot_notification: {
		name: 'Chatbot: Command Received',
		description: 'A user sent the chatbot a command or a message',
	},
	'team_chat.app_mention': { name: 'Chatbot: App Mentioned', description: 'A user mentioned the app in a channel' },
	interactive_message_actions: {
		name: 'Chatbot: Button Clicked',
		description: "A user clicked a button in the chatbot's message",
	},
	interactive_message_select: {
		name: 'Chatbot: Option Selected',
		description: "A user picked an option in the chatbot's dropdown",
	},
	interactive_message_editable: {
		name: 'Chatbot: Text Edited',
		description: "A user edited the chatbot's editable text",
	},
	interactive_message_fields_editable: {
		name: 'Chatbot: Form Fields Edited',
		description: "A user edited the editable fields of the chatbot's message",
	},
	'team_chat.link_shared': { name: 'Chatbot: Link Shared', description: 'A user sent a link (for link previews)' },
	bot_installed: { name: 'Chatbot: Installed', description: 'A user installed (authorized) the chatbot' },
};

const ORDER = Object.keys(LABELS) as ZoomEventName[];

function option(name: ZoomEventName): INodePropertyOptions {
	return { name: LABELS[name].name, value: name, description: LABELS[name].description };
}

const apiOf = new Map(eventCatalog.map((e) => [e.name as string, e.api]));

/** Every Team Chat and Chatbot event, grouped by kind. */
export const eventOptions: INodePropertyOptions[] = ORDER.map(option);

/** The Team Chat API's events: what Server-to-Server OAuth and user OAuth apps subscribe to. */
export const teamChatEventOptions: INodePropertyOptions[] = eventOptions.filter(
	(o) => apiOf.get(String(o.value)) === 'team-chat',
);

/** The Chatbot API's events, sent to a chatbot app's bot endpoint. */
export const chatbotEventOptions: INodePropertyOptions[] = eventOptions.filter(
	(o) => apiOf.get(String(o.value)) === 'chatbot',
);

/**
 * The events each authentication can receive. Only a chatbot app has a bot endpoint, and the
 * Chatbot API's token covers only its own events; "Secret Token Only" verifies whatever app the
 * Marketplace subscription belongs to, so it offers both.
 */
export function eventOptionsFor(authentication: TriggerAuthentication): INodePropertyOptions[] {
	switch (authentication) {
		case 'chatbot':
			return chatbotEventOptions;
		case 'webhookSecret':
			return eventOptions;
		default:
			return teamChatEventOptions;
	}
}

/** The chosen events the authentication does not offer (set before a credential change, or by import). */
export function eventsNotOffered(events: readonly string[], authentication: TriggerAuthentication): string[] {
	const offered = new Set(eventOptionsFor(authentication).map((o) => String(o.value)));
	return events.filter((event) => !offered.has(event));
}

const CREDENTIAL_NAMES: Record<TriggerAuthentication, string> = {
	serverToServerOAuth: 'Server-to-Server OAuth',
	oAuth2: 'OAuth2 (User)',
	chatbot: 'Chatbot',
	webhookSecret: 'Secret Token Only',
};

/**
 * Refuses events the credential does not offer (kept from before a credential change, or set by
 * an expression or an import): Zoom would never deliver them, and the workflow would wait in vain.
 */
export function checkEventsOffered(
	node: INode,
	events: readonly string[],
	authentication: TriggerAuthentication,
): void {
	const missing = eventsNotOffered(events, authentication);
	if (!missing.length) return;
	const credential = CREDENTIAL_NAMES[authentication] ?? authentication;
	const chatbotOnly = missing.every((event) => apiOf.get(event) === 'chatbot');
	throw new NodeOperationError(
		node,
		`"Events" holds events that the ${credential} credential does not receive: ${missing.map((e) => `${eventLabel(e)} (${e})`).join(', ')}`,
		{
			description: chatbotOnly
				? 'Chatbot events reach only a chatbot app: choose a Zoom Chatbot API credential (Authentication: Chatbot), or remove them from "Events".'
				: 'Remove them from "Events" and pick from the list this credential offers, or choose a credential for that kind of app.',
		},
	);
}

/** The picker's label of an event, or its name for one this package does not know. */
export function eventLabel(name: string): string {
	return (LABELS as Record<string, EventLabel | undefined>)[name]?.name ?? name;
}

/**
 * The node creator turns every option of a trigger's "Events" field into an entry of its own
 * ("On …"); these few common ones are offered there instead. Team Chat events only: the creator
 * adds the node with the default (Server-to-Server OAuth) authentication.
 */
export const creatorEventOptions: INodePropertyOptions[] = (
	[
		['team_chat.channel_message_posted', 'On new message in a channel'],
		['team_chat.dm_message_posted', 'On new direct message'],
		['chat_message.replied', 'On reply in a thread'],
		['team_chat.channel_reaction_added', 'On reaction added'],
		['team_chat.file_shared', 'On file shared'],
		['chat_channel.created', 'On channel created'],
		['chat_channel.member_joined', 'On member joined a channel'],
	] as Array<[ZoomEventName, string]>
).map(([name, action]) => ({ ...option(name), action }));

const known = new Set(eventCatalog.map((e) => e.name as string));

export function isKnownEvent(name: string): boolean {
	return known.has(name);
}
