// What the fuzz suite feeds each action node: per node, a list of input kinds, each a fast-check
// arbitrary of host items plus the oracle for them. `good` items must go through; `bad` items
// must fail with an error naming the field (the `field` pattern); `either` items (a value a
// host may reasonably coerce, e.g. an object where text is expected) may go through or fail,
// but a failure must name the field. A `{{M}}` in a good item is replaced by a unique marker so
// the simulator's store can show it arrived exactly once.
// Kinds are separate arbitraries (not one oneof) so a failing value can be shrunk on its own.
import fc from 'fast-check';

/** Errors that are not "clear": an internal crash leaking through instead of a message about the input. */
export const CRASHY =
  /Cannot read propert|Cannot destructure|undefined is not|is not a function|is not iterable|\[object Object\] is|Maximum call stack|^TypeError|^RangeError|^ReferenceError/i;

const text = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 40 });
/** Any UTF-16, lone surrogates and control characters included. */
const rawText = fc.string({ unit: 'binary', minLength: 0, maxLength: 24 });
const nonText = fc.constantFrom(undefined, null, true, false, {}, [], { message: 1 }, [1, 2]);
const blank = fc.constantFrom('', ' ', '\n\t ', '\u00a0');
/** Over Zoom's 1024-character limit however characters are counted (each unit below is ≥ 1 code point). */
const huge = fc
  .tuple(fc.integer({ min: 1025, max: 6000 }), fc.constantFrom('x', 'é', '😀', 'a b', '👩‍👩‍👧'))
  .map(([n, c]) => c.repeat(n));
