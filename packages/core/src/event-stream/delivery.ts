import type { Clock, Logger } from '../ports';
import { describe } from './connect';
import { eventKey, frameText, parseFrame } from './parse';
import type { EventStreamOptions } from './types';

/** Queued frames at which a slow onEvent is reported (then again at every doubling). */
const BACKLOG_WARNING = 1_000;

export interface Delivery {
  /** Queues one frame; frames are handled one at a time, in arrival order. */
  push(data: unknown, answered: () => void): void;
  /** Drops queued frames and refuses new ones (stop). */
  pause(): void;
  resume(): void;
}

/** Turns frames into `onEvent` calls: in order, duplicates dropped, bad frames logged and skipped. */
export function createDelivery(deps: {
  clock: Clock;
  dedupe: { seen(key: string): Promise<boolean> } | false;
  log: Logger;
  clean(text: string): string;
  onEvent: EventStreamOptions['onEvent'];
  counted(kind: 'events' | 'duplicates'): void;
}): Delivery {
  const { log } = deps;
  let chain: Promise<void> = Promise.resolve();
  /** Bumped by pause(): frames queued under an older generation are dropped. */
  let generation = 0;
  let accepting = false;
  /** Frames queued and not yet handled: grows when onEvent is slower than Zoom sends. */
  let backlog = 0;
  let warnedAt = 0;

  async function handle(data: unknown, receivedAt: number, gen: number, answered: () => void): Promise<void> {
    if (gen !== generation) return;
    const decoded = frameText(data);
    const text = typeof decoded === 'string' || decoded === undefined ? decoded : await decoded;
    if (text === undefined) {
      log.warn('event stream: skipped a frame of an unknown type', { type: typeof data });
      return;
    }
    const frame = parseFrame(text);
    switch (frame.kind) {
      case 'heartbeat':
        if (frame.success) answered();
        else log.warn('event stream: the server answered a heartbeat with success=false');
        return;
      case 'other':
        log.debug('event stream: skipped a frame', { module: frame.module });
        return;
      case 'malformed':
        log.warn(`event stream: skipped a malformed frame: ${deps.clean(frame.reason)}`);
        return;
      case 'event':
        break;
    }
    const { event, raw } = frame;
    if (deps.dedupe !== false) {
      let seen = false;
      try {
        seen = await deps.dedupe.seen(eventKey(event, raw));
      } catch (err) {
        // A broken store must not lose events: deliver, possibly twice.
        log.warn('event stream: the de-duplication store failed; delivering anyway', {
          error: deps.clean(describe(err)),
        });
      }
      if (seen) {
        deps.counted('duplicates');
        log.debug('event stream: dropped a duplicate event', { event: event.event });
        return;
      }
    }
    if (gen !== generation) return;
    deps.counted('events');
    try {
      await deps.onEvent(event, { receivedAt, raw });
    } catch (err) {
      log.error('event stream: onEvent threw; continuing with the next event', {
        event: event.event,
        error: deps.clean(describe(err)),
      });
    }
  }

  return {
    push(data, answered) {
      if (!accepting) return;
      const gen = generation;
      const receivedAt = deps.clock.now();
      backlog++;
      if (backlog >= warnedAt * 2 && backlog >= BACKLOG_WARNING) {
        warnedAt = backlog;
        log.warn(`event stream: ${backlog} events are waiting for onEvent, which is slower than they arrive`);
      }
      chain = chain
        .then(() => handle(data, receivedAt, gen, answered))
        .catch((err: unknown) =>
          log.error('event stream: a frame could not be handled', { error: deps.clean(describe(err)) }),
        )
        .finally(() => {
          backlog--;
          if (backlog === 0) warnedAt = 0;
        });
    },
    pause() {
      accepting = false;
      generation++;
    },
    resume() {
      accepting = true;
    },
  };
}
