import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import { actingUser, limitOf } from '../../helpers/parameters';
import { simplifyChannel } from '../../helpers/simplify';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [...returnAllOrLimit(), simplifyProperty];

export const description = updateDisplayOptions({ show: { resource: ['channel'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const limit = limitOf.call(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const out: IDataObject[] = [];
	for await (const channel of client.channels.iterate({
		userId: actingUser.call(this, authentication, i),
		...(limit === undefined ? {} : { limit }),
	})) {
		out.push(simplify ? simplifyChannel(channel as IDataObject) : (channel as IDataObject));
	}
	return out;
}
