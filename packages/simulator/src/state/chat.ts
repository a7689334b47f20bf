/**
 * The behaviour of Team Chat that both the REST handlers and the admin "act as a human"
 * endpoints share: permission checks, state changes and the events they announce.
 */
import { ZoomError, badRequest, channelNotFound, userNotFound } from '../http/errors';
import type { DomainEvent, EventSink } from './events';
import { defaultSettings } from './seed';
import { Store } from './store';
import type { Bot, Channel, ChannelSettings, Message, StoredFile, User } from './types';

export interface Target {
  conversation: string;
  channel?: Channel;
  recipient?: User;
}

export interface SendInput {
  toChannel?: string | undefined;
  toContact?: string | undefined;
  text: string;
  replyTo?: string | undefined;
  fileIds?: string[] | undefined;
  richText?: unknown[] | undefined;
  atItems?: Array<Record<string, unknown>> | undefined;
  interactiveCards?: Array<Record<string, unknown>> | undefined;
  botMessage?: Record<string, unknown> | undefined;
  robotJid?: string | undefined;
}

const IMAGE = /\.(png|jpe?g|gif)$/i;

export class ChatService {
  constructor(
    readonly store: Store,
    private readonly sink: EventSink,
  ) {}

  emit(event: DomainEvent): void {
    this.sink(event);
  }

  /** Where a message goes: `to_channel` wins over `to_contact`, as in Zoom. */
  resolveTarget(
    actor: User,
    toChannel: string | undefined,
    toContact: string | undefined,
    opts: { requireMember?: boolean } = {},
  ): Target {
    if (toChannel) {
      const channel = this.store.findChannel(toChannel);
      if (!channel) throw channelNotFound(toChannel);
      if (opts.requireMember !== false && !channel.members.has(actor.id)) {
        throw new ZoomError(400, 200, `Unauthorized request. ${actor.email} is not a member of channel ${channel.id}.`);
      }
      return { conversation: `c:${channel.id}`, channel };
    }
    if (toContact) {
      const recipient = this.store.findUser(toContact);
      if (!recipient) throw userNotFound(toContact);
      return { conversation: Store.dmKey(actor.id, recipient.id), recipient };
    }
    throw badRequest('Must provide either contact or channel parameter.');
  }

  /** The message, checked to belong to the conversation the caller named. */
  messageIn(target: Target, messageId: string, opts: { includeDeleted?: boolean } = {}): Message {
    const m = this.store.messages.get(messageId);
    if (!m || m.conversation !== target.conversation || (m.status === 'Deleted' && !opts.includeDeleted)) {
      throw new ZoomError(404, 4131, `Message does not exist: ${messageId}.`);
    }
    return m;
  }

  canPost(actor: User, channel: Channel): boolean {
    const member = channel.members.get(actor.id);
    if (!member) return false;
    if (channel.settings.posting_permissions === 1) return true;
    return member.role === 'owner' || member.role === 'admin';
  }

  /**
   * What `sendMessage` checks before anything changes: where, may the actor post, the thread,
   * the files. A scheduled message runs these when it is scheduled and again when it is sent.
   */
  checkSend(actor: User, input: SendInput): { target: Target; main?: Message; files: StoredFile[] } {
    const target = this.resolveTarget(actor, input.toChannel, input.toContact);
    if (target.channel) {
      if (target.channel.archived) throw new ZoomError(400, 5420, 'Can not send message to an archived channel.');
      if (!this.canPost(actor, target.channel)) {
        throw new ZoomError(
          400,
          5301,
          'Message sending failed: only channel owners and administrators can post in this channel.',
        );
      }
    }
    let main: Message | undefined;
    if (input.replyTo) {
      main = this.store.messages.get(input.replyTo);
      if (!main || main.conversation !== target.conversation || main.status === 'Deleted') {
        throw new ZoomError(
          400,
          300,
          `Invalid reply_main_message_id: message ${input.replyTo} does not exist in this conversation.`,
          {
            errors: [{ field: 'reply_main_message_id', message: 'Message does not exist in this conversation.' }],
          },
        );
      }
      if (main.replyTo) throw new ZoomError(400, 5402, 'This only supports replies to a main message.');
    }
    const files = (input.fileIds ?? []).map((id) => {
      const f = this.store.files.get(id);
      if (!f || f.deleted || f.ownerId !== actor.id) {
        throw new ZoomError(400, 300, `File does not exist: ${id}.`, {
          errors: [{ field: 'file_ids', message: `File ${id} does not exist or is not yours.` }],
        });
      }
      return f;
    });
    return { target, ...(main ? { main } : {}), files };
  }

