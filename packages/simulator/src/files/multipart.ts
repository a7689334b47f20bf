/**
 * Streams a multipart request: file parts go straight to storage (never held whole), size
 * limits are enforced while streaming, other parts become fields for spec validation.
 */
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ZoomError } from '../http/errors';
import { arrayPartNames } from '../spec/defects';
import type { SimOperation } from '../spec/model';
import type { FileStorage, SinkResult } from './storage';

export interface Upload extends SinkResult {
  field: string;
  fileName: string;
  contentType: string;
  /** Over the operation's limit: the bytes were counted and dropped. */
  tooLarge: boolean;
  limit: number;
}

export interface MultipartResult {
  fields: Record<string, unknown>;
  uploads: Upload[];
}

export async function readMultipart(
  req: IncomingMessage,
  op: SimOperation,
  storage: FileStorage,
  limitFor: (fileName: string) => number,
): Promise<MultipartResult> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    req.resume();
    throw new ZoomError(400, 300, 'Validation Failed.', {
      errors: [{ field: '(body)', message: `Content-Type must be multipart/form-data, got ${type || 'none'}.` }],
    });
  }
  const arrays = arrayPartNames(op.body?.schema);
  const fields: Record<string, unknown> = {};
  const add = (name: string, value: string): void => {
    if (arrays.has(name)) ((fields[name] ??= []) as unknown[]).push(value);
    else fields[name] = value;
  };
  const uploads: Upload[] = [];
  const pending: Array<Promise<void>> = [];
  const discards: Array<() => Promise<void>> = [];

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fields: 100, fieldSize: 1024 * 1024, files: 10, parts: 120 } });
  } catch (err) {
    req.resume();
    throw new ZoomError(400, 300, `Invalid multipart body: ${(err as Error).message}`);
  }

  bb.on('field', (name, value) => add(name, value));
  bb.on('file', (name, stream, info) => {
    if (!op.binaryParts.has(name)) {
      // Not a file the operation takes: drained, and reported by validation if it mattered.
      stream.resume();
      return;
    }
    const fileName = info.filename ?? 'file';
    add(name, fileName);
    const limit = limitFor(fileName);
    const sink = storage.createSink();
    discards.push(sink.discard);
    let size = 0;
    let tooLarge = false;
    const limiter = new Writable({
      write(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (tooLarge) return cb();
        if (size > limit) {
          tooLarge = true;
          return cb();
        }
        if (!sink.stream.write(chunk)) sink.stream.once('drain', () => cb());
        else cb();
      },
      final(cb) {
        sink.stream.end();
        cb();
      },
    });
    pending.push(
      pipeline(stream, limiter)
        .then(() => sink.done)
        .then(async (result) => {
          if (tooLarge) {
            await sink.discard();
            uploads.push({
              ...result,
              size,
              field: name,
              fileName,
              contentType: info.mimeType,
              tooLarge,
              limit,
              location: { kind: 'evicted' },
            });
          } else {
            uploads.push({ ...result, field: name, fileName, contentType: info.mimeType, tooLarge, limit });
          }
        }),
    );
  });

  try {
    await new Promise<void>((resolve, reject) => {
      bb.on('close', resolve);
      bb.on('error', (e: Error) => reject(new ZoomError(400, 300, `Invalid multipart body: ${e.message}`)));
      req.on('close', () => {
        if (!req.complete) reject(new Error('request aborted'));
      });
      req.on('error', reject);
      req.pipe(bb);
    });
    await Promise.all(pending);
  } catch (err) {
    req.unpipe(bb);
    req.resume();
    // Ends the file part being streamed, so its pipeline settles and its bytes can be dropped.
    bb.destroy(err instanceof Error ? err : new Error(String(err)));
    await Promise.allSettled(pending);
    await Promise.all(discards.map((d) => d()));
    throw err;
  }
  return { fields, uploads };
}
