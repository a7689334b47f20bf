import { describe, expect, it } from 'vitest';
import { markdownToZoom, type ZoomMessageBody } from '../../src/content';
import { problemsOf } from './invariants';

/** Every example also has to be a valid body by the general rules. */
function md(text: string): ZoomMessageBody {
  const body = markdownToZoom(text);
  expect(problemsOf(body)).toEqual([]);
  return body;
}

const bold = (s: number, e: number) => ({ start_position: s, end_position: e, format_type: 'Bold' });
const italic = (s: number, e: number) => ({ start_position: s, end_position: e, format_type: 'Italic' });
const strike = (s: number, e: number) => ({ start_position: s, end_position: e, format_type: 'Strikethrough' });
const link = (s: number, e: number, url: string) => ({
  start_position: s,
  end_position: e,
  format_type: 'AddLink',
  format_attr: url,
});
const block = (format: string, s: number, e: number) => ({ start_position: s, end_position: e, format_type: format });

describe('markdownToZoom: inline styles', () => {
  it('marks bold with inclusive ends, as Zoom reads them', () => {
    expect(md('a **bold** b')).toEqual({ message: 'a bold b', rich_text: [bold(2, 5)] });
  });

  it('reads both italic spellings and strikethrough', () => {
    expect(md('*one* _two_ ~~three~~')).toEqual({
      message: 'one two three',
      rich_text: [italic(0, 2), italic(4, 6), strike(8, 12)],
    });
  });

  it('nests bold and italic', () => {
    expect(md('***both***')).toEqual({ message: 'both', rich_text: [bold(0, 3), italic(0, 3)] });
    expect(md('**bold _both_ bold**')).toEqual({ message: 'bold both bold', rich_text: [bold(0, 13), italic(5, 8)] });
    expect(md('_it **both**_')).toEqual({ message: 'it both', rich_text: [italic(0, 6), bold(3, 6)] });
  });

  it('joins nested ranges of one format into one, so none overlap', () => {
    expect(md('*a _b_ c*')).toEqual({ message: 'a b c', rich_text: [italic(0, 4)] });
    expect(md('****x****')).toEqual({ message: 'x', rich_text: [bold(0, 0)] });
  });

  it('leaves asterisks and underscores that do not pair as text', () => {
    expect(md('2 * 3 * 4')).toEqual({ message: '2 * 3 * 4' });
    expect(md('snake_case_name and __init__')).toEqual({
      message: 'snake_case_name and init',
      rich_text: [bold(20, 23)],
    });
    expect(md('**open and *half')).toEqual({ message: '**open and *half' });
    expect(md('** spaced **')).toEqual({ message: '** spaced **' });
    expect(md('~one~ ~~~three~~~')).toEqual({ message: '~one~ ~~~three~~~' });
  });

  it('shows leftover delimiters where CommonMark leaves them', () => {
    expect(md('***a*')).toEqual({ message: '**a', rich_text: [italic(2, 2)] });
    expect(md('a*b*c')).toEqual({ message: 'abc', rich_text: [italic(1, 1)] });
  });

  it('does not carry a style over a line break', () => {
    expect(md('**a\nb**')).toEqual({ message: '**a\nb**' });
  });
});

