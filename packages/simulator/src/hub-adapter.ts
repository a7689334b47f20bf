/**
 * The one place that turns what happened in the simulated account (DomainEvent) into Zoom
 * webhook events, using the webhook hub's payload builders (src/webhooks, owned separately).
 * Keep this thin: when either side changes, only this file needs to follow.
 */
import type { DomainEvent } from './state/events';
import type { Store } from './state/store';
import type { Channel, Message, StoredFile, User } from './state/types';
import { buildEventPayload, type BuildableEvent, type EventInputs, type WebhookHub } from './webhooks';
import { deliveryEnvelope } from './webhooks/hub';

/** Where events go besides the webhook hub: WebSocket subscriptions (src/ws). */
export interface EventStreams {
  wants(event: string): boolean;
  /** `delivery` is the exact object a webhook POST would carry. */
  publish(event: string, delivery: Record<string, unknown>): number;
}

export interface EmittedEvent {
  event: string;
  payload: Record<string, unknown>;
  at: number;
  /** Subscriptions it was queued for. */
  queued: number;
}

export interface EmitFailure {
  event: string;
  error: string;
  at: number;
}

const LOG_SIZE = 1000;

interface EmitExtras {
  botJid?: string;
  /** Top-level delivery fields besides event/event_ts/payload (`response_url`). */
  extra?: Record<string, unknown>;
}

export class HubAdapter {
  private log: EmittedEvent[] = [];
  private failures: EmitFailure[] = [];

  constructor(
    readonly hub: WebhookHub,
    private readonly store: () => Store,
    private readonly now: () => number,
    private readonly streams?: EventStreams,
  ) {}

  /** Events built recently (newest last), whether or not a subscription wanted them. */
  recent(): EmittedEvent[] {
    return this.log.slice(-LOG_SIZE);
  }

  /** Builder or schema errors: a bug here or in the builders; tests assert there are none. */
  errors(): EmitFailure[] {
    return this.failures.slice(-LOG_SIZE);
  }

  clearLog(): void {
    this.log = [];
    this.failures = [];
  }

  handle(e: DomainEvent): void {
    try {
      for (const [event, fields, opts] of this.map(e)) this.emit(event, fields, opts);
    } catch (err) {
      this.fail(e.type, err);
    }
  }

  private emit<E extends BuildableEvent>(event: E, fields: EventInputs[E], opts: EmitExtras = {}): void {
    const at = this.now();
    try {
      const payload = buildEventPayload(event, fields);
      const queued = this.hub.listSubscriptions().length
        ? this.hub.emit(event, payload, {
            eventTs: at,
            ...(opts.botJid ? { botJid: opts.botJid } : {}),
            ...(opts.extra ? { extra: opts.extra } : {}),
          })
        : 0;
      // After the hub: an event the hub refused (schema) goes nowhere, on either path.
      if (this.streams?.wants(event))
        this.streams.publish(event, deliveryEnvelope(event, at, opts.extra ?? {}, payload));
      this.log.push({ event, payload, at, queued });
      // Trimmed in batches: dropping the oldest entry each time (splice) moved 1 000 entries per
      // event, about 6 µs, some 10% of the CPU of a sent message.
      if (this.log.length > 2 * LOG_SIZE) this.log = this.log.slice(-LOG_SIZE);
    } catch (err) {
      this.fail(event, err);
    }
  }

  private fail(event: string, err: unknown): void {
    this.failures.push({ event, error: (err as Error)?.message ?? String(err), at: this.now() });
    if (this.failures.length > 2 * LOG_SIZE) this.failures = this.failures.slice(-LOG_SIZE);
  }

  private operator(u: User) {
    const s = this.store();
    return {
      userId: u.id,
      email: u.email,
      accountId: u.external ? s.account.externalAccountId : s.account.id,
      memberId: u.member_id,
      displayName: u.display_name,
      external: u.external,
    };
  }

  private channelRef(c: Channel) {
    const owner = this.store().users.get(c.ownerId);
    return {
      id: c.id,
      name: c.name,
      type: Math.min(5, Math.max(1, c.type)) as 1 | 2 | 3 | 4 | 5,
      ownerAccountId: owner?.external ? this.store().account.externalAccountId : this.store().account.id,
    };
  }

  private fileRef(f: StoredFile) {
    return { id: f.id, name: f.name, size: f.size };
  }

