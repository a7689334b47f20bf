import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { channelLocator, returnAllOrLimit, simplifyProperty } from '../../descriptions/common';
import { limitOf, resolveChannelId } from '../../helpers/parameters';
import { simplifyMember } from '../../helpers/simplify';
import { channelScope } from '../channel/scope';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [channelLocator(), ...returnAllOrLimit(), simplifyProperty];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, context: OperationContext) {
	const channelId = resolveChannelId.call(this, 'channelId', i);
	const limit = limitOf.call(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const out: IDataObject[] = [];
	for await (const member of context.client.channels.members.iterate(channelId, {
		...channelScope.call(this, i, context),
		...(limit === undefined ? {} : { limit }),
	})) {
		out.push(simplify ? simplifyMember(member as IDataObject) : (member as IDataObject));
	}
	return out;
}
