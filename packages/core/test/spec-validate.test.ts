import { describe, expect, it } from 'vitest';
import { operations, validateRequest, validateValue, type JsonSchema, type ZoomBinary } from '../src/spec';
import type { ZoomFieldError } from '../src/errors';

const ops = operations;
const fieldsOf = (errors: ZoomFieldError[]) => errors.map((e) => e.field);
const file = (name = 'a.png'): ZoomBinary => ({
  fileName: name,
  contentType: 'image/png',
  data: new Uint8Array([1, 2, 3]),
});

describe('sendaChatMessage', () => {
  const op = ops.sendaChatMessage;
  const valid = {
    to_channel: '825c9e31f1064c73b394c5e4557d3447',
    message: '@Jill hello',
    at_items: [{ at_type: 1, at_contact: 'jchill@example.com', start_position: 0, end_position: 5 }],
    rich_text: [{ start_position: 0, end_position: 5, format_type: 'Bold' }],
    file_ids: ['M87v-bbmRGKCtl8nGNggvA'],
  };

  it('accepts a valid request', () => {
    expect(validateRequest(op, { path: { userId: 'me' }, body: valid })).toEqual([]);
  });

  it('names body.message when it is missing', () => {
    const { message: _omit, ...body } = valid;
    expect(validateRequest(op, { path: { userId: 'me' }, body })).toEqual([
      { field: 'body.message', message: 'is required' },
    ]);
  });

  it('names the array element for a wrong enum in at_items', () => {
    const body = { ...valid, at_items: [{ at_type: 3 }] };
    expect(validateRequest(op, { path: { userId: 'me' }, body })).toEqual([
      { field: 'body.at_items[0].at_type', message: 'must be one of 1, 2' },
    ]);
  });

  it('quotes string enums in the message', () => {
    const body = { ...valid, rich_text: [{ format_type: 'Blink' }] };
    const [err] = validateRequest(op, { path: { userId: 'me' }, body });
    expect(err?.field).toBe('body.rich_text[0].format_type');
    expect(err?.message).toMatch(/^must be one of "Bold", "Italic", /);
  });

  it('enforces maxLength and maxItems', () => {
    const body = { ...valid, message: 'x'.repeat(1025), file_ids: ['1', '2', '3', '4', '5', '6', '7'] };
    expect(validateRequest(op, { path: { userId: 'me' }, body })).toEqual([
      { field: 'body.message', message: 'must be at most 1024 characters long' },
      { field: 'body.file_ids', message: 'must have at most 6 items' },
    ]);
  });

  it('counts characters, not UTF-16 units, for lengths', () => {
    const body = { ...valid, message: '😀'.repeat(1024) }; // 2048 code units, 1024 characters
    expect(validateRequest(op, { path: { userId: 'me' }, body })).toEqual([]);
  });

  it('does not coerce JSON body values', () => {
    const body = { ...valid, at_items: [{ at_type: '1' }] };
    expect(validateRequest(op, { path: { userId: 'me' }, body })).toEqual([
      { field: 'body.at_items[0].at_type', message: 'must be an integer, got a string' },
    ]);
  });

  it('requires the path parameter', () => {
    expect(fieldsOf(validateRequest(op, { body: valid }))).toEqual(['path.userId']);
    expect(validateRequest(op, { path: { userId: '' }, body: valid })).toEqual([
      { field: 'path.userId', message: 'is required' },
    ]);
  });

  it('never echoes the value in a message', () => {
    const errors = validateRequest(op, {
      path: { userId: 'me' },
      body: { ...valid, message: { token: 's3cr3t-value' } },
    });
    expect(errors).toEqual([{ field: 'body.message', message: 'must be a string, got an object' }]);
    expect(JSON.stringify(errors)).not.toContain('s3cr3t');
  });
});

