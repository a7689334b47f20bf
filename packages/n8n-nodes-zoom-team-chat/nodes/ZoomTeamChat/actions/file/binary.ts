import type { IExecuteFunctions } from 'n8n-workflow';
import type { FileInput } from '@zoom-team-chat/core/portable';

/**
 * The file of an item's binary property for the core. A binary kept on disk or in object storage
 * (it has an ID) is streamed afresh on every attempt, so a large upload never sits in memory;
 * one kept in memory is passed as bytes.
 */
export async function fileFromBinary(
	this: IExecuteFunctions,
	i: number,
	propertyName: string,
	fileNameOverride?: string,
): Promise<FileInput> {
	const binary = this.helpers.assertBinaryData(i, propertyName);
	const fileName =
		(fileNameOverride ?? '').trim() ||
		binary.fileName ||
		`file${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
	const contentType = binary.mimeType || 'application/octet-stream';
	const binaryId = binary.id;
	if (binaryId) {
		const { fileSize } = await this.helpers.getBinaryMetadata(binaryId);
		const helpers = this.helpers;
		return {
			fileName,
			contentType,
			data: {
				length: fileSize,
				stream: async function* () {
					const stream = await helpers.getBinaryStream(binaryId);
					for await (const chunk of stream) yield chunk as Uint8Array;
				},
			},
		};
	}
	const buffer = await this.helpers.getBinaryDataBuffer(i, propertyName);
	return { fileName, contentType, data: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
}
