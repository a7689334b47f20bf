/** A typed client for the admin API (what `Simulator.admin` is). Uses global `fetch`. */
import type { FaultInput } from '../faults';
import type { Plan, RateLimitOverrides } from '../ratelimit';
import type { SeedChannelInput, SeedUserInput } from '../state/seed';
import type {
  DropInput,
  WebSocketDelivery,
  WebSocketFaultInput,
  WebSocketFaultState,
  WebSocketSubscriptionView,
} from '../ws';

export interface AdminMessage {
  id: string;
  conversation: string;
  channelId?: string;
  toUserId?: string;
  sender: string;
  senderId: string;
  text: string;
  timestamp: number;
  replyTo?: string;
  replyCount: number;
  fileIds: string[];
  reactions: Array<{ emoji: string; userIds: string[] }>;
  status: 'Normal' | 'Edited' | 'Deleted';
  history: string[];
  botMessage?: Record<string, unknown>;
  robotJid?: string;
}

export interface AdminChannel {
  id: string;
  jid: string;
  name: string;
  type: number;
  archived: boolean;
  owner?: string;
  settings: Record<string, unknown>;
  members: Array<{ userId: string; email?: string; role: string }>;
  createdAt: number;
}

export interface AdminFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  ownerId: string;
  createdAt: number;
  stored: 'disk' | 'memory' | 'evicted';
  messageId?: string;
  conversation?: string;
  deleted: boolean;
}

export interface AdminUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  display_name: string;
  member_id: string;
  jid: string;
  role: string;
  external: boolean;
}

export interface AdminEvent {
  event: string;
  payload: Record<string, unknown>;
  at: number;
  queued: number;
}

/** A scheduled message (`sendaChatMessage` with `scheduled_time`) and what became of it. */
export interface AdminScheduledMessage {
  draftId: string;
  sender: string;
  senderId: string;
  conversation: string;
  channelId?: string;
  toUserId?: string;
  text: string;
  /** ISO time it is (or was) due. */
  scheduledTime: string;
  scheduledAt: number;
  createdAt: number;
  replyTo?: string;
  state: 'scheduled' | 'sent' | 'failed';
  /** The message it became (`sent`). */
  messageId?: string;
  settledAt?: number;
  /** Why it could not be sent (`failed`): Zoom's message for the refused send. */
  error?: string;
}

/** A button click (`interactive_message_actions`) as the admin API reports it. */
export interface AdminClick {
  bot: string;
  messageId: string;
  actionItem: { text: string; value: string };
  userId: string;
  /** The event's `toJid`: the channel JID, or `<user JID>/robot_<bot JID>` in a 1:1 chat. */
  toJid: string;
  /** Where the bot may answer once within 30 minutes, with `callbackToken` as Bearer token. */
  callbackUrl: string;
  callbackToken: string;
}

