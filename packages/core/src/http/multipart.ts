import { randomBytes } from 'node:crypto';
import type { RequestBody } from '../ports';

/** A file to send: bytes in memory, or a stream factory (called again if a redirect re-sends it). */
export interface BinaryPart {
  fileName: string;
  contentType?: string;
  data?: Uint8Array;
  stream?: () => AsyncIterable<Uint8Array>;
  /** Byte length; required with `stream` for Content-Length and size checks up front. */
  length?: number;
}

export function isBinaryPart(value: unknown): value is BinaryPart {
  if (!value || typeof value !== 'object') return false;
  const v = value as BinaryPart;
  return typeof v.fileName === 'string' && (v.data instanceof Uint8Array || typeof v.stream === 'function');
}

export function binaryLength(part: BinaryPart): number | undefined {
  return part.data ? part.data.byteLength : part.length;
}

const CRLF = '\r\n';

function quote(value: string): string {
  // RFC 7578 §4.2: escape quotes, and keep CR/LF out of the header.
  return value.replace(/[\r\n]/g, ' ').replace(/"/g, '%22');
}

/**
 * Encodes fields and files as multipart/form-data without buffering the files.
 * Returns the body (replayable) and its content type.
 */
export function encodeMultipart(fields: Record<string, unknown>): { body: RequestBody; contentType: string } {
  const boundary = `----ZoomTeamChat${randomBytes(12).toString('hex')}`;
  const pieces: Array<Uint8Array | BinaryPart> = [];
  const text = (s: string) => Buffer.from(s, 'utf8');
  for (const [name, raw] of Object.entries(fields)) {
    if (raw === undefined || raw === null) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (isBinaryPart(value)) {
        const type = value.contentType || 'application/octet-stream';
        pieces.push(
          text(
            `--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(name)}"; filename="${quote(value.fileName)}"${CRLF}` +
              `Content-Type: ${type}${CRLF}${CRLF}`,
          ),
          value,
          text(CRLF),
        );
      } else {
        const str =
          typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
        pieces.push(
          text(`--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(name)}"${CRLF}${CRLF}${str}${CRLF}`),
        );
      }
    }
  }
  pieces.push(text(`--${boundary}--${CRLF}`));

  let length: number | undefined = 0;
  for (const piece of pieces) {
    const n = piece instanceof Uint8Array ? piece.byteLength : binaryLength(piece);
    length = n === undefined || length === undefined ? undefined : length + n;
  }
  async function* stream(): AsyncIterable<Uint8Array> {
    for (const piece of pieces) {
      if (piece instanceof Uint8Array) yield piece;
      else if (piece.data) yield piece.data;
      else if (piece.stream) yield* piece.stream();
    }
  }
  const body: RequestBody = length === undefined ? { stream } : { stream, length };
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
