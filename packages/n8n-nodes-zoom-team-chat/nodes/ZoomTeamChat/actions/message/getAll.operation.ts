import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties, returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import {
	actingUser,
	checkMessageHistory,
	limitOf,
	resolveConversation,
	toZoomDateTime,
	toZoomDay,
} from '../../helpers/parameters';
import { simplifyMessage } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const dateFilter: INodeProperties = {
	displayName: 'Date',
	name: 'date',
	type: 'dateTime',
	default: '',
	description: 'Messages of this day (ignored when From or To is set)',
};

/** The filters of both versions; version 1 also keeps Date among them. */
const otherFilters: INodeProperties[] = [
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
		description: 'Messages sent at or after this time (within the last 6 months)',
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
		description: 'Messages sent before this time (used with From)',
	},
];

const properties: INodeProperties[] = [
	...conversationProperties,
	...returnAllOrLimit(),
	{
		// Version 2: the day in a field of its own, as text. In version 1 it is a date-time picker
		// under Filters, hidden until added, so an empty result gave no clue that Zoom picked today.
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: '',
		placeholder: 'YYYY-MM-DD',
		description: 'The day whose messages to get, e.g. 2025-03-31 (Zoom keeps the last 6 months)',
		hint: "Empty: today's messages only (Zoom's default). For a time range, use Filters → From and To instead.",
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: "Without a date or range, Zoom returns the current day's messages",
		options: [dateFilter, ...otherFilters],
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: otherFilters,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
	},
	simplifyProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const version = this.getNode().typeVersion;
	const dateLabel = version >= 2 ? 'Date' : 'Filters → Date';
	const date: unknown = version >= 2 ? this.getNodeParameter('date', i, '') : filters.date;
	const query: IDataObject = { ...resolveConversation.call(this, i) };
	if (filters.from) {
		query.from = toZoomDateTime.call(this, 'From', filters.from, i);
		checkMessageHistory.call(this, 'From', query.from as string, i);
	}
	if (filters.to) query.to = toZoomDateTime.call(this, 'To', filters.to, i);
	if (query.from && query.to && Date.parse(query.to as string) < Date.parse(query.from as string)) {
		throw new NodeOperationError(this.getNode(), 'The parameter "To" is before "From"', {
			itemIndex: i,
			description: `From is ${String(query.from)}, To is ${String(query.to)}.`,
		});
	}
	const hasDate = date !== undefined && date !== null && date !== '';
	if (hasDate && !filters.from && !filters.to) {
		query.date = toZoomDay.call(this, dateLabel, date, i);
		checkMessageHistory.call(this, dateLabel, query.date as string, i);
	}
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
	// Zoom lists today's messages when neither a day nor a start is given.
	if (!out.length && !query.date && !query.from) {
		todayOnlyHint.call(this, dateLabel);
	}
	return out;
}

/** Why "No output data": shown in the output panel of n8n versions that have execution hints. */
function todayOnlyHint(this: IExecuteFunctions, dateLabel: string): void {
	if (typeof this.addExecutionHints !== 'function') return;
	this.addExecutionHints({
		message: `No messages today: without a date, Zoom lists only today's messages. Set "${dateLabel}" (or Filters → From and To) to read earlier days.`,
		location: 'outputPane',
	});
}