describe('markdownToZoom: links', () => {
  it('turns [text](url) into AddLink over the text', () => {
    expect(md('see [the docs](https://example.com/a_(b)?q=1) now')).toEqual({
      message: 'see the docs now',
      rich_text: [link(4, 11, 'https://example.com/a_(b)?q=1')],
    });
  });

  it('combines a link with styles inside and around it', () => {
    expect(md('**[docs](http://x.io)** and [*it*](https://y.io)')).toEqual({
      message: 'docs and it',
      rich_text: [bold(0, 3), link(0, 3, 'http://x.io'), italic(9, 10), link(9, 10, 'https://y.io')],
    });
  });

  it('splits two neighbouring links with different URLs', () => {
    expect(md('[a](https://a.io)[b](https://b.io)')).toEqual({
      message: 'ab',
      rich_text: [link(0, 0, 'https://a.io'), link(1, 1, 'https://b.io')],
    });
  });

  it('reads backslash escapes in the URL', () => {
    expect(md('[a](https://x.io/\\)\\(b)')).toEqual({ message: 'a', rich_text: [link(0, 0, 'https://x.io/)(b')] });
  });

  it('shows the URL of a link without text', () => {
    expect(md('[](https://x.io)')).toEqual({ message: 'https://x.io', rich_text: [link(0, 11, 'https://x.io')] });
  });

  it('keeps a mailto address visible without AddLink (Zoom takes http and https only)', () => {
    expect(md('[write us](mailto:team@example.com)')).toEqual({ message: 'write us (team@example.com)' });
    expect(md('[team@example.com](mailto:team@example.com)')).toEqual({ message: 'team@example.com' });
  });

  it('leaves links with other schemes, spaces or a line break exactly as typed', () => {
    expect(md('[x](javascript:alert(1)) [y](ftp://h/f)')).toEqual({
      message: '[x](javascript:alert(1)) [y](ftp://h/f)',
    });
    expect(md('[x](https://a.io/b c)')).toEqual({ message: '[x](https://a.io/b c)' });
    expect(md('[a\nb](https://x.io)')).toEqual({ message: '[a\nb](https://x.io)' });
    expect(md('[unclosed](https://x.io')).toEqual({ message: '[unclosed](https://x.io' });
  });

  it('pairs emphasis inside a link text only with itself', () => {
    expect(md('*a [b*](https://x.io)')).toEqual({ message: '*a b*', rich_text: [link(3, 4, 'https://x.io')] });
  });
});

describe('markdownToZoom: lines', () => {
  it('makes consecutive bulleted lines one BulletedList over whole lines', () => {
    expect(md('- one\n* **two**')).toEqual({
      message: 'one\ntwo',
      rich_text: [bold(4, 6), block('BulletedList', 0, 6)],
    });
  });

  it('makes numbered lines a NumberedList (Zoom does the numbering)', () => {
    expect(md('intro\n1. a\n2. b\n\n7. c')).toEqual({
      message: 'intro\na\nb\n\nc',
      rich_text: [block('NumberedList', 6, 8), block('NumberedList', 11, 11)],
    });
  });

  it('keeps neighbouring lists of different kinds apart and flattens indentation', () => {
    expect(md('- a\n  - b\n1. c')).toEqual({
      message: 'a\nb\nc',
      rich_text: [block('BulletedList', 0, 2), block('NumberedList', 4, 4)],
    });
  });

  it('quotes lines, keeping italic and links but not bold or strike (a Quote clears them)', () => {
    expect(md('> a **b** _c_ ~~d~~\n>\n> [e](https://e.io)\nafter')).toEqual({
      message: 'a b c d\n\ne\nafter',
      rich_text: [italic(4, 4), link(9, 9, 'https://e.io'), block('Quote', 0, 9)],
    });
  });

  it('reads a list marker inside a quote as text, and nested quotes as one', () => {
    expect(md('> - x\n> > y')).toEqual({ message: '- x\ny', rich_text: [block('Quote', 0, 4)] });
  });

  it('does not take markers without a space, or with nothing after them, as lists', () => {
    expect(md('-not a list\n1.5 litres\n- \n>quote?')).toEqual({ message: '-not a list\n1.5 litres\n- \n>quote?' });
  });

  it('normalises Windows line ends', () => {
    expect(md('- a\r\n- b')).toEqual({ message: 'a\nb', rich_text: [block('BulletedList', 0, 2)] });
  });
});

describe('markdownToZoom: literal text', () => {
  it('shows code as typed, without backticks', () => {
    expect(md('run `**not bold** @all` now')).toEqual({ message: 'run **not bold** @all now' });
    expect(md('``a ` b`` and `` `x` ``')).toEqual({ message: 'a ` b and `x`' });
    expect(md('an `unclosed span')).toEqual({ message: 'an `unclosed span' });
  });

  it('shows fenced lines as typed, without the fences', () => {
    expect(md('```ts\n**x** - y\n- z\n```\n**after**')).toEqual({
      message: '**x** - y\n- z\nafter',
      rich_text: [bold(14, 18)],
    });
    expect(md('```\nno closing fence *x*')).toEqual({
      message: '```\nno closing fence x',
      rich_text: [italic(21, 21)],
    });
  });

  it('honours backslash escapes', () => {
    expect(md('\\*not\\* \\_x\\_ \\~~y~~ \\[a](https://x.io) \\\\')).toEqual({
      message: '*not* _x_ ~~y~~ [a](https://x.io) \\',
    });
    expect(md('\\- item\n1\\. item\n\\> quote')).toEqual({ message: '- item\n1. item\n> quote' });
    expect(md('a \\q b')).toEqual({ message: 'a \\q b' });
  });
});