  private content(m: Message) {
    const files = m.fileIds.map((id) => this.store().files.get(id)).filter((f): f is StoredFile => !!f);
    return {
      id: m.id,
      ...(m.text ? { text: m.text } : {}),
      ...(m.replyTo ? { replyToId: m.replyTo } : {}),
      ...(files.length ? { files: files.map((f) => this.fileRef(f)) } : {}),
      ...(Array.isArray(m.richText) && m.richText.length ? { richText: richSpans(m.richText) } : {}),
    };
  }

  /** [event, builder input, emit options] for one domain event. */
  private map(e: DomainEvent): Array<[BuildableEvent, never, EmitExtras?]> {
    const out: Array<[BuildableEvent, unknown, EmitExtras?]> = [];
    const at = this.now();
    switch (e.type) {
      case 'message.posted':
      case 'message.updated':
      case 'message.deleted': {
        if (e.message.robotJid) break; // bot messages are not announced to team-chat subscriptions
        const operator = this.operator(e.actor);
        const m = e.message;
        const to = e.channel
          ? { channel: { id: e.channel.id, name: e.channel.name } }
          : e.recipient
            ? { contact: this.operator(e.recipient) }
            : undefined;
        if (!to) break;
        const legacy = { operator, message: { id: m.id, text: m.text }, to, at };
        const verb = e.type.split('.')[1] as 'posted' | 'updated' | 'deleted';
        if (verb === 'posted') {
          if (m.replyTo) out.push(['chat_message.replied', { ...legacy, parentMessageId: m.replyTo }]);
          else out.push(['chat_message.sent', legacy]);
        } else out.push([verb === 'updated' ? 'chat_message.updated' : 'chat_message.deleted', legacy]);
        if (e.channel) {
          const channel = this.channelRef(e.channel);
          if (verb === 'deleted')
            out.push([
              'team_chat.channel_message_deleted',
              { operator, channel, messageId: m.id, ...(m.replyTo ? { replyToId: m.replyTo } : {}), at },
            ]);
          else
            out.push([
              verb === 'posted' ? 'team_chat.channel_message_posted' : 'team_chat.channel_message_updated',
              { operator, channel, message: this.content(m), at },
            ]);
        } else if (e.recipient) {
          const contact = this.operator(e.recipient);
          if (verb === 'deleted')
            out.push([
              'team_chat.dm_message_deleted',
              { operator, contact, messageId: m.id, ...(m.replyTo ? { replyToId: m.replyTo } : {}), at },
            ]);
          else
            out.push([
              verb === 'posted' ? 'team_chat.dm_message_posted' : 'team_chat.dm_message_updated',
              { operator, contact, message: this.content(m), at },
            ]);
        }
        break;
      }
      case 'reaction.added':
      case 'reaction.removed': {
        const operator = this.operator(e.actor);
        const base = { operator, messageId: e.message.id, messageAt: e.message.timestamp, emoji: e.emoji, at };
        const added = e.type === 'reaction.added';
        if (e.channel)
          out.push([
            added ? 'team_chat.channel_reaction_added' : 'team_chat.channel_reaction_removed',
            { ...base, channelId: e.channel.id },
          ]);
        else if (e.recipient)
          out.push([
            added ? 'team_chat.dm_reaction_added' : 'team_chat.dm_reaction_removed',
            { ...base, contact: this.operator(e.recipient) },
          ]);
        break;
      }
      case 'channel.created': {
        const members = [...e.channel.members.keys()]
          .map((id) => this.store().users.get(id))
          .filter((u): u is User => !!u)
          .map((u) => ({ id: u.id, displayName: u.display_name }));
        out.push([
          'chat_channel.created',
          { operator: this.operator(e.actor), channel: this.channelRef(e.channel), members, at },
        ]);
        break;
      }
      case 'channel.updated':
      case 'channel.deleted':
      case 'channel.archived':
      case 'channel.unarchived':
      case 'channel.member_joined':
      case 'channel.member_left': {
        const event = {
          'channel.updated': 'chat_channel.updated',
          'channel.deleted': 'chat_channel.deleted',
          'channel.archived': 'team_chat.channel_archived',
          'channel.unarchived': 'team_chat.channel_unarchived',
          'channel.member_joined': 'chat_channel.member_joined',
          'channel.member_left': 'chat_channel.member_left',
        }[e.type] as BuildableEvent;
        out.push([event, { operator: this.operator(e.actor), channel: this.channelRef(e.channel), at }]);
        break;
      }
      case 'channel.members_invited':
      case 'channel.members_removed':
        out.push([
          e.type === 'channel.members_invited' ? 'chat_channel.member_invited' : 'chat_channel.member_removed',
          {
            operator: this.operator(e.actor),
            channel: this.channelRef(e.channel),
            members: e.members.map((u) => ({ id: u.id, displayName: u.display_name })),
            at,
          },
        ]);
        break;
      case 'file.uploaded':
      case 'file.deleted':
        out.push([
          e.type === 'file.uploaded' ? 'team_chat.file_uploaded' : 'team_chat.file_deleted',
          { operator: this.operator(e.actor), files: [this.fileRef(e.file)] },
        ]);
        break;
      case 'file.shared': {
        const to = e.channel
          ? { channelId: e.channel.id }
          : e.recipient
            ? { contact: this.operator(e.recipient) }
            : undefined;
        if (to)
          out.push(['team_chat.file_shared', { operator: this.operator(e.actor), files: [this.fileRef(e.file)], to }]);
        break;
      }
      case 'bot.command': {
        const user = { userId: e.actor.id, userName: e.actor.display_name, userJid: e.actor.jid };
        out.push([
          'bot_notification',
          {
            accountId: this.store().account.id,
            robotJid: e.bot.jid,
            user,
            toJid: e.channel ? e.channel.jid : e.actor.jid,
            channelName: e.channel ? e.channel.name : e.actor.display_name,
            cmd: e.command,
            botName: e.bot.name,
            at,
          },
          { botJid: e.bot.jid },
        ]);
        break;
      }
      case 'bot.installed':
        out.push([
          'bot_installed',
          {
            accountId: this.store().account.id,
            robotJid: e.bot.jid,
            user: { userId: e.actor.id, userName: e.actor.display_name, userJid: e.actor.jid },
            at,
          },
          { botJid: e.bot.jid },
        ]);
        break;
      case 'bot.mentioned':
        out.push([
          'team_chat.app_mention',
          {
            operator: this.operator(e.actor),
            channel: { id: e.channel.id, name: e.channel.name },
            message: { ...this.content(e.message), text: e.message.text },
            at,
          },
          { botJid: e.bot.jid },
        ]);
        break;
      case 'bot.action':
        out.push([
          'interactive_message_actions',
          {
            accountId: this.store().account.id,
            robotJid: e.bot.jid,
            user: { userId: e.actor.id, userName: e.actor.display_name, userJid: e.actor.jid },
            toJid: e.toJid,
            channelName: e.channelName,
            messageId: e.card.id,
            original: e.card.content,
            action: e.action,
            at,
          },
          {
            botJid: e.bot.jid,
            ...(e.callback ? { extra: { callback_url: e.callback.url, callback_token: e.callback.token } } : {}),
          },
        ]);
        break;
      case 'link.shared': {
        const to = e.channel
          ? { channel: { id: e.channel.id, name: e.channel.name } }
          : e.recipient
            ? { contact: this.operator(e.recipient) }
            : undefined;
        if (!to) break;
        out.push([
          'team_chat.link_shared',
          {
            operator: this.operator(e.actor),
            to,
            messageId: e.message.id,
            ...(e.message.replyTo ? { replyToId: e.message.replyTo } : {}),
            triggerId: e.triggerId,
            link: e.link,
            at,
          },
          { botJid: e.bot.jid, extra: { response_url: e.responseUrl } },
        ]);
        break;
      }
    }
    return out as Array<[BuildableEvent, never, EmitExtras?]>;
  }
}

const FORMATS = new Set([
  'Bold',
  'Italic',
  'Strikethrough',
  'BulletedList',
  'NumberedList',
  'Underline',
  'FontSize',
  'FontColor',
  'BackgroundColor',
  'LeftIndent',
  'Paragraph',
  'Quote',
  'AddLink',
]);

function richSpans(items: unknown[]) {
  const out: Array<{ start: number; end: number; format: never; attr?: string }> = [];
  for (const raw of items) {
    const r = raw as Record<string, unknown>;
    if (
      typeof r['start_position'] !== 'number' ||
      typeof r['end_position'] !== 'number' ||
      !FORMATS.has(String(r['format_type']))
    )
      continue;
    out.push({
      start: r['start_position'],
      end: r['end_position'],
      format: r['format_type'] as never,
      ...(typeof r['format_attr'] === 'string' ? { attr: r['format_attr'] } : {}),
    });
  }
  return out;
}
