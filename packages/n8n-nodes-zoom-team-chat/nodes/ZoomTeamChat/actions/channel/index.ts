import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as create from './create.operation';
import * as deleteChannel from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as join from './join.operation';
import * as leave from './leave.operation';
import * as unarchive from './unarchive.operation';
import * as update from './update.operation';

export { archive, create, deleteChannel as delete, get, getAll, join, leave, unarchive, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{ name: 'Archive', value: 'archive', description: 'Archive a channel', action: 'Archive a channel' },
			{ name: 'Create', value: 'create', description: 'Create a channel', action: 'Create a channel' },
			{ name: 'Delete', value: 'delete', description: 'Delete a channel', action: 'Delete a channel' },
			{ name: 'Get', value: 'get', description: 'Get a channel', action: 'Get a channel' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get many of the user's channels",
				action: 'Get many channels',
			},
			{ name: 'Join', value: 'join', description: 'Join a public channel', action: 'Join a channel' },
			{ name: 'Leave', value: 'leave', description: 'Leave a channel', action: 'Leave a channel' },
			{ name: 'Unarchive', value: 'unarchive', description: 'Unarchive a channel', action: 'Unarchive a channel' },
			{ name: 'Update', value: 'update', description: 'Update a channel', action: 'Update a channel' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteChannel.description,
	...archive.description,
	...unarchive.description,
	...join.description,
	...leave.description,
];
