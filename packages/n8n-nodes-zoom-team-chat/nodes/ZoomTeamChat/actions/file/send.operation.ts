import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties } from '../../descriptions/common';
import { actingUser, resolveConversation } from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { fileFromBinary } from './binary';

const properties: INodeProperties[] = [
	...conversationProperties,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to send (images up to 16 MB, other files up to 20 MB)',
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
				displayName: 'Reply To Message ID',
				name: 'replyMainMessageId',
				type: 'string',
				default: '',
				description: 'Send the file as a reply in the thread of this message',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['send'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const propertyName = this.getNodeParameter('binaryPropertyName', i) as string;
	const file = await fileFromBinary.call(this, i, propertyName, options.fileName as string | undefined);
	const target: { to_channel?: string; to_contact?: string; reply_main_message_id?: string } = {
		...resolveConversation.call(this, i),
	};
	const reply = String(options.replyMainMessageId ?? '').trim();
	if (reply) target.reply_main_message_id = reply;
	const sent = (await client.files.send(file, target, {
		userId: actingUser.call(this, authentication, i),
	})) as IDataObject;
	return { ...sent, file_name: file.fileName, ...target };
}
