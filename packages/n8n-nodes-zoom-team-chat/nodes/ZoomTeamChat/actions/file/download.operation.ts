import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { DownloadableFile } from '@zoom-team-chat/core/portable';

import { DEFAULT_MAX_SIZE_MB, downloadToBinary, maxBytesOf } from '../../../shared/download';
import { conversationProperties, messageIdProperty } from '../../descriptions/common';
import { actingUser, requiredString, resolveConversation } from '../../helpers/parameters';
import { OutputItems, type OperationContext } from '../types';

const MAX_SIZE_LABEL = 'Max Size (MB)';

const properties: INodeProperties[] = [
	{
		displayName: 'Download',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'File by ID', value: 'fileId', description: 'One file, by its ID (or the download_url Zoom gave)' },
			{
				name: 'Files of a Message',
				value: 'message',
				description: 'Every file a message carries, one output item each',
			},
		],
		default: 'fileId',
	},
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'LDG2jzoOS2aV4wkyLMaryg',
		description: "The file's ID: File → Upload returns it, the trigger outputs it in payload.object.files",
		displayOptions: { show: { source: ['fileId'] } },
	},
	...updateDisplayOptions({ show: { source: ['message'] } }, [messageIdProperty, ...conversationProperties]),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: MAX_SIZE_LABEL,
				name: 'maxSizeMb',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: DEFAULT_MAX_SIZE_MB,
				description:
					'A larger file is refused (before downloading it when Zoom lists its size). With binary data on disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem) the file is written as it arrives; otherwise n8n holds it in memory.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['download'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const maxBytes = maxBytesOf(this.getNode(), options.maxSizeMb, MAX_SIZE_LABEL, i);
	const property = requiredString.call(this, 'binaryPropertyName', i, 'Put Output File in Field');
	const source = this.getNodeParameter('source', i, 'fileId') as string;

	let files: Array<string | DownloadableFile>;
	let messageId: string | undefined;
	if (source === 'message') {
		messageId = requiredString.call(this, 'messageId', i, 'Message ID');
		const conversation = resolveConversation.call(this, i);
		files = await client.files.ofMessage(messageId, conversation, { userId: actingUser.call(this, authentication, i) });
		if (!files.length) {
			this.addExecutionHints({
				message: `Message ${messageId} has no files: nothing was downloaded for item ${i + 1}`,
				location: 'outputPane',
			});
		}
	} else {
		files = [requiredString.call(this, 'fileId', i, 'File ID')];
	}

	const items: INodeExecutionData[] = [];
	for (const file of files) {
		const { binary, json } = await downloadToBinary(
			this.getNode(),
			(f, o) => client.files.download(f, o),
			{
				// Typed Buffer | Readable, but n8n's filesystem mode writes any async iterable to disk as it
				// arrives, and its other modes refuse it unread (downloadToBinary then hands a Buffer).
				streamed: async (data, name, type) => await this.helpers.prepareBinaryData(data as Buffer, name, type),
			},
			file,
			maxBytes,
			`Options → ${MAX_SIZE_LABEL}`,
			i,
		);
		items.push({ json: messageId ? { ...json, message_id: messageId } : json, binary: { [property]: binary } });
	}
	return new OutputItems(items);
}
