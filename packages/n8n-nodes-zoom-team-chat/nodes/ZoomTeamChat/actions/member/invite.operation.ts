import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId, toList } from '../../helpers/parameters';
import { channelScope } from '../channel/scope';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	{
		displayName: 'Member Emails',
		name: 'emails',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'jchill@example.com, ana@example.com',
		description: 'Comma-separated emails of the people to invite. Large lists are sent in batches Zoom accepts.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['invite'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const emails = toList(this.getNodeParameter('emails', i));
	if (!emails.length) {
		throw new NodeOperationError(this.getNode(), 'The parameter "Member Emails" is empty', { itemIndex: i });
	}
	const scope = channelScope.call(this, i, context);
	// Zoom takes 5 invitations per call at user level and 20 at account level.
	const batchSize = scope.userId ? 20 : 5;
	const ids: unknown[] = [];
	const memberIds: unknown[] = [];
	let addedAt: unknown;
	for (let start = 0; start < emails.length; start += batchSize) {
		const members = emails.slice(start, start + batchSize).map((email) => ({ email }));
		const added = ((await context.client.channels.members.invite(channelId, members, scope)) ?? {}) as IDataObject;
		if (typeof added.ids === 'string') ids.push(...toList(added.ids));
		else if (Array.isArray(added.ids)) ids.push(...added.ids);
		if (typeof added.member_ids === 'string') memberIds.push(...toList(added.member_ids));
		else if (Array.isArray(added.member_ids)) memberIds.push(...added.member_ids);
		addedAt = added.added_at ?? addedAt;
	}
	return { channel_id: channelId, invited: emails, ids, member_ids: memberIds, added_at: addedAt } as IDataObject;
}
