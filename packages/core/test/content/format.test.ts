import { describe, expect, it, vi } from 'vitest';
import { formatMessage, markdownToZoom, type ZoomMessageBody } from '../../src/content';
import { placeMentions } from '../../src/resources/mentions';
import type { OperationTypes } from '../../src/spec';
import { problemsOf } from './invariants';

const people: Record<string, string> = { 'casey@example.com': 'Casey Jones', R4VM29Oj0fVM2hhEmSKVM2hhezJT: 'Ravi' };
const resolveName = async (key: string) => people[key];

describe('formatMessage: plain', () => {
  it('returns the text untouched, with no at_items unless asked', async () => {
    const text = '**not markdown** @all @casey@example.com\r\n- x';
    expect(await formatMessage(text, { format: 'plain' })).toEqual({ message: text });
    expect(await formatMessage(text, { format: 'plain', resolveName })).toEqual({ message: text });
  });

  it('finds mentions in plain text when asked, still without reading Markdown', async () => {
    const body = await formatMessage('**hi** @all and @casey@example.com, a@b.co', {
      format: 'plain',
      mentions: true,
      resolveName,
    });
    expect(body).toEqual({
      message: '**hi** @all and @Casey Jones, a@b.co',
      at_items: [
        { at_type: 2, start_position: 7, end_position: 10 },
        { at_type: 1, at_contact: 'casey@example.com', start_position: 16, end_position: 27 },
      ],
    });
    expect(problemsOf(body)).toEqual([]);
  });
});

describe('formatMessage: markdown', () => {
  it('matches markdownToZoom when nothing resolves names', async () => {
    const text = '**hi** @casey@example.com\n- [x](https://x.io)';
    expect(await formatMessage(text, { format: 'markdown' })).toEqual(markdownToZoom(text));
  });

  it('shows resolved names and moves every later range with them', async () => {
    const body = await formatMessage(
      '**hi @casey@example.com** and _@R4VM29Oj0fVM2hhEmSKVM2hhezJT_ @all\n- [x](https://x.io)',
      {
        format: 'markdown',
        resolveName,
      },
    );
    expect(body).toEqual({
      message: 'hi @Casey Jones and @Ravi @all\nx',
      rich_text: [
        { start_position: 0, end_position: 14, format_type: 'Bold' },
        { start_position: 20, end_position: 24, format_type: 'Italic' },
        { start_position: 31, end_position: 31, format_type: 'AddLink', format_attr: 'https://x.io' },
        { start_position: 31, end_position: 31, format_type: 'BulletedList' },
      ],
      at_items: [
        { at_type: 1, at_contact: 'casey@example.com', start_position: 3, end_position: 14 },
        { at_type: 1, at_contact: 'R4VM29Oj0fVM2hhEmSKVM2hhezJT', start_position: 20, end_position: 24 },
        { at_type: 2, start_position: 26, end_position: 29 },
      ],
    });
    expect(problemsOf(body)).toEqual([]);
  });

  it('builds each mention as placeMentions does', async () => {
    const body = await formatMessage('@casey@example.com', { format: 'markdown', resolveName });
    const placed = placeMentions('', [{ contact: 'casey@example.com', name: 'Casey Jones' }]);
    expect(body).toEqual({ message: placed.message, at_items: placed.atItems });
  });

  it('asks once per person, never for @all, and keeps the raw mention when the answer is empty or fails', async () => {
    const resolver = vi.fn(async (key: string) => {
      if (key === 'gone@example.com') throw new Error('lookup failed');
      if (key === 'blank@example.com') return '  ';
      return 'Line\nBreak';
    });
    const body = await formatMessage('@all @gone@example.com @blank@example.com @x@example.com @x@example.com', {
      format: 'markdown',
      resolveName: resolver,
    });
    expect(resolver.mock.calls.map((c) => c[0]).sort()).toEqual([
      'blank@example.com',
      'gone@example.com',
      'x@example.com',
    ]);
    expect(body.message).toBe('@all @gone@example.com @blank@example.com @Line Break @Line Break');
    expect(body.at_items?.map((a) => a.at_contact)).toEqual([
      undefined,
      'gone@example.com',
      'blank@example.com',
      'x@example.com',
      'x@example.com',
    ]);
    expect(problemsOf(body)).toEqual([]);
  });

  it('can leave mentions as text', async () => {
    expect(await formatMessage('**@all**', { format: 'markdown', mentions: false })).toEqual({
      message: '@all',
      rich_text: [{ start_position: 0, end_position: 3, format_type: 'Bold' }],
    });
  });

  it('gives a body the generated sendaChatMessage type accepts', async () => {
    const content: ZoomMessageBody = await formatMessage('**x**', { format: 'markdown' });
    const body: OperationTypes['sendaChatMessage']['body'] = { ...content, to_channel: 'c1' };
    expect(body.rich_text).toHaveLength(1);
  });
});
