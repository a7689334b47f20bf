import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import { actingUser, limitOf, resolveConversation, toZoomDate, toZoomDateTime } from '../../helpers/parameters';
import { simplifyMessage } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	...conversationProperties,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: "Without a date or range, Zoom returns the current day's messages",
		options: [
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				description: 'Messages of this day (ignored when From or To is set)',
			},
			{
				displayName: 'Exclude Thread Replies',
				name: 'excludeChildMessage',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out replies in threads',
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: 'Messages sent at or after this time',
			},
			{
				displayName: 'Include Edited and Deleted',
				name: 'includeDeletedAndEdited',
				type: 'boolean',
				default: false,
				description: 'Whether to include messages that were edited or deleted',
			},
			{
				displayName: 'Search In',
				name: 'searchType',
				type: 'options',
				options: [
					{ name: 'Messages', value: 'message' },
					{ name: 'Files', value: 'file' },
				],
				default: 'message',
				description: 'What Search Text looks in',
			},
			{
				displayName: 'Search Text',
				name: 'searchKey',
				type: 'string',
				default: '',
				description: 'Only messages (or file names) containing this text',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: 'Messages sent before this time',
			},
		],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const query: IDataObject = { ...resolveConversation.call(this, i) };
	if (filters.from) query.from = toZoomDateTime.call(this, 'From', filters.from, i);
	if (filters.to) query.to = toZoomDateTime.call(this, 'To', filters.to, i);
	if (filters.date && !filters.from && !filters.to) query.date = toZoomDate.call(this, 'Date', filters.date, i);
	if (filters.searchKey) {
		query.search_key = filters.searchKey;
		query.search_type = filters.searchType ?? 'message';
	}
	if (filters.includeDeletedAndEdited) query.include_deleted_and_edited_message = true;
	if (filters.excludeChildMessage) query.exclude_child_message = true;

	const limit = limitOf.call(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const out: IDataObject[] = [];
	for await (const message of client.messages.iterate(query, {
		userId: actingUser.call(this, authentication, i),
		...(limit === undefined ? {} : { limit }),
	})) {
		out.push(simplify ? simplifyMessage(message as IDataObject) : (message as IDataObject));
	}
	return out;
}
