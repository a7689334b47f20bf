import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { channelScope } from './scope';

const properties: INodeProperties[] = [channelLocator()];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	return (await context.client.channels.get(channelId, channelScope.call(this, i, context))) as IDataObject;
}
