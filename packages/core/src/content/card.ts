/**
 * Chatbot cards without JSON: the parts people fill in (title, Markdown text, fields, buttons, a
 * link, a divider) become the `content` of a `sendChatbot` / `editChatbotMessage` body, and what
 * is wrong with them is named part by part, so both hosts refuse the same cards with the same
 * words. The spec types `content` as a bare object; the layout follows Zoom's card documentation
 * and the `original` card of the chatbot events (`head.sub_head`, `body[].items`).
 */

/** Zoom's four button styles (Disabled shows a button nobody can click). */
export const CARD_BUTTON_STYLES = ['Primary', 'Default', 'Danger', 'Disabled'] as const;
export type CardButtonStyle = (typeof CARD_BUTTON_STYLES)[number];

/** One label/value row of the builder. `short` lets it share a row with the next short one. */
export interface CardFieldInput {
  label?: unknown;
  value?: unknown;
  short?: unknown;
}

export interface CardButtonInput {
  text?: unknown;
  value?: unknown;
  /** One of CARD_BUTTON_STYLES, any case; blank is Default. */
  style?: unknown;
}

/**
 * What a host read from its form or message. Values are `unknown` because they come from
 * expressions and `msg` properties: wrong kinds are reported, not trusted.
 */
export interface CardInput {
  title?: unknown;
  subtitle?: unknown;
  /** Read by Zoom as its chatbot Markdown. */
  text?: unknown;
  /** A list of CardFieldInput. */
  fields?: unknown;
  /** A list of CardButtonInput. */
  buttons?: unknown;
  linkUrl?: unknown;
  linkText?: unknown;
  /** A line between the text and what follows it; only drawn when both exist. */
  divider?: unknown;
}

export type CardBodyItem =
  | { type: 'message'; text: string; is_markdown_support?: boolean; link?: string }
  | { type: 'divider' }
  | { type: 'fields'; items: Array<{ key: string; value: string; short?: boolean }> }
  | { type: 'actions'; items: Array<{ text: string; value: string; style: string }> };

/** The `content` of a chatbot message as the builder lays it out. */
export interface ChatbotCardContent {
  head?: { text: string; sub_head?: { text: string } };
  body?: CardBodyItem[];
}

export interface CardResult {
  content: ChatbotCardContent;
  /** Empty when the card may be sent; else one entry per bad part, e.g. `Card → Buttons → 2: Text is empty`. */
  problems: string[];
}

const LINK = /^https?:\/\/[^\s/]+\S*$/i;

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The content of a chatbot card from the builder's parts, and everything wrong with them at once.
 * Layout: title and subtitle in `head`; then the text (a `message` with `is_markdown_support`), a
 * divider, the fields, the link (a `message` with `link`) and the buttons (`actions`).
 */
export function buildCard(input: CardInput): CardResult {
  const problems: string[] = [];
  const text = (value: unknown, where: string): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    problems.push(`${where}: must be text, not ${kindOf(value)}`);
    return '';
  };
  const rows = (value: unknown, where: string): Record<string, unknown>[] => {
    if (value === undefined || value === null || value === '') return [];
    if (!Array.isArray(value)) {
      problems.push(`${where}: must be a list, not ${kindOf(value)}`);
      return [];
    }
    return value.map((row, index) => {
      if (isObject(row)) return row;
      problems.push(`${where} → ${index + 1}: must be an object, not ${kindOf(row)}`);
      return {};
    });
  };

  const content: ChatbotCardContent = {};
  const body: CardBodyItem[] = [];
  const title = text(input.title, 'Card → Title');
  const subtitle = text(input.subtitle, 'Card → Subtitle');
  if (title) content.head = subtitle ? { text: title, sub_head: { text: subtitle } } : { text: title };
  else if (subtitle) problems.push('Card → Subtitle: needs a Title (Zoom shows the subtitle under it)');

  const cardText = text(input.text, 'Card → Text');
  if (cardText) body.push({ type: 'message', text: cardText, is_markdown_support: true });

  const fields = rows(input.fields, 'Card → Fields').map((row, index) => {
    const where = `Card → Fields → ${index + 1}`;
    const label = text(row.label, `${where} → Label`);
    const value = text(row.value, `${where} → Value`);
    if (!label) problems.push(`${where}: Label is empty`);
    if (!value) problems.push(`${where}: Value is empty`);
    return row.short === true ? { key: label, value, short: true } : { key: label, value };
  });
  const buttonRows = rows(input.buttons, 'Card → Buttons');
  const linkUrl = text(input.linkUrl, 'Card → Link URL');
  const linkText = text(input.linkText, 'Card → Link Text');

  if (cardText && input.divider === true && (fields.length > 0 || linkUrl || buttonRows.length > 0)) {
    body.push({ type: 'divider' });
  }
  if (fields.length) body.push({ type: 'fields', items: fields });

  if (linkUrl) {
    if (!LINK.test(linkUrl)) problems.push(`Card → Link URL: "${linkUrl}" is not an http:// or https:// address`);
    body.push({ type: 'message', text: linkText || linkUrl, link: linkUrl });
  } else if (linkText) {
    problems.push('Card → Link URL: is empty, but Link Text is set');
  }

  const seen = new Map<string, number>();
  const buttons = buttonRows.map((row, index) => {
    const where = `Card → Buttons → ${index + 1}`;
    const label = text(row.text, `${where} → Text`);
    const value = text(row.value, `${where} → Value`);
    const style = text(row.style, `${where} → Style`) || 'Default';
    if (!label) problems.push(`${where}: Text is empty`);
    if (!value) problems.push(`${where}: Value is empty (a click reports it)`);
    else if (seen.has(value))
      problems.push(`${where}: Value "${value}" is also button ${seen.get(value)}'s (clicks could not be told apart)`);
    else seen.set(value, index + 1);
    const known = CARD_BUTTON_STYLES.find((s) => s.toLowerCase() === style.toLowerCase());
    if (!known) problems.push(`${where}: Style "${style}" is not one of ${CARD_BUTTON_STYLES.join(', ')}`);
    return { text: label, value, style: known ?? style };
  });
  if (buttons.length) body.push({ type: 'actions', items: buttons });

  if (body.length) content.body = body;
  if (!content.head && !body.length && !problems.length) {
    problems.push('Card: is empty (give it a Title, Text, Fields, Buttons or a Link)');
  }
  return { content, problems };
}

