/** The simulated account's data. Plain objects so tests and the admin API can read them directly. */

export interface Account {
  id: string;
  name: string;
  ownerId: string;
  /** The other company external contacts belong to. */
  externalAccountId: string;
}

export interface User {
  id: string;
  seq: number;
  email: string;
  first_name: string;
  last_name: string;
  display_name: string;
  member_id: string;
  jid: string;
  /** Belongs to another account: reachable as an external contact only. */
  external: boolean;
  role: 'owner' | 'admin' | 'member';
  status: 'active' | 'inactive';
  presence_status: 'Available' | 'Away' | 'Do_Not_Disturb' | 'Offline';
  job_title: string;
  dept: string;
  location: string;
  phone_number: string;
}

export interface ChannelSettings {
  add_member_permissions: 1 | 2;
  new_members_can_see_previous_messages_files: boolean;
  posting_permissions: 1 | 2 | 3;
  mention_all_permissions: 1 | 2 | 3;
  allow_to_add_external_users: 0 | 1 | 2 | 3;
}

export interface ChannelMember {
  userId: string;
  role: 'owner' | 'admin' | 'member';
  joinedAt: number;
  seq: number;
}

export interface Channel {
  id: string;
  seq: number;
  jid: string;
  name: string;
  /** 1 private, 2 private with external users, 3 public, 4 group chat ("new chat"), 5 announcement-style. */
  type: number;
  settings: ChannelSettings;
  ownerId: string;
  members: Map<string, ChannelMember>;
  createdAt: number;
  archived: boolean;
  retention: { enable_custom_retention: boolean; retention_period: string };
}

export interface Reaction {
  emoji: string;
  userIds: string[];
}

export interface Message {
  id: string;
  seq: number;
  /** `c:<channelId>` or `d:<userA>:<userB>` (sorted). */
  conversation: string;
  channelId?: string;
  /** DMs: the recipient as the sender addressed them. */
  toUserId?: string;
  senderId: string;
  text: string;
  timestamp: number;
  replyTo?: string;
  fileIds: string[];
  reactions: Reaction[];
  richText?: unknown[];
  atItems?: Array<Record<string, unknown>>;
  interactiveCards?: Array<Record<string, unknown>>;
  botMessage?: Record<string, unknown>;
  robotJid?: string;
  status: 'Normal' | 'Edited' | 'Deleted';
  editedAt?: number;
  deletedAt?: number;
  /** Earlier texts, oldest first (edits). */
  history: string[];
  lastReplyAt?: number;
  replyCount: number;
}

export interface StoredFile {
  id: string;
  seq: number;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  ownerId: string;
  createdAt: number;
  /** Where the bytes are; `evicted` when the storage cap pushed them out (metadata stays). */
  location: { kind: 'disk'; path: string } | { kind: 'memory'; data: Buffer } | { kind: 'evicted' };
  messageId?: string;
  conversation?: string;
  deleted: boolean;
}

export interface Bot {
  jid: string;
  name: string;
  clientId: string;
  accountId: string;
  slashCommand: string;
  installedBy: string;
}

export interface BotMessage {
  id: string;
  robotJid: string;
  toJid: string;
  userJid?: string;
  accountId: string;
  content: Record<string, unknown>;
  sentAt: number;
  visibleToUser?: string;
  replyTo?: string;
  isMarkdown?: boolean;
  /** The team-chat message mirroring it (channel or DM timeline). */
  messageId?: string;
  deleted: boolean;
}

/** The one-time answer an interactive Chatbot event offers (`callback_url` + `callback_token`). */
export interface BotCallback {
  id: string;
  token: string;
  robotJid: string;
  /** Where the answer goes: the card's conversation. */
  toJid: string;
  /** The user who acted; the answer is sent on their behalf. */
  userJid: string;
  expiresAt: number;
  used: boolean;
}

export interface Draft {
  id: string;
  /** Paging order (scheduling order). */
  seq: number;
  senderId: string;
  conversation: string;
  channelId?: string;
  toUserId?: string;
  text: string;
  scheduledAt: number;
  createdAt: number;
  replyTo?: string;
  fileIds?: string[];
  richText?: unknown[];
  atItems?: Array<Record<string, unknown>>;
  interactiveCards?: Array<Record<string, unknown>>;
  /** `scheduled` until its time comes; then `sent` (with `messageId`) or `failed` (with `error`). */
  state: 'scheduled' | 'sent' | 'failed';
  messageId?: string;
  /** When it was sent or failed (simulator clock). */
  settledAt?: number;
  error?: string;
}