  sendMessage(actor: User, input: SendInput): Message {
    const { target, main, files } = this.checkSend(actor, input);
    const now = this.store.now();
    const message: Message = {
      id: this.store.ids.uuid(),
      seq: this.store.seq(),
      conversation: target.conversation,
      senderId: actor.id,
      text: input.text,
      timestamp: now,
      fileIds: files.map((f) => f.id),
      reactions: [],
      status: 'Normal',
      history: [],
      replyCount: 0,
      ...(target.channel ? { channelId: target.channel.id } : {}),
      ...(target.recipient ? { toUserId: target.recipient.id } : {}),
      ...(main ? { replyTo: main.id } : {}),
      ...(input.richText ? { richText: input.richText } : {}),
      ...(input.atItems ? { atItems: input.atItems } : {}),
      ...(input.interactiveCards ? { interactiveCards: input.interactiveCards } : {}),
      ...(input.botMessage ? { botMessage: input.botMessage } : {}),
      ...(input.robotJid ? { robotJid: input.robotJid } : {}),
    };
    if (main) {
      main.replyCount++;
      main.lastReplyAt = now;
    }
    for (const f of files) {
      f.messageId = message.id;
      f.conversation = message.conversation;
    }
    this.store.addMessage(message);
    const where = whereOf(target);
    this.emit({ type: 'message.posted', message, actor, ...where });
    for (const file of files) this.emit({ type: 'file.shared', file, actor, message, ...where });
    // Zoom documents app mentions for channel messages only (the event's `type` is always to_channel).
    if (target.channel && !message.robotJid && (message.atItems || message.text.includes('@'))) {
      for (const bot of this.mentionedBots(message))
        this.emit({ type: 'bot.mentioned', bot, actor, message, channel: target.channel });
    }
    return message;
  }

  /**
   * Bots a message mentions: an `at_items` entry whose `at_contact` is the bot's JID (what an API
   * client can send), or `@<bot name>` in the text (what a Zoom client inserts when a user picks
   * the app from the mention list).
   */
  mentionedBots(message: Message): Bot[] {
    const out: Bot[] = [];
    for (const bot of this.store.bots.values()) {
      const jid = bot.jid.toLowerCase();
      const byItem =
        message.atItems?.some((a) => typeof a['at_contact'] === 'string' && a['at_contact'].toLowerCase() === jid) ??
        false;
      if (byItem || mentionPattern(bot.name).test(message.text)) out.push(bot);
    }
    return out;
  }

  editMessage(
    actor: User,
    target: Target,
    message: Message,
    patch: { text?: string | undefined; fileIds?: string[] | undefined },
  ): void {
    if (message.senderId !== actor.id)
      throw new ZoomError(400, 200, 'Only the sender of this message can make updates.');
    if (patch.text !== undefined && patch.text !== message.text) {
      message.history.push(message.text);
      message.text = patch.text;
    }
    if (patch.fileIds !== undefined) {
      for (const id of patch.fileIds) {
        const f = this.store.files.get(id);
        if (!f || f.deleted || f.ownerId !== actor.id) throw new ZoomError(400, 300, `File does not exist: ${id}.`);
      }
      message.fileIds = [...patch.fileIds];
    }
    message.status = 'Edited';
    message.editedAt = this.store.now();
    this.emit({ type: 'message.updated', message, actor, ...whereOf(target) });
  }