const wrongId = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
  fc.integer({ min: 0, max: 1e9 }),
);
const notObject = fc.constantFrom(true, 5, 'not json {', '[1,2]', [], 'null');
const bytes = fc.uint8Array({ minLength: 1, maxLength: 2048 });
/** A file name a user might really have: unicode, spaces, dots; no path separators or controls. */
const fileStem = fc
  .string({ unit: 'grapheme', minLength: 0, maxLength: 24 })
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not carry
  .map((s) => s.replace(/[\u0000-\u001f\u007f/\\"]/g, '_'));
const b64 = (u8) => Buffer.from(u8).toString('base64');

/** The good text of a message: a marker plus fuzzed unicode (never blank). */
const goodText = fc.tuple(text, rawText).map(([a, b]) => `fz {{M}} ${a}${b}`);

/**
 * env: { channel (an ID with messages), messageId (one of them), owner (email) }.
 * Returns { [nodeKey]: { host, label, kinds: [{ label, kind, field?, arb, marker?: boolean }] } }.
 */
export function fuzzSpecs(env) {
  const ch = env.channel;
  const nr = (msg, extra = {}) => ({ msg, ...extra });
  return {
    'node-red send': {
      host: 'node-red',
      kinds: [
        {
          label: 'good unicode text to a channel',
          kind: 'good',
          marker: true,
          arb: goodText.map((t) => nr({ payload: t, channel: ch })),
        },
        {
          label: 'no text (missing, blank or not a string)',
          kind: 'bad',
          field: 'message text|msg\\.payload',
          arb: fc.oneof(nonText, blank).map((p) => nr({ payload: p, channel: ch })),
        },
        {
          label: 'no destination (channel missing or not a string)',
          kind: 'bad',
          field: 'destination.*Channel',
          arb: fc.tuple(goodText, fc.oneof(nonText, blank)).map(([t, c]) => nr({ payload: t, channel: c })),
        },
        {
          label: 'channel and contact both set',
          kind: 'bad',
          field: 'channel and a contact',
          arb: goodText.map((t) => nr({ payload: t, channel: ch, contact: env.owner })),
        },
        {
          label: 'unknown channel ID (unicode, numbers)',
          kind: 'bad',
          field: 'channel',
          arb: fc.tuple(goodText, wrongId).map(([t, c]) => nr({ payload: t, channel: c })),
        },
        {
          label: 'text over 1024 characters',
          kind: 'bad',
          field: 'message',
          arb: huge.map((t) => nr({ payload: t, channel: ch })),
        },
        {
          label: 'msg.mentions not an array of strings',
          kind: 'bad',
          field: 'msg\\.mentions',
          arb: fc
            .tuple(goodText, fc.oneof(fc.constantFrom('all', 5, {}, true), fc.constantFrom([null], [5, {}], [''])))
            .map(([t, m]) => nr({ payload: t, channel: ch, mentions: m })),
        },
      ],
    },
    'node-red list': {
      host: 'node-red',
      kinds: [
        {
          label: 'good channel and limit',
          kind: 'good',
          arb: fc
            .oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }).map(String))
            .map((l) => nr({ channel: ch, limit: l })),
        },
        {
          label: 'limit not a whole number ≥ 1',
          kind: 'bad',
          field: 'limit',
          arb: fc
            .oneof(fc.constantFrom(0, -1, 1.5, 'abc', true, '1e'), fc.integer({ min: -1e6, max: 0 }))
            .map((l) => nr({ channel: ch, limit: l })),
        },
        {
          label: 'no destination',
          kind: 'bad',
          field: 'destination.*Channel',
          arb: fc.oneof(nonText, blank).map((c) => nr({ channel: c, limit: 2 })),
        },
        {
          label: 'unknown channel ID',
          kind: 'bad',
          field: 'channel',
          arb: wrongId.map((c) => nr({ channel: c, limit: 2 })),
        },
        {
          label: 'msg.query page_size out of range or not a number',
          kind: 'bad',
          field: 'page_size',
          arb: fc.constantFrom(51, 500, 'abc', 2.5).map((p) => nr({ channel: ch, limit: 2, query: { page_size: p } })),
        },
      ],
    },
    'node-red upload': {
      host: 'node-red',
      kinds: [
        {
          label: 'good file (random bytes, unicode name)',
          kind: 'good',
          marker: true,
          arb: fc
            .tuple(bytes, fileStem)
            .map(([u8, s]) => nr({ fileName: `fz {{M}} ${s}.bin`, channel: ch }, { bufferB64: b64(u8) })),
        },
        {
          label: 'binary missing (no payload, no path)',
          kind: 'bad',
          field: 'No file|msg\\.payload',
          arb: fc
            .oneof(nonText, blank, fc.constant('some text'))
            .map((p) => nr({ payload: p, fileName: 'a.txt', channel: ch })),
        },
        {
          label: 'empty file',
          kind: 'bad',
          field: 'file is empty',
          arb: fileStem.map((s) => nr({ fileName: `e${s}.txt`, channel: ch }, { bufferB64: '' })),
        },
        {
          label: 'buffer without a file name',
          kind: 'bad',
          field: 'file name|fileName',
          arb: fc
            .tuple(bytes, fc.oneof(nonText, blank))
            .map(([u8, n]) => nr({ fileName: n, channel: ch }, { bufferB64: b64(u8) })),
        },
        {
          label: 'msg.filename of a file that does not exist',
          kind: 'bad',
          field: 'File not found',
          arb: fileStem.map((s) => nr({ filename: `/nonexistent-reliability/${s || 'x'}.txt`, channel: ch })),
        },
        {
          label: 'no destination',
          kind: 'bad',
          field: 'destination.*Channel',
          arb: fc
            .tuple(bytes, fc.oneof(nonText, blank))
            .map(([u8, c]) => nr({ fileName: 'a.bin', channel: c }, { bufferB64: b64(u8) })),
        },
        {
          label: 'unknown channel ID',
          kind: 'bad',
          field: 'channel',
          arb: fc.tuple(bytes, wrongId).map(([u8, c]) => nr({ fileName: 'a.bin', channel: c }, { bufferB64: b64(u8) })),
        },
      ],
    },
    'node-red api': {
      host: 'node-red',
      kinds: [
        {
          label: 'good sendaChatMessage',
          kind: 'good',
          marker: true,
          arb: goodText.map((t) =>
            nr({
              operationId: 'sendaChatMessage',
              params: { path: { userId: 'me' }, body: { message: t, to_channel: ch } },
            }),
          ),
        },
        {
          label: 'good getChatMessages',
          kind: 'good',
          arb: fc.integer({ min: 1, max: 50 }).map((n) =>
            nr({
              operationId: 'getChatMessages',
              params: { path: { userId: 'me' }, query: { to_channel: ch, page_size: n } },
            }),
          ),
        },
        {
          label: 'unknown or missing operationId',
          kind: 'bad',
          field: 'operation',
          arb: fc
            .oneof(
              fc.constantFrom('sendaChatMesage', 'getChannelz', 'DROP TABLE', 'constructor', '__proto__', 'toString'),
              fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
              blank,
              nonText,
            )
            .map((op) => nr({ operationId: op, params: {} })),
        },
        {
          label: 'msg.params not an object or not JSON',
          kind: 'bad',
          field: 'msg\\.params',
          arb: notObject.filter((p) => p !== 'null').map((p) => nr({ operationId: 'getChannels', params: p })),
        },
        {
          label: 'body without the required message',
          kind: 'bad',
          field: 'message',
          arb: fc.oneof(nonText, fc.integer()).map((m) =>
            nr({
              operationId: 'sendaChatMessage',
              params: {
                path: { userId: 'me' },
                body: m === undefined ? { to_channel: ch } : { message: m, to_channel: ch },
              },
            }),
          ),
        },
        {
          label: 'query page_size out of range or not a number',
          kind: 'bad',
          field: 'page_size',
          arb: fc.constantFrom(51, 1000, 'abc', 2.5).map((p) =>
            nr({
              operationId: 'getChatMessages',
              params: { path: { userId: 'me' }, query: { to_channel: ch, page_size: p } },
            }),
          ),
        },
        // Issue 17: a userId path parameter left out is the account's Act as user, else msg.userId, else me.
        // A read, not a send: 40 more messages into the one channel would wait out Zoom's channel windows.
        {
          label: 'path without userId (read as me)',
          kind: 'good',
          arb: fc
            .integer({ min: 1, max: 50 })
            .map((n) => nr({ operationId: 'getChatMessages', params: { query: { to_channel: ch, page_size: n } } })),
        },
      ],
    },
    'n8n message send': {
      host: 'n8n',
      kinds: [
        {
          label: 'good unicode text to a channel',
          kind: 'good',
          marker: true,
          arb: goodText.map((t) => ({ json: { text: t, channel: ch } })),
        },
        {
          label: 'no text (missing, blank)',
          kind: 'bad',
          field: 'message',
          arb: fc
            .oneof(fc.constant(undefined), fc.constant(null), blank)
            .map((t) => ({ json: { text: t, channel: ch } })),
        },
        {
          label: 'text not a string (object, array, boolean)',
          kind: 'either',
          field: 'message',
          arb: fc.constantFrom(true, {}, [], { message: 1 }, [1, 2]).map((t) => ({ json: { text: t, channel: ch } })),
        },
        {
          label: 'no channel',
          kind: 'bad',
          field: 'channel',
          arb: fc
            .oneof(fc.constant(undefined), fc.constant(null), blank)
            .map((c) => ({ json: { text: 'x', channel: c } })),
        },
        {
          label: 'unknown channel ID or wrong type',
          kind: 'bad',
          field: 'channel',
          arb: fc.oneof(wrongId, fc.constantFrom(true, {}, [])).map((c) => ({ json: { text: 'x', channel: c } })),
        },
        {
          label: 'text over 1024 characters',
          kind: 'bad',
          field: 'message',
          arb: huge.map((t) => ({ json: { text: t, channel: ch } })),
        },
      ],
    },
    'n8n message getAll': {
      host: 'n8n',
      kinds: [
        {
          label: 'good channel and limit',
          kind: 'good',
          arb: fc.integer({ min: 1, max: 5 }).map((l) => ({ json: { channel: ch, limit: l } })),
        },
        {
          label: 'limit not a whole number ≥ 1',
          kind: 'bad',
          field: 'limit',
          arb: fc.constantFrom(0, -1, 1.5, 'abc', true, -1000).map((l) => ({ json: { channel: ch, limit: l } })),
        },
        {
          label: 'no channel',
          kind: 'bad',
          field: 'channel',
          arb: fc
            .oneof(fc.constant(undefined), fc.constant(null), blank)
            .map((c) => ({ json: { channel: c, limit: 2 } })),
        },
        {
          label: 'unknown channel ID',
          kind: 'bad',
          field: 'channel',
          arb: wrongId.map((c) => ({ json: { channel: c, limit: 2 } })),
        },
      ],
    },
    'n8n message get': {
      host: 'n8n',
      kinds: [
        {
          label: 'good message ID',
          kind: 'good',
          arb: fc
            .constantFrom(env.messageId, ` ${env.messageId} `)
            .map((m) => ({ json: { messageId: m, channel: ch } })),
        },
        {
          label: 'unknown message ID',
          kind: 'bad',
          field: 'message',
          arb: fc
            .oneof(
              fc.uuid(),
              fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
            )
            .map((m) => ({ json: { messageId: m, channel: ch } })),
        },
        {
          label: 'message ID missing or blank',
          kind: 'bad',
          field: 'message',
          arb: fc
            .oneof(fc.constant(undefined), fc.constant(null), blank)
            .map((m) => ({ json: { messageId: m, channel: ch } })),
        },
        {
          label: 'message ID of the wrong type (number, boolean, object)',
          kind: 'either',
          field: 'message',
          arb: fc
            .oneof(fc.integer(), fc.constantFrom(true, {}, [], { id: env.messageId }))
            .map((m) => ({ json: { messageId: m, channel: ch } })),
        },
      ],
    },
    'n8n file upload': {
      host: 'n8n',
      kinds: [
        {
          label: 'good binary (random bytes, unicode name)',
          kind: 'good',
          marker: true,
          arb: fc
            .tuple(bytes, fileStem)
            .map(([u8, s]) => ({ json: {}, binary: { b64: b64(u8), fileName: `fz {{M}} ${s}.bin` } })),
        },
        {
          label: 'binary missing',
          kind: 'bad',
          field: 'binary|data',
          arb: fc.constant({ json: { note: 'no binary' } }),
        },
        {
          label: 'empty binary',
          kind: 'bad',
          field: 'empty|file|size',
          arb: fileStem.map((s) => ({ json: {}, binary: { b64: '', fileName: `e${s}.txt` } })),
        },
      ],
    },
    'n8n file send': {
      host: 'n8n',
      kinds: [
        {
          label: 'good binary (random bytes, unicode name)',
          kind: 'good',
          marker: true,
          arb: fc
            .tuple(bytes, fileStem)
            .map(([u8, s]) => ({ json: { channel: ch }, binary: { b64: b64(u8), fileName: `fz {{M}} ${s}.bin` } })),
        },
        { label: 'binary missing', kind: 'bad', field: 'binary|data', arb: fc.constant({ json: { channel: ch } }) },
        {
          label: 'empty binary',
          kind: 'bad',
          field: 'empty|file|size',
          arb: fileStem.map((s) => ({ json: { channel: ch }, binary: { b64: '', fileName: `e${s}.txt` } })),
        },
        {
          label: 'no channel',
          kind: 'bad',
          field: 'channel',
          arb: fc
            .tuple(bytes, fc.oneof(fc.constant(undefined), fc.constant(null), blank))
            .map(([u8, c]) => ({ json: { channel: c }, binary: { b64: b64(u8), fileName: 'a.bin' } })),
        },
        {
          label: 'unknown channel ID',
          kind: 'bad',
          field: 'channel',
          arb: fc
            .tuple(bytes, wrongId)
            .map(([u8, c]) => ({ json: { channel: c }, binary: { b64: b64(u8), fileName: 'a.bin' } })),
        },
      ],
    },
    'n8n apiCall': {
      host: 'n8n',
      kinds: [
        {
          label: 'good sendaChatMessage',
          kind: 'good',
          marker: true,
          arb: goodText.map((t) => ({
            json: {
              operationId: 'sendaChatMessage',
              path: { userId: 'me' },
              query: {},
              body: { message: t, to_channel: ch },
            },
          })),
        },
        {
          label: 'good getChatMessages',
          kind: 'good',
          arb: fc.integer({ min: 1, max: 50 }).map((n) => ({
            json: {
              operationId: 'getChatMessages',
              path: { userId: 'me' },
              query: { to_channel: ch, page_size: n },
              body: {},
            },
          })),
        },
        {
          label: 'unknown or missing operationId',
          kind: 'bad',
          field: 'operation',
          arb: fc
            .oneof(
              fc.constantFrom('sendaChatMesage', 'constructor', '__proto__', 'toString'),
              fc.string({ minLength: 1, maxLength: 30 }),
              blank,
              fc.constant(null),
            )
            .map((op) => ({ json: { operationId: op, path: {}, query: {}, body: {} } })),
        },
        {
          label: 'body not a JSON object',
          kind: 'bad',
          field: 'Body',
          arb: notObject.map((b) => ({
            json: { operationId: 'sendaChatMessage', path: { userId: 'me' }, query: {}, body: b },
          })),
        },
        {
          label: 'body without the required message',
          kind: 'bad',
          field: 'message',
          arb: fc.oneof(fc.constant(undefined), fc.constantFrom(null, 5, true, {}, [])).map((m) => ({
            json: {
              operationId: 'sendaChatMessage',
              path: { userId: 'me' },
              query: {},
              body: m === undefined ? { to_channel: ch } : { message: m, to_channel: ch },
            },
          })),
        },
        {
          label: 'query page_size out of range or not a number',
          kind: 'bad',
          field: 'page_size',
          arb: fc.constantFrom(51, 1000, 'abc', 2.5).map((p) => ({
            json: {
              operationId: 'getChatMessages',
              path: { userId: 'me' },
              query: { to_channel: ch, page_size: p },
              body: {},
            },
          })),
        },
      ],
    },
  };
}

