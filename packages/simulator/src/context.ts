/** The running simulator's parts, shared by the servers and handlers. */
import type { AppConfig, TokenStore } from './auth/tokens';
import type { Faults } from './faults';
import type { FileStorage } from './files/storage';
import type { HubAdapter } from './hub-adapter';
import type { ChannelMessageLimiter, RateLimiter } from './ratelimit';
import type { ChatService } from './state/chat';
import type { MessageScheduler } from './state/scheduler';
import type { Store } from './state/store';
import type { WebSocketEndpoint } from './ws';

export interface SimUrls {
  /** API base, ends in `/v2`. */
  api: string;
  /** File host base as clients see it (the redirecting front), ends in `/v2`. */
  file: string;
  /** Where the file host redirects to (does the work), ends in `/v2`. */
  fileTarget: string;
  /** OAuth origin (`/oauth/token`, `/oauth/authorize`). */
  oauth: string;
  /** Admin API origin. */
  admin: string;
  /** WebSocket event endpoint on the API host: `ws://host:port/ws` (add `?subscriptionId=…&access_token=…`). */
  ws: string;
}

export interface Sim {
  store: Store;
  chat: ChatService;
  /** Scheduled messages: sent when their time comes on `now`. */
  scheduler: MessageScheduler;
  tokens: TokenStore;
  apps: AppConfig[];
  limiter: RateLimiter;
  /** The per-channel limits of `sendaChatMessage` (apps only; simulated humans are not limited). */
  channelLimiter: ChannelMessageLimiter;
  faults: Faults;
  files: FileStorage;
  hub: HubAdapter;
  /** WebSocket event subscriptions and their sockets (served on the API host at /ws). */
  ws: WebSocketEndpoint;
  urls: SimUrls;
  now: () => number;
  /** Admin-registered marketplace event subscriptions map to hub subscriptions. */
  webhookSecretToken: string;
}
