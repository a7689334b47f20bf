import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { isOperationId, operations } from '@zoom-team-chat/core/portable';

import { jsonParameter, positiveInteger } from '../../helpers/parameters';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Operation Name or ID',
		name: 'operationId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getOperations' },
		default: '',
		required: true,
		description:
			'Any of the Zoom Team Chat and Chatbot API operations. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Path Parameters (JSON)',
		name: 'pathParameters',
		type: 'json',
		default: '{}',
		description: 'Values for the {placeholders} of the path, e.g. {"userId": "me", "channelId": "…"}',
	},
	{
		displayName: 'Query Parameters (JSON)',
		name: 'queryParameters',
		type: 'json',
		default: '{}',
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{}',
		description:
			"The JSON body, checked against the operation's schema before anything is sent. Leave {} for operations without a body.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Return All Pages',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['apiCall'], operation: ['call'] } }, properties);

function objectParameter(this: IExecuteFunctions, name: string, label: string, i: number): IDataObject {
	const value = jsonParameter.call(this, name, i, {});
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `The parameter "${label}" must be a JSON object`, { itemIndex: i });
	}
	return value as IDataObject;
}

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const operationId = String(this.getNodeParameter('operationId', i) ?? '').trim();
	if (!isOperationId(operationId)) {
		throw new NodeOperationError(this.getNode(), `Unknown Zoom operation "${operationId}"`, {
			itemIndex: i,
			description: 'Pick an operation from the list of the Team Chat and Chatbot APIs',
		});
	}
	const meta = operations[operationId];
	const path = objectParameter.call(this, 'pathParameters', 'Path Parameters (JSON)', i);
	const query = objectParameter.call(this, 'queryParameters', 'Query Parameters (JSON)', i);
	const body = objectParameter.call(this, 'body', 'Body (JSON)', i);
	const params: IDataObject = { path, query };
	if (meta.body || Object.keys(body).length) params.body = body;

	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	if (options.returnAll || options.limit !== undefined) {
		if (!meta.pagination) {
			throw new NodeOperationError(
				this.getNode(),
				`${operationId} is not a list operation: remove "Return All Pages" and "Limit"`,
				{
					itemIndex: i,
				},
			);
		}
		const limit = options.returnAll ? undefined : positiveInteger.call(this, options.limit, 'Limit', i);
		const items: IDataObject[] = [];
		for await (const item of client.paginate(operationId, params, limit === undefined ? {} : { limit })) {
			items.push(item as IDataObject);
		}
		return items;
	}
	const result = (await client.call(operationId, params)) as unknown;
	if (result === undefined) return { success: true, operationId };
	if (result === null || typeof result !== 'object' || Array.isArray(result)) return { result } as IDataObject;
	return result as IDataObject;
}
