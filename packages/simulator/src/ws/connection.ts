/**
 * One open socket: answers heartbeats, closes itself when heartbeats stop (Zoom closes idle
 * sockets), and, when asked, when its access token expires.
 */
import type { WebSocket } from 'ws';
import type { TokenRecord } from '../auth/tokens';

export const HEARTBEAT_REPLY = JSON.stringify({ module: 'heartbeat', success: true });

/** Close codes the simulator uses (4000–4999 are application codes; clients reconnect on any). */
export const CLOSE = {
  idle: 4000,
  tokenExpired: 4001,
  subscriptionDeleted: 4004,
  shuttingDown: 1001,
} as const;

// Timers beyond this fire at once in Node; a token lifetime is far below it anyway.
const MAX_TIMER_MS = 2_147_483_647;

export interface ConnectionInfo {
  id: string;
  subscriptionId: string;
  clientId: string;
  /** `closing`: a close was started (drop, idle, expiry) and the peer has not finished it yet. */
  state: 'open' | 'closing';
  openedAt: number;
  lastHeartbeatAt?: number;
  heartbeats: number;
}

export interface ConnectionOptions {
  idleTimeoutMs: number;
  closeOnTokenExpiry: boolean;
  now: () => number;
  /** Called once, when the socket is closed for good (either side, any reason). */
  onGone: (c: Connection) => void;
}

export class Connection {
  private lastHeartbeatAt: number | undefined;
  private heartbeats = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private gone = false;
  readonly openedAt: number;
  readonly closed: Promise<void>;

  constructor(
    readonly id: string,
    readonly subscriptionId: string,
    readonly socket: WebSocket,
    private readonly token: TokenRecord,
    private readonly o: ConnectionOptions,
  ) {
    this.openedAt = o.now();
    // A socket error (reset by the peer, bad frame) is followed by 'close'; without a listener it would crash the process.
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.finish());
    this.idleTimer = setTimeout(
      () => this.close(CLOSE.idle, `idle timeout: no heartbeat for ${o.idleTimeoutMs} ms`),
      o.idleTimeoutMs,
    );
    this.idleTimer.unref();
    if (o.closeOnTokenExpiry) this.scheduleTokenCheck();
  }

  get open(): boolean {
    return !this.gone && this.socket.readyState === 1;
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      subscriptionId: this.subscriptionId,
      clientId: this.token.clientId,
      state: this.open ? 'open' : 'closing',
      openedAt: this.openedAt,
      ...(this.lastHeartbeatAt === undefined ? {} : { lastHeartbeatAt: this.lastHeartbeatAt }),
      heartbeats: this.heartbeats,
    };
  }

  /** Close frame with this code; the peer answers and the socket ends (ws gives up after 30 s). */
  close(code: number, reason: string): void {
    if (this.gone) return;
    this.clearTimers();
    this.socket.close(code, reason);
  }

  /** No close frame: the TCP connection just ends, as a network failure would look. */
  terminate(): void {
    if (this.gone) return;
    this.clearTimers();
    this.socket.terminate();
  }

  /** Close frame, then terminate if the peer has not answered within `graceMs`; resolves when closed. */
  shutdown(code: number, reason: string, graceMs: number): Promise<void> {
    if (!this.gone) {
      this.close(code, reason);
      this.killTimer = setTimeout(() => this.socket.terminate(), graceMs);
    }
    return this.closed;
  }

  /** For closeOnTokenExpiry: true when the socket was closed because its token is no longer valid. */
  checkToken(): boolean {
    if (this.gone || this.token.expiresAt > this.o.now()) return false;
    this.close(CLOSE.tokenExpired, 'access token expired');
    return true;
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (isBinary || this.gone) return;
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return; // Zoom ignores what it does not understand; so does the simulator.
    }
    if (frame === null || typeof frame !== 'object' || (frame as { module?: unknown }).module !== 'heartbeat') return;
    this.heartbeats++;
    this.lastHeartbeatAt = this.o.now();
    this.idleTimer?.refresh();
    this.socket.send(HEARTBEAT_REPLY, () => undefined);
  }

  private scheduleTokenCheck(): void {
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, this.token.expiresAt - this.o.now()));
    this.tokenTimer = setTimeout(() => {
      if (!this.checkToken() && !this.gone) this.scheduleTokenCheck();
    }, wait);
    this.tokenTimer.unref();
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.tokenTimer);
    this.idleTimer = undefined;
    this.tokenTimer = undefined;
  }

  private finish(): void {
    if (this.gone) return;
    this.gone = true;
    this.clearTimers();
    clearTimeout(this.killTimer);
    this.o.onGone(this);
  }
}