  deleteMessage(actor: User, target: Target, message: Message): void {
    const isAdmin = target.channel
      ? ['owner', 'admin'].includes(target.channel.members.get(actor.id)?.role ?? '')
      : false;
    if (message.senderId !== actor.id && !isAdmin)
      throw new ZoomError(400, 200, 'Only the sender of this message can delete it.');
    message.status = 'Deleted';
    message.deletedAt = this.store.now();
    this.emit({ type: 'message.deleted', message, actor, ...whereOf(target) });
  }

  react(actor: User, target: Target, message: Message, emoji: string, action: 'add' | 'remove'): void {
    let r = message.reactions.find((x) => x.emoji === emoji);
    if (action === 'add') {
      if (!r) {
        r = { emoji, userIds: [] };
        message.reactions.push(r);
      }
      if (r.userIds.includes(actor.id)) return;
      r.userIds.push(actor.id);
      this.emit({ type: 'reaction.added', message, actor, emoji, ...whereOf(target) });
    } else {
      if (!r || !r.userIds.includes(actor.id)) return;
      r.userIds = r.userIds.filter((id) => id !== actor.id);
      if (r.userIds.length === 0) message.reactions = message.reactions.filter((x) => x !== r);
      this.emit({ type: 'reaction.removed', message, actor, emoji, ...whereOf(target) });
    }
  }

  // ---- channels ----

  channelFor(actor: User, channelId: string, opts: { member?: boolean } = {}): Channel {
    const channel = this.store.findChannel(channelId);
    if (!channel) throw channelNotFound(channelId);
    const isMember = channel.members.has(actor.id);
    if (opts.member && !isMember) {
      throw new ZoomError(400, 200, `Unauthorized request. ${actor.email} is not a member of channel ${channel.id}.`);
    }
    // Private channels are invisible to non-members (public ones, type 3, can be read and joined).
    if (!isMember && channel.type !== 3) throw channelNotFound(channelId);
    return channel;
  }

  isChannelAdmin(actor: User, channel: Channel): boolean {
    const role = channel.members.get(actor.id)?.role;
    return role === 'owner' || role === 'admin';
  }

  createChannel(
    owner: User,
    input: {
      name?: string | undefined;
      type?: number | undefined;
      memberRefs?: string[];
      settings?: Partial<ChannelSettings> | undefined;
    },
  ): Channel {
    const name = input.name?.trim() ?? '';
    const type = input.type ?? 1;
    if (!name && type !== 4) {
      throw new ZoomError(400, 300, 'Validation Failed.', {
        errors: [{ field: 'name', message: 'The channel name is required.' }],
      });
    }
    if (name && [...this.store.channels.values()].some((c) => c.name === name && c.ownerId === owner.id)) {
      throw new ZoomError(400, 300, 'The channel name already exists.');
    }
    const members = (input.memberRefs ?? []).map((ref) => {
      const u = this.store.findUser(ref);
      if (!u) throw userNotFound(ref);
      return u;
    });
    const id = this.store.ids.hex32();
    const now = this.store.now();
    const channel: Channel = {
      id,
      seq: this.store.seq(),
      jid: `${id}@conference.xmpp.zoom.us`,
      name: name || members.map((m) => m.first_name).join(', '),
      type,
      settings: { ...defaultSettings(), ...(input.settings ?? {}) },
      ownerId: owner.id,
      members: new Map(),
      createdAt: now,
      archived: false,
      retention: { enable_custom_retention: false, retention_period: '' },
    };
    channel.members.set(owner.id, { userId: owner.id, role: 'owner', joinedAt: now, seq: this.store.seq() });
    for (const m of members) {
      if (!channel.members.has(m.id))
        channel.members.set(m.id, { userId: m.id, role: 'member', joinedAt: now, seq: this.store.seq() });
    }
    this.store.addChannel(channel);
    this.emit({ type: 'channel.created', channel, actor: owner });
    return channel;
  }

