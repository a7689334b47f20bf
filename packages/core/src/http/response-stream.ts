import { TransportError, type TransportRequest } from '../ports';
import { codeOf, hostOf, isAbort } from './transport-errors';

/** Where a streamed body's chunks come from: pulled one at a time, cancelled at most once. */
export interface BodySource {
  next(): Promise<IteratorResult<Uint8Array>>;
  cancel(): void | Promise<void>;
}

/**
 * A response body for `responseType: 'stream'`: the transport's own source, with its end (read to
 * the end, failed or cancelled) reported once through `finish` so the transport clears its timer
 * and listeners only then, and every read failure turned into a TransportError. A plain object
 * rather than an async generator: a generator's `return()` before its first `next()` would skip
 * its cleanup and leave the connection open.
 */
export function responseBody(
  source: BodySource,
  req: Pick<TransportRequest, 'url' | 'signal'>,
  finish: () => void,
  timedOut: () => unknown = () => undefined,
): AsyncIterableIterator<Uint8Array> {
  let closed = false;
  const close = () => {
    if (closed) return false;
    closed = true;
    finish();
    return true;
  };
  const done = (): IteratorResult<Uint8Array> => ({ done: true, value: undefined });
  const body: AsyncIterableIterator<Uint8Array> = {
    async next() {
      if (closed) return done();
      try {
        const result = await source.next();
        if (result.done) close();
        return result;
      } catch (err) {
        close();
        throw cutOff(timedOut() ?? err, req);
      }
    },
    async return() {
      if (closed) return done();
      closed = true;
      // Cancelled before `finish`: a transport may ignore a cancel once it counts the exchange as over.
      try {
        await source.cancel();
      } finally {
        finish();
      }
      return done();
    },
    [Symbol.asyncIterator]() {
      return body;
    },
  };
  return body;
}

function cutOff(err: unknown, req: Pick<TransportRequest, 'url' | 'signal'>): TransportError {
  if (err instanceof TransportError) return err;
  // The server answered: whatever happened to the body, the request reached it.
  return new TransportError(`Response body from ${hostOf(req.url)} was cut off`, {
    code: codeOf(err) ?? 'ECONNRESET',
    sentNothing: false,
    timedOut: isAbort(err, req.signal),
    cause: err,
  });
}

/** A Node Readable (an IncomingMessage) as a body source; destroying it closes the socket. */
export function readableSource(readable: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown }): BodySource {
  let it: AsyncIterator<Uint8Array> | undefined;
  return {
    next: () => (it ??= readable[Symbol.asyncIterator]()).next(),
    cancel: () => {
      readable.destroy();
    },
  };
}

/** The part of a web ReadableStream read here (whichever realm's ReadableStream it is). */
interface WebStreamLike {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> };
}

/** A web ReadableStream (fetch's `Response.body`, null for an empty body) as a body source. */
export function webStreamSource(stream: WebStreamLike | null): BodySource {
  const reader = stream?.getReader();
  return {
    next: async () => {
      if (!reader) return { done: true, value: undefined };
      const { done, value } = await reader.read();
      return done || !value ? { done: true, value: undefined } : { done: false, value };
    },
    cancel: async () => {
      await reader?.cancel().catch(() => undefined);
    },
  };
}

/** Bytes held for a reader that lags behind before the sender is paused. */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * A body pushed by its sender (undici's handler calls) and pulled by its reader. Past
 * HIGH_WATER_BYTES held, `push` answers false (undici then pauses the socket) and the sender is
 * resumed once the reader caught up, so a slow reader holds a bounded amount of the file.
 */
export class PushedBody implements BodySource {
  private chunks: Uint8Array[] = [];
  private held = 0;
  private paused = false;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private waiting: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;

  constructor(
    private readonly resume: () => void,
    private readonly onCancel: () => void,
  ) {}

  push(chunk: Uint8Array): boolean {
    if (this.ended) return true;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ done: false, value: chunk });
      return true;
    }
    this.chunks.push(chunk);
    this.held += chunk.byteLength;
    if (this.held < HIGH_WATER_BYTES) return true;
    this.paused = true;
    return false;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ done: true, value: undefined });
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.held -= chunk.byteLength;
      if (this.paused && this.held < HIGH_WATER_BYTES) {
        this.paused = false;
        this.resume();
      }
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  cancel(): void {
    const wasEnded = this.ended;
    this.ended = true;
    this.chunks = [];
    this.held = 0;
    if (!wasEnded) this.onCancel();
  }
}
