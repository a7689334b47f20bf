import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { eventCatalog, events, type ZoomEventMap, type ZoomEventName, type ZoomWebhookEvent } from '../src/spec';

const OPENAPI = join(__dirname, '..', 'openapi');
const eventNames = (file: string): string[] => Object.keys(JSON.parse(readFileSync(join(OPENAPI, file), 'utf8')).paths);
const teamChat = eventNames('team-chat-events.openapi.json');
const chatbot = eventNames('chatbot-events.openapi.json');

describe('event catalog', () => {
  it('lists the 54 team chat and 8 chatbot events, each once, with its api', () => {
    expect(teamChat).toHaveLength(54);
    expect(chatbot).toHaveLength(8);
    expect(eventCatalog).toHaveLength(62);
    expect(new Set(eventCatalog.map((e) => e.name)).size).toBe(62);
    for (const e of eventCatalog) expect(e.api).toBe(teamChat.includes(e.name) ? 'team-chat' : 'chatbot');
    expect(
      eventCatalog
        .filter((e) => e.api === 'chatbot')
        .map((e) => e.name)
        .sort(),
    ).toEqual([...chatbot].sort());
  });

  it('leaves out endpoint.url_validation (a protocol message, not an event)', () => {
    expect(eventCatalog.some((e) => e.name === ('endpoint.url_validation' as string))).toBe(false);
  });

  it('takes titles from the bold name in the description, else from the event name', () => {
    const title = (name: string) => eventCatalog.find((e) => e.name === name)?.title;
    expect(title('team_chat.shared_spaces_member_left')).toBe('Member has left space');
    expect(title('chat_message.sent')).toBe('Chat Message Sent');
    expect(title('team_chat.link_shared')).toBe('Chat message link shared');
    expect(title('team_chat.file_changed')).toBe('File changed');
    expect(title('bot_notification')).toBe('Bot notification');
  });

  it('has a one-sentence plain-text description for every event', () => {
    for (const e of eventCatalog) {
      expect(e.description, e.name).toMatch(/^[A-Z].*\.$/);
      expect(e.description, e.name).not.toMatch(/[\n*`[\]]|\]\(/);
      expect(e.description.length, e.name).toBeLessThan(300);
    }
    expect(eventCatalog.find((e) => e.name === 'chat_channel.member_left')?.description).toBe(
      'The Member Left event is triggered when a user leaves a chat channel.',
    );
  });

  it('is sorted by name (stable UI order)', () => {
    const names = eventCatalog.map((e) => e.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('event types', () => {
  it('maps every name to a delivery whose event is that literal name', () => {
    expectTypeOf<ZoomEventMap['chat_message.sent']['event']>().toEqualTypeOf<'chat_message.sent'>();
    expectTypeOf<ZoomEventMap['bot_notification']['event']>().toEqualTypeOf<'bot_notification'>();
    expectTypeOf<ZoomWebhookEvent['event']>().toEqualTypeOf<ZoomEventName>();
    expectTypeOf<ZoomEventMap['team_chat.app_mention']>().toEqualTypeOf<events.TeamChatAppMentionEvent>();
  });

  it('narrows the union on `event`', () => {
    const delivery = {
      event: 'team_chat.app_mention',
      event_ts: 1,
      payload: {
        account_id: 'a',
        operator: 'jchill@example.com',
        operator_id: 'u',
        operator_member_id: 'm',
        by_external_user: false,
        object: {
          message_id: 'x',
          type: 'to_channel',
          message: 'hi @bot',
          timestamp: 1,
          date_time: '2024-01-31T09:30:00Z',
        },
      },
    } satisfies ZoomWebhookEvent;
    const text = (e: ZoomWebhookEvent): string | undefined =>
      e.event === 'team_chat.app_mention' ? e.payload.object.message : undefined;
    expect(text(delivery)).toBe('hi @bot');
  });

  it('keeps the spec required flags, and makes event and payload present on chatbot deliveries', () => {
    expectTypeOf<events.ChatChannelMemberLeftEvent['payload']['object']['id']>().toEqualTypeOf<string>();
    expectTypeOf<events.ChatChannelMemberLeftEvent['payload']['object']['type']>().toEqualTypeOf<1 | 2 | 3 | 4 | 5>();
    expectTypeOf<events.BotNotificationEvent['payload']['cmd']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<events.BotInstalledEvent['event_ts']>().toEqualTypeOf<number | undefined>();
    // app_mention's timestamp/date_time are misplaced in the spec (under rich_text); hoisted back.
    expectTypeOf<events.TeamChatAppMentionEvent['payload']['object']['date_time']>().toEqualTypeOf<string>();
  });

  it('declares 62 entries in ZoomEventMap', () => {
    const source = readFileSync(join(__dirname, '..', 'src', 'spec', 'generated', 'events.ts'), 'utf8');
    const map = /export interface ZoomEventMap \{\n([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
    expect(map.split('\n').filter((l) => l.trim())).toHaveLength(62);
  });
});