  updateChannel(
    actor: User,
    channel: Channel,
    patch: { name?: string | undefined; type?: number | undefined; settings?: Partial<ChannelSettings> | undefined },
  ): void {
    if (!this.isChannelAdmin(actor, channel)) {
      throw new ZoomError(
        403,
        200,
        'Unauthorized request. You do not have permission to update a channel for this user.',
      );
    }
    const changes: Record<string, unknown> = {};
    if (patch.name !== undefined && patch.name !== channel.name) {
      if (
        [...this.store.channels.values()].some(
          (c) => c !== channel && c.name === patch.name && c.ownerId === channel.ownerId,
        )
      ) {
        throw new ZoomError(400, 300, 'The channel name already exists.');
      }
      changes['name'] = patch.name;
      channel.name = patch.name;
    }
    if (patch.type !== undefined && patch.type !== channel.type) {
      changes['type'] = patch.type;
      channel.type = patch.type;
    }
    if (patch.settings) {
      for (const [k, v] of Object.entries(patch.settings)) {
        if (v === undefined || k === 'designated_posting_members') continue;
        (channel.settings as unknown as Record<string, unknown>)[k] = v;
        changes[k] = v;
      }
    }
    this.emit({ type: 'channel.updated', channel, actor, changes });
  }

  deleteChannel(actor: User, channel: Channel): void {
    if (channel.members.get(actor.id)?.role !== 'owner' && actor.role !== 'owner') {
      throw new ZoomError(400, 200, "Unauthorized request. You do not have permission to delete this user's channel.");
    }
    this.store.removeChannel(channel);
    this.emit({ type: 'channel.deleted', channel, actor });
  }

  setArchived(actor: User, channel: Channel, archived: boolean): void {
    if (!this.isChannelAdmin(actor, channel) && actor.role !== 'owner') {
      throw new ZoomError(
        400,
        200,
        'Unauthorized request. Only channel owners and administrators can archive a channel.',
      );
    }
    if (channel.archived === archived) return;
    channel.archived = archived;
    this.emit({ type: archived ? 'channel.archived' : 'channel.unarchived', channel, actor });
  }

  invite(actor: User, channel: Channel, refs: string[]): User[] {
    if (
      !channel.members.has(actor.id) ||
      (channel.settings.add_member_permissions === 2 && !this.isChannelAdmin(actor, channel))
    ) {
      throw new ZoomError(400, 200, 'Unauthorized request. You do not have permission to invite channel members.');
    }
    const users = refs.map((ref) => {
      const u = this.store.findUser(ref);
      if (!u) throw userNotFound(ref);
      return u;
    });
    const added: User[] = [];
    const now = this.store.now();
    for (const u of users) {
      if (channel.members.has(u.id)) continue;
      channel.members.set(u.id, { userId: u.id, role: 'member', joinedAt: now, seq: this.store.seq() });
      added.push(u);
    }
    if (added.length) this.emit({ type: 'channel.members_invited', channel, actor, members: added });
    return added;
  }

  join(actor: User, channel: Channel): void {
    if (channel.members.has(actor.id)) return;
    if (channel.type !== 3)
      throw new ZoomError(400, 5301, 'The request to join the channel failed: only public channels can be joined.');
    channel.members.set(actor.id, {
      userId: actor.id,
      role: 'member',
      joinedAt: this.store.now(),
      seq: this.store.seq(),
    });
    this.emit({ type: 'channel.member_joined', channel, actor });
  }

  leave(actor: User, channel: Channel): void {
    const member = channel.members.get(actor.id);
    if (!member) throw new ZoomError(400, 5301, 'Request to leave the channel failed: not a member.');
    if (member.role === 'owner')
      throw new ZoomError(400, 5301, 'Request to leave the channel failed: the owner cannot leave the channel.');
    channel.members.delete(actor.id);
    this.emit({ type: 'channel.member_left', channel, actor });
  }

