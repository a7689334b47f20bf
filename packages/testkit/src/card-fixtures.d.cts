export interface CardFixtureField {
  label: string;
  value: string;
  short: boolean;
}

export interface CardFixtureParts {
  title: string;
  subtitle: string;
  text: string;
  fields: CardFixtureField[];
  buttons: { text: string; value: string; style: string }[];
  linkUrl: string;
  linkText: string;
  divider: boolean;
}

export interface CardFixture {
  parts: CardFixtureParts;
  zoom: { head: Record<string, unknown>; body: Record<string, unknown>[] };
}

export function deployCard(o?: { second?: { label: string; value: string } }): CardFixture;

export function nodeRedCardBuilder(parts: CardFixtureParts): {
  format: 'cardBuilder';
  cardTitle: string;
  cardSubtitle: string;
  cardText: string;
  cardFields: CardFixtureField[];
  cardButtons: CardFixtureParts['buttons'];
  cardLinkUrl: string;
  cardLinkText: string;
  cardDivider: boolean;
};