/** Who acts (email, user ID or member ID; default the account owner) and where. */
export interface Where {
  as?: string;
  /** Channel ID, JID or name. */
  channel?: string;
  /** A user (email or ID) for a direct message. */
  to?: string;
}

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export class AdminClient {
  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok)
      throw new AdminApiError(res.status, `${method} ${path}: ${(data as { error?: string })?.error ?? res.status}`);
    return data as T;
  }

  health = () => this.request<{ ok: true }>('GET', '/health');
  info = () => this.request<Record<string, unknown>>('GET', '/info');
  summary = () => this.request<Record<string, unknown>>('GET', '/state');
  reset = (opts: { fixtures?: 'default' | 'minimal'; clearTokens?: boolean } = {}) =>
    this.request<{ ok: true }>('POST', '/reset', opts);
  seed = (input: { users?: SeedUserInput[]; channels?: SeedChannelInput[] }) =>
    this.request<{ users: AdminUser[]; channels: AdminChannel[] }>('POST', '/seed', input);

  users = () => this.request<AdminUser[]>('GET', '/users');
  channels = () => this.request<AdminChannel[]>('GET', '/channels');
  channel = (idOrName: string) => this.request<AdminChannel>('GET', `/channels/${encodeURIComponent(idOrName)}`);
  channelMessages = (idOrName: string) =>
    this.request<AdminMessage[]>('GET', `/channels/${encodeURIComponent(idOrName)}/messages`);
  directMessages = (user: string, withUser: string) =>
    this.request<AdminMessage[]>(
      'GET',
      `/messages?user=${encodeURIComponent(user)}&with=${encodeURIComponent(withUser)}`,
    );
  message = (id: string) => this.request<AdminMessage>('GET', `/messages/${encodeURIComponent(id)}`);
  files = () => this.request<AdminFile[]>('GET', '/files');
  file = (id: string) => this.request<AdminFile>('GET', `/files/${encodeURIComponent(id)}`);
  async fileContent(id: string): Promise<Buffer> {
    const res = await fetch(`${this.baseUrl}/files/${encodeURIComponent(id)}/content`);
    if (!res.ok) throw new AdminApiError(res.status, `GET /files/${id}/content: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
  bots = () =>
    this.request<Array<{ jid: string; name: string; clientId: string; slashCommand: string }>>('GET', '/bots');
  botMessages = () => this.request<Array<Record<string, unknown>>>('GET', '/bot-messages');
  events = (event?: string) =>
    this.request<AdminEvent[]>('GET', `/events${event ? `?event=${encodeURIComponent(event)}` : ''}`);
  eventErrors = () => this.request<Array<{ event: string; error: string; at: number }>>('GET', '/events/errors');
  deliveries = () => this.request<Array<Record<string, unknown>>>('GET', '/deliveries');

  faults = () => this.request<Array<FaultInput & { id: string; remaining: number }>>('GET', '/faults');
  addFault = (fault: FaultInput) =>
    this.request<FaultInput & { id: string; remaining: number }>('POST', '/faults', fault);
  clearFaults = () => this.request<{ ok: true }>('DELETE', '/faults');
  removeFault = (id: string) => this.request<{ removed: boolean }>('DELETE', `/faults/${encodeURIComponent(id)}`);

  rateLimits = () => this.request<Record<string, unknown>>('GET', '/rate-limits');
  setRateLimits = (input: {
    plan?: Plan | 'off';
    overrides?: RateLimitOverrides;
    dailyRetryAfter?: 'seconds' | 'date';
    channelMessageLimits?: boolean;
  }) => this.request<Record<string, unknown>>('PUT', '/rate-limits', input);
  expireTokens = () => this.request<{ expired: number; closedWebSockets: number }>('POST', '/tokens/expire');

  postMessage = (input: Where & { text: string; replyTo?: string; fileIds?: string[] }) =>
    this.request<AdminMessage>('POST', '/act/message', input);
  reply = (input: Where & { text: string; replyTo: string }) =>
    this.request<AdminMessage>('POST', '/act/message', input);
  editMessage = (input: { as?: string; messageId: string; text: string }) =>
    this.request<AdminMessage>('POST', '/act/edit', input);
  deleteMessage = (input: { as?: string; messageId: string }) =>
    this.request<AdminMessage>('POST', '/act/delete', input);
  react = (input: { as?: string; messageId: string; emoji: string; action?: 'add' | 'remove' }) =>
    this.request<AdminMessage>('POST', '/act/reaction', input);
  uploadFile = (
    input: Where & {
      fileName: string;
      text?: string;
      base64?: string;
      contentType?: string;
      message?: string;
      replyTo?: string;
    },
  ) => this.request<{ file: AdminFile; message: AdminMessage }>('POST', '/act/file', input);
  join = (input: { as?: string; channel: string }) => this.request<AdminChannel>('POST', '/act/join', input);
  leave = (input: { as?: string; channel: string }) => this.request<AdminChannel>('POST', '/act/leave', input);
  invite = (input: { as?: string; channel: string; users: string[] }) =>
    this.request<AdminChannel>('POST', '/act/invite', input);
  createChannel = (input: { as?: string; name: string; type?: number; members?: string[] }) =>
    this.request<AdminChannel>('POST', '/act/create-channel', input);
  archive = (input: { as?: string; channel: string; archived?: boolean }) =>
    this.request<AdminChannel>('POST', '/act/archive', input);
  slashCommand = (input: { as?: string; command: string; bot?: string; channel?: string }) =>
    this.request<{ ok: true; bot: string; command: string }>('POST', '/act/slash-command', input);
  installBot = (input: { as?: string; bot?: string } = {}) =>
    this.request<{ ok: true; bot: string }>('POST', '/act/install-bot', input);
  /** Name the button by `value`, `text` or `index` (0-based over all buttons, in reading order). */
  click = (input: { as?: string; messageId: string; value?: string; text?: string; index?: number }) =>
    this.request<AdminClick>('POST', '/act/click', input);
  scheduledMessages = () => this.request<AdminScheduledMessage[]>('GET', '/scheduled');
  /** Sends one scheduled message now (`draftId`), or every pending one; due ones are sent without this. */
  runScheduled = (input: { draftId?: string } = {}) =>
    this.request<AdminScheduledMessage[]>('POST', '/scheduled/run', input);
  shareLink = (input: Where & { link: string; bot?: string }) =>
    this.request<{ triggerId: string; userId: string; responseUrl: string; message: AdminMessage }>(
      'POST',
      '/act/link',
      input,
    );

  webhooks = () => this.request<Array<{ id: string; url: string; events: string[]; kind: string }>>('GET', '/webhooks');
  subscribe = (input: {
    url: string;
    events: string[];
    secretToken?: string;
    kind?: 'team-chat' | 'chatbot';
    botJid?: string;
  }) => this.request<{ id: string; url: string; events: string[] }>('POST', '/webhooks', input);
  unsubscribe = (id: string) => this.request<{ removed: boolean }>('DELETE', `/webhooks/${encodeURIComponent(id)}`);
  settleWebhooks = (includeRetries = false) =>
    this.request<{ ok: true }>('POST', '/webhooks/settle', { includeRetries });

  // WebSocket event delivery (src/ws): connect to `endpointUrl` + `&access_token=<token>`.
  createWebSocketSubscription = (input: { events: string[]; name?: string }) =>
    this.request<WebSocketSubscriptionView>('POST', '/websockets', input);
  webSocketSubscriptions = () => this.request<WebSocketSubscriptionView[]>('GET', '/websockets');
  removeWebSocketSubscription = (id: string) =>
    this.request<{ removed: boolean }>('DELETE', `/websockets/${encodeURIComponent(id)}`);
  webSocketDeliveries = (subscriptionId?: string) =>
    this.request<WebSocketDelivery[]>(
      'GET',
      `/websockets/deliveries${subscriptionId ? `?subscriptionId=${encodeURIComponent(subscriptionId)}` : ''}`,
    );
  clearWebSocketDeliveries = () => this.request<{ ok: true }>('DELETE', '/websockets/deliveries');
  dropWebSockets = (input: DropInput = {}) => this.request<{ dropped: number }>('POST', '/websockets/drop', input);
  webSocketFaults = () => this.request<WebSocketFaultState>('GET', '/websockets/faults');
  setWebSocketFaults = (input: WebSocketFaultInput) =>
    this.request<WebSocketFaultState>('PUT', '/websockets/faults', input);
}
