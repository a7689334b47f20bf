import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  buildEventPayload,
  channelJid,
  EVENT_BUILDERS,
  eventCatalog,
  REQUIRED_ENVELOPE_EXTRAS,
  SCHEMA_FIXES,
  userJid,
  zoomDateTime,
  type BuildableEvent,
  type ChannelRef,
  type EventInputs,
  type InteractiveCard,
  type Operator,
  type SpaceSettings,
  type UserRef,
} from '../src/webhooks/index';
import { applySchemaFixes } from '../src/webhooks/schema-fixes';

// An independent validator over the raw (unpatched) vendored specs, so the builders are not
// checked only by the code under test.
const raw = new Map<string, Record<string, unknown>>();
for (const file of ['team-chat-events', 'chatbot-events']) {
  const spec = JSON.parse(
    readFileSync(require.resolve(`@zoom-team-chat/core/openapi/${file}.openapi.json`), 'utf8'),
  ) as {
    paths: Record<string, { post: { requestBody: { content: Record<string, { schema: Record<string, unknown> }> } } }>;
  };
  for (const [event, item] of Object.entries(spec.paths)) {
    raw.set(event, item.post.requestBody.content['application/json']!.schema);
  }
}
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const rawValidators = new Map([...raw].map(([event, schema]) => [event, ajv.compile(schema)]));

const T = Date.UTC(2024, 0, 15, 10, 30, 5, 123);
const alice: Operator = {
  userId: 'KdYKjnimT4KPd8KKdQt9FQ',
  email: 'alice@example.com',
  accountId: 'gVcjZnWWRLWvv_GtyGuaxg',
  memberId: 'R4VM29Oj0fVM2hhEmSKVM2hhezJTezJTKVM2hezJT2hezJ',
  displayName: 'Alice Example',
};
const bob: UserRef = { userId: 'z8yCxjabcdEFGHfp8uQ', email: 'bob@example.com', accountId: 'gVcjZnWWRLWvv_GtyGuaxg' };
const carol: Operator = {
  userId: 'Qc2q-ErlQRaTJAEtu_AV_A',
  email: 'carol@other.example',
  accountId: 'lmnop12345',
  external: true,
};
const channel: ChannelRef = { id: 'qrstuvwxyz67890', name: 'Team Chat', type: 1 };
const png = { id: '56bed9orRnOSEnBoX_HQvA', name: 'Screenshot 2023-12-22.png', size: 23025 };
const pdf = {
  id: 'Xk9a2_pdfFileId00000001',
  name: 'spec.pdf',
  size: 4096,
  osType: 'PDF',
  messageType: 'file' as const,
};
const fullMessage = {
  id: '508CD4CF-4FFD-4644-BFB2-264C5C5600D7',
  text: '@Bob @all hello **world**',
  replyToId: 'AC619306-3DB6-4918-A11F-DB9489BB814E',
  files: [png, pdf],
  richText: [
    { start: 13, end: 18, format: 'Bold' as const },
    { start: 0, end: 4, format: 'AddLink' as const, attr: 'https://example.com' },
  ],
};
const card: InteractiveCard = {
  head: { text: 'I am a header', sub_head: { text: 'I am a sub header' } },
  body: [
    { type: 'fields', items: [{ editable: true, value: ' ', key: 'Title' }] },
    { type: 'actions', items: [{ style: 'Primary', text: 'Add', value: 'add' }] },
    { type: 'select', text: 'Animals', select_items: [{ text: 'Lions', value: 'lions' }] },
  ],
};
const botCtx = {
  accountId: alice.accountId,
  robotJid: 'v1m0yn1imztuogsxjje8fdew@xmpp.zoom.us',
  user: { userId: alice.userId, userName: 'Alice Example' },
  at: T,
};
const settingsA: SpaceSettings = {
  name: 'Eng',
  description: 'Engineering',
  isPublic: false,
  addNewMembers: 'by_owner_and_admins',
  addNewChannels: 'by_any_member',
  addExternalUsers: 'disabled',
};
const invitation = {
  operator: alice,
  channel,
  invitee: carol,
  inviters: [{ ...alice, invitedAt: T - 60_000 }, bob],
  at: T,
};