describe('markdownToZoom: mentions', () => {
  it('turns @all, @email and @memberId into at_items', () => {
    expect(md('@all see @casey@example.com and @R4VM29Oj0fVM2hhEmSKVM2hhezJT')).toEqual({
      message: '@all see @casey@example.com and @R4VM29Oj0fVM2hhEmSKVM2hhezJT',
      at_items: [
        { at_type: 2, start_position: 0, end_position: 3 },
        { at_type: 1, at_contact: 'casey@example.com', start_position: 9, end_position: 26 },
        { at_type: 1, at_contact: 'R4VM29Oj0fVM2hhEmSKVM2hhezJT', start_position: 32, end_position: 60 },
      ],
    });
  });

  it('leaves addresses inside words and look-alikes alone', () => {
    expect(md('mail a@b.co or x@all, @alligator, @bob, @825c9e31f1064c73b394c5e4557d3447, \\@all @a@b.com@c')).toEqual({
      message: 'mail a@b.co or x@all, @alligator, @bob, @825c9e31f1064c73b394c5e4557d3447, @all @a@b.com@c',
    });
  });

  it('ends an email mention before sentence punctuation and closing markup', () => {
    expect(md('(@casey@example.com). _@first_last@ex.org_')).toEqual({
      message: '(@casey@example.com). @first_last@ex.org',
      rich_text: [italic(22, 39)],
      at_items: [
        { at_type: 1, at_contact: 'casey@example.com', start_position: 1, end_position: 18 },
        { at_type: 1, at_contact: 'first_last@ex.org', start_position: 22, end_position: 39 },
      ],
    });
  });

  it('lets a closing underscore follow @all or an ID, but not a longer handle', () => {
    expect(md('_@all_ @all_hands')).toEqual({
      message: '@all @all_hands',
      rich_text: [italic(0, 3)],
      at_items: [{ at_type: 2, start_position: 0, end_position: 3 }],
    });
    expect(md('_@MbLtBAYYQUSqP64XySjfnQ_')).toEqual({
      message: '@MbLtBAYYQUSqP64XySjfnQ',
      rich_text: [italic(0, 22)],
      at_items: [{ at_type: 1, at_contact: 'MbLtBAYYQUSqP64XySjfnQ', start_position: 0, end_position: 22 }],
    });
  });

  it('styles a mention like the text around it', () => {
    expect(md('**@all** hi')).toEqual({
      message: '@all hi',
      rich_text: [bold(0, 3)],
      at_items: [{ at_type: 2, start_position: 0, end_position: 3 }],
    });
  });

  it('does not read mentions in link text', () => {
    expect(md('[@all](https://x.io)')).toEqual({ message: '@all', rich_text: [link(0, 3, 'https://x.io')] });
  });
});

describe('markdownToZoom: positions', () => {
  it('counts UTF-16 code units, so an emoji takes two positions', () => {
    expect(md('😀 **b** 👩‍👩‍👧 _c_')).toEqual({ message: '😀 b 👩‍👩‍👧 c', rich_text: [bold(3, 3), italic(14, 14)] });
  });

  it('formats emoji whole', () => {
    expect(md('**😀**')).toEqual({ message: '😀', rich_text: [bold(0, 1)] });
  });
});

describe('markdownToZoom: never throws', () => {
  it('handles empty, odd and non-string input', () => {
    for (const input of [
      '',
      '*',
      '**',
      '[',
      '](',
      '`',
      '\\',
      '~~',
      '>',
      '- ',
      '1.',
      '@',
      '```',
      '\n\n',
      '\uD83D',
      '[[[[[[',
      '*'.repeat(5000),
    ]) {
      expect(problemsOf(markdownToZoom(input))).toEqual([]);
    }
    expect(markdownToZoom(undefined as unknown as string)).toEqual({ message: '' });
    expect(markdownToZoom(42 as unknown as string)).toEqual({ message: '42' });
  });

  it('stays fast on pathological delimiter and bracket runs', () => {
    const started = Date.now();
    markdownToZoom('*a _b '.repeat(3000));
    markdownToZoom('['.repeat(3000) + ']');
    markdownToZoom('[x](a'.repeat(2000));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
