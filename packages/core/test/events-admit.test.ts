// One meaning, in both hosts, of an event's channel, sender and message, and of which events start
// a run. Events are shaped as Zoom's event specs give them (one per family).
import { describe, expect, it } from 'vitest';

import {
  admitEvent,
  eventChannelId,
  eventChannelIds,
  eventMessageId,
  eventReplyTarget,
  eventSenderIds,
  parseList,
  publicHeaders,
  skipReason,
  webhookDeliveryKeys,
  type EventSelection,
  type ZoomEvent,
} from '../src';

const posted: ZoomEvent = {
  event: 'team_chat.channel_message_posted',
  event_ts: 1,
  payload: {
    account_id: 'acc',
    operator: 'Casey@Example.com',
    operator_id: 'u-casey',
    object: { channel_id: 'chan1', message_id: 'm1', message: 'hi' },
  },
};
const dm: ZoomEvent = {
  event: 'team_chat.dm_message_posted',
  payload: { operator: 'kim@example.com', object: { message_id: 'm2', reply_main_message_id: 'main-1' } },
};
const reaction: ZoomEvent = {
  event: 'team_chat.channel_reaction_added',
  payload: { operator: 'kim@example.com', object: { channel_id: 'chan1', msg_id: 'm1', emoji: '👍' } },
};
const archived: ZoomEvent = {
  event: 'team_chat.channel_archived',
  payload: { operator: 'kim@example.com', object: { id: 'chan9', name: 'old' } },
};
const legacy: ZoomEvent = {
  event: 'chat_channel.member_joined',
  payload: { operator: 'kim@example.com', object: { id: 'chan7', name: 'x' } },
};
const invitation: ZoomEvent = {
  event: 'team_chat.channel_invitation_created',
  payload: { object: { channel: { id: 'chan5', name: 'y' } } },
};
const bot: ZoomEvent = {
  event: 'bot_notification',
  payload: {
    accountId: 'acc',
    robotJid: 'bot@xmpp.zoom.us',
    toJid: 'chan3@conference.xmpp.zoom.us',
    userJid: 'kim@xmpp.zoom.us',
    cmd: 'hello',
  },
};

const all = (over: Partial<EventSelection> = {}): EventSelection => ({
  events: 'all',
  channels: [],
  ownIdentities: [],
  ...over,
});

describe('event fields', () => {
  it('reads the channel of every family, by ID and JID', () => {
    expect(eventChannelId(posted)).toBe('chan1');
    expect(eventChannelId(reaction)).toBe('chan1');
    expect(eventChannelId(archived)).toBe('chan9');
    expect(eventChannelId(legacy)).toBe('chan7');
    expect(eventChannelId(invitation)).toBe('chan5');
    expect(eventChannelIds(bot)).toEqual(['chan3@conference.xmpp.zoom.us', 'chan3']);
    expect(eventChannelIds(dm)).toEqual([]);
  });

  it('reads senders lower-cased with JID local parts, and the message of message and reaction events', () => {
    expect(eventSenderIds(posted)).toEqual(['casey@example.com', 'casey', 'u-casey']);
    expect(eventSenderIds(bot)).toEqual(['kim@xmpp.zoom.us', 'kim']);
    expect(eventMessageId(posted)).toBe('m1');
    expect(eventMessageId(reaction)).toBe('m1');
    expect(eventMessageId(archived)).toBeUndefined();
  });

  it('answers a channel message in its channel and thread, a DM to its sender, a chatbot event to its JIDs', () => {
    expect(eventReplyTarget(posted)).toEqual({ channel: 'chan1', messageId: 'm1' });
    expect(eventReplyTarget(dm)).toEqual({ contact: 'kim@example.com', messageId: 'main-1' });
    expect(eventReplyTarget(bot)).toEqual({
      toJid: 'chan3@conference.xmpp.zoom.us',
      userJid: 'kim@xmpp.zoom.us',
      accountId: 'acc',
      robotJid: 'bot@xmpp.zoom.us',
    });
    expect(eventReplyTarget(reaction)).toBeUndefined();
  });

  it('keeps no signature or credential in headers shown to a workflow', () => {
    expect(
      publicHeaders({
        'X-Zm-Signature': 'v0=x',
        authorization: 'Bearer t',
        cookie: 'c',
        'x-zm-request-id': 'r',
        accept: ['a', 'b'],
      }),
    ).toEqual({
      'x-zm-request-id': 'r',
      accept: 'a, b',
    });
  });

  it('parses lists from editors and messages alike', () => {
    expect(parseList(' a, b\nc ,, ')).toEqual(['a', 'b', 'c']);
    expect(parseList(['x', ' ', 3, null])).toEqual(['x', '3']);
    expect(parseList(undefined)).toEqual([]);
  });
});

describe('which events start a run', () => {
  it('filters by name (exact or prefix.*), then channel (ID or JID), then own identity', () => {
    expect(skipReason(posted, all({ events: ['team_chat.dm_message_posted'] }))).toBe('event not selected');
    expect(skipReason(posted, all({ events: ['team_chat.channel_*'] }))).toBeUndefined();
    expect(skipReason(posted, all({ events: [] }))).toBe('event not selected');
    expect(skipReason(posted, all({ channels: ['chan2'] }))).toBe('other channel');
    expect(skipReason(posted, all({ channels: ['CHAN1@conference.xmpp.zoom.us'] }))).toBeUndefined();
    expect(skipReason(bot, all({ channels: ['chan3'] }))).toBeUndefined();
    expect(skipReason(dm, all({ channels: ['chan1'] }))).toBe('other channel');
    expect(skipReason(posted, all({ ownIdentities: ['casey@example.com'] }))).toBe('own message');
    expect(skipReason(bot, all({ ownIdentities: ['kim@xmpp.zoom.us'] }))).toBe('own message');
    expect(skipReason(posted, all({ ownIdentities: ['kim@example.com'] }))).toBeUndefined();
  });

  it('records a delivery only once it passed the filters, and asks about own sends last, for message events only', async () => {
    const asked: string[] = [];
    const seenKeys: string[][] = [];
    const seen = (keys: readonly string[]) => {
      seenKeys.push([...keys]);
      return keys.includes('dup');
    };
    const sentHere = (id: string) => {
      asked.push(id);
      return id === 'm1';
    };
    expect(await admitEvent(posted, { selection: all({ channels: ['other'] }), keys: ['k'], seen, sentHere })).toBe(
      'other channel',
    );
    expect(seenKeys).toEqual([]);
    expect(await admitEvent(posted, { selection: all(), keys: ['dup', 'k'], seen, sentHere })).toBe(
      'duplicate delivery',
    );
    expect(asked).toEqual([]);
    expect(await admitEvent(posted, { selection: all(), keys: ['k1'], seen, sentHere })).toBe('own message');
    // A reaction on our message is someone else's event: never taken for an echo of our send.
    expect(await admitEvent(reaction, { selection: all(), keys: ['k2'], seen, sentHere })).toBeUndefined();
    expect(asked).toEqual(['m1']);
    expect(await admitEvent(dm, { selection: all(), keys: ['k3'], seen, sentHere })).toBeUndefined();
  });

  it('keys a webhook delivery by request id and by signature', () => {
    const headers = { 'x-zm-request-id': 'req-1', 'x-zm-signature': 'v0=abc' };
    expect(webhookDeliveryKeys({ headers, event: posted })).toEqual(['req-1', 'signature:v0=abc']);
    expect(webhookDeliveryKeys({ headers: {}, event: posted })).toHaveLength(1);
  });
});
