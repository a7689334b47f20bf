/**
 * A transport marked with this symbol enforces `TransportRequest.timeoutMs` itself, with a timer it
 * clears when the exchange ends. The pipeline then passes only the caller's signal in `signal` and
 * spares one `AbortSignal.timeout` per request: a timer that cannot be cleared, lives for the whole
 * timeout (tens of thousands of them at a few thousand requests a second) and costs about 10 µs —
 * most of the core's own overhead per request.
 *
 * No timers here: the portable entry imports this module.
 */
export const HANDLES_TIMEOUT: unique symbol = Symbol.for('@zoom-team-chat/core.transport.handlesTimeout');

export function handlesTimeout(transport: unknown): boolean {
  return typeof transport === 'function' && (transport as { [HANDLES_TIMEOUT]?: unknown })[HANDLES_TIMEOUT] === true;
}
