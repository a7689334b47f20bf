/** The admin API's route registry and the helpers its routes share. */
import type { ServerResponse } from 'node:http';
import type { Sim } from '../context';
import type { Fixtures } from '../state/seed';
import type { Channel, Draft, Message, StoredFile, User } from '../state/types';
import type { SimulatorCredentials } from '../simulator';

export interface AdminContext {
  sim: () => Sim;
  credentials: SimulatorCredentials;
  reset: (opts?: { fixtures?: Fixtures; clearTokens?: boolean }) => Promise<void>;
  options: Record<string, unknown>;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string>;
export type AdminHandler = (
  ctx: AdminContext,
  p: Params,
  body: Record<string, unknown>,
  q: Record<string, string>,
  res: ServerResponse,
) => unknown;

export interface AdminRoute {
  method: string;
  pattern: string;
  summary: string;
  re: RegExp;
  keys: string[];
  handler: AdminHandler;
}

export const routes: AdminRoute[] = [];
export function route(method: string, pattern: string, summary: string, handler: AdminHandler): void {
  const keys: string[] = [];
  const re = new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, (_m, k: string) => (keys.push(k), '([^/]+)'))}$`);
  routes.push({ method, pattern, summary, re, keys, handler });
}

export const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function userOf(sim: Sim, ref: unknown, field = 'as'): User {
  const id = s(ref);
  const u = id ? sim.store.findUser(id) : sim.store.users.get(sim.store.account.ownerId);
  if (!u) throw new AdminError(404, `${field}: no user ${String(ref)}`);
  return u;
}

export function channelOf(sim: Sim, ref: unknown, field = 'channel'): Channel {
  const c = sim.store.findChannel(s(ref));
  if (!c) throw new AdminError(404, `${field}: no channel ${String(ref)}`);
  return c;
}

export function messageOf(sim: Sim, ref: unknown): Message {
  const m = sim.store.messages.get(s(ref) ?? '');
  if (!m) throw new AdminError(404, `messageId: no message ${String(ref)}`);
  return m;
}

export function targetOfMessage(sim: Sim, actor: User, m: Message) {
  if (m.channelId) return sim.chat.resolveTarget(actor, m.channelId, undefined, { requireMember: false });
  const [, a, b] = m.conversation.split(':');
  const other = a === actor.id ? b : a;
  return sim.chat.resolveTarget(actor, undefined, other);
}

export function channelView(sim: Sim, c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    jid: c.jid,
    name: c.name,
    type: c.type,
    archived: c.archived,
    owner: sim.store.users.get(c.ownerId)?.email,
    settings: c.settings,
    members: [...c.members.values()].map((m) => ({
      userId: m.userId,
      email: sim.store.users.get(m.userId)?.email,
      role: m.role,
    })),
    createdAt: c.createdAt,
  };
}

export function messageView(sim: Sim, m: Message): Record<string, unknown> {
  const sender = sim.store.users.get(m.senderId);
  return {
    id: m.id,
    conversation: m.conversation,
    channelId: m.channelId,
    toUserId: m.toUserId,
    sender: sender?.email ?? m.robotJid ?? m.senderId,
    senderId: m.senderId,
    text: m.text,
    timestamp: m.timestamp,
    replyTo: m.replyTo,
    replyCount: m.replyCount,
    fileIds: m.fileIds,
    reactions: m.reactions,
    status: m.status,
    history: m.history,
    ...(m.botMessage ? { botMessage: m.botMessage, robotJid: m.robotJid } : {}),
    ...(m.richText ? { richText: m.richText } : {}),
    ...(m.atItems ? { atItems: m.atItems } : {}),
  };
}

export function fileView(f: StoredFile): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    size: f.size,
    contentType: f.contentType,
    sha256: f.sha256,
    ownerId: f.ownerId,
    createdAt: f.createdAt,
    stored: f.location.kind,
    messageId: f.messageId,
    conversation: f.conversation,
    deleted: f.deleted,
  };
}

export function draftView(sim: Sim, d: Draft): Record<string, unknown> {
  return {
    draftId: d.id,
    sender: sim.store.users.get(d.senderId)?.email ?? d.senderId,
    senderId: d.senderId,
    conversation: d.conversation,
    ...(d.channelId ? { channelId: d.channelId } : {}),
    ...(d.toUserId ? { toUserId: d.toUserId } : {}),
    text: d.text,
    scheduledTime: new Date(d.scheduledAt).toISOString(),
    scheduledAt: d.scheduledAt,
    createdAt: d.createdAt,
    ...(d.replyTo ? { replyTo: d.replyTo } : {}),
    state: d.state,
    ...(d.messageId ? { messageId: d.messageId } : {}),
    ...(d.settledAt !== undefined ? { settledAt: d.settledAt } : {}),
    ...(d.error ? { error: d.error } : {}),
  };
}

export function userView(u: User): Record<string, unknown> {
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

export function to(body: Record<string, unknown>): { toChannel?: string; toContact?: string } {
  const channel = s(body['channel']) ?? s(body['channelId']);
  const contact = s(body['to']) ?? s(body['toContact']);
  if (!channel && !contact) throw new AdminError(400, "give 'channel' (ID, JID or name) or 'to' (a user)");
  return { ...(channel ? { toChannel: channel } : {}), ...(contact ? { toContact: contact } : {}) };
}

export function channelRef(sim: Sim, ref: string): string {
  // Admin callers may name channels by name (`general`).
  const byName = [...sim.store.channels.values()].find((c) => c.name === ref);
  return sim.store.findChannel(ref)?.id ?? byName?.id ?? ref;
}

/** Returned by a route that wrote the response itself (file content). */
export const HANDLED = Symbol('handled');
