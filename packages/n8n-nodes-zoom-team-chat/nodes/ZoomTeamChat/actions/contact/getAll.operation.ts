import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import { limitOf } from '../../helpers/parameters';
import { simplifyContact } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Contact Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Company', value: 'company', description: 'People in your Zoom account' },
			{ name: 'External', value: 'external', description: 'External contacts you added' },
		],
		default: 'company',
	},
	...returnAllOrLimit(),
	simplifyProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const limit = limitOf.call(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const out: IDataObject[] = [];
	for await (const contact of client.contacts.iterate(
		{ type: this.getNodeParameter('type', i) as string },
		limit === undefined ? {} : { limit },
	)) {
		out.push(simplify ? simplifyContact(contact as IDataObject) : (contact as IDataObject));
	}
	return out;
}