/** At least one input per event; where optional inputs exist, a minimal and a full one. */
const SAMPLES: { [E in BuildableEvent]: Array<EventInputs[E]> } = {
  'chat_message.sent': [
    { operator: alice, message: { id: 'm1', text: 'hi' }, to: { channel }, at: T },
    { operator: alice, message: { id: 'm1', text: 'hi' }, to: { contact: bob }, sessionId: 's1' },
  ],
  'chat_message.updated': [{ operator: alice, message: { id: 'm1', text: 'edited' }, to: { channel }, at: T }],
  'chat_message.deleted': [{ operator: alice, message: { id: 'm1', text: '' }, to: { contact: bob }, at: T }],
  'chat_message.replied': [
    { operator: alice, message: { id: 'm2', text: 'reply' }, to: { channel }, parentMessageId: 'm1', at: T },
  ],
  'team_chat.channel_message_posted': [
    { operator: alice, channel, message: { id: 'm1', text: 'hi' } },
    {
      operator: carol,
      channel: { ...channel, ownerAccountId: alice.accountId },
      message: {
        ...fullMessage,
        mentions: [
          { start: 0, end: 4, user: bob },
          { start: 5, end: 9 },
        ],
      },
      sessionId: 'sess',
      at: T,
    },
    { operator: alice, channel, message: { id: 'm3', files: [png] }, at: T },
  ],
  'team_chat.channel_message_updated': [
    { operator: alice, channel, message: { ...fullMessage, mentions: [{ start: 0, end: 4, user: alice }] }, at: T },
  ],
  'team_chat.channel_message_deleted': [
    { operator: alice, channel, messageId: 'm1', at: T },
    { operator: carol, channel, messageId: 'm1', replyToId: 'p1', at: T },
  ],
  'team_chat.dm_message_posted': [
    { operator: alice, contact: bob, message: { id: 'm1', text: 'hi' } },
    { operator: alice, contact: bob, message: fullMessage, sessionId: 's', at: T },
  ],
  'team_chat.dm_message_updated': [{ operator: alice, contact: bob, message: fullMessage, at: T }],
  'team_chat.dm_message_deleted': [
    { operator: alice, contact: bob, messageId: 'm1', at: T },
    { operator: alice, contact: bob, messageId: 'm1', replyToId: 'p', at: T },
  ],
  'team_chat.channel_reaction_added': [
    { operator: alice, channelId: channel.id, messageId: 'm1', messageAt: T - 5000, emoji: 'U+1f44c', at: T },
  ],
  'team_chat.channel_reaction_removed': [
    { operator: carol, channelId: channel.id, messageId: 'm1', messageAt: T - 5000, emoji: 'U+1f44c' },
  ],
  'team_chat.dm_reaction_added': [
    { operator: alice, contact: bob, messageId: 'm1', messageAt: T - 5000, emoji: 'U+1f600', at: T },
  ],
  'team_chat.dm_reaction_removed': [
    { operator: alice, contact: bob, messageId: 'm1', messageAt: T, emoji: 'x', at: T },
  ],
  'team_chat.channel_pin_added': [
    { operator: alice, channel, message: { id: 'm1', text: 'pinned', sentAt: T - 1 }, at: T },
    { operator: alice, channel, message: { ...fullMessage, sentAt: T - 1 }, at: T },
  ],
  'team_chat.channel_pin_removed': [
    { operator: alice, channel, message: { id: 'm1', text: 'pinned', sentAt: T - 1 }, at: T },
  ],
  'team_chat.bookmark_added': [
    { operator: alice, message: { id: 'm1', text: 'x', sentAt: T - 1 }, sender: bob, channelId: channel.id, at: T },
    { operator: alice, message: { ...fullMessage, sentAt: T - 1 }, sender: { ...carol, external: true }, at: T },
  ],
  'team_chat.bookmark_removed': [
    { operator: alice, message: { id: 'm1', text: 'x', sentAt: T - 1 }, sender: bob, at: T },
  ],
  'chat_channel.created': [{ operator: alice, channel, members: [{ id: bob.userId, displayName: 'Bob' }], at: T }],
  'chat_channel.updated': [{ operator: alice, channel: { ...channel, type: 3 }, at: T }],
  'chat_channel.deleted': [{ operator: alice, channel, at: T }],
  'chat_channel.member_joined': [{ operator: bob, channel: { ...channel, type: 5 }, at: T }],
  'chat_channel.member_left': [{ operator: bob, channel }],
  'chat_channel.member_invited': [
    { operator: alice, channel, members: [{ id: bob.userId, displayName: 'Bob' }], at: T },
  ],
  'chat_channel.member_removed': [
    { operator: alice, channel, members: [{ id: bob.userId, displayName: 'Bob' }], at: T },
  ],
  'team_chat.channel_archived': [{ operator: alice, channel, at: T }],
  'team_chat.channel_unarchived': [{ operator: carol, channel, at: T }],
  'team_chat.channel_app_added': [{ operator: alice, channel, apps: [{ id: 'bot1', displayName: 'Unsplash' }], at: T }],
  'team_chat.channel_app_removed': [{ operator: alice, channel, apps: [], at: T }],
  'team_chat.starred': [
    {
      operator: alice,
      items: [{ channelId: channel.id }, { contact: bob }, { contact: { ...carol, external: true } }],
      at: T,
    },
  ],
  'team_chat.unstarred': [{ operator: alice, items: [{ channelId: channel.id }], at: T }],
  'team_chat.channel_invitation_created': [
    invitation,
    { ...invitation, organization: { id: 'org1', name: 'Example Inc' } },
  ],
  'team_chat.channel_invitation_accepted': [{ ...invitation, operator: carol }],
  'team_chat.channel_invitation_rejected': [{ ...invitation, operator: carol }],
  'team_chat.channel_invitation_removed': [invitation],
  'team_chat.channel_invitation_approved': [{ ...invitation, decidedBy: 'by_channel_owner_account_admin' }],
  'team_chat.channel_invitation_declined': [invitation, { ...invitation, decidedBy: 'by_invitee_account_admin' }],
  'team_chat.channel_invitation_approval_requested': [
    { channel, invitee: carol, inviters: [alice], approver: 'to_invitee', at: T },
  ],
  'team_chat.channel_join_requested': [{ operator: carol, channel, requester: carol, at: T }],
  'team_chat.channel_join_approved': [
    { operator: alice, channel, requester: carol, at: T },
    {
      operator: alice,
      channel,
      requester: carol,
      decidedBy: 'by_channel_owner',
      organization: { id: 'o', name: 'O' },
      at: T,
    },
  ],
  'team_chat.channel_join_declined': [
    { operator: alice, channel, requester: carol, decidedBy: 'by_requester_account_admin', at: T },
  ],
  'team_chat.channel_join_approval_requested': [{ channel, requester: carol, approver: 'to_channel_owner', at: T }],
  'team_chat.file_uploaded': [{ operator: alice, files: [png, pdf, { id: 'f3', name: 'README', size: 1 }] }],
  'team_chat.file_changed': [{ operator: alice, files: [png] }],
  'team_chat.file_deleted': [{ operator: alice, files: [pdf] }],
  'team_chat.file_shared': [
    { operator: alice, files: [png], to: { channelId: channel.id } },
    { operator: carol, files: [png, pdf], to: { contact: { ...bob, external: true } } },
  ],
  'team_chat.file_unshared': [{ operator: alice, files: [png], to: { contact: bob } }],
  'team_chat.file_downloaded': [
    { operator: alice, file: png, owner: bob, at: T },
    {
      operator: alice,
      file: pdf,
      owner: { userId: bob.userId, memberId: 'mem' },
      in: { channelId: channel.id },
      at: T,
    },
    { operator: alice, file: pdf, owner: bob, in: { contact: bob }, at: T },
  ],
  'team_chat.emoji_added': [{ operator: alice, name: 'party-parrot', fileId: 'emojiFile1' }],
  'team_chat.emoji_removed': [{ operator: alice, name: 'party-parrot', fileId: 'emojiFile1' }],
  'team_chat.shared_spaces_member_invited': [
    {
      operator: alice,
      space: { id: 'sp1', name: 'Eng' },
      members: [
        { ...bob, role: 'member' },
        { ...alice, role: 'admin' },
      ],
      at: T,
    },
  ],
  'team_chat.shared_spaces_member_removed': [
    { operator: alice, space: { id: 'sp1', name: 'Eng' }, members: [bob], at: T },
  ],
  'team_chat.shared_spaces_member_left': [{ operator: bob, space: { id: 'sp1', name: 'Eng' }, at: T }],
  'team_chat.shared_spaces_edited': [
    {
      operator: alice,
      spaceId: 'sp1',
      before: settingsA,
      after: { ...settingsA, name: 'Engineering', isPublic: true },
      at: T,
    },
  ],
  bot_notification: [
    { ...botCtx, toJid: channelJid(channel.id), channelName: channel.name, cmd: 'island', botName: 'Unsplash' },
    {
      ...botCtx,
      user: { ...botCtx.user, userJid: 'custom@xmpp.zoom.us' },
      toJid: userJid(alice.userId),
      channelName: 'Alice',
      cmd: '',
      botName: 'B',
    },
  ],
  bot_installed: [botCtx],
  interactive_message_actions: [
    {
      ...botCtx,
      toJid: channelJid(channel.id),
      channelName: channel.name,
      messageId: 'cm1',
      original: card,
      action: { text: 'Add', value: 'add' },
    },
  ],
  interactive_message_select: [
    {
      ...botCtx,
      toJid: channelJid(channel.id),
      channelName: channel.name,
      messageId: 'cm1',
      original: card,
      selected: [{ value: 'lions' }],
    },
  ],
  interactive_message_editable: [
    {
      ...botCtx,
      toJid: channelJid(channel.id),
      channelName: channel.name,
      messageId: 'cm1',
      original: card,
      edit: { origin: 'a', target: 'b' },
    },
  ],
  interactive_message_fields_editable: [
    {
      ...botCtx,
      toJid: channelJid(channel.id),
      channelName: channel.name,
      messageId: 'cm1',
      original: card,
      field: { key: 'Title', currentValue: '', newValue: 'Engineer' },
    },
  ],
  'team_chat.app_mention': [
    { operator: alice, channel, message: { id: 'm1', text: '@Bot hi' }, at: T },
    { operator: carol, channel, message: fullMessage, at: T },
  ],
  'team_chat.link_shared': [
    { operator: alice, to: { channel }, triggerId: 'trig1', link: 'https://example.com/x', at: T },
    {
      operator: alice,
      to: { contact: bob },
      messageId: 'm1',
      replyToId: 'p1',
      triggerId: 'trig2',
      link: 'https://example.com/y',
      at: T,
    },
  ],
};

