import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getThread from './getThread.operation';
import * as react from './react.operation';
import * as send from './send.operation';
import * as sendAndWait from './sendAndWait';
import * as update from './update.operation';

export { deleteMessage as delete, get, getAll, getThread, react, send, sendAndWait, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a message', action: 'Delete a message' },
			{ name: 'Get', value: 'get', description: 'Get a message', action: 'Get a message' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many messages of a channel or a chat',
				action: 'Get many messages',
			},
			{
				name: 'Get Thread',
				value: 'getThread',
				description: 'Get the replies in the thread of a message',
				action: 'Get the thread of a message',
			},
			{
				name: 'React',
				value: 'react',
				description: 'Add or remove an emoji reaction',
				action: 'React to a message',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send a message to a channel or a contact, or reply in a thread',
				action: 'Send a message',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				description: 'Ask a question in a channel or a chat and wait for the answer: approve, text or a form',
				action: 'Send message and wait for response',
			},
			{ name: 'Update', value: 'update', description: 'Edit a message', action: 'Update a message' },
		],
		default: 'send',
	},
	...send.description,
	...sendAndWait.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteMessage.description,
	...react.description,
	...getThread.description,
];
