/**
 * Where uploaded bytes go: a temp directory (default) or memory. Either way a cap bounds the
 * total; past it the oldest files' bytes are dropped (their metadata stays, marked `evicted`),
 * so a long benchmark cannot fill the disk or the heap.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { StoredFile } from '../state/types';

export type StorageMode = 'disk' | 'memory';

export interface StorageOptions {
  mode: StorageMode;
  /** Total bytes kept; default 2 GiB on disk, 256 MiB in memory. */
  maxBytes?: number;
  /** Disk mode: parent of the temp directory (default the OS temp dir). */
  dir?: string;
}

export interface SinkResult {
  size: number;
  sha256: string;
  location: StoredFile['location'];
}

/** A writable that stores one file and knows its size and digest when finished. */
export interface FileSink {
  stream: Writable;
  /** Resolves after the last byte is stored. */
  done: Promise<SinkResult>;
  /** Drops whatever was written (validation failed, file too large). */
  discard(): Promise<void>;
}

export class FileStorage {
  readonly mode: StorageMode;
  readonly maxBytes: number;
  private dir: string | undefined;
  private used = 0;
  private readonly parent: string;

  constructor(opts: StorageOptions) {
    this.mode = opts.mode;
    this.maxBytes = opts.maxBytes ?? (opts.mode === 'disk' ? 2 * 1024 ** 3 : 256 * 1024 ** 2);
    this.parent = opts.dir ?? os.tmpdir();
  }

  async init(): Promise<void> {
    if (this.mode === 'disk' && !this.dir) this.dir = await fsp.mkdtemp(path.join(this.parent, 'zoom-sim-files-'));
  }

  directory(): string | undefined {
    return this.dir;
  }

  bytesUsed(): number {
    return this.used;
  }

  createSink(): FileSink {
    const hash = createHash('sha256');
    let size = 0;
    if (this.mode === 'memory') {
      const chunks: Buffer[] = [];
      let discarded = false;
      let resolveDone!: (r: SinkResult) => void;
      let rejectDone!: (e: unknown) => void;
      const done = new Promise<SinkResult>((res, rej) => {
        resolveDone = res;
        rejectDone = rej;
      });
      const stream = new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          size += chunk.length;
          hash.update(chunk);
          // Bytes beyond the cap are not kept: the file is recorded as evicted.
          if (size <= this.maxBytes) chunks.push(chunk);
          cb();
        },
        final: (cb) => {
          cb();
          if (discarded) return;
          const keep = size <= this.maxBytes;
          const location: StoredFile['location'] = keep
            ? { kind: 'memory', data: Buffer.concat(chunks) }
            : { kind: 'evicted' };
          chunks.length = 0;
          resolveDone({ size, sha256: hash.digest('hex'), location });
        },
      });
      stream.on('error', (e) => rejectDone(e));
      return {
        stream,
        done,
        discard: async () => {
          discarded = true;
          chunks.length = 0;
        },
      };
    }
    const file = path.join(this.dir as string, randomBytes(12).toString('hex'));
    const out = createWriteStream(file);
    const counter = new Writable({
      write(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        hash.update(chunk);
        if (!out.write(chunk)) out.once('drain', () => cb());
        else cb();
      },
      final(cb) {
        out.end(() => cb());
      },
      destroy(err, cb) {
        out.destroy();
        cb(err);
      },
    });
    const done = new Promise<SinkResult>((resolve, reject) => {
      counter.on('finish', () => resolve({ size, sha256: hash.digest('hex'), location: { kind: 'disk', path: file } }));
      counter.on('error', reject);
      out.on('error', reject);
    });
    done.catch(() => undefined);
    return {
      stream: counter,
      done,
      discard: async () => {
        counter.destroy();
        await fsp.rm(file, { force: true });
      },
    };
  }

  /** Stores a small in-memory file (admin uploads). */
  async storeBuffer(data: Buffer): Promise<SinkResult> {
    const sink = this.createSink();
    sink.stream.end(data);
    return sink.done;
  }

  /**
   * Accounts for a newly stored file and evicts the oldest files' bytes while over the cap.
   * `files` is every stored file, oldest first.
   */
  async admit(file: StoredFile, files: Iterable<StoredFile>): Promise<void> {
    if (file.location.kind === 'evicted') return;
    this.used += file.size;
    if (this.used <= this.maxBytes) return;
    for (const f of files) {
      if (this.used <= this.maxBytes) break;
      if (f === file || f.location.kind === 'evicted') continue;
      await this.evict(f);
    }
    if (this.used > this.maxBytes) await this.evict(file);
  }

  async evict(f: StoredFile): Promise<void> {
    if (f.location.kind === 'evicted') return;
    if (f.location.kind === 'disk') await fsp.rm(f.location.path, { force: true });
    this.used -= f.size;
    f.location = { kind: 'evicted' };
  }

  /** Drops bytes that were stored but never admitted (the request failed validation). */
  async drop(location: StoredFile['location']): Promise<void> {
    if (location.kind === 'disk') await fsp.rm(location.path, { force: true });
  }

  read(f: StoredFile): Readable | undefined {
    if (f.location.kind === 'memory') return Readable.from([f.location.data]);
    if (f.location.kind === 'disk') return createReadStream(f.location.path);
    return undefined;
  }

  /** Forget every file (reset). */
  async clear(files: Iterable<StoredFile>): Promise<void> {
    for (const f of files) await this.evict(f);
    this.used = 0;
  }

  async close(): Promise<void> {
    if (this.dir) await fsp.rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.used = 0;
  }
}