function wrap(event: string, payload: Record<string, unknown>): Record<string, unknown> {
  const extras = REQUIRED_ENVELOPE_EXTRAS[event as BuildableEvent] ?? [];
  const extra = Object.fromEntries(extras.map((k) => [k, `https://api.zoom.us/v2/im/chat/users/u/unfurls/trig`]));
  return { event, event_ts: T, ...extra, payload };
}

/** An error of the raw spec that one of SCHEMA_FIXES exists for. */
function coveredByFix(event: string, error: ErrorObject): boolean {
  const instance = error.instancePath
    .split('/')
    .filter((p) => p !== '' && !/^\d+$/.test(p))
    .join('.');
  return SCHEMA_FIXES.some((fix) => {
    if (fix.event !== event) return false;
    // Property names along the schema path (array `items` steps match the indices dropped above).
    const names: string[] = [];
    for (let i = 0; i < fix.path.length; i++) if (fix.path[i] === 'properties') names.push(fix.path[++i]!);
    const at = names.join('.');
    switch (fix.op) {
      case 'replace':
        return instance === at;
      case 'addProperties':
        return (
          instance === at &&
          error.keyword === 'additionalProperties' &&
          Object.keys(fix.properties).includes(String(error.params['additionalProperty']))
        );
      case 'renameRequired':
        return instance === at && error.keyword === 'required' && error.params['missingProperty'] === fix.from;
      case 'renameProperty':
        return (
          instance === at && error.keyword === 'additionalProperties' && error.params['additionalProperty'] === fix.to
        );
    }
  });
}

