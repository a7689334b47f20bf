import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [channelLocator()];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['leave'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	await client.channels.leave(channelId);
	return { id: channelId, left: true };
}
