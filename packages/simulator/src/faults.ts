/**
 * Fault injection: the next N matching requests fail with a status, are delayed, or lose
 * their connection before the body is read or after the state change happened.
 */
export interface FaultInput {
  /** Only requests to this operation (an operationId, or `oauth.token` for the token endpoint). */
  operationId?: string;
  /** How many requests it applies to (default 1). */
  count?: number;
  /** Answer this status instead of the real response (the request body is still read, nothing changes). */
  status?: number;
  /** Body for `status` (default: Zoom's error shape for the status). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before handling (combines with the others). */
  delayMs?: number;
  /**
   * Destroy the connection: `before-body` as soon as the request arrives (nothing changed),
   * `after-body` once the request was handled (the state change happened, no response).
   */
  reset?: 'before-body' | 'after-body';
}

export interface Fault extends Required<Pick<FaultInput, 'count'>>, Omit<FaultInput, 'count'> {
  id: string;
  remaining: number;
}

export class Faults {
  private list: Fault[] = [];
  private nextId = 1;

  add(input: FaultInput): Fault {
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    if (input.status !== undefined && (!Number.isInteger(input.status) || input.status < 100 || input.status > 599)) {
      throw new Error('status must be an HTTP status code');
    }
    if (input.delayMs !== undefined && (typeof input.delayMs !== 'number' || input.delayMs < 0))
      throw new Error('delayMs must be >= 0');
    if (input.reset !== undefined && input.reset !== 'before-body' && input.reset !== 'after-body') {
      throw new Error("reset must be 'before-body' or 'after-body'");
    }
    if (input.status === undefined && input.delayMs === undefined && input.reset === undefined) {
      throw new Error('a fault needs status, delayMs or reset');
    }
    const fault: Fault = { ...input, id: `f${this.nextId++}`, count, remaining: count };
    this.list.push(fault);
    return fault;
  }

  /** The fault for this request, if any (consumes one use). */
  take(operationId: string, targetedOnly = false): Fault | undefined {
    if (this.list.length === 0) return undefined;
    const i = this.list.findIndex(
      (f) => (f.operationId === undefined && !targetedOnly) || f.operationId === operationId,
    );
    if (i < 0) return undefined;
    const f = this.list[i] as Fault;
    f.remaining--;
    if (f.remaining <= 0) this.list.splice(i, 1);
    return f;
  }

  all(): Fault[] {
    return this.list.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return this.list.length !== before;
  }

  clear(): void {
    this.list = [];
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
