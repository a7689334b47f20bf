import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as search from './search.operation';

export { get, getAll, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a contact', action: 'Get a contact' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get many of the user's contacts",
				action: 'Get many contacts',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search the company directory by name or email',
				action: 'Search company contacts',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...search.description,
];
