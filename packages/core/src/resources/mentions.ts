/** A mention to place in a message: a contact (email or member ID) or everyone in the channel. */
export type Mention = { all: true } | { contact: string; name?: string };

/** One entry of `at_items` in a Team Chat message body. */
export type AtItem = {
  at_type: 1 | 2;
  at_contact?: string;
  start_position: number;
  end_position: number;
};

/**
 * Zoom marks each mention as a character range of the message (`start_position` at the "@",
 * `end_position` at its last character). Each mention is found by its "@name" (the contact
 * itself without a name, "@all" for everyone), left to right, and each occurrence is claimed by
 * one mention only: two mentions of the same name need two ranges, or Zoom would highlight one
 * range twice and leave the second "@name" as plain text. A mention whose "@name" is not (or
 * no longer unclaimed) in the message is appended, so every range points at its own text.
 * `existing` items (already in a body) keep their ranges and claim them.
 */
export function placeMentions(
  message: string,
  mentions: readonly Mention[],
  existing: readonly AtItem[] = [],
): { message: string; atItems: AtItem[] } {
  let text = message;
  const atItems: AtItem[] = [...existing];
  const claimed = new Set(existing.map((item) => item.start_position));
  for (const mention of mentions) {
    const all = 'all' in mention;
    const token = all ? '@all' : `@${mention.name?.trim() || mention.contact.trim()}`;
    let at = text.indexOf(token);
    while (at !== -1 && claimed.has(at)) at = text.indexOf(token, at + 1);
    if (at === -1) {
      text = text.length === 0 || text.endsWith(' ') ? `${text}${token}` : `${text} ${token}`;
      at = text.length - token.length;
    }
    claimed.add(at);
    const range = { start_position: at, end_position: at + token.length - 1 };
    atItems.push(all ? { at_type: 2, ...range } : { at_type: 1, at_contact: mention.contact.trim(), ...range });
  }
  return { message: text, atItems };
}
