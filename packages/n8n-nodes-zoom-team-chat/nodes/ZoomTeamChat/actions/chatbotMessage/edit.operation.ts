import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { botIdentity, buildContent, contentProperties } from './content';

export const chatbotMessageIdProperty: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	description: 'The message_id Zoom returned when the bot sent the message',
};

const properties: INodeProperties[] = [
	chatbotMessageIdProperty,
	...contentProperties,
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
	{ show: { resource: ['chatbotMessage'], operation: ['edit'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, { client, credentials }: OperationContext) {
	const messageId = requiredString.call(this, 'messageId', i, 'Message ID');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const { content, markdown } = buildContent.call(this, i);
	const body: IDataObject = { ...botIdentity.call(this, credentials, options.accountId, i), content };
	if (markdown) body.is_markdown_support = true;
	if (options.userJid) body.user_jid = String(options.userJid).trim();
	return (await client.chatbot.edit(messageId, body)) as IDataObject;
}