describe('query and path values from UIs', () => {
  const op = ops.getChatMessages;
  const path = { userId: 'me' };

  it('accepts numeric strings for integers and true/false for booleans', () => {
    const query = {
      to_channel: 'c1',
      page_size: '20',
      include_deleted_and_edited_message: 'true',
      exclude_child_message: 'FALSE',
    };
    expect(validateRequest(op, { path, query })).toEqual([]);
  });

  it('still checks the coerced value', () => {
    expect(validateRequest(op, { path, query: { page_size: '100' } })).toEqual([
      { field: 'query.page_size', message: 'must be at most 50' },
    ]);
    expect(validateRequest(op, { path, query: { page_size: 'ten' } })).toEqual([
      { field: 'query.page_size', message: 'must be an integer, got a string' },
    ]);
    expect(validateRequest(op, { path, query: { page_size: 2.5 } })).toEqual([
      { field: 'query.page_size', message: 'must be a whole number' },
    ]);
    expect(validateRequest(op, { path, query: { include_deleted_and_edited_message: 'yes' } })).toEqual([
      { field: 'query.include_deleted_and_edited_message', message: 'must be true or false, got a string' },
    ]);
    expect(validateRequest(op, { path, query: { search_type: 'people' } })).toEqual([
      { field: 'query.search_type', message: 'must be one of "message", "file"' },
    ]);
  });

  it('checks date and date-time formats', () => {
    expect(
      validateRequest(op, {
        path,
        query: { date: '2024-02-29', from: '2024-01-31T09:30:00Z', to: '2024-01-31T10:00:00+02:00' },
      }),
    ).toEqual([]);
    expect(validateRequest(op, { path, query: { date: '2023-02-29' } })).toEqual([
      { field: 'query.date', message: 'must be a date as YYYY-MM-DD, e.g. 2024-01-31' },
    ]);
    expect(
      fieldsOf(
        validateRequest(op, { path, query: { date: '31/01/2024', from: 'yesterday', to: '2024-01-31T25:00:00Z' } }),
      ),
    ).toEqual(['query.date', 'query.from', 'query.to']);
  });

  it('treats null and empty query values as not given, but keeps required ones required', () => {
    expect(validateRequest(op, { path, query: { page_size: null, date: '' } })).toEqual([]);
    const required = ops.removeChannelMentionGroupMembers;
    expect(
      validateRequest(required, { path: { channelId: 'c', mentionGroupId: 'g' }, query: { identifiers: '' } }),
    ).toEqual([{ field: 'query.identifiers', message: 'is required' }]);
  });

  it('accepts a list for a comma-separated string parameter', () => {
    const required = ops.removeChannelMentionGroupMembers;
    expect(
      validateRequest(required, { path: { channelId: 'c', mentionGroupId: 'g' }, query: { identifiers: ['a', 'b'] } }),
    ).toEqual([]);
    expect(
      fieldsOf(
        validateRequest(required, { path: { channelId: 'c', mentionGroupId: 'g' }, query: { identifiers: [{}] } }),
      ),
    ).toEqual(['query.identifiers']);
  });

  it('accepts a number for a string path parameter', () => {
    expect(validateRequest(ops.getChatMessage, { path: { userId: 12345, messageId: 'm' } })).toEqual([]);
  });

  it('rejects path/query that are not objects', () => {
    expect(validateRequest(op, { path: 'me' as never })).toContainEqual({
      field: 'path',
      message: 'must be an object of path parameters',
    });
  });
});

