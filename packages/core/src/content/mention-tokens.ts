import type { Mention } from '../resources/mentions';

/** A mention written in the text: `raw` is exactly what was typed, `@` included. */
export interface MentionToken {
  raw: string;
  mention: Mention;
}

// `@all_` may close italics (`_@all_`), `@all_hands` is someone's handle.
const ALL = /^@all(?![A-Za-z0-9@-]|[_.][A-Za-z0-9])/;
// The domain part has no `_`, so a closing `_` of italics right after an email is not swallowed;
// the lookahead stops backtracking to a shorter domain (`@a@b.com@c` is no mention of a@b.co).
const EMAIL = /^@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![@A-Za-z0-9-])/;
const ID = /^@([A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_@-]|\.[A-Za-z0-9])/;

/**
 * An `@` starts a mention only at the start of the text, after whitespace, or after an opening
 * bracket, quote or emphasis marker: `a@b.c` inside a word is an address, not a mention.
 */
export function mentionMayStartAfter(previous: string): boolean {
  return previous === '' || /^[\s([{"'*_~]/u.test(previous);
}

/**
 * Member and user IDs are 20+ characters of base64url with mixed case; requiring both cases keeps
 * `@internationalization` or a lowercase hex channel ID from being read as a person.
 */
function looksLikeId(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s);
}

/**
 * The mention starting at `s[at]` (which must be `@`), if there is one. IDs may contain `_`, so
 * after an opening `_` (`_@id_`) trailing underscores are read as the closing one.
 */
export function matchMention(s: string, at: number, previous = ''): MentionToken | undefined {
  const rest = s.slice(at, at + 320);
  const all = ALL.exec(rest);
  if (all) return { raw: all[0], mention: { all: true } };
  const email = EMAIL.exec(rest);
  if (email?.[1]) return { raw: email[0], mention: { contact: email[1] } };
  const id = ID.exec(rest);
  const contact = previous === '_' ? id?.[1]?.replace(/_+$/, '') : id?.[1];
  if (contact && contact.length >= 20 && looksLikeId(contact)) return { raw: `@${contact}`, mention: { contact } };
  return undefined;
}