  removeMembers(actor: User, channel: Channel, refs: string[]): User[] {
    if (!this.isChannelAdmin(actor, channel)) throw new ZoomError(400, 200, 'No permission to remove channel members.');
    if (refs.length > 20)
      throw new ZoomError(400, 300, 'The maximum number of members that can be removed at a time is 20.');
    const removed: User[] = [];
    for (const ref of refs) {
      const u = this.store.findUser(ref);
      if (u && removed.includes(u)) continue; // the same user named by ID and by member ID
      if (!u || !channel.members.has(u.id))
        throw new ZoomError(400, 5301, `Unable to remove channel member: ${ref} is not a member.`);
      if (u.id === actor.id) throw new ZoomError(400, 300, 'You can not remove yourself.');
      if (channel.members.get(u.id)?.role === 'owner')
        throw new ZoomError(400, 5301, 'Unable to remove channel member: the owner cannot be removed.');
      removed.push(u);
    }
    for (const u of removed) channel.members.delete(u.id);
    if (removed.length) this.emit({ type: 'channel.members_removed', channel, actor, members: removed });
    return removed;
  }

  setRole(actor: User, channel: Channel, refs: string[], role: 'admin' | 'member'): User[] {
    if (!this.isChannelAdmin(actor, channel)) {
      throw new ZoomError(
        400,
        200,
        'Unauthorized request. You do not have permission to change channel administrators.',
      );
    }
    const changed: User[] = [];
    for (const ref of refs) {
      const u = this.store.findUser(ref);
      const member = u ? channel.members.get(u.id) : undefined;
      if (!u || !member) throw new ZoomError(400, 5301, `Request failed: ${ref} is not a channel member.`);
      if (member.role === 'owner' || changed.includes(u)) continue;
      member.role = role;
      changed.push(u);
    }
    return changed;
  }

  // ---- files ----

  fileUploaded(actor: User, file: StoredFile): void {
    this.emit({ type: 'file.uploaded', file, actor });
  }

  deleteFile(actor: User, file: StoredFile): void {
    if (file.ownerId !== actor.id && actor.role !== 'owner') throw new ZoomError(403, 403, 'Operation not permitted.');
    file.deleted = true;
    this.emit({ type: 'file.deleted', file, actor });
  }

  messageTypeOf(message: Message): string {
    const first = message.fileIds[0] ? this.store.files.get(message.fileIds[0]) : undefined;
    if (!first) return 'plain_text_message';
    if (message.text) return 'file_and_text';
    const name = first.name.toLowerCase();
    if (/\.jpe?g$/.test(name)) return 'jpg_image_file';
    if (name.endsWith('.png')) return 'png_image_file';
    if (name.endsWith('.gif')) return 'gif_file';
    if (/\.(mp3|m4a|wav|ogg|aac)$/.test(name)) return 'audio_file';
    if (/\.(mp4|mov|avi|webm)$/.test(name)) return 'video_file';
    return 'others';
  }

  static isImage(name: string): boolean {
    return IMAGE.test(name);
  }
}

const mentionPatterns = new Map<string, RegExp>();

/** `@Name` as a whole word, any case: `@Sim Bot,` mentions "Sim Bot", `@Sim Botany` does not. */
function mentionPattern(name: string): RegExp {
  let re = mentionPatterns.get(name);
  if (!re) {
    re = new RegExp(`(?:^|[^\\w@])@${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'i');
    mentionPatterns.set(name, re);
  }
  return re;
}

export function whereOf(target: Target): { channel?: Channel; recipient?: User } {
  return {
    ...(target.channel ? { channel: target.channel } : {}),
    ...(target.recipient ? { recipient: target.recipient } : {}),
  };
}
