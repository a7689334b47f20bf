/**
 * The card of a chatbot message from `zoom send`: built from the editor's Card section (and
 * msg.card for what it leaves blank), or written as Zoom's JSON. The layout and every check are
 * the core's, so a card n8n refuses is refused here with the same words.
 */
import { buildCard, checkCardContent, type CardInput } from '@zoom-team-chat/core';
import type { NodeDef, NodeMessage } from '../../lib/red';
import { isPlainObject, str } from '../../lib/values';

/** The builder's parts a message may carry in msg.card, by the names the help gives them. */
const PARTS = ['title', 'subtitle', 'text', 'fields', 'buttons', 'linkUrl', 'linkText'] as const;

function configuredRows(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

/** A card Zoom's way: an object with `head` or `body` (or a whole chatbot body with `content`). */
function isZoomCard(value: Record<string, unknown>): boolean {
  return 'head' in value || 'body' in value || isPlainObject(value.content);
}

function cardProblems(problems: string[]): Error {
  return new Error(`${problems.join('; ')}. Nothing was sent.`);
}

/**
 * A card written as JSON (Text, msg.card or msg.payload, as an object or its JSON text), checked
 * part by part. `where` names the source in errors, so a Catch node says which one to fix.
 */
export function jsonCard(value: unknown, where: string): Record<string, unknown> {
  let card = value;
  if (typeof value === 'string') {
    try {
      card = JSON.parse(value);
    } catch {
      throw new Error(`${where} must be card JSON (an object with "head" and/or "body"): it does not parse.`);
    }
  }
  // A whole chatbot body (from a previous send, or copied from Zoom's docs) carries the card in `content`.
  if (isPlainObject(card) && isPlainObject(card.content)) card = card.content;
  const problems = checkCardContent(card, where);
  if (problems.length) throw cardProblems(problems);
  return { ...(card as Record<string, unknown>) };
}

/** Format *Card (JSON)*: the node's Text wins, then msg.card, then msg.payload. */
export function cardFromJson(config: NodeDef, msg: NodeMessage): Record<string, unknown> {
  const configured = str(config.text);
  if (configured !== undefined) return jsonCard(configured, 'Text');
  if (msg.card !== undefined && msg.card !== null) return jsonCard(msg.card, 'msg.card');
  return jsonCard(msg.payload, 'msg.payload');
}

/**
 * Format *Card*: each part set in the node wins; a blank one comes from msg.card (the card's text
 * also from a text msg.payload). A node that sets no part sends a msg.card written Zoom's way as it is.
 */
export function cardFromBuilder(config: NodeDef, msg: NodeMessage): Record<string, unknown> {
  const fromMsg = msg.card;
  if (fromMsg !== undefined && fromMsg !== null && !isPlainObject(fromMsg))
    throw new Error(
      'msg.card must be an object: the card’s parts (title, text, fields, buttons…) or a card written Zoom’s way ({head, body}).',
    );
  const node: Record<(typeof PARTS)[number], unknown> = {
    title: str(config.cardTitle),
    subtitle: str(config.cardSubtitle),
    text: str(config.cardText),
    fields: configuredRows(config.cardFields),
    buttons: configuredRows(config.cardButtons),
    linkUrl: str(config.cardLinkUrl),
    linkText: str(config.cardLinkText),
  };
  const nodeBuilds = PARTS.some((part) => node[part] !== undefined);
  if (!nodeBuilds && fromMsg && isZoomCard(fromMsg)) return jsonCard(fromMsg, 'msg.card');

  const payloadText = typeof msg.payload === 'string' || typeof msg.payload === 'number' ? msg.payload : undefined;
  const input: CardInput = {};
  for (const part of PARTS) input[part] = node[part] ?? fromMsg?.[part];
  input.text ??= payloadText;
  // A checkbox is never blank: ticked, it draws the divider; unticked, msg.card.divider may.
  input.divider = config.cardDivider === true || fromMsg?.divider === true;
  const { content, problems } = buildCard(input);
  if (problems.length) throw cardProblems(problems);
  return content as Record<string, unknown>;
}
