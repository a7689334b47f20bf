import { describe, expect, it } from 'vitest';
import {
  canDownloadFiles,
  createStoredDeduper,
  dedupeWindowMs,
  DEFAULT_DEDUPE_TTL_MS,
  downloadEventFiles,
  eventFiles,
  eventSelection,
  downloadEventFileBytes,
  receiveWebhook,
  signWebhook,
  ZoomValidationError,
  DOWNLOAD_OPERATION_ID,
  type FileDownload,
} from '../src';

const SECRET = 'intake-secret';
const event = { event: 'team_chat.channel_message_posted', event_ts: 1, payload: { object: { id: 'm1' } } };

function signed(body: unknown, headers: Record<string, string> = {}) {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { rawBody, headers: { ...signWebhook({ secret: SECRET, rawBody }), ...headers } };
}

describe('receiveWebhook', () => {
  it('hands over a verified event with its de-dupe keys, request ID and the headers safe to show', () => {
    const req = signed(event, { 'x-zm-request-id': 'req-1', authorization: 'Bearer x', 'X-Custom': 'y' });
    const out = receiveWebhook({ ...req, secrets: [SECRET] });
    expect(out.kind).toBe('event');
    if (out.kind !== 'event') return;
    expect(out.event).toEqual(event);
    expect(out.requestId).toBe('req-1');
    expect(out.keys[0]).toBe('req-1');
    expect(out.keys.some((k) => k.startsWith('signature:'))).toBe(true);
    expect(out.headers).toMatchObject({ 'x-zm-request-id': 'req-1', 'x-custom': 'y' });
    expect(out.headers).not.toHaveProperty('authorization');
    expect(out.headers).not.toHaveProperty('x-zm-signature');
  });

  it('answers the URL check only when signed, and refuses with the status to answer', () => {
    const challenge = { event: 'endpoint.url_validation', event_ts: 1, payload: { plainToken: 'p' } };
    const ok = receiveWebhook({ ...signed(challenge), secrets: [SECRET] });
    expect(ok).toMatchObject({ kind: 'url_validation', response: { plainToken: 'p' } });
    const forged = receiveWebhook({ ...signed(challenge), secrets: ['another'] });
    expect(forged).toMatchObject({ kind: 'refused', status: 401, reason: 'bad_signature' });
    expect(receiveWebhook({ ...signed('not json'), secrets: [SECRET] })).toMatchObject({ status: 400 });
    expect(receiveWebhook({ rawBody: undefined, headers: {}, secrets: [SECRET] })).toMatchObject({
      status: 500,
      reason: 'body_not_raw',
    });
  });
});

describe('eventSelection and dedupeWindowMs', () => {
  it('reads a trigger’s settings, with the host’s meaning of a blank Events field', () => {
    expect(
      eventSelection({
        events: '',
        channels: 'c1, c2',
        ignoreOwn: true,
        ownIdentities: ['a@x.com, b@x.com', 'bot@xmpp'],
        blankEvents: 'all',
      }),
    ).toEqual({ events: 'all', channels: ['c1', 'c2'], ownIdentities: ['a@x.com', 'b@x.com', 'bot@xmpp'] });
    expect(
      eventSelection({ events: [], channels: undefined, ignoreOwn: false, ownIdentities: ['a'], blankEvents: 'none' }),
    ).toEqual({
      events: [],
      channels: [],
      ownIdentities: [],
    });
  });

  it('takes minutes, falling back to the core’s default', () => {
    expect(dedupeWindowMs(3)).toBe(180_000);
    expect(dedupeWindowMs('')).toBe(DEFAULT_DEDUPE_TTL_MS);
    expect(dedupeWindowMs(-1)).toBe(DEFAULT_DEDUPE_TTL_MS);
  });
});

describe('createStoredDeduper', () => {
  it('loads the record once, records every key, saves after each check', async () => {
    const stored: Record<string, unknown> = {};
    let loads = 0;
    let saves = 0;
    const d = createStoredDeduper({
      load: async () => {
        loads++;
        return stored;
      },
      save: (record) => {
        expect(record).toBe(stored);
        saves++;
      },
      maxEntries: 10,
    });
    expect(await d.seen(['a', 'b'])).toBe(false);
    expect(await d.seen(['c', 'b'])).toBe(true);
    expect(await d.seen(['c'])).toBe(true);
    expect(loads).toBe(1);
    expect(saves).toBe(3);
    expect(Object.keys(stored).sort()).toEqual(['a', 'b', 'c']);
  });

  it('starts empty when the store has nothing usable or fails', async () => {
    const d = createStoredDeduper({
      load: async () => Promise.reject(new Error('x')),
      save: () => undefined,
      maxEntries: 5,
    });
    expect(await d.seen(['a'])).toBe(false);
    expect(await d.seen(['a'])).toBe(true);
  });
});

