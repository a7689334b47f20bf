import { setTimeout as delay } from 'node:timers/promises';

/** Polls fn() every `everyMs` until it returns something truthy (returned), or throws naming `what`. */
export async function waitFor(what, fn, ms = 10_000, everyMs = 100) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await delay(everyMs);
  }
}
