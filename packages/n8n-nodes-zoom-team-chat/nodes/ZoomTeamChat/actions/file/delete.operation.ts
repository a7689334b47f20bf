import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredString } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { fileIdProperty } from './get.operation';

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['delete'] } }, [
	fileIdProperty,
]);

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext) {
	const fileId = requiredString.call(this, 'fileId', i, 'File ID');
	await client.files.delete(fileId);
	return { id: fileId, deleted: true };
}
