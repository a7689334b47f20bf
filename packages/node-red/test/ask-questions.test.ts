/**
 * The zoom ask node's pieces that need no Node-RED: reading buttons, the click token, matching a
 * thread reply to an option, the stored copy of a message, and the account's event bus.
 */
import { describe, expect, it } from 'vitest';
import { Account } from '../src/lib/account';
import {
  clickOf,
  matchOption,
  parseOptions,
  parseToken,
  storableMsg,
  threadReplyOf,
  tokenFor,
} from '../src/nodes/zoom-team-chat-ask/questions';

const options = parseOptions(
  [{ label: 'Approve', value: 'approve', style: 'Primary' }, { label: 'Not now', value: 'later' }, { label: 'Not' }],
  'Buttons',
);

describe('buttons', () => {
  it('default the value to the label and the style to Default; refuse duplicates and blank labels', () => {
    expect(options).toEqual([
      { label: 'Approve', value: 'approve', style: 'Primary' },
      { label: 'Not now', value: 'later', style: 'Default' },
      { label: 'Not', value: 'not', style: 'Default' },
    ]);
    expect(parseOptions('[{"label":"Yes","style":"danger"}]', 'msg.buttons')).toEqual([
      { label: 'Yes', value: 'yes', style: 'Danger' },
    ]);
    expect(() =>
      parseOptions(
        [
          { label: 'A', value: 'x' },
          { label: 'B', value: 'x' },
        ],
        'Buttons',
      ),
    ).toThrow(/two buttons have the value "x"/);
    expect(() => parseOptions([{ value: 'x' }], 'Buttons')).toThrow(/Buttons\[0\] has no label/);
    expect(() => parseOptions('nope', 'msg.buttons')).toThrow(/list of buttons/);
  });

  it('carry the question in a token that comes back whole, colons in the value included', () => {
    const token = tokenFor('0123456789abcdef', 'env:prod');
    expect(parseToken(token)).toEqual({ id: '0123456789abcdef', value: 'env:prod' });
    expect(parseToken('approve')).toBeUndefined();
    expect(parseToken('0123:approve')).toBeUndefined();
  });
});

describe('a thread reply names an option', () => {
  it.each([
    ['approve', 'approve'],
    ['  Approve! ', 'approve'],
    ['APPROVE, go ahead', 'approve'],
    ['not now', 'later'],
    ['Not now: after the freeze', 'later'],
    ['not', 'not'],
    ['later', 'later'],
  ])('%j → %s', (text, value) => {
    expect(matchOption(text, options)?.value).toBe(value);
  });

  it.each(['approved', 'why?', '', 'I approve'])('%j names none', (text) => {
    expect(matchOption(text, options)).toBeUndefined();
  });
});

describe('events', () => {
  it('a click on one of our cards, and nothing for other buttons', () => {
    const event = (value: string) => ({
      event: 'interactive_message_actions',
      event_ts: 1,
      payload: {
        actionItem: { text: 'Approve', value },
        messageId: 'm1',
        userId: 'U1',
        userJid: 'u1@xmpp.zoom.us',
        userName: 'Una',
        timestamp: 5,
        toJid: 'c@conference.xmpp.zoom.us',
      },
    });
    expect(clickOf(event('0123456789abcdef:approve'))).toMatchObject({
      id: '0123456789abcdef',
      value: 'approve',
      label: 'Approve',
      messageId: 'm1',
      userId: 'U1',
      at: 5,
    });
    expect(clickOf(event('approve'))).toBeUndefined();
  });

  it('thread replies from the three message events; main messages are none', () => {
    const posted = {
      event: 'team_chat.channel_message_posted',
      payload: {
        operator: 'a@x.com',
        operator_id: 'U1',
        object: { message_id: 'r1', reply_main_message_id: 'q1', message: 'approve', timestamp: 7 },
      },
    };
    expect(threadReplyOf(posted)).toEqual({
      mainId: 'q1',
      replyId: 'r1',
      text: 'approve',
      userId: 'U1',
      userEmail: 'a@x.com',
      at: 7,
    });
    const legacy = {
      event: 'chat_message.replied',
      payload: {
        operator: 'a@x.com',
        operator_id: 'U1',
        object: { id: 'r1', parent_msg_id: 'q1', message: 'approve', timestamp: 7 },
      },
    };
    expect(threadReplyOf(legacy)).toMatchObject({ mainId: 'q1', replyId: 'r1' });
    expect(
      threadReplyOf({
        event: 'team_chat.channel_message_posted',
        payload: { object: { message_id: 'q2', message: 'hi' } },
      }),
    ).toBeUndefined();
  });
});

describe('the stored copy of a message', () => {
  it('keeps JSON-safe properties within the size limits, never req/res or Buffers', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const stored = storableMsg({
      _msgid: 'id1',
      payload: 'q',
      topic: 't',
      req: { a: 1 },
      res: {},
      file: Buffer.from('x'),
      loop: circular,
      big: 'x'.repeat(10_000),
      when: new Date(0),
    });
    expect(stored).toEqual({ _msgid: 'id1', payload: 'q', topic: 't', when: '1970-01-01T00:00:00.000Z' });
  });
});

describe('the account event bus', () => {
  const account = () =>
    new Account(
      { id: 'a', authKind: 'account', plan: 'pro', apiUrl: '', fileUrl: '', oauthUrl: '', userId: '', botJid: '' },
      {},
    );
  const meta = (deliveryKey: string, alsoKeys: string[] = []) => ({
    deliveryKey,
    alsoKeys,
    delivery: 'webhook' as const,
    receivedAt: '',
    triggerId: 't',
  });

  it('hands each delivery to every listener once, whichever of its keys comes again; unsubscribes; stops when closed', () => {
    const a = account();
    const got: string[] = [];
    const off = a.onEvent((e) => void got.push(e.event));
    a.onEvent(() => {
      throw new Error('a broken listener does not stop the others');
    });
    a.publishEvent({ event: 'one' }, meta('k1', ['sig1']));
    a.publishEvent({ event: 'one again' }, meta('k2', ['sig1']));
    a.publishEvent({ event: 'two' }, meta('k3'));
    expect(got).toEqual(['one', 'two']);
    off();
    a.publishEvent({ event: 'three' }, meta('k4'));
    expect(got).toEqual(['one', 'two']);
    const b = account();
    b.onEvent((e) => void got.push(e.event));
    b.close();
    b.publishEvent({ event: 'after close' }, meta('k5'));
    expect(got).toEqual(['one', 'two']);
  });
});
