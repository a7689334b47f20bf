/**
 * Faults of the WebSocket endpoint (kept apart from the HTTP faults in src/faults.ts, which
 * target REST operations). Dropping open sockets is an action (`WebSocketHub.drop`), not a
 * standing fault.
 */
import { WebSocketInputError } from './subscriptions';

export interface WebSocketFaultInput {
  /** The next N upgrade requests are answered 503 (no upgrade), as an overloaded edge would. */
  rejectHandshakes?: number;
}

export interface WebSocketFaultState {
  rejectHandshakes: number;
}

export class WebSocketFaults {
  private rejectHandshakes = 0;

  /** Replaces the fields given; returns what is pending now. */
  set(input: WebSocketFaultInput): WebSocketFaultState {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new WebSocketInputError('input', 'WebSocket faults must be an object like { rejectHandshakes: 2 }');
    }
    for (const key of Object.keys(input)) {
      if (key !== 'rejectHandshakes')
        throw new WebSocketInputError(key, `unknown WebSocket fault '${key}' (known: rejectHandshakes)`);
    }
    const n = input.rejectHandshakes;
    if (n !== undefined) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
        throw new WebSocketInputError(
          'rejectHandshakes',
          `rejectHandshakes must be a whole number from 0 to 1000000, got ${JSON.stringify(n)}`,
        );
      }
      this.rejectHandshakes = n;
    }
    return this.describe();
  }

  /** True when this upgrade must be refused (and counts it). */
  takeHandshakeRejection(): boolean {
    if (this.rejectHandshakes <= 0) return false;
    this.rejectHandshakes--;
    return true;
  }

  describe(): WebSocketFaultState {
    return { rejectHandshakes: this.rejectHandshakes };
  }

  clear(): void {
    this.rejectHandshakes = 0;
  }
}
