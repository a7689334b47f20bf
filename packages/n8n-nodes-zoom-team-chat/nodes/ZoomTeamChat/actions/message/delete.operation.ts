import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, messageIdProperty } from '../../descriptions/common';
import { actingUser, requiredString, resolveConversation } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [messageIdProperty, ...conversationProperties];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	await client.messages.delete(messageId, resolveConversation.call(this, i), {
		userId: actingUser.call(this, authentication, i),
	});
	return { id: messageId, deleted: true };
}
