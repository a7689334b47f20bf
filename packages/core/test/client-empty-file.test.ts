import { describe, expect, it } from 'vitest';
import { createZoomClient, ZoomValidationError } from '../src/index';
import type { Transport } from '../src/ports';

/** A transport that answers like Zoom's file host and counts what reached it. */
function counting() {
  const calls: string[] = [];
  const transport: Transport = async (req) => {
    calls.push(`${req.method} ${req.url}`);
    return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'file-1' }) };
  };
  const client = createZoomClient({
    auth: { kind: 'none' },
    transport,
    baseUrls: { api: 'http://127.0.0.1:9/v2', file: 'http://127.0.0.1:9/v2' },
  });
  return { client, calls };
}

describe('empty files', () => {
  it('files.send refuses an empty buffer before sending, naming the field', async () => {
    const { client, calls } = counting();
    const err = await client.files
      .send({ fileName: 'e.txt', data: Buffer.alloc(0) }, { to_channel: 'c' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as ZoomValidationError).field).toBe('body.files[0]');
    expect((err as Error).message).toMatch(/e\.txt is empty/);
    expect(calls).toEqual([]);
  });

  it('files.upload refuses an empty stream of known length', async () => {
    const { client, calls } = counting();
    const err = await client.files
      .upload({ fileName: 'e.bin', data: { stream: async function* () {}, length: 0 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoomValidationError);
    expect((err as Error).message).toMatch(/is empty/);
    expect(calls).toEqual([]);
  });

  it('a one-byte file still goes out', async () => {
    const { client, calls } = counting();
    await client.files.send({ fileName: 'one.txt', data: Buffer.from('x') }, { to_channel: 'c' });
    expect(calls).toHaveLength(1);
  });
});
