import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationContext } from '../types';
import { fileIdProperty } from './get.operation';

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['delete'] } }, [fileIdProperty]);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const fileId = (this.getNodeParameter('fileId', i) as string).trim();
	await client.files.delete(fileId);
	return { id: fileId, deleted: true };
}
