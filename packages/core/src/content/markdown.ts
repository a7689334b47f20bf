/**
 * Markdown as people write it in chat, turned into a Team Chat message body (`message`,
 * `rich_text`, `at_items` of `sendaChatMessage`).
 *
 * The subset:
 * - `**bold**`, `*italic*` / `_italic_`, `~~strike~~`, nested (`***both***`, `**a _b_ c**`);
 *   CommonMark's rules decide what pairs up, so `2 * 3 * 4` and `snake_case_name` stay text.
 * - `[text](https://…)`: http(s) only, as Zoom's `AddLink` requires. `mailto:` shows
 *   `text (address)`; any other scheme stays exactly as written.
 * - Lines starting `- ` or `* ` (bulleted), `1. ` (numbered; Zoom numbers from 1), `> ` (quote).
 *   Indented items are flattened to one level; a quote's inner `- ` is text.
 * - `` `code` `` and ```` ``` ```` fenced lines: shown literally, backticks and fences removed.
 * - Backslash escapes of ASCII punctuation (`\*`, `\_`, `\[`, `\@` …).
 * - Mentions: `@all`, `@email`, `@memberId` (see mention-tokens.ts), not inside code or link text.
 *
 * Inline markup never spans lines (Zoom's `AddLink` cannot cross lines, and a line's quote or
 * list style must not cut through a range). Whatever Zoom cannot express is sent as plain text,
 * markup removed or kept as typed; nothing here throws for any input.
 *
 * Positions: UTF-16 code units, `end_position` inclusive, for `rich_text` and `at_items` alike.
 */
import { placeMentions, type AtItem, type Mention } from '../resources/mentions';
import { inlineRuns, mentionRuns, type Run } from './inline';
import type { FormatOptions, ResolveName, RichTextFormat, RichTextItem, ZoomMessageBody } from './types';

type BlockKind = 'paragraph' | 'bullet' | 'number' | 'quote';

interface Line {
  kind: BlockKind;
  runs: Run[];
}

const BLOCK_FORMAT: Record<Exclude<BlockKind, 'paragraph'>, RichTextFormat> = {
  bullet: 'BulletedList',
  number: 'NumberedList',
  quote: 'Quote',
};

const QUOTE = /^ {0,3}>(?: |$)/;
const BULLET = /^[ \t]*[-*][ \t]+(?=\S)/;
const NUMBER = /^[ \t]*\d{1,9}\.[ \t]+(?=\S)/;
const FENCE = /^ {0,3}(`{3,})[^`]*$/;

function literal(text: string): Run[] {
  return text === '' ? [] : [{ text, bold: false, italic: false, strike: false }];
}

function parseLines(md: string, mentions: boolean): Line[] {
  const source = md.replace(/\r\n?/g, '\n').split('\n');
  const inline = { links: true, mentions };
  const lines: Line[] = [];
  for (let i = 0; i < source.length; i++) {
    const raw = source[i]!;
    const fence = FENCE.exec(raw);
    if (fence?.[1]) {
      const closing = new RegExp(`^ {0,3}\`{${fence[1].length},}\\s*$`);
      const end = source.findIndex((l, j) => j > i && closing.test(l));
      // An unclosed fence is text: hiding the rest of the message would lose what was written.
      if (end > i) {
        for (let j = i + 1; j < end; j++) lines.push({ kind: 'paragraph', runs: literal(source[j]!) });
        i = end;
        continue;
      }
    }
    let content = raw;
    let quoted = false;
    for (let m = QUOTE.exec(content); m; m = QUOTE.exec(content)) {
      content = content.slice(m[0].length);
      quoted = true;
    }
    if (quoted) {
      // Spec rules 4 and 5 on format_type: a Quote clears every style but AddLink, the lists and
      // Italic (when Italic comes first), so bold and strike in a quote would be dropped by Zoom
      // anyway; leaving them out keeps the body honest.
      const runs = inlineRuns(content, inline).map((r) => ({ ...r, bold: false, strike: false }));
      lines.push({ kind: 'quote', runs });
      continue;
    }
    const bullet = BULLET.exec(raw);
    const number = bullet ? null : NUMBER.exec(raw);
    const marker = bullet ?? number;
    if (marker) {
      lines.push({ kind: bullet ? 'bullet' : 'number', runs: inlineRuns(raw.slice(marker[0].length), inline) });
      continue;
    }
    lines.push({ kind: 'paragraph', runs: inlineRuns(raw, inline) });
  }
  return lines;
}

/** The order Zoom applies ranges in matters (rules 4-5): inline styles first, then line styles. */
const INLINE_ORDER: RichTextFormat[] = ['Bold', 'Italic', 'Strikethrough', 'AddLink'];

interface Open {
  start: number;
  end: number;
  attr?: string;
}

function item(start: number, endExclusive: number, format: RichTextFormat, attr?: string): RichTextItem {
  const out: RichTextItem = { start_position: start, end_position: endExclusive - 1, format_type: format };
  if (attr !== undefined) out.format_attr = attr;
  return out;
}

