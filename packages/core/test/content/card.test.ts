import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCard, checkCardContent, type CardInput } from '../../src/content';
import { operations, validateRequest, validateValue, type JsonSchema } from '../../src/spec';
import { deployCard } from '@zoom-team-chat/testkit/card-fixtures';

/**
 * The spec types sendChatbot's `content` as a bare object; the chatbot events describe the card a
 * click or an edit came from (`payload.original`), which is the only schema of a card Zoom publishes.
 */
const events = JSON.parse(readFileSync(join(__dirname, '../../openapi/chatbot-events.openapi.json'), 'utf8')) as {
  paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: JsonSchema } } } } }>;
};
const originalCard = (event: string): JsonSchema => {
  const schema = events.paths[event]!.post.requestBody.content['application/json'].schema;
  return (schema.properties!.payload as JsonSchema).properties!.original as JsonSchema;
};
const cardSchemas = ['interactive_message_actions', 'interactive_message_fields_editable'].map(originalCard);

/** Every way the spec has to say what a card is: the request body and the events' card schemas. */
function specProblems(content: unknown): string[] {
  const body = {
    robot_jid: 'v1pky3tyBBB5pl8q@xmpp.zoom.us',
    to_jid: 'xghfd@conference.xmpp.zoom.us',
    account_id: 'ABCDE12345',
    user_jid: 'jnrgfjp6w@xmpp.zoom.us',
    content,
  };
  return [
    ...validateRequest(operations.sendChatbot, { body }),
    ...validateRequest(operations.editChatbotMessage, {
      path: { message_id: '20190618205323327_EZjIqCQ_aw1' },
      body: { robot_jid: body.robot_jid, account_id: body.account_id, content },
    }),
    ...cardSchemas.flatMap((schema) => validateValue(schema, content, 'body.content')),
  ].map((e) => `${e.field}: ${e.message}`);
}

// The card the hosts' card-builder tests send, with the JSON Zoom must receive for it: the core
// lays out the very card whose arrival the n8n and Node-RED runs check.
const deploy = deployCard();
const full: CardInput = deploy.parts;

