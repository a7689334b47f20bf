import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { botIdentity } from './content';
import { chatbotMessageIdProperty } from './edit.operation';

const properties: INodeProperties[] = [
	chatbotMessageIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Account ID',
				name: 'accountId',
				type: 'string',
				default: '',
				description: "Account of the message (default: the credential's)",
			},
			{
				displayName: 'User JID',
				name: 'userJid',
				type: 'string',
				default: '',
				description: 'JID of the user on whose behalf the bot wrote',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chatbotMessage'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, { client, credentials }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const query: IDataObject = { ...botIdentity.call(this, credentials, options.accountId, i) };
	if (options.userJid) query.user_jid = String(options.userJid).trim();
	await client.chatbot.delete(messageId, query);
	return { message_id: messageId, deleted: true };
}
