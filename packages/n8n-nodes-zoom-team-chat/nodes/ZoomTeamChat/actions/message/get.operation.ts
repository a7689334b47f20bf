import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, messageIdProperty, simplifyProperty } from '../../descriptions/common';
import { actingUser, requiredString, resolveConversation } from '../../helpers/parameters';
import { simplifyMessage } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [messageIdProperty, ...conversationProperties, simplifyProperty];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const message = (await client.messages.get(messageId, resolveConversation.call(this, i), {
		userId: actingUser.call(this, authentication, i),
	})) as IDataObject;
	return this.getNodeParameter('simplify', i, true) ? simplifyMessage(message) : message;
}
