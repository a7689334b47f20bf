import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as invite from './invite.operation';
import * as remove from './remove.operation';

export { getAll, invite, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['member'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many members of a channel',
				action: 'Get many channel members',
			},
			{
				name: 'Invite',
				value: 'invite',
				description: 'Invite people to a channel',
				action: 'Invite members to a channel',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove someone from a channel',
				action: 'Remove a member from a channel',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...invite.description,
	...remove.description,
];
