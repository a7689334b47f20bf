import type { IDataObject, INodeProperties } from 'n8n-workflow';

export const channelTypeProperty: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: [
		{ name: 'Private', value: 1, description: 'Members must be invited' },
		{
			name: 'Private, Same Account Only',
			value: 2,
			description: 'Private, with members of this Zoom account only',
		},
		{ name: 'Public', value: 3, description: 'Anyone in the account can find and join it' },
		{ name: 'New Chat', value: 4, description: 'A group chat, not a channel' },
		{ name: 'Public, Any Account', value: 5, description: 'Public, and external users can be added' },
	],
	default: 1,
};

/** Channel settings as n8n fields, mapped to Zoom's `channel_settings`. */
export const channelSettingsOptions: INodeProperties[] = [
	{
		displayName: 'Add Members',
		name: 'add_member_permissions',
		type: 'options',
		options: [
			{ name: 'All Members', value: 1 },
			{ name: 'Owner and Admins Only', value: 2 },
		],
		default: 1,
		description: 'Who can add members',
	},
	{
		displayName: 'Allow External Users',
		name: 'allow_to_add_external_users',
		type: 'options',
		options: [
			{ name: 'No', value: 0 },
			{ name: 'All Members May Add Them', value: 1 },
			{ name: 'Owner May Add Them', value: 2 },
			{ name: 'Owner and Admins May Add Them', value: 3 },
		],
		default: 0,
		description: 'Whether and by whom people outside the account can be added',
	},
	{
		displayName: 'New Members See History',
		name: 'new_members_can_see_previous_messages_files',
		type: 'boolean',
		default: true,
		description: 'Whether new members can see earlier messages and files',
	},
	{
		displayName: 'Posting Permissions',
		name: 'posting_permissions',
		type: 'options',
		options: [
			{ name: 'All Members', value: 1 },
			{ name: 'Owner and Admins Only', value: 2 },
			{ name: 'Owner, Admins and Chosen Members', value: 3 },
		],
		default: 1,
		description: 'Who can post',
	},
];

const SETTING_NAMES = new Set(channelSettingsOptions.map((o) => o.name));

/** Splits a collection into Zoom's top-level fields and its `channel_settings` object. */
export function splitChannelFields(fields: IDataObject): { top: IDataObject; settings: IDataObject } {
	const top: IDataObject = {};
	const settings: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value === '' || value === undefined) continue;
		if (SETTING_NAMES.has(key)) settings[key] = value;
		else top[key] = value;
	}
	return { top, settings };
}
