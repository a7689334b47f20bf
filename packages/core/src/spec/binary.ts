/**
 * How a file travels in a multipart body (`uploadAChatFile`, `sendChatFile`, `addACustomEmoji`).
 *
 * A multipart body is a plain object, one key per form part. Text parts are strings (numbers are
 * accepted and sent as text); file parts (schema `type: string, format: binary`) are a
 * `ZoomBinary`. For `sendChatFile`, `files` may be one `ZoomBinary` or an array (KNOWN-DEFECTS #2).
 *
 * `ZoomBinary` has the same shape as `BinaryPart` in src/http/multipart.ts, the encoder's input:
 * the validator accepts exactly what the encoder can send.
 */
export interface ZoomBinary {
  fileName: string;
  contentType?: string;
  /** The bytes, or… */
  data?: Uint8Array;
  /** …a stream factory, called once per attempt (a redirect re-sends the body). */
  stream?: () => AsyncIterable<Uint8Array>;
  /** Byte length; with `stream`, lets size limits be checked before sending. */
  length?: number;
}

/** True for a file part the core can send. */
export function isBinaryValue(value: unknown): value is ZoomBinary {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ZoomBinary>;
  return typeof v.fileName === 'string' && (v.data instanceof Uint8Array || typeof v.stream === 'function');
}

/** What the validator says when a file part is not a `ZoomBinary`. */
export const BINARY_EXPECTED =
  'must be a file: { fileName, data: Uint8Array } or { fileName, stream: () => AsyncIterable, length? }';