describe('event files', () => {
  const withFiles = (name: string, files: unknown[]) => ({ event: name, payload: { object: { files } } });

  it('lists the files of file and message events in order, and none for other events', () => {
    const files = [{ file_id: 'f1', file_name: 'a.txt', file_size: 3 }, { file_id: '' }, 'x', { file_id: 'f2' }];
    expect(eventFiles(withFiles('team_chat.file_shared', files))).toEqual([
      { fileId: 'f1', fileName: 'a.txt', size: 3 },
      { fileId: 'f2' },
    ]);
    expect(eventFiles(withFiles('team_chat.channel_message_posted', files))).toHaveLength(2);
    expect(eventFiles(withFiles('team_chat.reaction_added', files))).toEqual([]);
  });

  it('says which auth can download (not a chatbot)', () => {
    expect(canDownloadFiles('account')).toBe(true);
    expect(canDownloadFiles('user')).toBe(true);
    expect(canDownloadFiles('chatbot')).toBe(false);
    expect(canDownloadFiles(undefined)).toBe(false);
  });

  it('fetches each file within the cap, in order, with a reason for each one it cannot have', async () => {
    const bytes = new TextEncoder().encode('hello');
    const tooLarge = new ZoomValidationError(DOWNLOAD_OPERATION_ID, [{ field: 'maxBytes', message: 'is 9 bytes' }]);
    const fetched: string[] = [];
    const download = async (fileId: string, o: { maxBytes: number }): Promise<FileDownload> => {
      fetched.push(fileId);
      expect(o.maxBytes).toBe(1024 * 1024);
      if (fileId === 'gone') throw new Error('Zoom: file does not exist');
      if (fileId === 'grows') throw tooLarge;
      return {
        fileName: `${fileId}.txt`,
        mimeType: 'text/plain',
        size: 5,
        toBuffer: async () => bytes,
      } as unknown as FileDownload;
    };
    const files = [
      { file_id: 'ok' },
      { file_id: 'big', file_name: 'big.bin', file_size: 2 * 1024 * 1024 },
      { file_id: 'gone' },
      { file_id: 'grows', file_name: 'g.bin' },
    ];
    const out = await downloadEventFileBytes(withFiles('team_chat.file_uploaded', files), {
      download,
      maxBytes: 1024 * 1024,
      sizeLabel: 'Max size (MB)',
    });
    expect(fetched).toEqual(['ok', 'gone', 'grows']);
    expect(out).toEqual([
      { fileId: 'ok', fileName: 'ok.txt', mimeType: 'text/plain', size: 5, data: bytes },
      {
        fileId: 'big',
        fileName: 'big.bin',
        error: '"big.bin" (2097152 bytes) is larger than the 1 MB that Max size (MB) allows',
      },
      { fileId: 'gone', error: 'Zoom: file does not exist' },
      { fileId: 'grows', fileName: 'g.bin', error: '"g.bin" is larger than the 1 MB that Max size (MB) allows' },
    ]);
    const none = await downloadEventFileBytes(withFiles('team_chat.reaction_added', files), {
      download,
      maxBytes: 1,
      sizeLabel: 'x',
    });
    expect(none).toEqual([]);
  });

  it('keeps a host’s own fetch (n8n stores files its own way) with the same cap and reasons', async () => {
    const out = await downloadEventFiles([{ fileId: 'a' }, { fileId: 'b', size: 10 }], {
      maxBytes: 5,
      sizeLabel: 'Options → Max File Size (MB)',
      fetch: async (file) => `stored ${file.fileId}`,
    });
    expect(out).toEqual([
      { file: { fileId: 'a' }, value: 'stored a' },
      {
        file: { fileId: 'b', size: 10 },
        error: 'b (10 bytes) is larger than the 0 MB that Options → Max File Size (MB) allows',
      },
    ]);
  });
});
