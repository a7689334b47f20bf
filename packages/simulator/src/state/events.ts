/** What happened in the simulated account, before it is turned into Zoom webhook payloads. */
import type { Bot, BotMessage, Channel, Message, StoredFile, User } from './types';

interface Where {
  channel?: Channel;
  /** DMs: the other side of the conversation. */
  recipient?: User;
}

export type DomainEvent =
  | ({ type: 'message.posted' | 'message.updated' | 'message.deleted'; message: Message; actor: User } & Where)
  | ({ type: 'reaction.added' | 'reaction.removed'; message: Message; actor: User; emoji: string } & Where)
  | {
      type: 'channel.created' | 'channel.updated' | 'channel.deleted' | 'channel.archived' | 'channel.unarchived';
      channel: Channel;
      actor: User;
      changes?: Record<string, unknown>;
    }
  | { type: 'channel.member_joined' | 'channel.member_left'; channel: Channel; actor: User }
  | { type: 'channel.members_invited' | 'channel.members_removed'; channel: Channel; actor: User; members: User[] }
  | { type: 'file.uploaded' | 'file.deleted'; file: StoredFile; actor: User }
  | ({ type: 'file.shared'; file: StoredFile; actor: User; message: Message } & Where)
  | { type: 'bot.command'; bot: Bot; actor: User; command: string; channel?: Channel }
  | ({
      type: 'link.shared';
      bot: Bot;
      actor: User;
      message: Message;
      link: string;
      triggerId: string;
      responseUrl: string;
    } & Where)
  | { type: 'bot.installed'; bot: Bot; actor: User }
  | { type: 'bot.mentioned'; bot: Bot; actor: User; message: Message; channel: Channel }
  | {
      type: 'bot.action';
      bot: Bot;
      actor: User;
      card: BotMessage;
      action: { text: string; value: string };
      /** The card's conversation as Zoom names it: a channel JID, or `<user JID>/robot_<bot JID>`. */
      toJid: string;
      channelName: string;
      callback?: { url: string; token: string };
    };

export type EventSink = (event: DomainEvent) => void;