describe('formats, patterns, uniqueness', () => {
  const email: JsonSchema = { type: 'string', format: 'email' };
  it.each(['jchill@example.com', 'a.b+c@sub.example.co'])('accepts the email %s', (v) => {
    expect(validateValue(email, v, 'x')).toEqual([]);
  });
  it.each(['jchill', 'a@b', 'a b@example.com', 'a@@example.com', 'a@example..com', ''])('rejects the email %j', (v) => {
    expect(validateValue(email, v, 'x')).toEqual([{ field: 'x', message: 'must be an email address' }]);
  });

  it('applies pattern and minLength (addACustomEmoji name)', () => {
    const op = ops.addACustomEmoji;
    expect(validateRequest(op, { body: { name: 'party_parrot', file: file() } })).toEqual([]);
    expect(validateRequest(op, { body: { name: 'party parrot', file: file() } })).toEqual([
      { field: 'body.name', message: 'must match ^[a-zA-Z_0-9]{3,100}$' },
    ]);
    expect(fieldsOf(validateRequest(op, { body: { name: 'ab', file: file() } }))).toEqual(['body.name', 'body.name']);
  });

  it('rejects duplicates where uniqueItems is set', () => {
    const schema = ops.PerformOperationsOnChannels.body!.schema.properties!.channel_ids!;
    expect(validateValue(schema, ['a', 'b'], 'body.channel_ids')).toEqual([]);
    expect(validateValue(schema, ['a', 'a'], 'body.channel_ids')).toEqual([
      { field: 'body.channel_ids', message: 'must not contain duplicate items' },
    ]);
  });

  it('coerces text only when asked', () => {
    expect(validateValue({ type: 'integer', minimum: 1 }, '0', 'q', { fromText: true })).toEqual([
      { field: 'q', message: 'must be at least 1' },
    ]);
    expect(validateValue({ type: 'integer' }, '5', 'b')).toEqual([
      { field: 'b', message: 'must be an integer, got a string' },
    ]);
  });
});

describe('KNOWN-DEFECTS #1: oneOf over plain strings reads as anyOf', () => {
  it('accepts an email and a member ID for to_contact (both branches match an email)', () => {
    const op = ops.sendaChatMessage;
    for (const to_contact of ['jchill@example.com', 'R4VM29Oj0fVM2hhEmSKVM2hhezJTezJTKVM2hezJT2hezJTSK']) {
      expect(validateRequest(op, { path: { userId: 'me' }, body: { message: 'hi', to_contact } })).toEqual([]);
    }
    expect(validateRequest(op, { path: { userId: 'me' }, body: { message: 'hi', to_contact: 42 } })).toEqual([
      { field: 'body.to_contact', message: 'must be a string, got a number' },
    ]);
  });

  it('applies to at_items[].at_contact, path identifier, query to_contact and migration arrays', () => {
    expect(
      validateRequest(ops.sendaChatMessage, {
        path: { userId: 'me' },
        body: { message: 'hi', at_items: [{ at_type: 1, at_contact: 'jchill@example.com' }] },
      }),
    ).toEqual([]);
    const member = ops.removeAChannelMember;
    expect(
      validateRequest(member, { path: { userId: 'me', channelId: 'c', identifier: 'jchill@example.com' } }),
    ).toEqual([]);
    expect(validateRequest(member, { path: { userId: 'me', channelId: 'c', identifier: 'member-id-1' } })).toEqual([]);
    expect(
      validateRequest(ops.deleteChatMessage, {
        path: { userId: 'me', messageId: 'm' },
        query: { to_contact: 'jchill@example.com' },
      }),
    ).toEqual([]);
    const migrate = ops.MigrateChatMessageReactions;
    const schema = migrate.body!.schema;
    const errors = validateValue(schema, { reactions: [{ to_contact: 'jchill@example.com' }] }, 'body');
    expect(errors.filter((e) => e.field.includes('to_contact'))).toEqual([]);
  });

  it('keeps oneOf strict elsewhere: overlapping enum branches are ambiguous', () => {
    const schema: JsonSchema = {
      oneOf: [
        { type: 'string', enum: ['a', 'b'] },
        { type: 'string', enum: ['b', 'c'] },
      ],
    };
    expect(validateValue(schema, 'a', 'x')).toEqual([]);
    expect(validateValue(schema, 'b', 'x')).toEqual([
      { field: 'x', message: 'matches more than one of "a" | "b" or "b" | "c"; give the fields of only one' },
    ]);
  });
});

