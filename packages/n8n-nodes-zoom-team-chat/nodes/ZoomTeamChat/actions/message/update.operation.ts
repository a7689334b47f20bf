import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, messageIdProperty } from '../../descriptions/common';
import { textFormatOf, textFormatProperties } from '../../descriptions/textFormat';
import { actingUser, requiredString, resolveConversation, toList } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	messageIdProperty,
	...conversationProperties,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The new text of the message',
	},
	...textFormatProperties(
		'Zoom edits the text only, without formatting or mentions: Markdown sends the visible text (the markup removed)',
	),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'File IDs',
				name: 'fileIds',
				type: 'string',
				default: '',
				description: 'Comma-separated file IDs that replace the files of the message',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	let message = requiredString.call(this, 'message', i, 'Message', { keepSpaces: true });
	// editMessage takes no rich_text or at_items: an "@email" stays as typed rather than show a
	// name that would look like a mention without being one.
	if (textFormatOf.call(this, i) === 'markdown') {
		message = (await client.messages.compose(message, { format: 'markdown', mentions: false })).message;
	}
	const body: IDataObject = { ...resolveConversation.call(this, i), message };
	if (fields.fileIds !== undefined) body.file_ids = toList(fields.fileIds);
	await client.messages.update(messageId, body, { userId: actingUser.call(this, authentication, i) });
	return { id: messageId, updated: true };
}
