/**
 * Every place where the vendored specs are wrong (see packages/core/openapi/KNOWN-DEFECTS.md),
 * handled here and nowhere else. Validators, the response synthesiser and the tests all read
 * the schemas through `normaliseSchema`, so a fix applies everywhere at once.
 */
import type { OpenApiOperation, Schema } from './load';

/**
 * Defect 1, generalised. `oneOf` only works when at most one branch can match. The specs use it
 * for "an email or a member ID" (strings: an email matches every branch) and for objects whose
 * properties are all optional (`{user_id?} | {member_id?}`, `{card_id?} | {card_json?}`; also the
 * `getChatSessions` response, whose second branch is a subset of the first). Such a `oneOf` can
 * never pass for a valid value, so it is read as `anyOf`. A `oneOf` whose branches are told
 * apart by a required property with disjoint `enum`s (the `searchChannels` needle) stays strict.
 */
export function normaliseSchema<T extends Schema | undefined>(schema: T): T {
  if (!schema || typeof schema !== 'object') return schema;
  return walk(schema) as T;
}

/**
 * Defect 6 (not in KNOWN-DEFECTS.md yet). Two `required` lists are broken: the
 * `listAllChannelActivityLogs` response lists `channel_id` twice (ajv refuses to compile it) and
 * the `updateSharedSpaceChannels` response requires `channel_details` and `moved_channel_count`,
 * which it never defines (no value could be typed). Duplicates are dropped, and so are
 * required names the schema does not define.
 */
function fixRequired(node: Schema): string[] | undefined {
  if (!Array.isArray(node.required)) return node.required;
  const defined = node.properties;
  return [...new Set(node.required)].filter((name) => !defined || name in defined);
}

function walk(node: Schema): Schema {
  const out: Record<string, unknown> = {};
  if (Array.isArray(node.required)) out['required'] = fixRequired(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required') {
      continue;
    } else if (key === 'example' || key === 'description') {
      out[key] = value;
    } else if (key === 'properties' && value && typeof value === 'object') {
      const props: Record<string, Schema> = {};
      for (const [name, sub] of Object.entries(value as Record<string, Schema>)) props[name] = walk(sub);
      out['properties'] = props;
    } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
      const branches = (value as Schema[]).map(walk);
      if (key === 'oneOf' && !isDiscriminated(branches)) out['anyOf'] = branches;
      else out[key] = branches;
    } else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object') {
      out[key] = walk(value as Schema);
    } else {
      out[key] = value;
    }
  }
  return out as Schema;
}

/** True when some property is required by every branch and its `enum`s do not overlap. */
function isDiscriminated(branches: Schema[]): boolean {
  if (branches.length < 2) return true;
  const first = branches[0];
  if (!first?.required) return false;
  return first.required.some((prop) => {
    const seen = new Set<unknown>();
    for (const branch of branches) {
      const values = branch.required?.includes(prop) ? branch.properties?.[prop]?.enum : undefined;
      if (!values) return false;
      for (const v of values) {
        if (seen.has(v)) return false;
        seen.add(v);
      }
    }
    return true;
  });
}

/**
 * Defect 2. `sendChatFile` declares `files: array of binary`, but Zoom expects a single `files`
 * part. The multipart reader collects the parts named here into arrays, so one part validates.
 */
export function arrayPartNames(schema: Schema | undefined): Set<string> {
  const names = new Set<string>();
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop.type === 'array') names.add(name);
  }
  return names;
}

/** Names of multipart properties that carry file content. */
export function binaryPartNames(schema: Schema | undefined): Set<string> {
  const names = new Set<string>();
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    const item = prop.type === 'array' ? prop.items : prop;
    if (item?.format === 'binary') names.add(name);
  }
  return names;
}

/**
 * Defect 3. The two file operations are served by `https://file.zoom.us/v2`; only their
 * description says so.
 */
export function servedByFileHost(op: OpenApiOperation): boolean {
  return /file\.zoom\.us/.test(op.description ?? '');
}

/**
 * Defect 5. `requestBody.required` is unset everywhere, yet Zoom refuses a missing body: an
 * absent body is validated as `{}` so the schema's `required` list still applies. On top of
 * that, `uploadAChatFile` marks nothing as required although a file is the whole point: the
 * binary part is required here (Zoom answers 300 without it).
 */
export function requiredBodyFields(operationId: string, schema: Schema | undefined): string[] {
  const required = [...(schema?.required ?? [])];
  if (operationId === 'uploadAChatFile' && !required.includes('file')) required.push('file');
  return required;
}

// Defect 4 (no `/v2` in the paths) is handled by the routers, which strip the `/v2` prefix.