describe('oneOf over object shapes (not in KNOWN-DEFECTS.md): branches read as closed', () => {
  const path = { userId: 'me', channelId: 'c' };
  const posting = (members: unknown[]) => ({ channel_settings: { designated_posting_members: members } });

  it('accepts either shape', () => {
    expect(validateRequest(ops.updateChannel, { path, body: posting([{ user_id: 'u' }, { member_id: 'm' }]) })).toEqual(
      [],
    );
    expect(
      validateRequest(ops.editMessage, {
        path: { userId: 'me', messageId: 'm' },
        body: { interactive_cards: [{ card_id: 'c' }] },
      }),
    ).toEqual([]);
  });

  it('rejects a mix of shapes and an empty object', () => {
    expect(validateRequest(ops.updateChannel, { path, body: posting([{ user_id: 'u', member_id: 'm' }]) })).toEqual([
      {
        field: 'body.channel_settings.designated_posting_members[0]',
        message: 'must match one of { user_id } or { member_id }',
      },
    ]);
    expect(validateRequest(ops.updateChannel, { path, body: posting([{}]) })).toEqual([
      {
        field: 'body.channel_settings.designated_posting_members[0]',
        message: 'matches more than one of { user_id } or { member_id }; give the fields of only one',
      },
    ]);
  });

  it('reports the errors of the branch whose shape the value has', () => {
    const errors = validateRequest(ops.promoteChannelMembersAsAdmin, {
      path,
      body: { admins: [{ email: 'not-an-email' }] },
    });
    expect(errors).toEqual([{ field: 'body.admins[0].email', message: 'must be an email address' }]);
  });

  it('tells apart the searchChannels needle variants', () => {
    const op = ops.searchChannels;
    const base = { haystack: 'public' };
    expect(
      validateRequest(op, { body: { ...base, needle: { search_type: 'by_channel_name', keywords: ['ops'] } } }),
    ).toEqual([]);
    expect(
      validateRequest(op, {
        body: { ...base, needle: { search_type: 'by_channel_name_exact_match', channel_name: 'ops' } },
      }),
    ).toEqual([]);
    // The keys say "exact match", so the search_type is what is wrong.
    expect(
      validateRequest(op, { body: { ...base, needle: { search_type: 'by_channel_name', channel_name: 'ops' } } }),
    ).toEqual([{ field: 'body.needle.search_type', message: 'must be one of "by_channel_name_exact_match"' }]);
    expect(
      validateRequest(op, {
        body: { ...base, needle: { search_type: 'by_channel_name', keywords: ['a'], channel_name: 'ops' } },
      }),
    ).toEqual([
      { field: 'body.needle', message: 'must match one of { search_type, keywords } or { search_type, channel_name }' },
    ]);
  });
});

