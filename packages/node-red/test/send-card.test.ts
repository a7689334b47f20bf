/**
 * `zoom send` chatbot cards: the editor's Card section (format `cardBuilder`) and cards written as
 * JSON (format `card`), built and checked by the core before anything reaches Zoom.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accountCredentials,
  accountNode,
  allNodes,
  helper,
  nextError,
  nextMessage,
  type TestNode,
} from './support/red';
import { startFakeZoom, type FakeZoom } from './support/fake-zoom';
import { deployCard, nodeRedCardBuilder } from '@zoom-team-chat/testkit/card-fixtures';

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
});
afterAll(async () => {
  await zoom.close();
});
beforeEach(() => {
  zoom.requests.length = 0;
  zoom.answer('POST /v2/im/chat/messages', {
    status: 201,
    body: { message_id: 'bot-1', robot_jid: 'bot@xmpp', to_jid: 't', sent_time: 'x' },
  });
});
afterEach(async () => {
  await helper.unload();
});

const replyTarget = {
  toJid: 'chan@conference.xmpp.zoom.us',
  userJid: 'u@xmpp.zoom.us',
  accountId: 'acc-evt',
  robotJid: 'bot@xmpp',
};

/** Loads a fresh flow: one test may try several nodes, each counted from no request on. */
async function load(node: Record<string, unknown>) {
  await helper.unload();
  zoom.requests.length = 0;
  await helper.load(
    allNodes,
    [
      accountNode({ ...zoom.baseUrls, userId: '', authKind: 'chatbot', botJid: 'bot@xmpp' }),
      { id: 'n1', type: 'zoom-team-chat-send', account: 'acc1', mode: 'chatbot', wires: [['out']], ...node },
      { id: 'out', type: 'helper' },
    ],
    accountCredentials(),
  );
  return { n1: helper.getNode('n1') as TestNode, out: helper.getNode('out') as TestNode };
}

/** Sends one message through the node and returns the `content` Zoom received. */
async function sentContent(node: Record<string, unknown>, msg: Record<string, unknown>): Promise<unknown> {
  const { n1, out } = await load(node);
  const got = nextMessage(out);
  n1.receive({ zoom: { replyTarget }, ...msg });
  expect((await got).payload.message_id).toBe('bot-1');
  const [sent] = zoom.apiRequests();
  expect(sent?.json).toMatchObject({ robot_jid: 'bot@xmpp', to_jid: replyTarget.toJid, user_jid: replyTarget.userJid });
  expect(sent?.json).not.toHaveProperty('is_markdown_support');
  return (sent?.json as Record<string, unknown>).content;
}

/** Sends one message that must fail: the error's text, with nothing sent to Zoom. */
async function refusal(node: Record<string, unknown>, msg: Record<string, unknown>): Promise<string> {
  const { n1 } = await load(node);
  const err = nextError(n1);
  n1.receive({ zoom: { replyTarget }, ...msg });
  const message = (await err).message;
  expect(zoom.apiRequests()).toHaveLength(0);
  return message;
}

const deploy = deployCard();
const builder = nodeRedCardBuilder(deploy.parts);

describe('zoom send, format Card (the editor’s card builder)', () => {
  it('sends the card laid out as Zoom expects', async () => {
    expect(await sentContent(builder, { payload: 'ignored: the node has its own text' })).toEqual(deploy.zoom);
  });

  it('lets each part set in the node win, and takes the blank ones from msg.card and a text msg.payload', async () => {
    const content = await sentContent(
      {
        format: 'cardBuilder',
        cardTitle: 'From the node',
        cardButtons: [{ text: 'OK', value: 'ok', style: 'Default' }],
      },
      {
        payload: 'the text, from msg.payload',
        card: {
          title: 'from msg.card, loses',
          subtitle: 'from msg.card',
          fields: [{ label: 'Build', value: 42 }],
          buttons: [{ text: 'loses', value: 'x' }],
          divider: true,
        },
      },
    );
    expect(content).toEqual({
      head: { text: 'From the node', sub_head: { text: 'from msg.card' } },
      body: [
        { type: 'message', text: 'the text, from msg.payload', is_markdown_support: true },
        { type: 'divider' },
        { type: 'fields', items: [{ key: 'Build', value: '42' }] },
        { type: 'actions', items: [{ text: 'OK', value: 'ok', style: 'Default' }] },
      ],
    });
  });

  it('sends a msg.card written Zoom’s way as it is when the node sets no part', async () => {
    const card = { head: { text: 'Raw' }, body: [{ type: 'message', text: 'as written' }] };
    expect(await sentContent({ format: 'cardBuilder', cardFields: [], cardButtons: [] }, { card })).toEqual(card);
  });

  it('refuses a bad card through done(err), naming each bad part, and sends nothing', async () => {
    expect(
      await refusal(
        {
          ...builder,
          cardButtons: [
            { text: 'Approve', value: 'approve', style: 'Primary' },
            { text: '', value: 'approve', style: 'Default' },
          ],
          cardLinkUrl: 'ci.example.com/builds/42',
        },
        {},
      ),
    ).toBe(
      'Card → Link URL: "ci.example.com/builds/42" is not an http:// or https:// address; ' +
        'Card → Buttons → 2: Text is empty; ' +
        'Card → Buttons → 2: Value "approve" is also button 1\'s (clicks could not be told apart). Nothing was sent.',
    );
    expect(await refusal({ format: 'cardBuilder' }, {})).toBe(
      'Card: is empty (give it a Title, Text, Fields, Buttons or a Link). Nothing was sent.',
    );
    expect(await refusal({ format: 'cardBuilder', cardTitle: 'T' }, { card: { fields: 'Version: 2' } })).toBe(
      'Card → Fields: must be a list, not a string. Nothing was sent.',
    );
    expect(await refusal({ format: 'cardBuilder' }, { card: 'Deploy?' })).toMatch(/^msg\.card must be an object/);
  });
});

describe('zoom send, format Card (JSON)', () => {
  const card = { head: { text: 'Card' }, body: [{ type: 'message', text: 'x' }] };

  it('takes the node’s Text first, then msg.card, then msg.payload (an object or its JSON)', async () => {
    const other = { head: { text: 'Other' } };
    expect(await sentContent({ format: 'card', text: JSON.stringify(card) }, { card: other, payload: other })).toEqual(
      card,
    );
    expect(await sentContent({ format: 'card' }, { card: JSON.stringify(card), payload: { event: 'x' } })).toEqual(
      card,
    );
    // A whole chatbot body carries its card in `content`.
    expect(await sentContent({ format: 'card' }, { payload: { content: card } })).toEqual(card);
  });

  it('refuses a card Zoom could not show, naming where it came from and the path of the bad part', async () => {
    expect(
      await refusal(
        { format: 'card' },
        { card: { head: { text: 'Approve?' }, body: [{ type: 'actions', items: [{ text: 'Yes' }] }] } },
      ),
    ).toBe('msg.card → body[0].items[0].value: is missing. Nothing was sent.');
    expect(await refusal({ format: 'card', text: '{"head": ' }, {})).toMatch(/^Text must be card JSON/);
    expect(await refusal({ format: 'card' }, { payload: 'hello' })).toMatch(/^msg\.payload must be card JSON/);
    expect(await refusal({ format: 'card' }, { payload: { text: 'hi' } })).toBe(
      'msg.payload: has neither "head" nor "body". Nothing was sent.',
    );
  });
});
