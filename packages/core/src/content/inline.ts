import type { Mention } from '../resources/mentions';
import { matchMention, mentionMayStartAfter } from './mention-tokens';

/** A stretch of visible text with one set of styles. */
export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  strike: boolean;
  /** `AddLink`'s URL. */
  link?: string;
  /** Set on a run that is one mention; its `text` is what was typed. */
  mention?: Mention;
}

type Style = 'bold' | 'italic' | 'strike';

interface TextNode {
  kind: 'text';
  text: string;
}
interface DelimNode {
  kind: 'delim';
  char: '*' | '_' | '~';
  length: number;
  /** Characters not (yet) used by a match; they are shown as typed. */
  left: number;
  canOpen: boolean;
  canClose: boolean;
  /** Styles this run opens (outermost first) and closes; see flatten for the order. */
  opens: Style[];
  closes: Style[];
}
interface LinkNode {
  kind: 'link';
  /** Absent for a link Zoom cannot carry (mailto): its text is shown without `AddLink`. */
  href?: string;
  children: Node[];
}
interface MentionNode {
  kind: 'mention';
  raw: string;
  mention: Mention;
}
type Node = TextNode | DelimNode | LinkNode | MentionNode;

export interface InlineOptions {
  links: boolean;
  mentions: boolean;
}

const ESCAPABLE = /^[!-/:-@[-`{-~]$/;
const PUNCTUATION = /^[\p{P}\p{S}]/u;
const WHITESPACE = /^\s/u;
// `format_attr` of AddLink must be an http(s) URL (spec, sendaChatMessage rich_text.format_attr).
const WEB_URL = /^https?:\/\/[^\s/?#]+\S*$/i;
const MAILTO = /^mailto:([^\s?]+)/i;

/** The whole code point that ends just before `i` ('' at the start): flanking looks at characters, not halves of emoji. */
function before(s: string, i: number): string {
  if (i <= 0) return '';
  const low = s.charCodeAt(i - 1);
  if (i >= 2 && low >= 0xdc00 && low <= 0xdfff) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.slice(i - 2, i);
  }
  return s.charAt(i - 1);
}

function after(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function runLength(s: string, i: number, ch: string): number {
  let j = i;
  while (s.charAt(j) === ch) j++;
  return j - i;
}

/** Start of the next backtick run of exactly `n`, or -1: a code span's closing fence. */
function closingBackticks(s: string, from: number, n: number): number {
  let j = from;
  while (j < s.length) {
    if (s.charAt(j) === '`') {
      const run = runLength(s, j, '`');
      if (run === n) return j;
      j += run;
    } else j++;
  }
  return -1;
}

/** As CommonMark: one space is stripped from both ends so `` ` `x` ` `` can show backticks. */
function codeContent(raw: string): string {
  return raw.length >= 2 && raw.startsWith(' ') && raw.endsWith(' ') && raw.trim() !== '' ? raw.slice(1, -1) : raw;
}

/** CommonMark's flanking rules: they keep `2 * 3 * 4` and `snake_case_name` literal. */
function delimiter(s: string, i: number, ch: '*' | '_' | '~', length: number): DelimNode {
  const prev = before(s, i);
  const next = after(s, i + length);
  const prevSpace = prev === '' || WHITESPACE.test(prev);
  const nextSpace = next === '' || WHITESPACE.test(next);
  const prevPunct = !prevSpace && PUNCTUATION.test(prev);
  const nextPunct = !nextSpace && PUNCTUATION.test(next);
  const leftFlanking = !nextSpace && (!nextPunct || prevSpace || prevPunct);
  const rightFlanking = !prevSpace && (!prevPunct || nextSpace || nextPunct);
  const canOpen = ch === '_' ? leftFlanking && (!rightFlanking || prevPunct) : leftFlanking;
  const canClose = ch === '_' ? rightFlanking && (!leftFlanking || nextPunct) : rightFlanking;
  return { kind: 'delim', char: ch, length, left: length, canOpen, canClose, opens: [], closes: [] };
}

/**
 * Where each `(` of `s` closes (-1: never) and how many whitespace characters come before each
 * position, from one pass. A link's destination runs from its `(` to the `)` that balances it, so
 * reading these instead of scanning to the end for every `[` keeps text like `[x](a[x](a…` linear.
 */
interface Parens {
  close: Int32Array;
  spaces: Int32Array;
}

