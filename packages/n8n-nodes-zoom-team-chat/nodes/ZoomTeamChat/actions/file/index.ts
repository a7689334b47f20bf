import type { INodeProperties } from 'n8n-workflow';

import * as deleteFile from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as send from './send.operation';
import * as upload from './upload.operation';

export { deleteFile as delete, download, get, send, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a file', action: 'Delete a file' },
			{
				name: 'Download',
				value: 'download',
				description: 'Download a file, or the files of a message, into binary data',
				action: 'Download a file',
			},
			{ name: 'Get', value: 'get', description: "Get a file's details", action: 'Get a file' },
			{
				name: 'Send',
				value: 'send',
				description: 'Send a file to a channel or a contact, or into a thread',
				action: 'Send a file',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a file to use in messages (File IDs)',
				action: 'Upload a file',
			},
		],
		default: 'send',
	},
	...upload.description,
	...send.description,
	...get.description,
	...deleteFile.description,
	...download.description,
];
