import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { contactLocator } from '../../descriptions/common';
import { resolveContact } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	contactLocator(),
	{
		displayName: 'Include Presence',
		name: 'presence',
		type: 'boolean',
		default: false,
		description: 'Whether to include the presence status (available, away, do not disturb…)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const identifier = resolveContact.call(this, 'contactId', i);
	const presence = this.getNodeParameter('presence', i, false) as boolean;
	return (await client.contacts.get(identifier, presence ? { query_presence_status: true } : {})) as IDataObject;
}
