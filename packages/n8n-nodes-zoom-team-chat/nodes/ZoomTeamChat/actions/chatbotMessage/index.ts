import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as edit from './edit.operation';
import * as send from './send.operation';
import * as sendAndWait from './sendAndWait';

export { deleteMessage as delete, edit, send, sendAndWait };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chatbotMessage'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a message the bot sent',
				action: 'Delete a chatbot message',
			},
			{ name: 'Edit', value: 'edit', description: 'Edit a message the bot sent', action: 'Edit a chatbot message' },
			{
				name: 'Send',
				value: 'send',
				description: 'Send a text, Markdown or card message as the bot',
				action: 'Send a chatbot message',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				description: 'Ask with a card whose buttons answer (or a form) and wait for the answer',
				action: 'Send a chatbot card and wait for response',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendAndWait.description,
	...edit.description,
	...deleteMessage.description,
];
