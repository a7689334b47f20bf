import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import { limitOf, requiredString } from '../../helpers/parameters';
import { simplifyContact } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Search Text',
		name: 'searchKey',
		type: 'string',
		default: '',
		required: true,
		description: 'A name or an email to look for in the company directory',
	},
	...returnAllOrLimit(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Presence',
				name: 'presence',
				type: 'boolean',
				default: false,
				description: 'Whether to include the presence status',
			},
			{
				displayName: 'User Status',
				name: 'userStatus',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Inactive', value: 'inactive' },
				],
				default: 'active',
			},
		],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['search'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const searchKey = requiredString.call(this, 'searchKey', i, 'Search Text');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const query: IDataObject = { search_key: searchKey };
	if (options.presence) query.query_presence_status = true;
	if (options.userStatus) query.user_status = options.userStatus;
	const limit = limitOf.call(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const out: IDataObject[] = [];
	for await (const contact of client.contacts.iterateSearch(query, limit === undefined ? {} : { limit })) {
		out.push(simplify ? simplifyContact(contact as IDataObject) : (contact as IDataObject));
	}
	return out;
}
