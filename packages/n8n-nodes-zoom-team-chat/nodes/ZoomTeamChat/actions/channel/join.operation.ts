import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [channelLocator({ description: 'A public channel to join' })];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['join'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const joined = ((await client.channels.join(channelId)) ?? {}) as IDataObject;
	return { channel_id: channelId, ...joined };
}
