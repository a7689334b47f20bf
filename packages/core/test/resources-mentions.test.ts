import { describe, expect, it } from 'vitest';
import { placeMentions } from '../src';
import { placeMentions as portablePlaceMentions } from '../src/portable';

describe('placeMentions', () => {
  it('marks "@name" from its "@" to its last character, as in the spec example', () => {
    expect(placeMentions('@Shrijana How are you?', [{ contact: 'shrijana@example.com', name: 'Shrijana' }])).toEqual({
      message: '@Shrijana How are you?',
      atItems: [{ at_type: 1, at_contact: 'shrijana@example.com', start_position: 0, end_position: 8 }],
    });
  });

  it('gives repeated mentions of one name their own occurrences, left to right', () => {
    const placed = placeMentions('@Ann meet @Ann', [
      { contact: 'a@x.io', name: 'Ann' },
      { contact: 'b@x.io', name: 'Ann' },
    ]);
    expect(placed.message).toBe('@Ann meet @Ann');
    expect(placed.atItems).toEqual([
      { at_type: 1, at_contact: 'a@x.io', start_position: 0, end_position: 3 },
      { at_type: 1, at_contact: 'b@x.io', start_position: 10, end_position: 13 },
    ]);
  });

  it('appends a mention whose "@name" is not in the message, or whose occurrences are all taken', () => {
    const placed = placeMentions('hello @all', [{ all: true }, { all: true }, { contact: 'c@x.io', name: ' Cy ' }]);
    expect(placed.message).toBe('hello @all @all @Cy');
    expect(placed.atItems).toEqual([
      { at_type: 2, start_position: 6, end_position: 9 },
      { at_type: 2, start_position: 11, end_position: 14 },
      { at_type: 1, at_contact: 'c@x.io', start_position: 16, end_position: 18 },
    ]);
    expect(placeMentions('ping ', [{ contact: 'd@x.io' }]).message).toBe('ping @d@x.io');
    expect(placeMentions('', [{ all: true }])).toEqual({
      message: '@all',
      atItems: [{ at_type: 2, start_position: 0, end_position: 3 }],
    });
  });

  it('uses the contact as the name when there is none, and keeps existing items and their ranges', () => {
    const existing = [{ at_type: 1 as const, at_contact: 'bob@x.io', start_position: 3, end_position: 11 }];
    const placed = placeMentions('hi @bob@x.io and @bob@x.io', [{ contact: ' bob@x.io ' }], existing);
    expect(placed.atItems).toEqual([
      existing[0],
      { at_type: 1, at_contact: 'bob@x.io', start_position: 17, end_position: 25 },
    ]);
    expect(existing).toHaveLength(1);
  });

  it('is exported by the portable entry too', () => {
    expect(portablePlaceMentions).toBe(placeMentions);
  });
});
