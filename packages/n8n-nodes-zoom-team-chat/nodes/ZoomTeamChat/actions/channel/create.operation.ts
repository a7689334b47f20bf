import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelSettingsOptions, channelTypeProperty, splitChannelFields } from '../../descriptions/channelSettings';
import { actingUser, requiredString, toList } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: 'Name of the channel (up to 256 characters)',
	},
	{ ...channelTypeProperty, required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Member Emails',
				name: 'members',
				type: 'string',
				default: '',
				description: 'Comma-separated emails of the people to add (up to 20)',
			},
			...channelSettingsOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const { members, ...rest } = fields;
	const { settings } = splitChannelFields(rest);
	const body: IDataObject = {
		name: requiredString.call(this, 'name', i, 'Name', { keepSpaces: true }),
		type: this.getNodeParameter('type', i) as number,
	};
	const emails = toList(members);
	if (emails.length) body.members = emails.map((email) => ({ email }));
	if (Object.keys(settings).length) body.channel_settings = settings;
	return (await client.channels.create(body, { userId: actingUser.call(this, authentication, i) })) as IDataObject;
}
