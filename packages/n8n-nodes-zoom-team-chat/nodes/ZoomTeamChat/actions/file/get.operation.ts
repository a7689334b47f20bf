import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import type { OperationContext } from '../types';

export const fileIdProperty: INodeProperties = {
	displayName: 'File ID',
	name: 'fileId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'LDG2jzoOS2aV4wkyLMaryg',
};

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['get'] } }, [fileIdProperty]);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const fileId = requiredString.call(this, 'fileId', i, 'File ID');
	return (await client.files.get(fileId)) as IDataObject;
}
