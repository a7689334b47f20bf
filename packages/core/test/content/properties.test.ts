/**
 * Property tests. Markdown is generated from a small grammar of the supported constructs, and the
 * generator also builds what the result must be (visible text, which characters carry which
 * style, line styles, mentions), so each run is compared with an exact model, not only with
 * general rules. A fixed seed keeps runs repeatable; a failure prints the shrunk input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToZoom, type RichTextItem, type ZoomMessageBody } from '../../src/content';
import { problemsOf } from './invariants';

const SEED = 20240611;
const RUNS = 200;

interface Seg {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  link?: string;
  /** 2 for @all, else the contact. */
  mention?: { at_type: 1; at_contact: string } | { at_type: 2 };
}
interface Piece {
  md: string;
  segs: Seg[];
  /** A member ID ends the piece: `_` right after it would read as part of the ID. */
  endsWithId?: boolean;
}
type Wrapper = 'bold' | 'star' | 'under' | 'strike';
interface Options {
  /** Code spans and escapes: their text may hold markup characters, shown literally. */
  literals: boolean;
  mentions: boolean;
}

// Emoji with surrogate pairs, skin tones, ZWJ sequences, flags and a variation selector; letters
// from several scripts. No markup characters, no `.` (a `1.` could start a numbered line).
const CHARS = ['a', 'b', 'Z', 'é', 'ß', 'ж', '中', '文', '7', ',', '!', '?', '😀', '👍🏽', '👩‍👩‍👧', '🇯🇵', '❤️'];
const word: fc.Arbitrary<Piece> = fc
  .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 5 })
  .map((cs) => ({ md: cs.join(''), segs: [{ text: cs.join('') }] }));
const escape: fc.Arbitrary<Piece> = fc
  .constantFrom('*', '_', '~', '`', '[', ']', '(', ')', '#', '\\', '@', '!')
  .map((c) => ({ md: `\\${c}`, segs: [{ text: c }] }));
const code: fc.Arbitrary<Piece> = fc
  .array(fc.constantFrom('a', '*', '**', '_', '~~', '[', '](', ')', '>', '@all', '😀', ' ', '\\'), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => `x${parts.join('')}x`)
  .map((content) => ({ md: `\`${content}\``, segs: [{ text: content }] }));
const MEMBER_IDS = [
  'R4VM29Oj0fVM2hhEmSKVM2hhezJTezJTKVM2hezJT2hezJTSK',
  'MbLtBAYYQUSqP64XySjfnQ',
  '1vCVTt34UdDPaRg8NYyu7YMEEwu74ADW77aLnDON_C0wJiODRLI82vTwVruPu2LQ',
];
const EMAILS = ['casey@example.com', 'first_last+tag@sub.example.org', 'o-k@x.io'];
const mention: fc.Arbitrary<Piece> = fc.oneof(
  fc.constant<Piece>({ md: '@all', segs: [{ text: '@all', mention: { at_type: 2 } }] }),
  fc
    .constantFrom(...EMAILS)
    .map((e): Piece => ({ md: `@${e}`, segs: [{ text: `@${e}`, mention: { at_type: 1, at_contact: e } }] })),
  fc.constantFrom(...MEMBER_IDS).map(
    (id): Piece => ({
      md: `@${id}`,
      segs: [{ text: `@${id}`, mention: { at_type: 1, at_contact: id } }],
      endsWithId: true,
    }),
  ),
);
const URLS = [
  'https://example.com',
  'http://x.io/a_b?q=1&r=*',
  'https://en.wikipedia.org/wiki/Foo_(bar)',
  'https://例え.jp/パス',
];

const DELIMS: Record<Wrapper, string> = { bold: '**', star: '*', under: '_', strike: '~~' };

function join(pieces: readonly Piece[]): Piece {
  const segs: Seg[] = [];
  pieces.forEach((p, i) => {
    if (i > 0) segs.push({ text: ' ' });
    segs.push(...p.segs);
  });
  return { md: pieces.map((p) => p.md).join(' '), segs, endsWithId: pieces[pieces.length - 1]?.endsWithId };
}

function wrap(kind: Wrapper, inner: Piece): Piece {
  const d = DELIMS[kind];
  const style: Partial<Seg> =
    kind === 'bold' ? { bold: true } : kind === 'strike' ? { strike: true } : { italic: true };
  // `_@id_` is read as intended (see mention-tokens.ts), but `_@id_ ` inside more markup is not worth modelling.
  const tail = kind === 'under' && inner.endsWithId ? ' a' : '';
  return {
    md: `${d}${inner.md}${tail}${d}`,
    segs: [...inner.segs, ...(tail ? [{ text: tail }] : [])].map((s) => ({ ...s, ...style })),
  };
}

/**
 * Inline pieces up to `depth` wrappers deep. A wrapper is never nested in itself: `*` in `*`
 * is `**` (bold), and `~~~~` is not strikethrough, in CommonMark and GFM as here.
 */