function runHas(run: Run, format: RichTextFormat): boolean {
  if (format === 'Bold') return run.bold;
  if (format === 'Italic') return run.italic;
  if (format === 'Strikethrough') return run.strike;
  return run.link !== undefined;
}

function named(mention: Mention, names: ReadonlyMap<string, string>): Mention {
  if ('all' in mention) return mention;
  const name = names.get(mention.contact);
  return name === undefined ? mention : { contact: mention.contact, name };
}

/**
 * Lays the lines out as one message. Ranges are built per line from adjacent runs that share a
 * style, so two ranges of one format never overlap or touch, and none crosses a line. Consecutive
 * lines of one block kind share one range, as Zoom's own messages do (a multi-line BulletedList).
 */
function layout(lines: readonly Line[], names: ReadonlyMap<string, string>): ZoomMessageBody {
  let message = '';
  const inline: RichTextItem[] = [];
  const blocks: RichTextItem[] = [];
  const atItems: AtItem[] = [];
  let group: { kind: BlockKind; start: number; end: number } | undefined;
  const closeGroup = () => {
    if (group && group.kind !== 'paragraph' && group.end > group.start)
      blocks.push(item(group.start, group.end, BLOCK_FORMAT[group.kind]));
    group = undefined;
  };

  lines.forEach((line, index) => {
    if (index > 0) message += '\n';
    const lineStart = message.length;
    const open = new Map<RichTextFormat, Open>();
    const close = (format: RichTextFormat) => {
      const range = open.get(format);
      if (range) inline.push(item(range.start, range.end, format, range.attr));
      open.delete(format);
    };
    for (const run of line.runs) {
      const start = message.length;
      if (run.mention) {
        // placeMentions decides how a mention reads ("@name" or "@contact") and its range.
        const placed = placeMentions('', [named(run.mention, names)]);
        message += placed.message;
        for (const at of placed.atItems)
          atItems.push({ ...at, start_position: at.start_position + start, end_position: at.end_position + start });
      } else message += run.text;
      const end = message.length;
      if (end === start) continue;
      for (const format of INLINE_ORDER) {
        const range = open.get(format);
        if (!runHas(run, format)) close(format);
        else if (range && range.end === start && range.attr === run.link) range.end = end;
        else {
          close(format);
          open.set(format, format === 'AddLink' ? { start, end, attr: run.link! } : { start, end });
        }
      }
    }
    for (const format of INLINE_ORDER) close(format);
    const lineEnd = message.length;
    if (group?.kind !== line.kind) {
      closeGroup();
      group = { kind: line.kind, start: -1, end: -1 };
    }
    if (lineEnd > lineStart && group) {
      if (group.start < 0) group.start = lineStart;
      group.end = lineEnd;
    }
  });
  closeGroup();

  inline.sort(
    (a, b) =>
      a.start_position - b.start_position || INLINE_ORDER.indexOf(a.format_type) - INLINE_ORDER.indexOf(b.format_type),
  );
  const body: ZoomMessageBody = { message };
  const richText = [...inline, ...blocks];
  if (richText.length) body.rich_text = richText;
  if (atItems.length) body.at_items = atItems;
  return body;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Markdown to a message body; mentions keep the text they were written with. */
export function markdownToZoom(md: string): ZoomMessageBody {
  return layout(parseLines(asText(md), true), new Map());
}

function contactsOf(lines: readonly Line[]): string[] {
  const contacts = new Set<string>();
  for (const line of lines)
    for (const run of line.runs) if (run.mention && 'contact' in run.mention) contacts.add(run.mention.contact);
  return [...contacts];
}

/** A failing or odd resolver only costs the display name: the mention itself still works. */
async function resolveNames(contacts: readonly string[], resolve: ResolveName): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    contacts.map(async (contact) => {
      try {
        const name = await resolve(contact);
        // A newline in a name would split its line and move a list or quote style.
        const clean = typeof name === 'string' ? name.replace(/\s+/g, ' ').trim() : '';
        if (clean) names.set(contact, clean);
      } catch {
        // Keep "@contact".
      }
    }),
  );
  return names;
}

/**
 * Builds the content fields of a message from what the user typed. `plain` returns the text
 * untouched (plus `at_items` when `mentions` is set); `markdown` reads the subset above.
 * Mentions of people show `@Name` when `resolveName` knows them, else `@email` / `@id`.
 */
export async function formatMessage(text: string, options: FormatOptions): Promise<ZoomMessageBody> {
  const source = asText(text);
  const markdown = options?.format === 'markdown';
  const mentions = options?.mentions ?? markdown;
  if (!markdown && !mentions) return { message: source };
  const lines: Line[] = markdown ? parseLines(source, mentions) : [{ kind: 'paragraph', runs: mentionRuns(source) }];
  const contacts = contactsOf(lines);
  const names =
    options.resolveName && contacts.length
      ? await resolveNames(contacts, options.resolveName)
      : new Map<string, string>();
  return layout(lines, names);
}