/**
 * What is wrong with a card written as Zoom's JSON (`{head, body}`), each problem named by its path
 * under `where` (`Card (JSON) → body[1].items[0].text: is missing`). Only what Zoom cannot show or
 * a click cannot report is refused; body item types this check does not know pass untouched, so
 * cards using parts of Zoom's format not covered here still get through.
 */
export function checkCardContent(content: unknown, where = 'Card'): string[] {
  const problems: string[] = [];
  const at = (path: string) => `${where} → ${path}`;
  if (!isObject(content)) {
    return [`${where}: must be an object (Zoom's card: "head" and/or "body"), not ${kindOf(content)}`];
  }
  if (content.head === undefined && content.body === undefined) {
    return [`${where}: has neither "head" nor "body"`];
  }
  const needText = (value: unknown, path: string, allowEmpty = false) => {
    if (value === undefined || value === null) problems.push(`${at(path)}: is missing`);
    else if (typeof value !== 'string') problems.push(`${at(path)}: must be text, not ${kindOf(value)}`);
    else if (!allowEmpty && value.trim() === '') problems.push(`${at(path)}: is empty`);
  };
  const needList = (value: unknown, path: string): unknown[] | undefined => {
    if (Array.isArray(value)) return value;
    problems.push(`${at(path)}: ${value === undefined ? 'is missing' : `must be a list, not ${kindOf(value)}`}`);
    return undefined;
  };

  if (content.head !== undefined) {
    if (!isObject(content.head)) problems.push(`${at('head')}: must be an object, not ${kindOf(content.head)}`);
    else {
      needText(content.head.text, 'head.text');
      const sub = content.head.sub_head;
      if (sub !== undefined) {
        if (!isObject(sub)) problems.push(`${at('head.sub_head')}: must be an object, not ${kindOf(sub)}`);
        else needText(sub.text, 'head.sub_head.text');
      }
    }
  }

  const checkItems = (items: unknown[], path: string) => {
    items.forEach((item, index) => {
      const here = `${path}[${index}]`;
      if (!isObject(item)) {
        problems.push(`${at(here)}: must be an object, not ${kindOf(item)}`);
        return;
      }
      if (typeof item.type !== 'string' || item.type.trim() === '') {
        problems.push(`${at(`${here}.type`)}: is missing (message, fields, actions, section…)`);
        return;
      }
      switch (item.type) {
        case 'message':
          needText(item.text, `${here}.text`, true);
          break;
        case 'fields':
          needList(item.items, `${here}.items`)?.forEach((field, i) => {
            if (!isObject(field))
              problems.push(`${at(`${here}.items[${i}]`)}: must be an object, not ${kindOf(field)}`);
            else {
              needText(field.key, `${here}.items[${i}].key`);
              needText(field.value, `${here}.items[${i}].value`, true);
            }
          });
          break;
        case 'actions': {
          const seen = new Map<string, number>();
          needList(item.items, `${here}.items`)?.forEach((button, i) => {
            const path = `${here}.items[${i}]`;
            if (!isObject(button)) {
              problems.push(`${at(path)}: must be an object, not ${kindOf(button)}`);
              return;
            }
            needText(button.text, `${path}.text`);
            needText(button.value, `${path}.value`);
            if (typeof button.value === 'string' && button.value.trim() !== '') {
              const first = seen.get(button.value);
              if (first !== undefined)
                problems.push(
                  `${at(`${path}.value`)}: "${button.value}" is also items[${first}]'s (clicks could not be told apart)`,
                );
              else seen.set(button.value, i);
            }
            if (button.style !== undefined && !CARD_BUTTON_STYLES.includes(button.style as CardButtonStyle))
              problems.push(`${at(`${path}.style`)}: must be one of ${CARD_BUTTON_STYLES.join(', ')}`);
          });
          break;
        }
        case 'section': {
          const sections = needList(item.sections, `${here}.sections`);
          if (sections) checkItems(sections, `${here}.sections`);
          break;
        }
        default:
          break;
      }
    });
  };
  if (content.body !== undefined) {
    const body = needList(content.body, 'body');
    if (body) checkItems(body, 'body');
  }
  return problems;
}
