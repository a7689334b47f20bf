import type { AtItem } from '../resources/mentions';
import type { OperationTypes } from '../spec/generated/types';

/** `rich_text[].format_type` of `sendaChatMessage`: the spec's enum, from the generated types. */
export type RichTextFormat = NonNullable<
  NonNullable<OperationTypes['sendaChatMessage']['body']['rich_text']>[number]['format_type']
>;

/**
 * One `rich_text` range. Positions are UTF-16 code units (JavaScript string indices) and both ends
 * are inclusive: `end_position` is the index of the last formatted character, as for `at_items`
 * (see README.md in this folder for the evidence and the contradicting examples).
 */
export interface RichTextItem {
  start_position: number;
  end_position: number;
  format_type: RichTextFormat;
  /** Only for formats that take one; here only `AddLink` (the URL). */
  format_attr?: string;
}

/** The content fields of a `sendaChatMessage` body; the caller adds `to_channel`/`to_contact` etc. */
export interface ZoomMessageBody {
  message: string;
  rich_text?: RichTextItem[];
  at_items?: AtItem[];
}

/**
 * Looks up the name to show for a mentioned email or member ID. `undefined` (or a rejection) keeps
 * the mention as written (`@casey@example.com`).
 */
export type ResolveName = (emailOrId: string) => Promise<string | undefined>;

export interface FormatOptions {
  /** `plain` sends the text as it is; `markdown` reads the subset described in markdown.ts. */
  format: 'plain' | 'markdown';
  /**
   * Turn `@all`, `@email` and `@memberId` into `at_items`. Default: on for `markdown`, off for
   * `plain` (plain text stays exactly what the caller wrote unless asked otherwise).
   */
  mentions?: boolean;
  resolveName?: ResolveName;
}
