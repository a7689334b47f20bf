/**
 * The simulated account's state and its indexes. Mutations that Zoom would announce with a
 * webhook go through `ChatService` (chat.ts), which calls back into here and emits events.
 */
import { randomBytes } from 'node:crypto';
import { ZoomError } from '../http/errors';
import { IdFactory } from './ids';
import type { Account, Bot, BotCallback, BotMessage, Channel, Draft, Message, StoredFile, User } from './types';

export interface PageCursor {
  scope: string;
  afterSeq: number;
  expiresAt: number;
}

/** Zoom's page tokens expire after 15 minutes. */
const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;
/** Random bytes drawn 256 tokens at a time: one `randomBytes(16)` per page cost ~3 µs of a listing's ~140. */
const TOKEN_BYTES = 16;
const TOKEN_POOL = TOKEN_BYTES * 256;

export class Store {
  readonly ids: IdFactory;
  readonly now: () => number;
  account!: Account;
  readonly users = new Map<string, User>();
  readonly channels = new Map<string, Channel>();
  readonly messages = new Map<string, Message>();
  readonly conversations = new Map<string, Message[]>();
  readonly files = new Map<string, StoredFile>();
  readonly bots = new Map<string, Bot>();
  readonly botMessages = new Map<string, BotMessage>();
  readonly drafts = new Map<string, Draft>();
  /** Trigger IDs handed out with `team_chat.link_shared` events (admin "share a link"). */
  readonly unfurlTriggers = new Set<string>();
  /** `callback_url` IDs handed out with interactive Chatbot events (admin "click a button"). */
  readonly botCallbacks = new Map<string, BotCallback>();
  private readonly byEmail = new Map<string, User>();
  private readonly byMember = new Map<string, User>();
  private readonly byJid = new Map<string, User>();
  private readonly channelByJid = new Map<string, Channel>();
  private readonly pageTokens = new Map<string, PageCursor>();
  private pruneTokensAt = 10_000;
  private tokenPool = Buffer.alloc(0);
  private tokenPoolAt = 0;
  private seqCounter = 0;

  constructor(seed: string | number, now: () => number) {
    this.ids = new IdFactory(seed);
    this.now = now;
  }

  seq(): number {
    return ++this.seqCounter;
  }

  addUser(user: User): User {
    this.users.set(user.id, user);
    this.byEmail.set(user.email.toLowerCase(), user);
    this.byMember.set(user.member_id, user);
    this.byJid.set(user.jid.toLowerCase(), user);
    return user;
  }

  /** A user by ID, email, member ID or JID (the forms Zoom accepts for contacts and identifiers). */
  findUser(ref: string | undefined): User | undefined {
    if (!ref) return undefined;
    return (
      this.users.get(ref) ??
      this.byEmail.get(ref.toLowerCase()) ??
      this.byMember.get(ref) ??
      this.byJid.get(ref.toLowerCase())
    );
  }

  addChannel(channel: Channel): Channel {
    this.channels.set(channel.id, channel);
    this.channelByJid.set(channel.jid.toLowerCase(), channel);
    return channel;
  }

  removeChannel(channel: Channel): void {
    this.channels.delete(channel.id);
    this.channelByJid.delete(channel.jid.toLowerCase());
  }

  findChannel(ref: string | undefined): Channel | undefined {
    if (!ref) return undefined;
    return this.channels.get(ref) ?? this.channelByJid.get(ref.toLowerCase());
  }

  static dmKey(a: string, b: string): string {
    return a < b ? `d:${a}:${b}` : `d:${b}:${a}`;
  }

  addMessage(message: Message): void {
    this.messages.set(message.id, message);
    let list = this.conversations.get(message.conversation);
    if (!list) {
      list = [];
      this.conversations.set(message.conversation, list);
    }
    list.push(message);
  }

  conversation(key: string): Message[] {
    return this.conversations.get(key) ?? [];
  }

  /**
   * One page of `items` (already in display order, each with a unique `seq`). The token
   * remembers where the previous page stopped, so items added meanwhile neither repeat nor
   * shift the pages.
   */
  page<T extends { seq: number }>(
    items: T[],
    scope: string,
    pageSize: number,
    token: string | undefined,
    order: 'asc' | 'desc' = 'asc',
  ): { items: T[]; next_page_token: string; total: number } {
    let start = 0;
    if (token) {
      const afterSeq = this.readPageToken(token, scope);
      start = items.findIndex((i) => (order === 'asc' ? i.seq > afterSeq : i.seq < afterSeq));
      if (start < 0) start = items.length;
    }
    const slice = items.slice(start, start + pageSize);
    const last = slice[slice.length - 1];
    const next = last && start + pageSize < items.length ? this.pageToken(scope, last.seq) : '';
    return { items: slice, next_page_token: next, total: items.length };
  }

  /** A token that continues `scope` after the item with `afterSeq`. */
  pageToken(scope: string, afterSeq: number): string {
    if (this.tokenPoolAt === this.tokenPool.length) {
      this.tokenPool = randomBytes(TOKEN_POOL);
      this.tokenPoolAt = 0;
    }
    const token = this.tokenPool.toString('base64url', this.tokenPoolAt, this.tokenPoolAt + TOKEN_BYTES);
    this.tokenPoolAt += TOKEN_BYTES;
    this.pageTokens.set(token, { scope, afterSeq, expiresAt: this.now() + PAGE_TOKEN_TTL_MS });
    if (this.pageTokens.size > this.pruneTokensAt) this.prunePageTokens();
    return token;
  }

  /** Where a token says to continue; Zoom's error when it is unknown, expired or from another query. */
  readPageToken(token: string, scope: string): number {
    const cursor = this.pageTokens.get(token);
    if (!cursor || cursor.scope !== scope || cursor.expiresAt < this.now()) {
      throw new ZoomError(400, 300, 'The next page token is either invalid or has expired.');
    }
    return cursor.afterSeq;
  }

  /**
   * Drops expired tokens. They were added in time order, so the expired ones come first and the scan
   * stops at the first live one; the next prune waits until the map has doubled. (Pruning every call
   * once 10 000 live tokens existed made each message listing scan them all: a benchmark listing
   * 2 000 pages a second slowed down eightfold within a minute.)
   */
  private prunePageTokens(): void {
    const now = this.now();
    for (const [k, v] of this.pageTokens) {
      if (v.expiresAt >= now) break;
      this.pageTokens.delete(k);
    }
    this.pruneTokensAt = Math.max(10_000, this.pageTokens.size * 2);
  }

  userJson(u: User): Record<string, unknown> {
    return {
      id: u.id,
      email: u.email,
      first_name: u.first_name,
      last_name: u.last_name,
      display_name: u.display_name,
      member_id: u.member_id,
      jid: u.jid,
      role: u.role,
      external: u.external,
    };
  }
}
