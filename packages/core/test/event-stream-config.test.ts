import { describe, expect, it } from 'vitest';
import { createEventStream, ZoomConfigError, type EventStreamOptions } from '../src';
import { fakeClock, fakeSockets, settle, tokenSource } from './event-stream-fakes';

function base(overrides: Partial<EventStreamOptions>): EventStreamOptions {
  return {
    getToken: tokenSource().getToken,
    webSocket: fakeSockets().factory,
    clock: fakeClock().clock,
    onEvent: () => undefined,
    ...overrides,
  };
}

/** The URL the stream opens for these options (token removed). */
async function openedUrl(overrides: Partial<EventStreamOptions>): Promise<string> {
  const net = fakeSockets();
  const s = createEventStream(base({ ...overrides, webSocket: net.factory }));
  s.start();
  await settle();
  await s.stop();
  const url = new URL(net.last.url);
  expect(url.searchParams.get('access_token')).toMatch(/^eyJSECRET\./);
  url.searchParams.delete('access_token');
  return url.toString();
}

describe('createEventStream: endpoint forms', () => {
  it('accepts the Marketplace endpoint URL, which already holds ?subscriptionId=', async () => {
    expect(await openedUrl({ endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=AbC-12_x' })).toBe(
      'wss://ws.zoom.us/ws?subscriptionId=AbC-12_x',
    );
  });

  it('accepts a bare subscription ID (in either field) and uses Zoom’s endpoint', async () => {
    expect(await openedUrl({ subscriptionId: 'AbC-12_x' })).toBe('wss://ws.zoom.us/ws?subscriptionId=AbC-12_x');
    expect(await openedUrl({ endpointUrl: '  AbC-12_x  ' })).toBe('wss://ws.zoom.us/ws?subscriptionId=AbC-12_x');
  });

  it('accepts a URL without the ID plus subscriptionId, keeping other query parameters', async () => {
    expect(await openedUrl({ endpointUrl: 'ws://127.0.0.1:4567/ws', subscriptionId: 'S1' })).toBe(
      'ws://127.0.0.1:4567/ws?subscriptionId=S1',
    );
    expect(await openedUrl({ endpointUrl: 'wss://example.test/ws?region=us', subscriptionId: 'S1' })).toBe(
      'wss://example.test/ws?region=us&subscriptionId=S1',
    );
  });

  it('accepts the same ID twice, and a URL pasted into subscriptionId', async () => {
    expect(await openedUrl({ endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=S1', subscriptionId: 'S1' })).toBe(
      'wss://ws.zoom.us/ws?subscriptionId=S1',
    );
    expect(await openedUrl({ subscriptionId: 'wss://ws.zoom.us/ws?subscriptionId=S2' })).toBe(
      'wss://ws.zoom.us/ws?subscriptionId=S2',
    );
  });

  it('drops a stale access_token pasted with the URL and uses a fresh one', async () => {
    const url = await openedUrl({ endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=S1&access_token=OLD_TOKEN_VALUE' });
    expect(url).toBe('wss://ws.zoom.us/ws?subscriptionId=S1');
  });

  it('refuses bad endpoints with an error naming the field', () => {
    const cases: Array<[Partial<EventStreamOptions>, RegExp]> = [
      [{}, /subscriptionId is required/],
      [{ endpointUrl: 'wss://ws.zoom.us/ws' }, /subscriptionId is required/],
      [{ subscriptionId: '   ' }, /subscriptionId is required/],
      [{ endpointUrl: 'https://ws.zoom.us/ws?subscriptionId=S1' }, /endpointUrl must start with wss:\/\//],
      [
        { endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=S1', subscriptionId: 'S2' },
        /subscriptionId "S2" differs from the one in endpointUrl \("S1"\)/,
      ],
      [{ subscriptionId: 'has space' }, /subscriptionId "has space" is not a Zoom subscription ID/],
      [
        { endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=a%26b' },
        /subscriptionId "a&b" is not a Zoom subscription ID/,
      ],
      [
        { endpointUrl: 'wss://user:pw@ws.zoom.us/ws?subscriptionId=S1' },
        /endpointUrl must not contain a user name or password/,
      ],
      [{ endpointUrl: 'wss://[bad/ws' }, /endpointUrl is not a valid URL/],
      [{ endpointUrl: 'S1', subscriptionId: 'S2' }, /endpointUrl is neither/],
      [{ subscriptionId: 42 as unknown as string }, /subscriptionId must be a string/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        createEventStream(base(options));
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ZoomConfigError);
      expect((error as Error).message, JSON.stringify(options)).toMatch(message);
    }
  });
});

describe('createEventStream: options', () => {
  const ok = { subscriptionId: 'S1' };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['getToken', { getToken: 'token' }, /getToken must be a function/],
    ['webSocket', { webSocket: undefined }, /webSocket must be a function/],
    ['onEvent', { onEvent: null }, /onEvent must be a function/],
    ['onState', { onState: 1 }, /onState must be a function/],
    ['clock', { clock: undefined }, /clock is required/],
    ['clock.sleep', { clock: { now: () => 0 } }, /clock\.sleep must be a function/],
    ['clock.now', { clock: { sleep: async () => undefined } }, /clock\.now must be a function/],
    ['heartbeatMs', { heartbeatMs: 0 }, /heartbeatMs must be a positive number/],
    ['openTimeoutMs', { openTimeoutMs: Number.NaN }, /openTimeoutMs must be a positive number/],
    ['backoff', { backoff: 5 }, /backoff must be an object/],
    ['backoff.initialMs', { backoff: { initialMs: -1 } }, /backoff\.initialMs must be a positive number/],
    ['backoff.factor', { backoff: { factor: 0.5 } }, /backoff\.factor must be ≥ 1/],
    ['backoff.maxMs', { backoff: { initialMs: 5_000, maxMs: 1_000 } }, /backoff\.maxMs must be ≥ backoff\.initialMs/],
    ['random', { random: 0.5 }, /random must be a function/],
    ['dedupe', { dedupe: true }, /dedupe must be false or/],
    ['maxHandshakeRejections', { maxHandshakeRejections: 1.5 }, /maxHandshakeRejections must be a whole number/],
    ['logger', { logger: { info() {} } }, /logger\.debug must be a function/],
  ];
  it.each(cases)('names %s when it is wrong', (_field, bad, message) => {
    expect(() => createEventStream(base({ ...ok, ...(bad as Partial<EventStreamOptions>) }))).toThrow(ZoomConfigError);
    expect(() => createEventStream(base({ ...ok, ...(bad as Partial<EventStreamOptions>) }))).toThrow(message);
  });

  it('refuses a missing options object', () => {
    expect(() => createEventStream(undefined as unknown as EventStreamOptions)).toThrow(/options must be an object/);
  });

  it('does nothing until start()', async () => {
    const net = fakeSockets();
    const s = createEventStream(base({ ...ok, webSocket: net.factory }));
    await settle();
    expect(net.sockets).toHaveLength(0);
    expect(s.state).toEqual({ status: 'stopped' });
    expect(s.stats()).toEqual({ connects: 0, disconnects: 0, disconnectedMs: 0, events: 0, duplicates: 0 });
  });
});