/**
 * The verdict on one item. outcome: { ok, error?, missing?, both? }; stored: times its marker
 * is in the store (undefined when the kind has no marker).
 */
export function judge(kind, outcome, stored) {
  if (!outcome || outcome.missing)
    return { pass: false, why: 'no outcome: neither an output nor an error reached the flow' };
  if (outcome.both) return { pass: false, why: `both an output and an error: ${outcome.error}` };
  if (kind.kind === 'good') {
    if (!outcome.ok) return { pass: false, why: `a good item failed: ${outcome.error}` };
    if (stored !== undefined && stored !== 1) return { pass: false, why: `a good item was stored ${stored}×` };
    return { pass: true };
  }
  if (outcome.ok) {
    if (kind.kind === 'either')
      return stored === undefined || stored <= 1 ? { pass: true } : { pass: false, why: `stored ${stored}×` };
    return { pass: false, why: 'a bad item went through without an error' };
  }
  const error = String(outcome.error ?? '');
  if (CRASHY.test(error)) return { pass: false, why: `not a clear error: ${error}` };
  if (!new RegExp(kind.field, 'i').test(error))
    return { pass: false, why: `the error does not name the field (/${kind.field}/i): ${error}` };
  return { pass: true };
}

/** How many cases of each kind: `total` spread evenly, good kinds getting a double share. */
export function allocate(kinds, total) {
  const weights = kinds.map((k) => (k.kind === 'good' ? 2 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i] += 1;
  return counts;
}

/** Replaces `{{M}}` everywhere in a JSON-able value. */
export function withMarker(value, marker) {
  if (typeof value === 'string') return value.split('{{M}}').join(marker);
  if (Array.isArray(value)) return value.map((v) => withMarker(v, marker));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withMarker(v, marker)]));
  return value;
}

/** A short, readable rendering of a case (long strings cut, lengths kept). */
export function show(value, max = 300) {
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'string' && v.length > 60
      ? `${v.slice(0, 40)}…(${v.length} chars)`
      : v === undefined
        ? '<undefined>'
        : v,
  );
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}
