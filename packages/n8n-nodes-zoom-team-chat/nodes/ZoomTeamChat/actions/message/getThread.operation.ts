import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, messageIdProperty, simplifyProperty } from '../../descriptions/common';
import {
	actingUser,
	positiveInteger,
	requiredString,
	resolveConversation,
	toZoomDateTime,
} from '../../helpers/parameters';
import { simplifyMessage } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	messageIdProperty,
	...conversationProperties,
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 50,
		description: 'Max number of results to return',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: 'Replies sent at or after this time (default: when the main message was sent)',
			},
			{
				displayName: 'Include Attachments',
				name: 'needAttachment',
				type: 'boolean',
				default: false,
				description: 'Whether to include file details',
			},
			{
				displayName: 'Include Main Message',
				name: 'needMainMessage',
				type: 'boolean',
				default: true,
				description: 'Whether to include the message that started the thread',
			},
			{
				displayName: 'Include Reactions',
				name: 'needEmoji',
				type: 'boolean',
				default: false,
				description: 'Whether to include emoji reactions',
			},
			{
				displayName: 'Order',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'desc' },
					{ name: 'Oldest First', value: 'asc' },
				],
				default: 'asc',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: 'Replies sent before this time',
			},
		],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getThread'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const conversation = resolveConversation.call(this, i);
	const userId = actingUser.call(this, authentication, i);

	let from: string;
	if (options.from) {
		from = toZoomDateTime.call(this, 'From', options.from, i);
	} else {
		// Zoom requires `from`; the thread cannot start before its main message.
		const main = (await client.messages.get(messageId, conversation, { userId })) as IDataObject;
		const sentAt = typeof main.timestamp === 'number' ? main.timestamp : Date.parse(String(main.date_time));
		from = new Date(Number.isFinite(sentAt) ? sentAt - 1000 : 0).toISOString().replace(/\.\d{3}Z$/, 'Z');
	}
	const query: IDataObject = {
		...conversation,
		from,
		limit: positiveInteger.call(this, this.getNodeParameter('limit', i, 50), 'Limit', i, 100),
		sort: options.sort ?? 'asc',
		need_main_message: options.needMainMessage ?? true,
		need_emoji: options.needEmoji ?? false,
		need_attachment: options.needAttachment ?? false,
	};
	if (options.to) query.to = toZoomDateTime.call(this, 'To', options.to, i);
	const thread = (await client.messages.thread(messageId, query as Parameters<typeof client.messages.thread>[1], {
		userId,
	})) as IDataObject;
	const messages = (Array.isArray(thread?.messages) ? thread.messages : []) as IDataObject[];
	return this.getNodeParameter('simplify', i, true) ? messages.map(simplifyMessage) : messages;
}
