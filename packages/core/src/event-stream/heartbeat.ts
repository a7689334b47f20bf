import { withSignal } from '../abort';
import type { Clock } from '../ports';

export const HEARTBEAT_FRAME = '{"module":"heartbeat"}';

export interface HeartbeatLoop {
  clock: Clock;
  intervalMs: number;
  /** Aborted when the connection ends or the stream stops. */
  signal: AbortSignal;
  /** Sends one heartbeat; false when the socket is no longer open. */
  send(): boolean;
  /** Epoch ms of the last frame received on this connection. */
  lastFrameAt(): number;
  /** True once the server answered a heartbeat on this connection. */
  answersHeartbeats(): boolean;
  /** The server went silent: the caller closes the socket and reconnects. */
  onSilent(silentMs: number): void;
}

/** However short the interval, silence this long is needed to judge (a stalled event loop is not a dead server). */
const MIN_SILENCE_MS = 10_000;

/**
 * Sends `{"module":"heartbeat"}` every `intervalMs` using only the injected clock. A server that
 * answered heartbeats and then stays silent for over two intervals (and at least 10 s) is treated
 * as gone: a half-open TCP connection never fires `close` on its own. Servers that never answer
 * are not judged.
 */
export async function runHeartbeat(loop: HeartbeatLoop): Promise<void> {
  while (!loop.signal.aborted) {
    try {
      await withSignal(() => loop.clock.sleep(loop.intervalMs, loop.signal), loop.signal);
    } catch {
      return; // aborted
    }
    if (loop.signal.aborted) return;
    const silentMs = loop.clock.now() - loop.lastFrameAt();
    if (loop.answersHeartbeats() && silentMs > Math.max(2 * loop.intervalMs, MIN_SILENCE_MS)) {
      loop.onSilent(silentMs);
      return;
    }
    if (!loop.send()) return;
  }
}