describe('KNOWN-DEFECTS #2: a multipart array of binary takes one file part', () => {
  const op = ops.sendChatFile;
  const path = { userId: 'me' };

  it('accepts one file part and an array of one', () => {
    expect(validateRequest(op, { path, body: { files: file(), to_channel: 'c' } })).toEqual([]);
    expect(validateRequest(op, { path, body: { files: [file()], to_contact: 'jchill@example.com' } })).toEqual([]);
    const streamed: ZoomBinary = {
      fileName: 'big.bin',
      length: 3,
      stream: async function* () {
        yield new Uint8Array(3);
      },
    };
    expect(validateRequest(op, { path, body: { files: streamed } })).toEqual([]);
  });

  it('still enforces maxItems and the file shape', () => {
    expect(validateRequest(op, { path, body: { files: [file(), file('b.png')] } })).toEqual([
      { field: 'body.files', message: 'must have at most 1 item' },
    ]);
    const [err] = validateRequest(op, { path, body: { files: 'hello.txt' } });
    expect(err?.field).toBe('body.files');
    expect(err?.message).toMatch(/^must be an array/);
    const [noName] = validateRequest(op, { path, body: { files: [{ data: new Uint8Array(1) }] } });
    expect(noName?.field).toBe('body.files[0]');
    expect(noName?.message).toMatch(/^must be a file: \{ fileName, data/);
  });

  it('accepts numbers for multipart text parts (they are text on the wire)', () => {
    expect(validateRequest(op, { path, body: { files: file(), to_channel: 12345 } })).toEqual([]);
  });
});

describe('KNOWN-DEFECTS #5: a missing body is an error when the schema requires fields', () => {
  it('says body is required', () => {
    expect(validateRequest(ops.sendaChatMessage, { path: { userId: 'me' } })).toEqual([
      { field: 'body', message: 'is required (sendaChatMessage needs message)' },
    ]);
    expect(validateRequest(ops.sendaChatMessage, { path: { userId: 'me' }, body: null })).toHaveLength(1);
  });

  it('allows no body when nothing is required', () => {
    expect(validateRequest(ops.updateChannel, { path: { userId: 'me', channelId: 'c' } })).toEqual([]);
  });

  it('requires the file of a multipart upload even though the spec lists no required part', () => {
    const op = ops.uploadAChatFile;
    expect(validateRequest(op, { path: { userId: 'me' } })).toEqual([
      { field: 'body', message: 'is required (uploadAChatFile needs file)' },
    ]);
    expect(validateRequest(op, { path: { userId: 'me' }, body: {} })).toEqual([
      { field: 'body.file', message: 'is required (the file to send)' },
    ]);
    expect(validateRequest(op, { path: { userId: 'me' }, body: { file: file() } })).toEqual([]);
  });
});

describe('unknown fields', () => {
  const op = ops.sendaChatMessage;
  const path = { userId: 'me' };

  it('flags a near miss of a body field with a suggestion', () => {
    expect(validateRequest(op, { path, body: { message: 'hi', to_channel: 'c', reply_main_mesage_id: 'x' } })).toEqual([
      {
        field: 'body.reply_main_mesage_id',
        message: 'is not a body field of sendaChatMessage; did you mean body.reply_main_message_id?',
      },
    ]);
    expect(fieldsOf(validateRequest(op, { path, body: { message: 'hi', toChannel: 'c' } }))).toEqual([
      'body.toChannel',
    ]);
  });

  it('lets through names that are not near misses (fields added after this spec snapshot)', () => {
    expect(validateRequest(op, { path, body: { message: 'hi', to_channel: 'c', brand_new_option: true } })).toEqual([]);
  });

  it('flags a near miss of a query parameter', () => {
    expect(validateRequest(ops.getChatMessages, { path, query: { page_sise: 10 } })).toEqual([
      {
        field: 'query.page_sise',
        message: 'is not a query parameter of getChatMessages; did you mean query.page_size?',
      },
    ]);
  });

  it('refuses a body for an operation that takes none, pointing at the parameters meant', () => {
    const op = ops.deleteChatMessage;
    const path = { userId: 'me', messageId: 'm' };
    expect(validateRequest(op, { path, body: { to_channel: 'c' } })).toEqual([
      { field: 'body.to_channel', message: 'belongs in query (deleteChatMessage takes no request body)' },
    ]);
    expect(validateRequest(op, { path, body: { to_chanel: 'c' } })).toEqual([
      { field: 'body.to_chanel', message: 'is not a field of deleteChatMessage; did you mean query.to_channel?' },
    ]);
    expect(validateRequest(op, { path, body: { text: 'hi' } })).toEqual([
      { field: 'body', message: 'must be empty: deleteChatMessage takes no request body' },
    ]);
    expect(validateRequest(op, { path, body: 'hi' })).toEqual([
      { field: 'body', message: 'must be empty: deleteChatMessage takes no request body' },
    ]);
    expect(validateRequest(op, { path, body: {} })).toEqual([]);
  });
});

describe('performance', () => {
  it('validates a typical message request 20,000 times in well under a second or two', () => {
    const op = ops.sendaChatMessage;
    const req = {
      path: { userId: 'me' },
      body: { to_channel: 'c', message: 'hello', at_items: [{ at_type: 2, start_position: 0, end_position: 4 }] },
    };
    // CPU time of this process, not wall time: other processes on a loaded CI machine do not count against it.
    const start = process.cpuUsage();
    for (let i = 0; i < 20_000; i++) validateRequest(op, req);
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(2_000);
  });
});