function piece(depth: number, banned: ReadonlySet<Wrapper>, o: Options & { links: boolean }): fc.Arbitrary<Piece> {
  const leaves: fc.Arbitrary<Piece>[] = [word, word];
  if (o.literals) leaves.push(escape, code);
  if (o.mentions) leaves.push(mention);
  if (o.links) {
    const text = fc
      .array(piece(1, new Set(), { ...o, links: false, mentions: false }), { minLength: 0, maxLength: 2 })
      .map(join);
    leaves.push(
      fc.tuple(text, fc.constantFrom(...URLS)).map(
        ([t, url]): Piece => ({
          md: `[${t.md}](${url})`,
          segs: (t.segs.length ? t.segs : [{ text: url }]).map((s) => ({ ...s, link: url })),
        }),
      ),
    );
  }
  if (depth === 0) return fc.oneof(...leaves);
  const wrappers = (['bold', 'star', 'under', 'strike'] as const)
    .filter((k) => !banned.has(k))
    .map((k) =>
      fc
        .array(piece(depth - 1, new Set([...banned, k]), o), { minLength: 1, maxLength: 3 })
        .map(join)
        .map((inner) => wrap(k, inner)),
    );
  return fc.oneof(...leaves, ...wrappers);
}

type Kind = 'paragraph' | 'bullet' | 'number' | 'quote';
interface GenLine {
  kind: Kind;
  md: string;
  segs: Seg[];
}

function line(o: Options): fc.Arbitrary<GenLine> {
  const content = fc.array(piece(2, new Set(), { ...o, links: true }), { minLength: 1, maxLength: 4 }).map(join);
  return fc.oneof(
    { weight: 4, arbitrary: content.map((c): GenLine => ({ kind: 'paragraph', ...c })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('- ', '* ', '  - '), content)
        .map(([m, c]): GenLine => ({ kind: 'bullet', md: m + c.md, segs: c.segs })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.nat({ max: 20 }), content)
        .map(([n, c]): GenLine => ({ kind: 'number', md: `${n + 1}. ${c.md}`, segs: c.segs })),
    },
    {
      weight: 2,
      arbitrary: content.map(
        (c): GenLine => ({
          kind: 'quote',
          md: `> ${c.md}`,
          segs: c.segs.map((s) => ({ ...s, bold: false, strike: false })),
        }),
      ),
    },
    { weight: 1, arbitrary: fc.constant<GenLine>({ kind: 'quote', md: '>', segs: [] }) },
    { weight: 1, arbitrary: fc.constant<GenLine>({ kind: 'paragraph', md: '', segs: [] }) },
  );
}

const documents = (o: Options) => fc.array(line(o), { minLength: 1, maxLength: 6 });

/** What the body must be, computed from the generated lines alone. */
function expected(lines: readonly GenLine[]) {
  let message = '';
  const marks: Array<Partial<Record<'Bold' | 'Italic' | 'Strikethrough' | 'AddLink', string>>> = [];
  const blocks: Record<string, Set<number>> = { BulletedList: new Set(), NumberedList: new Set(), Quote: new Set() };
  const atItems: unknown[] = [];
  const spans: Array<{ kind: Kind; start: number; end: number }> = [];
  lines.forEach((l, i) => {
    if (i > 0) {
      message += '\n';
      marks.push({});
    }
    const start = message.length;
    for (const s of l.segs) {
      if (s.mention)
        atItems.push({
          ...s.mention,
          start_position: message.length,
          end_position: message.length + s.text.length - 1,
        });
      message += s.text;
      for (let k = 0; k < s.text.length; k++) {
        marks.push({
          ...(s.bold ? { Bold: '' } : {}),
          ...(s.italic ? { Italic: '' } : {}),
          ...(s.strike ? { Strikethrough: '' } : {}),
          ...(s.link ? { AddLink: s.link } : {}),
        });
      }
    }
    spans.push({ kind: l.kind, start, end: message.length });
  });
  // Consecutive lines of one kind share a range from the first to the last non-empty line.
  const FORMAT = { bullet: 'BulletedList', number: 'NumberedList', quote: 'Quote' } as const;
  for (let i = 0; i < spans.length; ) {
    let j = i;
    while (j + 1 < spans.length && spans[j + 1]!.kind === spans[i]!.kind) j++;
    const kind = spans[i]!.kind;
    const filled = spans.slice(i, j + 1).filter((s) => s.end > s.start);
    if (kind !== 'paragraph' && filled.length) {
      for (let k = filled[0]!.start; k < filled[filled.length - 1]!.end; k++) blocks[FORMAT[kind]]!.add(k);
    }
    i = j + 1;
  }
  return { message, marks, blocks, atItems };
}