describe('payload builders', () => {
  const catalog = eventCatalog();

  it('cover every event of both specs, and nothing else', () => {
    expect(Object.keys(EVENT_BUILDERS).sort()).toEqual(catalog.names());
    expect(catalog.names()).toHaveLength(62);
    expect(catalog.names('chatbot')).toHaveLength(8);
  });

  for (const event of Object.keys(SAMPLES) as BuildableEvent[]) {
    it(`${event}: every sample, wrapped, validates against the event schema`, () => {
      const samples = SAMPLES[event] as Array<EventInputs[typeof event]>;
      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) {
        const delivery = wrap(event, buildEventPayload(event, sample));
        // The hub's (patched) validator…
        expect(catalog.check(event, delivery)).toBeUndefined();
        // …and the raw spec, where only the documented defects may fail.
        const validate = rawValidators.get(event)!;
        if (!validate(delivery)) {
          const uncovered = (validate.errors ?? []).filter((e) => !coveredByFix(event, e));
          expect(uncovered, ajv.errorsText(uncovered)).toEqual([]);
        }
      }
    });
  }

  it("map the input fields to Zoom's names", () => {
    const posted = buildEventPayload(
      'team_chat.channel_message_posted',
      SAMPLES['team_chat.channel_message_posted'][1]!,
    );
    expect(posted).toMatchObject({
      account_id: carol.accountId,
      operator: carol.email,
      operator_id: carol.userId,
      operator_member_id: carol.userId,
      by_external_user: true,
      object: {
        message_id: fullMessage.id,
        reply_main_message_id: fullMessage.replyToId,
        session_id: 'sess',
        date_time: '2024-01-15T10:30:05Z',
        timestamp: T,
        channel_id: channel.id,
        channel_owner_account_id: alice.accountId,
        channel_name: 'Team Chat',
        message: fullMessage.text,
        files: [
          { file_id: png.id, file_name: png.name, file_size: 23025, OS_file_type: 'PNG', file_message_type: 'image' },
          { file_id: pdf.id, file_name: pdf.name, file_size: 4096, OS_file_type: 'PDF', file_message_type: 'file' },
        ],
        rich_text: [
          { start_position: 13, end_position: 18, format_type: 'Bold' },
          { start_position: 0, end_position: 4, format_type: 'AddLink', format_attr: 'https://example.com' },
        ],
        at_items: [
          {
            at_contact: bob.email,
            at_contact_user_id: bob.userId,
            at_contact_member_id: bob.userId,
            at_type: 1,
            start_position: 0,
            end_position: 4,
          },
          { at_type: 2, start_position: 5, end_position: 9 },
        ],
      },
    });
  });

  it('fill the legacy chat_message fields that do not apply with empty strings', () => {
    const toChannel = buildEventPayload('chat_message.sent', SAMPLES['chat_message.sent'][0]!) as {
      object: Record<string, unknown>;
    };
    expect(toChannel.object).toMatchObject({
      type: 'to_channel',
      channel_id: channel.id,
      session_id: channel.id,
      contact_email: '',
      contact_id: '',
    });
    const toContact = buildEventPayload('chat_message.sent', SAMPLES['chat_message.sent'][1]!) as {
      object: Record<string, unknown>;
    };
    expect(toContact.object).toMatchObject({
      type: 'to_contact',
      contact_email: bob.email,
      contact_id: bob.userId,
      channel_id: '',
      session_id: 's1',
    });
  });

  it('derive defaults: date_time without milliseconds, member ID and display name, JIDs', () => {
    expect(zoomDateTime(T)).toBe('2024-01-15T10:30:05Z');
    const reaction = buildEventPayload('team_chat.dm_reaction_added', SAMPLES['team_chat.dm_reaction_added'][0]!) as {
      object: Record<string, unknown>;
    };
    expect(reaction.object).toMatchObject({
      msg_time: '2024-01-15T10:30:00Z',
      emoji_time: '2024-01-15T10:30:05Z',
      contact_member_id: bob.userId,
    });
    const created = buildEventPayload('team_chat.channel_invitation_created', invitation) as {
      object: { invitee: unknown; inviters: unknown[] };
    };
    expect(created.object.invitee).toEqual({ display_name: 'carol', user_email: carol.email, member_id: carol.userId });
    expect(created.object.inviters[0]).toMatchObject({
      user_id: alice.userId,
      display_name: 'Alice Example',
      date_created: '2024-01-15T10:29:05Z',
    });
    const bot = buildEventPayload('bot_notification', SAMPLES.bot_notification[0]!);
    expect(bot).toMatchObject({
      userJid: 'kdykjnimt4kpd8kkdqt9fq@xmpp.zoom.us',
      toJid: 'qrstuvwxyz67890@conference.xmpp.zoom.us',
      timestamp: T,
    });
  });

  it('default the time to now when `at` is omitted', () => {
    const before = Date.now();
    const payload = buildEventPayload('chat_channel.member_left', { operator: bob, channel }) as {
      object: { timestamp: number };
    };
    expect(payload.object.timestamp).toBeGreaterThanOrEqual(before);
    expect(payload.object.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('reject bad input with the field named', () => {
    expect(() => buildEventPayload('nope.event' as BuildableEvent, {} as never)).toThrow(
      /no payload builder for 'nope.event'/,
    );
    expect(() => buildEventPayload('chat_message.sendt' as BuildableEvent, {} as never)).toThrow(
      /did you mean 'chat_message.sent'/,
    );
    expect(() => buildEventPayload('team_chat.channel_message_posted', { operator: alice } as never)).toThrow(
      /channel is required/,
    );
    expect(() => buildEventPayload('chat_channel.deleted', { channel, at: T } as never)).toThrow(
      /operator is required/,
    );
    expect(() =>
      buildEventPayload('team_chat.channel_reaction_added', {
        operator: alice,
        channelId: 'c',
        messageId: 'm',
        messageAt: 1.5,
        emoji: 'x',
      }),
    ).toThrow(/messageAt must be whole epoch milliseconds/);
  });

  it('a payload missing a required property fails validation (the check can fail)', () => {
    const payload = buildEventPayload(
      'team_chat.channel_message_posted',
      SAMPLES['team_chat.channel_message_posted'][0]!,
    );
    delete (payload.object as Record<string, unknown>)['channel_id'];
    expect(
      catalog.check('team_chat.channel_message_posted', wrap('team_chat.channel_message_posted', payload)),
    ).toMatch(/payload\/object must have required property 'channel_id'/);
    const bad = buildEventPayload('chat_channel.created', SAMPLES['chat_channel.created'][0]!);
    (bad as Record<string, unknown>)['operator'] = 'not an email';
    expect(catalog.check('chat_channel.created', wrap('chat_channel.created', bad))).toMatch(
      /operator must match format "email"/,
    );
  });
});

describe('schema fixes', () => {
  it("each applies to the vendored spec and admits what Zoom's own example sends", () => {
    for (const fix of SCHEMA_FIXES) {
      const copy = structuredClone(raw.get(fix.event)!);
      expect(() => applySchemaFixes(fix.event, copy)).not.toThrow();
    }
    const catalog = eventCatalog();
    const removed = buildEventPayload('chat_channel.member_removed', SAMPLES['chat_channel.member_removed'][0]!);
    // Raw spec: event_ts must be a string, which contradicts Zoom's example; patched: integer ms.
    expect(
      rawValidators.get('chat_channel.member_removed')!({
        event: 'chat_channel.member_removed',
        event_ts: T,
        payload: removed,
      }),
    ).toBe(false);
    expect(
      catalog.check('chat_channel.member_removed', {
        event: 'chat_channel.member_removed',
        event_ts: T,
        payload: removed,
      }),
    ).toBeUndefined();
  });

  it('a fix whose path is gone throws instead of being ignored', () => {
    expect(() => applySchemaFixes('chat_channel.member_removed', { properties: {} })).toThrow(/no longer applies/);
  });
});