describe('buildCard', () => {
  it('lays out title, subtitle, Markdown text, divider, fields, link and buttons as Zoom expects', () => {
    const { content, problems } = buildCard(full);
    expect(problems).toEqual([]);
    expect(content).toEqual(deploy.zoom);
  });

  it('builds a body the spec accepts for sendChatbot and editChatbotMessage, and the card schema of its events', () => {
    const { content } = buildCard(full);
    expect(specProblems(content)).toEqual([]);
    // The check has teeth: a card with a number for a title or a list for a head fails it.
    expect(specProblems({ ...content, head: { text: 7 } })).toEqual([
      'body.content.head.text: must be a string, got a number',
      'body.content.head.text: must be a string, got a number',
    ]);
    expect(specProblems({ head: [] })).not.toEqual([]);
  });

  it('leaves out what is not set: a title alone, a link shown by its address, `short` on a wide field, buttons styled Default', () => {
    expect(buildCard({ title: 'Hello' })).toEqual({ content: { head: { text: 'Hello' } }, problems: [] });
    expect(buildCard({ linkUrl: 'https://example.com' }).content).toEqual({
      body: [{ type: 'message', text: 'https://example.com', link: 'https://example.com' }],
    });
    // A field shown full width has no `short` at all.
    expect(buildCard({ fields: [{ label: 'Took', value: '3 min', short: false }] }).content).toEqual({
      body: [{ type: 'fields', items: [{ key: 'Took', value: '3 min' }] }],
    });
    expect(buildCard({ buttons: [{ text: 'Go', value: 'go' }] }).content).toEqual({
      body: [{ type: 'actions', items: [{ text: 'Go', value: 'go', style: 'Default' }] }],
    });
    // The divider separates the text from what follows it: none without both.
    expect(buildCard({ text: 'only text', divider: true }).content).toEqual({
      body: [{ type: 'message', text: 'only text', is_markdown_support: true }],
    });
    expect(buildCard({ title: 'T', fields: [], buttons: '', linkText: '' })).toEqual({
      content: { head: { text: 'T' } },
      problems: [],
    });
  });

  it('names every bad part: "Card → Buttons → 2: Text is empty" and the like', () => {
    const { problems } = buildCard({
      subtitle: 'no title',
      fields: [
        { label: 'Owner', value: '' },
        { label: ' ', value: 'x' },
      ],
      buttons: [
        { text: 'Yes', value: 'yes', style: 'Primary' },
        { text: '', value: 'no', style: 'Default' },
        { text: 'Again', value: 'yes', style: 'Blue' },
        { text: 'Later', value: '' },
      ],
      linkText: 'Docs',
    });
    expect(problems).toEqual([
      'Card → Subtitle: needs a Title (Zoom shows the subtitle under it)',
      'Card → Fields → 1: Value is empty',
      'Card → Fields → 2: Label is empty',
      'Card → Link URL: is empty, but Link Text is set',
      'Card → Buttons → 2: Text is empty',
      'Card → Buttons → 3: Value "yes" is also button 1\'s (clicks could not be told apart)',
      'Card → Buttons → 3: Style "Blue" is not one of Primary, Default, Danger, Disabled',
      'Card → Buttons → 4: Value is empty (a click reports it)',
    ]);
  });

  it('refuses a link that is not http(s), values of the wrong kind, lists that are not lists, and an empty card', () => {
    expect(buildCard({ linkUrl: 'ftp://example.com/x' }).problems).toEqual([
      'Card → Link URL: "ftp://example.com/x" is not an http:// or https:// address',
    ]);
    expect(buildCard({ title: { a: 1 } }).problems).toEqual(['Card → Title: must be text, not an object']);
    expect(buildCard({ title: 'T', fields: { field: [] }, buttons: 'Approve' }).problems).toEqual([
      'Card → Fields: must be a list, not an object',
      'Card → Buttons: must be a list, not a string',
    ]);
    expect(buildCard({ title: 'T', buttons: [{ text: 'A', value: 'a' }, 'b'] }).problems).toEqual([
      'Card → Buttons → 2: must be an object, not a string',
      'Card → Buttons → 2: Text is empty',
      'Card → Buttons → 2: Value is empty (a click reports it)',
    ]);
    expect(buildCard({ fields: [{ label: ['a'], value: 'x' }] }).problems).toEqual([
      'Card → Fields → 1 → Label: must be text, not a list',
      'Card → Fields → 1: Label is empty',
    ]);
    expect(buildCard({}).problems).toEqual(['Card: is empty (give it a Title, Text, Fields, Buttons or a Link)']);
    // Numbers from expressions are text too; a style's case does not matter.
    expect(
      buildCard({
        fields: [{ label: 'Count', value: 3 }],
        buttons: [{ text: 'A', value: 1, style: 'primary' }],
      }).content.body,
    ).toEqual([
      { type: 'fields', items: [{ key: 'Count', value: '3' }] },
      { type: 'actions', items: [{ text: 'A', value: '1', style: 'Primary' }] },
    ]);
  });

  it('every card it accepts passes the JSON check and the spec (any mix of parts)', () => {
    const word = fc.oneof(fc.constant(''), fc.constant(' '), fc.string({ maxLength: 12 }), fc.integer());
    const input = fc.record(
      {
        title: word,
        subtitle: word,
        text: word,
        fields: fc.array(fc.record({ label: word, value: word, short: fc.boolean() }), { maxLength: 4 }),
        buttons: fc.array(
          fc.record({ text: word, value: word, style: fc.constantFrom('Primary', 'danger', '', 'Blue') }),
          { maxLength: 4 },
        ),
        linkUrl: fc.oneof(fc.constant(''), fc.constant('https://example.com/a'), fc.constant('mailto:x@y.z')),
        linkText: word,
        divider: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(input, (card) => {
        const { content, problems } = buildCard(card);
        if (problems.length) return;
        expect(checkCardContent(content)).toEqual([]);
        expect(specProblems(content)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkCardContent (a card written as JSON)', () => {
  it('accepts the cards of the examples, with sections and parts it does not know', () => {
    expect(
      checkCardContent({
        head: { text: 'Service status', sub_head: { text: 'All systems operational' } },
        body: [
          { type: 'section', sidebar_color: '#2D8C3C', sections: [{ type: 'message', text: 'API is up.' }] },
          { type: 'fields', items: [{ key: 'Asked by', value: 'Casey', short: true }] },
          { type: 'actions', items: [{ text: '👍 Yes', value: 'yes', style: 'Primary' }], limit: 3 },
          { type: 'select', text: 'Pick one', select_items: [{ text: 'A', value: 'a' }] },
          { type: 'message', text: '' },
        ],
      }),
    ).toEqual([]);
    expect(checkCardContent({ body: [{ type: 'message', text: 'Hello' }] })).toEqual([]);
    expect(checkCardContent({ head: { text: 'Only a head' } })).toEqual([]);
  });

  it('names every bad part by its path under the name the host gives the card', () => {
    expect(
      checkCardContent(
        {
          head: { text: '', sub_head: 'small' },
          body: [
            'text',
            { text: 'no type' },
            { type: 'message' },
            { type: 'fields', items: [{ key: 'A' }, { key: 3, value: 'x' }] },
            {
              type: 'actions',
              items: [{ text: 'Go', value: 'go', style: 'Blue' }, { text: 'Again', value: 'go' }, {}],
            },
            { type: 'section', sections: [{ type: 'actions' }] },
          ],
        },
        'msg.card',
      ),
    ).toEqual([
      'msg.card → head.text: is empty',
      'msg.card → head.sub_head: must be an object, not a string',
      'msg.card → body[0]: must be an object, not a string',
      'msg.card → body[1].type: is missing (message, fields, actions, section…)',
      'msg.card → body[2].text: is missing',
      'msg.card → body[3].items[0].value: is missing',
      'msg.card → body[3].items[1].key: must be text, not a number',
      'msg.card → body[4].items[0].style: must be one of Primary, Default, Danger, Disabled',
      'msg.card → body[4].items[1].value: "go" is also items[0]\'s (clicks could not be told apart)',
      'msg.card → body[4].items[2].text: is missing',
      'msg.card → body[4].items[2].value: is missing',
      'msg.card → body[5].sections[0].items: is missing',
    ]);
  });

  it('refuses what is not a card at all', () => {
    expect(checkCardContent([1, 2], 'Card (JSON)')).toEqual([
      'Card (JSON): must be an object (Zoom\'s card: "head" and/or "body"), not a list',
    ]);
    expect(checkCardContent('{"head":{}}')).toEqual([
      'Card: must be an object (Zoom\'s card: "head" and/or "body"), not a string',
    ]);
    expect(checkCardContent({ text: 'hi' })).toEqual(['Card: has neither "head" nor "body"']);
    expect(checkCardContent({ body: { type: 'message', text: 'x' } })).toEqual([
      'Card → body: must be a list, not an object',
    ]);
  });
});
