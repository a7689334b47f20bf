import { operations, validateRequest } from '../../src/spec';
import type { RichTextItem, ZoomMessageBody } from '../../src/content';

const INLINE = new Set(['Bold', 'Italic', 'Strikethrough', 'AddLink']);
const BLOCK = new Set(['BulletedList', 'NumberedList', 'Quote']);

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A boundary between the halves of one emoji would format half a character. */
function splitsPair(message: string, index: number): boolean {
  return (
    index > 0 && index < message.length && isHigh(message.charCodeAt(index - 1)) && isLow(message.charCodeAt(index))
  );
}

function overlap(a: RichTextItem | { start_position: number; end_position: number }, b: typeof a): boolean {
  return a.start_position <= b.end_position && b.start_position <= a.end_position;
}

/**
 * Everything a body must satisfy whatever the input: what the spec schema checks (via the core's
 * validator, the same schema the simulator validates with), plus the range rules the schema cannot
 * say (inside the message, inclusive ends, no same-format overlap, links and inline styles on one
 * line, line styles on whole lines, inline ranges before line ranges). Returns the problems found.
 */
export function problemsOf(body: ZoomMessageBody): string[] {
  const problems: string[] = [];
  const { message } = body;
  const schema = validateRequest(operations.sendaChatMessage, {
    path: { userId: 'me' },
    body: { ...body, message: message.slice(0, 1024), to_channel: 'c1' },
  });
  // Ranges may point past a truncated message; only the shape is checked here.
  for (const e of schema) problems.push(`schema: ${e.field} ${e.message}`);
  const rich = body.rich_text ?? [];
  if (body.rich_text && rich.length === 0) problems.push('empty rich_text array');
  if (body.at_items && body.at_items.length === 0) problems.push('empty at_items array');
  let seenBlock = false;
  rich.forEach((r, i) => {
    const where = `rich_text[${i}] ${r.format_type} ${r.start_position}..${r.end_position}`;
    if (!Number.isInteger(r.start_position) || !Number.isInteger(r.end_position))
      problems.push(`${where}: not integers`);
    if (r.start_position < 0 || r.end_position < r.start_position || r.end_position >= message.length)
      problems.push(`${where}: outside the message (length ${message.length})`);
    if (splitsPair(message, r.start_position) || splitsPair(message, r.end_position + 1))
      problems.push(`${where}: splits a surrogate pair`);
    if (r.format_type === 'AddLink') {
      if (!/^https?:\/\/\S+$/i.test(r.format_attr ?? '')) problems.push(`${where}: AddLink without an http(s) URL`);
    } else if (r.format_attr !== undefined) problems.push(`${where}: unexpected format_attr`);
    const text = message.slice(r.start_position, r.end_position + 1);
    if (INLINE.has(r.format_type)) {
      if (seenBlock) problems.push(`${where}: inline range after a line range`);
      if (text.includes('\n')) problems.push(`${where}: crosses a line`);
    } else if (BLOCK.has(r.format_type)) {
      seenBlock = true;
      if (r.start_position > 0 && message[r.start_position - 1] !== '\n')
        problems.push(`${where}: does not start a line`);
      if (r.end_position < message.length - 1 && message[r.end_position + 1] !== '\n')
        problems.push(`${where}: does not end a line`);
    } else problems.push(`${where}: unexpected format`);
    rich.forEach((o, j) => {
      if (j <= i || !overlap(r, o)) return;
      if (o.format_type === r.format_type) problems.push(`${where}: overlaps rich_text[${j}] of the same format`);
      if (BLOCK.has(o.format_type) && BLOCK.has(r.format_type))
        problems.push(`${where}: overlaps line style rich_text[${j}] ${o.format_type}`);
    });
  });
  (body.at_items ?? []).forEach((a, i, all) => {
    const where = `at_items[${i}] ${a.start_position}..${a.end_position}`;
    if (a.start_position < 0 || a.end_position < a.start_position || a.end_position >= message.length)
      problems.push(`${where}: outside the message`);
    if (message[a.start_position] !== '@') problems.push(`${where}: does not start at "@"`);
    if (a.at_type === 1 && !a.at_contact) problems.push(`${where}: contact mention without at_contact`);
    if (a.at_type === 2 && a.at_contact !== undefined) problems.push(`${where}: @all with at_contact`);
    const next = all[i + 1];
    if (next && next.start_position <= a.end_position) problems.push(`${where}: not before the next mention`);
  });
  return problems;
}
