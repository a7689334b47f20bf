import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { channelScope } from './scope';

const properties: INodeProperties[] = [channelLocator()];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	await context.client.channels.delete(channelId, channelScope.call(this, i, context));
	return { id: channelId, deleted: true };
}
