import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { channelSettingsOptions, channelTypeProperty, splitChannelFields } from '../../descriptions/channelSettings';
import { channelLocator } from '../../descriptions/common';
import { resolveChannelId } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { channelScope } from './scope';

const properties: INodeProperties[] = [
	channelLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'New name of the channel' },
			channelTypeProperty,
			...channelSettingsOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const { top, settings } = splitChannelFields(this.getNodeParameter('updateFields', i, {}) as IDataObject);
	const body: IDataObject = { ...top };
	if (Object.keys(settings).length) body.channel_settings = settings;
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex: i });
	}
	await context.client.channels.update(channelId, body, channelScope.call(this, i, context));
	return { id: channelId, updated: true };
}
