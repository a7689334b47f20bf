import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, messageIdProperty } from '../../descriptions/common';
import { actingUser, optionalString, requiredString, resolveConversation, toZoomEmoji } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	messageIdProperty,
	...conversationProperties,
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		options: [
			{ name: 'Add', value: 'add' },
			{ name: 'Remove', value: 'remove' },
		],
		default: 'add',
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '',
		placeholder: '👍',
		description: 'The emoji itself (👍) or its code (U+1F44D). Leave empty when using a custom emoji.',
	},
	{
		displayName: 'Custom Emoji ID',
		name: 'customEmojiId',
		type: 'string',
		default: '',
		description: "ID of one of the account's custom emojis (instead of Emoji)",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['react'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const action = this.getNodeParameter('action', i) as string;
	const emoji = optionalString.call(this, 'emoji', i, 'Emoji');
	const customEmojiId = optionalString.call(this, 'customEmojiId', i, 'Custom Emoji ID');
	if (!emoji && !customEmojiId) {
		throw new NodeOperationError(this.getNode(), 'Set "Emoji" or "Custom Emoji ID"', { itemIndex: i });
	}
	const body: IDataObject = { ...resolveConversation.call(this, i), action };
	if (customEmojiId) {
		body.custom_emoji = true;
		body.custom_emoji_id = customEmojiId;
	} else {
		body.emoji = toZoomEmoji(emoji);
	}
	await client.messages.react(messageId, body, { userId: actingUser.call(this, authentication, i) });
	return { id: messageId, action, ...(body.emoji ? { emoji: body.emoji } : { custom_emoji_id: customEmojiId }) };
}
