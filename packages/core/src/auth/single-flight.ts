import type { TokenStore } from '../ports';

/**
 * Per (store, cacheKey) coordination, shared by every provider in the process that uses the same
 * store object, so two providers for the same user can never refresh with the same refresh token.
 *
 * - `flight`: the token lookup/mint callers join; at most one per generation.
 * - `tail`: every store-touching step (flights, invalidations) runs one after another, so a flight
 *   started after an invalidation reads the store after that invalidation finished.
 * - `gen`: bumped by invalidate; a flight from an older generation may return the dropped token,
 *   so later callers start (queue) a new one instead of joining it.
 */
interface Slot {
  gen: number;
  tail: Promise<void>;
  flight?: { gen: number; promise: Promise<string> };
}

const slots = new WeakMap<TokenStore, Map<string, Slot>>();

function slotFor(store: TokenStore, key: string): Slot {
  let byKey = slots.get(store);
  if (!byKey) {
    byKey = new Map();
    slots.set(store, byKey);
  }
  let slot = byKey.get(key);
  if (!slot) {
    slot = { gen: 0, tail: Promise.resolve() };
    byKey.set(key, slot);
  }
  return slot;
}

function serial<T>(slot: Slot, fn: () => Promise<T>): Promise<T> {
  const run = slot.tail.then(fn);
  slot.tail = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/** Joins the current flight or starts one. The flight's result or error is shared; nothing is cached here. */
export function joinFlight(store: TokenStore, key: string, run: () => Promise<string>): Promise<string> {
  const slot = slotFor(store, key);
  const current = slot.flight;
  if (current && current.gen === slot.gen) return current.promise;
  const flight = { gen: slot.gen, promise: serial(slot, run) };
  slot.flight = flight;
  const clear = () => {
    if (slot.flight === flight) slot.flight = undefined;
  };
  flight.promise.then(clear, clear);
  return flight.promise;
}

/** Runs `fn` after every earlier flight of this key, and makes later callers start a fresh flight. */
export function serialInvalidate(store: TokenStore, key: string, fn: () => Promise<void>): Promise<void> {
  const slot = slotFor(store, key);
  slot.gen++;
  return serial(slot, fn);
}
