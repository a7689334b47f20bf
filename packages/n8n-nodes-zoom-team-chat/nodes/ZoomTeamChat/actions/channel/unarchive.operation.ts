import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [channelLocator()];

export const description = updateDisplayOptions(
	{ show: { resource: ['channel'], operation: ['unarchive'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const result = ((await client.channels.unarchive(channelId)) ?? {}) as IDataObject;
	// Zoom answers 200 even when it could not unarchive the channel; it lists those in failed_channels.
	const failed = Array.isArray(result.failed_channels) ? (result.failed_channels as IDataObject[]) : [];
	const mine = failed.find((f) => f.channel_id === channelId || f.id === channelId) ?? failed[0];
	if (mine) {
		throw new NodeApiError(this.getNode(), mine as never, {
			itemIndex: i,
			message: `Zoom did not unarchive channel ${channelId}${mine.reason ? `: ${String(mine.reason)}` : ''}`,
		});
	}
	return { id: channelId, unarchived: true };
}
