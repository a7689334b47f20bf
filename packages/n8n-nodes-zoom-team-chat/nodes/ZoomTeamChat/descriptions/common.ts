import type { INodeProperties } from 'n8n-workflow';

export function channelLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Channel',
		name: 'channelId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchChannels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '825c9e31f1064c73b394c5e4557d3447',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[^\\s/]+$', errorMessage: 'A channel ID has no spaces or slashes' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://zoom.us/launch/chat/v2/eyJzaWQiOi...',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^https?://[^/]+/launch/chat/v2/[A-Za-z0-9_=+/-]+',
							errorMessage: 'Not a Zoom channel link (https://zoom.us/launch/chat/v2/…)',
						},
					},
				],
			},
		],
		...overrides,
	};
}

export function contactLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Contact',
		name: 'contactId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The person: a company contact from the list, an email, or a user or member ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchContacts', searchable: true },
			},
			{
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: 'jchill@example.com',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[^\\s@]+@[^\\s@]+$', errorMessage: 'Not an email address' },
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'za7AvP7o9AxypYwpaKYsOJ2K3VwXBZn4JtxgPGk8Lf7_1w',
			},
		],
		...overrides,
	};
}

/** Send To + Channel / Contact, for operations on a message in a conversation. */
export const conversationProperties: INodeProperties[] = [
	{
		displayName: 'Conversation Type',
		name: 'target',
		type: 'options',
		options: [
			{ name: 'Channel', value: 'channel' },
			{ name: 'Contact (Direct Message)', value: 'contact' },
		],
		default: 'channel',
		description: 'Whether the conversation is a channel or a one-to-one chat',
	},
	{ ...channelLocator(), displayOptions: { show: { target: ['channel'] } } },
	{ ...contactLocator(), displayOptions: { show: { target: ['contact'] } } },
];

export function returnAllOrLimit(max?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, ...(max ? { maxValue: max } : {}) },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const messageIdProperty: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '8cfaf567-bf5a-4acc-b4f2-88b3d371aca5',
	description: 'The ID of the message (the trigger outputs it as message_id or ID)',
};