function parensOf(s: string): Parens {
  const close = new Int32Array(s.length).fill(-1);
  const spaces = new Int32Array(s.length + 1);
  const open: number[] = [];
  for (let k = 0; k < s.length; k++) {
    const c = s.charAt(k);
    spaces[k + 1] = spaces[k]! + (WHITESPACE.test(c) ? 1 : 0);
    if (c === '\\' && ESCAPABLE.test(s.charAt(k + 1))) {
      // The escaped character is never whitespace (ESCAPABLE is punctuation).
      spaces[k + 2] = spaces[k + 1]!;
      k++;
    } else if (c === '(') open.push(k);
    else if (c === ')' && open.length > 0) close[open.pop()!] = k;
  }
  return { close, spaces };
}

/** `[text](url)` starting at `s[i]`; undefined when it is not one (the `[` is then plain text). */
function link(s: string, i: number, parens: () => Parens): { node: LinkNode; end: number } | undefined {
  let depth = 1;
  let j = i + 1;
  for (; j < s.length && depth > 0; ) {
    const c = s.charAt(j);
    if (c === '\\' && ESCAPABLE.test(s.charAt(j + 1))) j += 2;
    else if (c === '`') {
      const run = runLength(s, j, '`');
      const close = closingBackticks(s, j + run, run);
      j = close < 0 ? j + run : close + run;
    } else {
      if (c === '[') depth++;
      else if (c === ']') depth--;
      j++;
    }
  }
  if (depth > 0 || s.charAt(j) !== '(') return undefined;
  const textEnd = j - 1;
  // The destination ends at the `)` that balances this `(`, and holds no whitespace.
  const { close, spaces } = parens();
  const k = close[j]!;
  if (k < 0 || spaces[k]! !== spaces[j + 1]!) return undefined;
  const url = s.slice(j + 1, k).replace(/\\([!-/:-@[-`{-~])/g, '$1');
  const end = k + 1;
  const children = parseInline(s.slice(i + 1, textEnd), { links: false, mentions: false });
  const shown = plainText(children);
  if (WEB_URL.test(url)) {
    return {
      node: { kind: 'link', href: url, children: shown === '' ? [{ kind: 'text', text: url }] : children },
      end,
    };
  }
  const mail = MAILTO.exec(url);
  if (mail?.[1]) {
    // Zoom's AddLink takes http(s) only: the address is kept visible instead of being lost.
    const address = mail[1];
    const kids: Node[] =
      shown === '' || shown === address
        ? [{ kind: 'text', text: address }]
        : [...children, { kind: 'text', text: ` (${address})` }];
    return { node: { kind: 'link', children: kids }, end };
  }
  return undefined;
}

function plainText(nodes: readonly Node[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'delim') out += n.char.repeat(n.left);
    else if (n.kind === 'link') out += plainText(n.children);
    else out += n.raw;
  }
  return out;
}

/** Parses one line's inline Markdown into nodes with emphasis already matched. */
function parseInline(s: string, options: InlineOptions): Node[] {
  const nodes: Node[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') nodes.push({ kind: 'text', text: buffer });
    buffer = '';
  };
  let table: Parens | undefined;
  const parensFor = () => (table ??= parensOf(s));
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === '\\' && ESCAPABLE.test(s.charAt(i + 1))) {
      buffer += s.charAt(i + 1);
      i += 2;
    } else if (c === '`') {
      const run = runLength(s, i, '`');
      const close = closingBackticks(s, i + run, run);
      if (close < 0) buffer += '`'.repeat(run);
      else buffer += codeContent(s.slice(i + run, close));
      i = close < 0 ? i + run : close + run;
    } else if (c === '*' || c === '_' || c === '~') {
      const run = runLength(s, i, c);
      // GFM strikethrough is `~~`; other runs of tildes are text (`~/path`, `~~~`).
      if (c === '~' && run !== 2) buffer += s.slice(i, i + run);
      else {
        flush();
        nodes.push(delimiter(s, i, c, run));
      }
      i += run;
    } else {
      const found = c === '[' && options.links ? link(s, i, parensFor) : undefined;
      const previous = before(s, i);
      const token =
        c === '@' && options.mentions && mentionMayStartAfter(previous) ? matchMention(s, i, previous) : undefined;
      if (found) {
        flush();
        nodes.push(found.node);
        i = found.end;
      } else if (token) {
        flush();
        nodes.push({ kind: 'mention', raw: token.raw, mention: token.mention });
        i += token.raw.length;
      } else {
        buffer += c;
        i++;
      }
    }
  }
  flush();
  matchEmphasis(nodes);
  return nodes;
}

/**
 * CommonMark's "process emphasis" over this node list (a link's text is matched on its own, so a
 * `*` inside a link never pairs with one outside). Openers are searched right to left from each
 * closer; `bottoms` remembers where a search already failed so unmatched runs cost linear time.
 */
function matchEmphasis(nodes: Node[]): void {
  const delims = nodes.filter((n): n is DelimNode => n.kind === 'delim');
  const bottoms = new Map<string, number>();
  for (let ci = 0; ci < delims.length; ci++) {
    const closer = delims[ci]!;
    if (!closer.canClose) continue;
    while (closer.left > 0) {
      const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.length % 3}`;
      const bottom = bottoms.get(key) ?? -1;
      let found = -1;
      for (let oi = ci - 1; oi > bottom; oi--) {
        const opener = delims[oi]!;
        if (opener.char !== closer.char || !opener.canOpen || opener.left === 0) continue;
        if (closer.char === '~') {
          if (opener.left !== 2 || closer.left !== 2) continue;
        } else if (
          (opener.canClose || closer.canOpen) &&
          (opener.length + closer.length) % 3 === 0 &&
          !(opener.length % 3 === 0 && closer.length % 3 === 0)
        ) {
          continue;
        }
        found = oi;
        break;
      }
      if (found < 0) {
        bottoms.set(key, ci - 1);
        break;
      }
      const opener = delims[found]!;
      const use = closer.char === '~' || (opener.left >= 2 && closer.left >= 2) ? 2 : 1;
      const style: Style = closer.char === '~' ? 'strike' : use === 2 ? 'bold' : 'italic';
      opener.left -= use;
      closer.left -= use;
      opener.opens.unshift(style);
      closer.closes.push(style);
      for (let k = found + 1; k < ci; k++) delims[k]!.canOpen = false;
    }
  }
}

interface Depth {
  bold: number;
  italic: number;
  strike: number;
}

function push(out: Run[], text: string, depth: Depth, link: string | undefined, mention?: Mention): void {
  if (text === '') return;
  const run: Run = { text, bold: depth.bold > 0, italic: depth.italic > 0, strike: depth.strike > 0 };
  if (link !== undefined) run.link = link;
  if (mention) {
    run.mention = mention;
    out.push(run);
    return;
  }
  const last = out[out.length - 1];
  if (
    last &&
    !last.mention &&
    last.bold === run.bold &&
    last.italic === run.italic &&
    last.strike === run.strike &&
    last.link === run.link
  ) {
    last.text += text;
  } else out.push(run);
}

function flatten(nodes: readonly Node[], depth: Depth, link: string | undefined, out: Run[]): void {
  for (const n of nodes) {
    if (n.kind === 'text') push(out, n.text, depth, link);
    else if (n.kind === 'mention') push(out, n.raw, depth, link, n.mention);
    else if (n.kind === 'link') flatten(n.children, depth, n.href ?? link, out);
    else {
      // A run closes with its leftmost characters and opens with its rightmost, so what is left
      // over sits between the two (`**a***b*` keeps nothing; `***a*` shows one `*` before bold).
      for (const s of n.closes) depth[s]--;
      push(out, n.char.repeat(n.left), depth, link);
      for (const s of n.opens) depth[s]++;
    }
  }
}

/** One line of inline Markdown as styled runs, markup removed. */
export function inlineRuns(line: string, options: InlineOptions): Run[] {
  const out: Run[] = [];
  flatten(parseInline(line, options), { bold: 0, italic: 0, strike: 0 }, undefined, out);
  return out;
}

/** Plain text with only mentions picked out (no Markdown): the `plain` format. */
export function mentionRuns(text: string): Run[] {
  const out: Run[] = [];
  const none: Depth = { bold: 0, italic: 0, strike: 0 };
  let start = 0;
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    const previous = before(text, i);
    if (i < start || !mentionMayStartAfter(previous)) continue;
    const token = matchMention(text, i, previous);
    if (!token) continue;
    push(out, text.slice(start, i), none, undefined);
    push(out, token.raw, none, undefined, token.mention);
    start = i + token.raw.length;
  }
  push(out, text.slice(start), none, undefined);
  return out;
}
