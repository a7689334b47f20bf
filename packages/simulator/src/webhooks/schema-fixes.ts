/**
 * Places where Zoom's event schemas contradict Zoom's own examples and descriptions, or cannot be
 * satisfied at all (a `required` property that is not declared, under `additionalProperties:
 * false`). Patched here, in one place, so the hub's delivery validation accepts what Zoom really
 * sends (see packages/core/openapi/KNOWN-DEFECTS.md for the REST side). Every fix names the
 * schema path it changes; a path or name that is no longer there throws, so a spec update that
 * repairs (or moves) a defect surfaces instead of being silently ignored.
 */
export type SchemaFix = {
  event: string;
  /** Schema path from the delivery schema root, through `properties`/`items` keys. */
  path: readonly string[];
  why: string;
} & (
  | { op: 'replace'; schema: Record<string, unknown> }
  | { op: 'addProperties'; properties: Record<string, Record<string, unknown>> }
  /** In the object schema's `required` list, `from` becomes `to` (or is dropped without `to`). */
  | { op: 'renameRequired'; from: string; to?: string }
  | { op: 'renameProperty'; from: string; to: string }
);

const INVITATION_INVITERS = ['properties', 'payload', 'properties', 'object', 'properties', 'inviters', 'items'];
const OBJECT = ['properties', 'payload', 'properties', 'object'];

export const SCHEMA_FIXES: readonly SchemaFix[] = [
  {
    event: 'chat_channel.member_removed',
    path: ['properties', 'event_ts'],
    op: 'replace',
    schema: { type: 'integer', format: 'int64' },
    why: 'typed string, but described as "milliseconds since epoch", the example sends a number and every other event types it integer',
  },
  {
    event: 'interactive_message_fields_editable',
    path: ['properties', 'payload', 'properties', 'timestamp'],
    op: 'replace',
    schema: { type: ['integer', 'string'] },
    why: 'typed string, but the example (and every sibling chatbot event) sends epoch milliseconds as a number',
  },
  {
    event: 'interactive_message_fields_editable',
    path: [
      'properties',
      'payload',
      'properties',
      'original',
      'properties',
      'body',
      'items',
      'properties',
      'items',
      'items',
      'properties',
      'editable',
    ],
    op: 'replace',
    schema: { type: ['boolean', 'string'] },
    why: 'typed string, but the example (and the chatbot message format the bot sent) uses a boolean',
  },
  {
    event: 'team_chat.app_mention',
    path: OBJECT,
    op: 'addProperties',
    properties: {
      reply_main_message_id: { type: 'string' },
      date_time: { type: 'string', format: 'date-time' },
      timestamp: { type: 'integer', format: 'int64' },
    },
    why: 'date_time and timestamp are required but not declared (unsatisfiable under additionalProperties:false); the example carries them and the thread parent',
  },
  ...(['team_chat.channel_app_added', 'team_chat.channel_app_removed'] as const).map(
    (event): SchemaFix => ({
      event,
      path: OBJECT,
      op: 'renameRequired',
      from: 'members',
      to: 'app_members',
      why: 'requires "members", which is not declared (unsatisfiable); the declared list, and the example, is app_members',
    }),
  ),
  {
    event: 'team_chat.channel_join_requested',
    path: OBJECT,
    op: 'renameRequired',
    from: 'type',
    why: 'requires "type", which is not declared (unsatisfiable); the example has none',
  },
  {
    event: 'team_chat.channel_invitation_created',
    path: INVITATION_INVITERS,
    op: 'renameRequired',
    from: 'email',
    why: 'inviters require "email", which is not declared (unsatisfiable); the declared (optional) field is user_email',
  },
  {
    event: 'team_chat.channel_invitation_rejected',
    path: INVITATION_INVITERS,
    op: 'renameProperty',
    from: 'id',
    to: 'user_id',
    why: 'inviters require user_id but declare "id" (unsatisfiable); the example and every sibling event use user_id',
  },
];

/** Applies the fixes for `event` to `schema` in place. */
export function applySchemaFixes(event: string, schema: Record<string, unknown>): void {
  for (const fix of SCHEMA_FIXES) {
    if (fix.event !== event) continue;
    let parent: Record<string, unknown> = schema;
    for (const key of fix.path.slice(0, -1)) parent = objectAt(parent, key, fix);
    const last = fix.path[fix.path.length - 1] as string;
    const target = objectAt(parent, last, fix);
    switch (fix.op) {
      case 'replace':
        parent[last] = { ...fix.schema };
        break;
      case 'addProperties': {
        const props = objectAt(target, 'properties', fix);
        for (const [name, s] of Object.entries(fix.properties)) {
          if (name in props) throw missing(fix, `property ${name} already exists`);
          props[name] = { ...s };
        }
        break;
      }
      case 'renameRequired': {
        const required = target['required'];
        if (!Array.isArray(required) || !required.includes(fix.from)) throw missing(fix, `${fix.from} is not required`);
        target['required'] = required.flatMap((r: unknown) =>
          r !== fix.from ? [r] : fix.to === undefined ? [] : [fix.to],
        );
        break;
      }
      case 'renameProperty': {
        const props = objectAt(target, 'properties', fix);
        if (!(fix.from in props) || fix.to in props) throw missing(fix, `cannot rename ${fix.from} to ${fix.to}`);
        props[fix.to] = props[fix.from];
        delete props[fix.from];
        break;
      }
    }
  }
}

function objectAt(node: Record<string, unknown>, key: string, fix: SchemaFix): Record<string, unknown> {
  const next = node[key];
  if (next === null || typeof next !== 'object') throw missing(fix, `${key} not found`);
  return next as Record<string, unknown>;
}

function missing(fix: SchemaFix, detail: string): Error {
  return new Error(
    `schema fix for ${fix.event} at ${fix.path.join('.')} no longer applies (${detail}); ` +
      'review SCHEMA_FIXES in src/webhooks/schema-fixes.ts against the vendored spec',
  );
}
