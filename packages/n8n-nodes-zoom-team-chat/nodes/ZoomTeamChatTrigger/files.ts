import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import {
	downloadEventFiles,
	eventFiles,
	type EventFile,
	type ZoomClient,
	type ZoomEvent,
} from '@zoom-team-chat/core/portable';

import { zoomClientFor } from '../shared/client';
import { DEFAULT_MAX_SIZE_MB, downloadToBinary, maxBytesOf } from '../shared/download';
import type { TriggerAuthentication } from './authentication';

/**
 * Files are fetched through Zoom's API (file info, then the file host) with the credential's token:
 * a Team Chat API credential. A chatbot token may not read chat files, and Secret Token Only has
 * no token at all.
 */
const DOWNLOAD_AUTHENTICATIONS: readonly TriggerAuthentication[] = ['serverToServerOAuth', 'oAuth2'];

/** Output binary fields: file_0, file_1… for the files downloaded, in the event's order. */
export const BINARY_PREFIX = 'file_';

const SIZE_LABEL = 'Options → Max File Size (MB)';

/** The trigger's options for downloads, offered with the credentials that can download. */
export const downloadOptionProperties: INodeProperties[] = [
	{
		displayName: 'Download Files',
		name: 'downloadFiles',
		type: 'boolean',
		default: false,
		description:
			'Whether events about files (shared, uploaded, or messages with files) carry the files as binary data: file_0, file_1… Files over Max File Size are listed in files_not_downloaded instead',
		hint: "Needs a Server-to-Server OAuth or OAuth2 credential (the files are fetched through Zoom's API); not offered for Chatbot or Secret Token Only",
		displayOptions: { show: { '/authentication': ['serverToServerOAuth', 'oAuth2'] } },
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: DEFAULT_MAX_SIZE_MB,
		description: 'With Download Files: larger files are not downloaded (each is held in memory while n8n stores it)',
		displayOptions: { show: { '/authentication': ['serverToServerOAuth', 'oAuth2'] } },
	},
];

/** Whether this event's files are to be downloaded with these options and this credential. */
export function wantsEventFiles(
	options: IDataObject,
	authentication: TriggerAuthentication,
	event: IDataObject,
): boolean {
	return (
		options.downloadFiles === true &&
		DOWNLOAD_AUTHENTICATIONS.includes(authentication) &&
		eventFiles(event as unknown as ZoomEvent).length > 0
	);
}

function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The event as an output item with its files as binary data. Never fails the event: a file that
 * is too large or cannot be fetched is listed in `files_not_downloaded` with the reason, and the
 * workflow still starts.
 */
export async function withEventFiles(
	context: IWebhookFunctions | ITriggerFunctions,
	authentication: TriggerAuthentication,
	json: IDataObject,
	options: IDataObject,
): Promise<INodeExecutionData> {
	const node = context.getNode();
	const files = eventFiles(json as unknown as ZoomEvent);
	const binary: IBinaryKeyData = {};
	const downloaded: IDataObject[] = [];
	const skipped: IDataObject[] = [];
	const skip = (file: EventFile, reason: string) => {
		skipped.push({
			file_id: file.fileId,
			...(file.fileName ? { file_name: file.fileName } : {}),
			...(file.size === undefined ? {} : { file_size: file.size }),
			reason,
		});
		context.logger.warn(`Zoom Team Chat Trigger: file ${file.fileId} not downloaded (${reason})`);
	};

	let maxBytes: number;
	let client: ZoomClient | undefined;
	try {
		maxBytes = maxBytesOf(node, options.maxFileSizeMb, SIZE_LABEL);
		if (authentication !== 'serverToServerOAuth' && authentication !== 'oAuth2')
			throw new Error('this credential cannot download files');
		client = (await zoomClientFor(context, authentication)).client;
	} catch (error) {
		for (const file of files) skip(file, reasonOf(error));
		return { json: { ...json, files_not_downloaded: skipped } };
	}

	// Offered as a stream first: with binaries on disk the bytes go to the file as they arrive;
	// n8n's other modes refuse a stream before reading it, and the bytes then go as one Buffer.
	const prepare = {
		streamed: async (data: unknown, name?: string, type?: string) =>
			await context.helpers.prepareBinaryData(data as Buffer, name, type),
	};
	const outcomes = await downloadEventFiles(files, {
		maxBytes,
		sizeLabel: SIZE_LABEL,
		fetch: async (file) =>
			await downloadToBinary(node, (f, o) => client.files.download(f, o), prepare, file.fileId, maxBytes, SIZE_LABEL),
	});
	for (const outcome of outcomes) {
		if ('error' in outcome) {
			skip(outcome.file, outcome.error);
			continue;
		}
		const field = `${BINARY_PREFIX}${downloaded.length}`;
		binary[field] = outcome.value.binary;
		downloaded.push({ binary_field: field, ...outcome.value.json });
	}
	const item: INodeExecutionData = {
		json: {
			...json,
			...(downloaded.length ? { downloaded_files: downloaded } : {}),
			...(skipped.length ? { files_not_downloaded: skipped } : {}),
		},
	};
	if (downloaded.length) item.binary = binary;
	return item;
}