/** Per character: the inline styles (and link URL) the body gives it. */
function actualMarks(body: ZoomMessageBody) {
  const marks: Array<Record<string, string>> = Array.from({ length: body.message.length }, () => ({}));
  const blocks: Record<string, Set<number>> = { BulletedList: new Set(), NumberedList: new Set(), Quote: new Set() };
  for (const r of body.rich_text ?? ([] as RichTextItem[])) {
    for (let k = r.start_position; k <= r.end_position && k < marks.length; k++) {
      if (r.format_type in blocks) blocks[r.format_type]!.add(k);
      else marks[k]![r.format_type] = r.format_attr ?? '';
    }
  }
  return { marks, blocks };
}

/** One line per character: its index, styles and link, then each line style's positions. */
function encode(marks: ReadonlyArray<Record<string, string>>, blocks: Record<string, Set<number>>): string {
  const chars = marks.map(
    (m, i) =>
      `${i}:${Object.keys(m)
        .sort()
        .map((k) => (m[k] ? `${k}=${m[k]}` : k))
        .join(',')}`,
  );
  const lines = Object.keys(blocks)
    .sort()
    .map((k) => `${k}:${[...blocks[k]!].sort((a, b) => a - b).join(',')}`);
  return [...chars, ...lines].join('\n');
}

function check(lines: readonly GenLine[]): void {
  const md = lines.map((l) => l.md).join('\n');
  const body = markdownToZoom(md);
  const want = expected(lines);
  expect(problemsOf(body)).toEqual([]);
  expect(body.message).toBe(want.message);
  const got = actualMarks(body);
  // Compared as text: a deep equal over one object per character is most of a run's cost.
  expect(encode(got.marks, got.blocks)).toBe(encode(want.marks, want.blocks));
  expect(JSON.stringify(body.at_items ?? [])).toBe(JSON.stringify(want.atItems));
}

describe('markdownToZoom properties', () => {
  it('renders markup-free text with exactly the styles written, and no markup left', () => {
    fc.assert(
      fc.property(documents({ literals: false, mentions: true }), (lines) => {
        check(lines);
        const { message } = markdownToZoom(lines.map((l) => l.md).join('\n'));
        // Without code spans or escapes nothing may show a construct's markup.
        for (const markup of ['**', '~~', '](', '__', '`']) expect(message).not.toContain(markup);
        for (const l of message.split('\n')) expect(l).not.toMatch(/^(> |>$|- |\* |\d+\. )/);
        // Mentions and the URL shown for a link without text may hold `_` legitimately.
        expect(message.replace(/(@|https?:\/\/)\S*/g, '')).not.toMatch(/[*_~[\]]/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('keeps code spans and escaped characters literally, with the rest still exact', () => {
    fc.assert(fc.property(documents({ literals: true, mentions: true }), check), { seed: SEED + 1, numRuns: RUNS });
  });

  it('gives a valid body for any text at all, never throwing', () => {
    const markupy = fc.constantFrom(
      '*',
      '**',
      '_',
      '~~',
      '~',
      '`',
      '```',
      '[',
      ']',
      '(',
      ')',
      '](',
      '\\',
      '@',
      '@all',
      '@a@b.io',
      '> ',
      '- ',
      '1. ',
      '\n',
      ' ',
      'a',
      '😀',
      '\uD83D',
      'https://x.io',
      'mailto:',
    );
    // Raw UTF-16 units (lone surrogates included), mostly printable ASCII so markup characters meet.
    const unit = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      fc.integer({ min: 0, max: 0xffff }),
    );
    const units = fc.array(unit, { maxLength: 60 }).map((codes) => String.fromCharCode(...codes));
    const text = fc.oneof(
      units,
      fc.array(markupy, { maxLength: 40 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(problemsOf(markdownToZoom(t))).toEqual([]);
      }),
      { seed: SEED + 2, numRuns: RUNS * 2 },
    );
  });
});

describe('the model itself', () => {
  it('catches a wrong range (so the properties can fail)', () => {
    const lines: GenLine[] = [{ kind: 'paragraph', md: '**ab**', segs: [{ text: 'ab', bold: true }] }];
    const want = expected(lines);
    const off = actualMarks({
      message: 'ab',
      rich_text: [{ start_position: 0, end_position: 0, format_type: 'Bold' }],
    });
    expect(encode(off.marks, off.blocks)).not.toBe(encode(want.marks, want.blocks));
    expect(
      problemsOf({ message: 'ab', rich_text: [{ start_position: 0, end_position: 2, format_type: 'Bold' }] }),
    ).not.toEqual([]);
    expect(
      problemsOf({ message: '😀', rich_text: [{ start_position: 0, end_position: 0, format_type: 'Bold' }] }),
    ).not.toEqual([]);
    expect(
      problemsOf({
        message: 'abc',
        rich_text: [
          { start_position: 0, end_position: 1, format_type: 'Italic' },
          { start_position: 1, end_position: 2, format_type: 'Italic' },
        ],
      }),
    ).not.toEqual([]);
  });
});
