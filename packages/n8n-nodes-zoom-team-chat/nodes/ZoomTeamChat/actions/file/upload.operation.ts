import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { actingUser } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { fileFromBinary } from './binary';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name to give the file in Zoom (default: the binary file name)',
			},
			{
				displayName: 'Post to Personal Chat',
				name: 'postToPersonalChat',
				type: 'boolean',
				default: true,
				description: "Whether Zoom also posts the file to the user's personal chat",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['upload'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const propertyName = this.getNodeParameter('binaryPropertyName', i) as string;
	const file = await fileFromBinary.call(this, i, propertyName, options.fileName as string | undefined);
	const uploaded = (await client.files.upload(file, {
		userId: actingUser.call(this, authentication, i),
		...(options.postToPersonalChat === undefined ? {} : { postToPersonalChat: options.postToPersonalChat as boolean }),
	})) as IDataObject;
	return { ...uploaded, file_name: file.fileName };
}
