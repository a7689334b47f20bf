import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS,
  DEFAULT_EVENT_STREAM_URL,
  isZoomHost,
  parseSubscription,
  REDACTED,
  scrubSecrets,
  withSignal,
  ZoomConfigError,
  type Clock,
  type EventStreamClock,
} from '../src';
import * as portable from '../src/portable';

/**
 * The pieces both hosts take from the core instead of writing their own: the subscription
 * parser, the secret scrubber, the backoff, the abort race and the clock type.
 */
describe('parseSubscription', () => {
  const one = (value: unknown, options: Parameters<typeof parseSubscription>[1] = {}) =>
    parseSubscription({ subscriptionId: value }, options);

  it('reads a bare ID, the Marketplace URL and a URL plus ID to the same subscription and key', () => {
    const bare = one(' AbC-12_x ');
    expect(bare).toEqual({
      subscriptionId: 'AbC-12_x',
      url: `${DEFAULT_EVENT_STREAM_URL}?subscriptionId=AbC-12_x`,
      key: `${DEFAULT_EVENT_STREAM_URL}?subscriptionId=AbC-12_x`,
    });
    expect(one('wss://ws.zoom.us/ws?subscriptionId=AbC-12_x').key).toBe(bare.key);
    expect(parseSubscription({ endpointUrl: 'wss://WS.Zoom.us:443/ws', subscriptionId: 'AbC-12_x' }).key).toBe(
      bare.key,
    );
  });

  it('keeps other query parameters in the URL but not in the key, and drops a pasted token and fragment', () => {
    const s = one('wss://ws.zoom.us/ws?region=us&subscriptionId=S1&access_token=eyJ.old.token#frag');
    expect(s.url).toBe('wss://ws.zoom.us/ws?region=us&subscriptionId=S1');
    expect(s.key).toBe('wss://ws.zoom.us/ws?subscriptionId=S1');
    expect(JSON.stringify(s)).not.toContain('eyJ');
  });

  it('allows ws:// to this machine only (the token is in the query string)', () => {
    for (const host of ['127.0.0.1:9', '127.1.2.3', 'localhost:9', '[::1]:9']) {
      expect(one(`ws://${host}/ws?subscriptionId=s1`).subscriptionId).toBe('s1');
    }
    expect(() => one('ws://10.0.0.5/ws?subscriptionId=s1')).toThrow(
      /^endpointUrl must start with wss:\/\/: over ws:\/\/ the access token would travel unencrypted to 10\.0\.0\.5/,
    );
  });

  it('names the host’s fields in every refusal', () => {
    const fields = { subscriptionId: 'Subscription', endpointUrl: 'Subscription URL' };
    const cases: Array<[unknown, RegExp]> = [
      ['', /^Subscription is blank: paste the WebSocket subscription ID/],
      [undefined, /^Subscription is blank/],
      [42, /^Subscription must be a string/],
      [
        'two words',
        /^Subscription must be a WebSocket subscription ID .*subscriptionId "two words" is not a Zoom subscription ID/,
      ],
      ['x'.repeat(201), /^Subscription must be a WebSocket subscription ID/],
      ['https://ws.zoom.us/ws?subscriptionId=s1', /^Subscription URL must start with wss:\/\/ \(got https:\/\/\)/],
      ['wss:\\\\ws.zoom.us', /^Subscription URL/],
      ['wss://[bad/ws', /^Subscription URL is not a valid URL/],
      ['wss://ws.zoom.us/ws', /^Subscription URL has no usable subscriptionId parameter: a subscriptionId is required/],
      [
        'wss://ws.zoom.us/ws?subscriptionId=a%26b',
        /^Subscription URL has no usable subscriptionId parameter: subscriptionId "a&b"/,
      ],
      ['wss://ws.zoom.us/ws?subscriptionId=%20s1', /^Subscription URL has no usable subscriptionId parameter/],
      ['wss://u:p@ws.zoom.us/ws?subscriptionId=s1', /^Subscription URL must not contain a user name or password/],
    ];
    for (const [value, message] of cases) {
      expect(() => one(value, { fields }), String(value)).toThrow(ZoomConfigError);
      expect(() => one(value, { fields }), String(value)).toThrow(message);
    }
  });

  it('sends the token only where allowHost says, and accepts the same ID given twice', () => {
    const allowHost = (host: string) => isZoomHost(host) || host === '127.0.0.1';
    expect(one('wss://ws.zoom.us/ws?subscriptionId=s1', { allowHost }).subscriptionId).toBe('s1');
    expect(one('ws://127.0.0.1:9/ws?subscriptionId=s1', { allowHost }).subscriptionId).toBe('s1');
    expect(one('s1', { allowHost }).url).toBe('wss://ws.zoom.us/ws?subscriptionId=s1');
    expect(() => one('wss://evil.example.com/ws?subscriptionId=s1', { allowHost })).toThrow(
      /^endpointUrl points at evil\.example\.com, which is not a Zoom host/,
    );
    expect(() => one('ws://localhost:9/ws?subscriptionId=s1', { allowHost })).toThrow(
      /localhost, which is not a Zoom host/,
    );
    expect(
      parseSubscription({ endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=S1', subscriptionId: 'S1' }).subscriptionId,
    ).toBe('S1');
    expect(() =>
      parseSubscription({ endpointUrl: 'wss://ws.zoom.us/ws?subscriptionId=S1', subscriptionId: 'S2' }),
    ).toThrow(/subscriptionId "S2" differs from the one in endpointUrl \("S1"\)/);
  });

  it('knows Zoom’s hosts', () => {
    for (const host of ['zoom.us', 'ws.zoom.us', 'WS.ZOOM.US', 'ws.zoomgov.com'])
      expect(isZoomHost(host), host).toBe(true);
    for (const host of ['evilzoom.us', 'zoom.us.example.com', 'zoomgov.co', 'example.com'])
      expect(isZoomHost(host), host).toBe(false);
  });
});

describe('scrubSecrets', () => {
  /** `~` is form-encoded but not percent-encoded; `/`, `+`, `=` are both: three spellings of one token. */
  const token = 'eyJabc.def~ghi*jkl/mn+o=';

  it('masks access_token= whatever its value, and known secrets raw, percent- and form-encoded', () => {
    expect(scrubSecrets('wss://h/ws?subscriptionId=x&access_token=unknown.value&b=1', [])).toBe(
      'wss://h/ws?subscriptionId=x&access_token=***&b=1',
    );
    const text = `a ${token} b ${encodeURIComponent(token)} c ${new URLSearchParams({ t: token }).toString().slice(2)}`;
    expect(scrubSecrets(text, [token])).toBe('a *** b *** c ***');
  });

  it('masks a secret that contains another one whole', () => {
    expect(scrubSecrets('x longsecret-abcd y abcd', ['abcd', 'longsecret-abcd'])).toBe('x *** y ***');
  });

  it('leaves strings too short to be secrets, takes any mask, and treats a $ in the mask literally', () => {
    expect(scrubSecrets('id abc here', ['abc'])).toBe('id abc here');
    expect(scrubSecrets('secret s3cr3t and access_token=t', ['s3cr3t'], REDACTED)).toBe(
      'secret [redacted] and access_token=[redacted]',
    );
    expect(scrubSecrets('access_token=t s3cr3t', ['s3cr3t'], '$1$&')).toBe('access_token=$1$& $1$&');
  });
});

describe('backoffMs', () => {
  it('equal jitter by default: half the step always, the rest random, capped', () => {
    expect(backoffMs(0, 500, 8000, () => 0)).toBe(250);
    expect(backoffMs(0, 500, 8000, () => 0.5)).toBe(375);
    expect(backoffMs(2, 500, 8000, () => 1)).toBe(2000);
    expect(backoffMs(100, 500, 8000, () => 1)).toBe(8000);
  });

  it('a reconnect shape: another factor and a low floor', () => {
    const reconnect = { factor: 3, floor: 0.1 };
    expect(backoffMs(0, 1000, 60_000, () => 0, reconnect)).toBe(100);
    expect(backoffMs(0, 1000, 60_000, () => 0.5, reconnect)).toBe(550);
    expect(backoffMs(2, 1000, 60_000, () => 1, reconnect)).toBe(9000);
    expect(backoffMs(5, 1000, 60_000, () => 1, reconnect)).toBe(60_000);
  });

  it('does not trust a random that leaves [0, 1] or is not a number', () => {
    expect(backoffMs(0, 1000, 60_000, () => 7)).toBe(1000);
    expect(backoffMs(0, 1000, 60_000, () => -3)).toBe(500);
    expect(backoffMs(0, 1000, 60_000, () => Number.NaN)).toBe(750);
    expect(backoffMs(Number.NaN, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(-4, 1000, 60_000, () => 1)).toBe(1000);
  });
});

describe('withSignal', () => {
  it('settles like the work while the signal stays quiet', async () => {
    const signal = new AbortController().signal;
    await expect(withSignal(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(withSignal(() => Promise.reject(new Error('no')), signal)).rejects.toThrow('no');
    await expect(withSignal(Promise.resolve('x'), undefined)).resolves.toBe('x');
  });

  it('rejects with the signal’s reason as soon as it aborts, though the work never settles', async () => {
    const controller = new AbortController();
    const pending = withSignal(new Promise<never>(() => undefined), controller.signal);
    const reason = new Error('stopped');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('does not start work for a signal already aborted, and turns a throwing start into a rejection', async () => {
    const controller = new AbortController();
    controller.abort('gone');
    let started = false;
    await expect(withSignal(() => ((started = true), Promise.resolve()), controller.signal)).rejects.toBe('gone');
    expect(started).toBe(false);
    const boom = () => {
      throw new Error('sync');
    };
    await expect(withSignal(boom, new AbortController().signal)).rejects.toThrow('sync');
  });

  it('a sleep that resolves on abort (instead of rejecting) still reads as aborted', async () => {
    const controller = new AbortController();
    const resolvingSleep: Clock['sleep'] = (_ms, signal) =>
      new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    const pending = withSignal(() => resolvingSleep(60_000, controller.signal), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('work that resolves after aborting the signal itself does not read as done', async () => {
    const controller = new AbortController();
    const pending = withSignal(() => {
      controller.abort();
      return Promise.resolve('done');
    }, controller.signal);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('one clock type, one TTL per delivery kind, one export list', () => {
  it('EventStreamClock is the client’s Clock', () => {
    const clock: Clock = { now: () => 1, sleep: async () => undefined };
    const same: EventStreamClock = clock;
    const back: Clock = same;
    expect(back).toBe(clock);
  });

  it('webhooks outlast Zoom’s last retry (85 minutes after the first attempt); the stream keeps 10 minutes', () => {
    expect(DEFAULT_DEDUPE_TTL_MS).toBeGreaterThan(85 * 60_000);
    expect(DEFAULT_DEDUPE_TTL_MS).toBe(2 * 60 * 60_000);
    expect(DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS).toBe(10 * 60_000);
  });

  it('the portable entry (n8n) exports the same helpers', () => {
    for (const name of [
      'parseSubscription',
      'isZoomHost',
      'scrubSecrets',
      'backoffMs',
      'withSignal',
      'DEFAULT_EVENT_STREAM_DEDUPE_TTL_MS',
    ]) {
      expect(typeof (portable as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });
});
