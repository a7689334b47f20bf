import type { ZoomWebhookEvent } from '../spec';

export type Frame =
  | { kind: 'event'; event: ZoomWebhookEvent; raw: string }
  | { kind: 'heartbeat'; success: boolean }
  /** A module this client does not handle (logged at debug, skipped). */
  | { kind: 'other'; module: string }
  | { kind: 'malformed'; reason: string };

const MAX_REASON = 120;

/**
 * Text of a frame: `ws` and undici give strings for text frames; binary frames arrive as
 * Buffer/ArrayBuffer (or Blob with undici's default binaryType), decoded as UTF-8.
 */
export function frameText(data: unknown): string | Promise<string> | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(bytes(data));
  if (Array.isArray(data) && data.every((d) => ArrayBuffer.isView(d))) {
    // `ws` with binaryType 'fragments'.
    return new TextDecoder().decode(concat(data.map(bytes)));
  }
  if (data !== null && typeof data === 'object' && typeof (data as { text?: unknown }).text === 'function') {
    return (data as { text(): Promise<string> }).text();
  }
  return undefined;
}

function bytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Joined before decoding: a multi-byte character may straddle two fragments. */
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** `{"module":"message","content":"<event JSON>"}` -> the event; never throws. */
export function parseFrame(text: string): Frame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: `not JSON (${text.length} characters)` };
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    return { kind: 'malformed', reason: 'not a JSON object' };
  }
  const f = frame as Record<string, unknown>;
  if (typeof f.module !== 'string') return { kind: 'malformed', reason: 'no "module"' };
  if (f.module === 'heartbeat') return { kind: 'heartbeat', success: f.success !== false };
  if (f.module !== 'message') return { kind: 'other', module: f.module.slice(0, MAX_REASON) };

  let raw: string;
  let event: unknown;
  if (typeof f.content === 'string') {
    raw = f.content;
    try {
      event = JSON.parse(raw);
    } catch {
      return { kind: 'malformed', reason: `message content is not JSON (${raw.length} characters)` };
    }
  } else if (f.content !== null && typeof f.content === 'object') {
    // Zoom sends a string; an object is unambiguous, so take it rather than lose the event.
    event = f.content;
    raw = JSON.stringify(f.content);
  } else {
    return { kind: 'malformed', reason: 'message without "content"' };
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return { kind: 'malformed', reason: 'message content is not a JSON object' };
  }
  const e = event as Record<string, unknown>;
  if (typeof e.event !== 'string' || e.event === '')
    return { kind: 'malformed', reason: 'event without a string "event"' };
  if (e.payload !== undefined && (e.payload === null || typeof e.payload !== 'object')) {
    return { kind: 'malformed', reason: `${e.event.slice(0, MAX_REASON)}: "payload" is not an object` };
  }
  return { kind: 'event', event: event as ZoomWebhookEvent, raw };
}

/**
 * Identifies one event across reconnects: `event:event_ts:hash(content)`. Two 32-bit FNV-1a
 * passes with different seeds: cheap, portable (no crypto), and collisions within one
 * `event`+`event_ts` pair are negligible.
 */
export function eventKey(event: { event: string; event_ts?: unknown }, raw: string): string {
  return `${event.event}:${String(event.event_ts)}:${fnv1a(raw, 0x811c9dc5)}${fnv1a(raw, 0x01000193 ^ 0x5bd1e995)}`;
}

function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
