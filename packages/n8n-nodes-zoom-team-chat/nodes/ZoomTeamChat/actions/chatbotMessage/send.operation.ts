import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { botIdentity, buildContent, contentProperties } from './content';

const properties: INodeProperties[] = [
	{
		displayName: 'To JID',
		name: 'toJid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.payload.toJid }}',
		description: 'JID of the channel or user to write to. From a bot notification: payload.toJid.',
	},
	{
		displayName: 'User JID',
		name: 'userJid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.payload.userJid }}',
		description: 'JID of the user on whose behalf the bot writes (the user who spoke to it: payload.userJid)',
	},
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
				description: "Account to write in (default: the credential's). From a notification: payload.accountId.",
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyTo',
				type: 'string',
				default: '',
				description: 'Reply in the thread of this message',
			},
			{
				displayName: 'Visible To User JID',
				name: 'visibleToUser',
				type: 'string',
				default: '',
				description: 'Only this user sees the message in the channel',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chatbotMessage'], operation: ['send'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, { client, credentials }: OperationContext) {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const { content, markdown } = buildContent.call(this, i);
	const body: IDataObject = {
		...botIdentity.call(this, credentials, options.accountId, i),
		to_jid: requiredString.call(this, 'toJid', i, 'To JID'),
		user_jid: requiredString.call(this, 'userJid', i, 'User JID'),
		content,
	};
	if (markdown) body.is_markdown_support = true;
	if (options.replyTo) body.reply_to = String(options.replyTo).trim();
	if (options.visibleToUser) body.visible_to_user = String(options.visibleToUser).trim();
	return (await client.chatbot.send(body)) as IDataObject;
}
