import type { BinaryPart } from '../http/multipart';

const MB = 1024 * 1024;
const IMAGE = /\.(png|jpe?g|gif)$/i;

/**
 * Zoom's documented limits (from the operations' descriptions): uploadAChatFile takes up to 1 GB;
 * sendChatFile up to 16 MB for images (png, jpg, jpeg, gif) and 20 MB for other files.
 */
export function fileLimitFor(operationId: string, part: BinaryPart): { bytes: number; what: string } | undefined {
  if (operationId === 'uploadAChatFile') return { bytes: 1024 * MB, what: 'for an uploaded file' };
  if (operationId === 'sendChatFile') {
    const image = IMAGE.test(part.fileName) || /^image\/(png|jpe?g|gif)$/i.test(part.contentType ?? '');
    return image
      ? { bytes: 16 * MB, what: 'for an image sent in chat' }
      : { bytes: 20 * MB, what: 'for a file sent in chat' };
  }
  return undefined;
}

/** Passes chunks through and fails the stream (and so the request) once more than `max` bytes went by. */
export async function* limitedStream(
  source: AsyncIterable<Uint8Array>,
  max: number,
  tooBig: () => Error,
): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > max) throw tooBig();
    yield chunk;
  }
}
