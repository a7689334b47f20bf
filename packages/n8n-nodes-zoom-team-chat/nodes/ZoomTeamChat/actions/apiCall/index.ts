import type { INodeProperties } from 'n8n-workflow';

import * as call from './call.operation';

export { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiCall'] } },
		options: [
			{
				name: 'Call',
				value: 'call',
				description: 'Call any Team Chat or Chatbot API operation by its ID',
				action: 'Call an API operation',
			},
		],
		default: 'call',
	},
	...call.description,
];
