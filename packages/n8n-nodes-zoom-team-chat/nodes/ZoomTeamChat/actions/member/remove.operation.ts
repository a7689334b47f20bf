import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { requiredString, resolveChannelId } from '../../helpers/parameters';
import { channelScope } from '../channel/scope';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	{
		displayName: 'Member',
		name: 'member',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'jchill@example.com',
		description: 'Email, user ID or member ID of the person to remove',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['remove'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const member = requiredString.call(this, 'member', i, 'Member');
	await context.client.channels.members.remove(channelId, member, channelScope.call(this, i, context));
	return { channel_id: channelId, member, removed: true };
}
