import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Zoom's four button styles (Disabled shows a button nobody can click). */
export const BUTTON_STYLES = ['Primary', 'Default', 'Danger', 'Disabled'] as const;

const show = { show: { contentType: ['cardBuilder'] } };

/** The card builder's fields: a chatbot card without writing its JSON. */
export const cardProperties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'cardTitle',
		type: 'string',
		default: '',
		placeholder: 'Deploy finished',
		description: "The card's heading",
		displayOptions: show,
	},
	{
		displayName: 'Subtitle',
		name: 'cardSubtitle',
		type: 'string',
		default: '',
		description: 'A smaller line under the title',
		displayOptions: show,
	},
	{
		displayName: 'Text',
		name: 'cardText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description:
			"The card's text, read as Zoom's chatbot Markdown: **bold**, _italic_, ~strikethrough~, links and @mentions",
		displayOptions: show,
	},
	{
		displayName: 'Fields',
		name: 'cardFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Field',
		description: 'Label and value pairs, shown as a table under the text',
		displayOptions: show,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Label', name: 'label', type: 'string', default: '', placeholder: 'Version' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '2.4.1' },
					{
						displayName: 'Side by Side',
						name: 'short',
						type: 'boolean',
						default: false,
						description: 'Whether this field may share its row with the next one that is also side by side',
					},
				],
			},
		],
	},
	{
		displayName: 'Buttons',
		name: 'cardButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Button',
		description:
			"A click sends the bot's endpoint (a Zoom Team Chat Trigger with the Chatbot credential) the button's value",
		displayOptions: show,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'Approve' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'approve',
						description:
							"What a click reports (the event's actionItem.value): how the workflow tells the buttons apart",
					},
					{
						displayName: 'Style',
						name: 'style',
						type: 'options',
						options: [
							{ name: 'Danger (Red)', value: 'Danger' },
							{ name: 'Default', value: 'Default' },
							{ name: 'Disabled (Not Clickable)', value: 'Disabled' },
							{ name: 'Primary (Blue)', value: 'Primary' },
						],
						default: 'Default',
					},
				],
			},
		],
	},
	{
		displayName: 'Card Options',
		name: 'cardOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Divider Below Text',
				name: 'divider',
				type: 'boolean',
				default: true,
				description: 'Whether to draw a line between the text and the fields, link or buttons after it',
			},
			{
				displayName: 'Link Text',
				name: 'linkText',
				type: 'string',
				default: '',
				description: 'What the link shows (default: its address)',
			},
			{
				displayName: 'Link URL',
				name: 'linkUrl',
				type: 'string',
				default: '',
				placeholder: 'https://ci.example.com/builds/42',
				description: 'A link shown above the buttons',
			},
		],
	},
];

export interface CardInput {
	title?: unknown;
	subtitle?: unknown;
	text?: unknown;
	fields?: unknown;
	buttons?: unknown;
	linkUrl?: unknown;
	linkText?: unknown;
	divider?: unknown;
}

/**
 * The content of a chatbot card from the builder's fields, and what is wrong with them (all of it
 * at once, each naming its part: "Card → Buttons → 2: Text is empty"). Layout: title and subtitle
 * in `head`; then the text (a `message` with `is_markdown_support`), a divider, the fields, the
 * link (a `message` with `link`) and the buttons (`actions`).
 */
export function buildCard(input: CardInput): { content: IDataObject; problems: string[] } {
	const problems: string[] = [];
	const text = (value: unknown, where: string): string => {
		if (value === undefined || value === null) return '';
		if (typeof value === 'string') return value.trim();
		if (typeof value === 'number' || typeof value === 'boolean') return String(value);
		problems.push(
			`${where}: must be text, not ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`,
		);
		return '';
	};
	const rows = (value: unknown, key: string): IDataObject[] => {
		const list = (value as IDataObject | undefined)?.[key];
		return Array.isArray(list) ? (list as IDataObject[]) : [];
	};

	const content: IDataObject = {};
	const body: IDataObject[] = [];
	const title = text(input.title, 'Card → Title');
	const subtitle = text(input.subtitle, 'Card → Subtitle');
	if (title) content.head = subtitle ? { text: title, sub_head: { text: subtitle } } : { text: title };
	else if (subtitle) problems.push('Card → Subtitle: needs a Title (Zoom shows the subtitle under it)');

	const cardText = text(input.text, 'Card → Text');
	if (cardText) body.push({ type: 'message', text: cardText, is_markdown_support: true });

	const fields = rows(input.fields, 'field').map((row, index) => {
		const where = `Card → Fields → ${index + 1}`;
		const label = text(row.label, `${where} → Label`);
		const value = text(row.value, `${where} → Value`);
		if (!label) problems.push(`${where}: Label is empty`);
		if (!value) problems.push(`${where}: Value is empty`);
		return row.short === true ? { key: label, value, short: true } : { key: label, value };
	});
	if (
		cardText &&
		input.divider === true &&
		(fields.length > 0 || input.linkUrl || rows(input.buttons, 'button').length > 0)
	) {
		body.push({ type: 'divider' });
	}
	if (fields.length) body.push({ type: 'fields', items: fields });

	const linkUrl = text(input.linkUrl, 'Card → Link URL');
	const linkText = text(input.linkText, 'Card → Link Text');
	if (linkUrl) {
		if (!/^https?:\/\/[^\s/]+\S*$/i.test(linkUrl))
			problems.push(`Card → Link URL: "${linkUrl}" is not an http:// or https:// address`);
		body.push({ type: 'message', text: linkText || linkUrl, link: linkUrl });
	} else if (linkText) {
		problems.push('Card → Link URL: is empty, but Link Text is set');
	}

	const seen = new Map<string, number>();
	const buttons = rows(input.buttons, 'button').map((row, index) => {
		const where = `Card → Buttons → ${index + 1}`;
		const label = text(row.text, `${where} → Text`);
		const value = text(row.value, `${where} → Value`);
		const style = text(row.style, `${where} → Style`) || 'Default';
		if (!label) problems.push(`${where}: Text is empty`);
		if (!value) problems.push(`${where}: Value is empty (a click reports it)`);
		else if (seen.has(value))
			problems.push(`${where}: Value "${value}" is also button ${seen.get(value)}'s (clicks could not be told apart)`);
		else seen.set(value, index + 1);
		const known = BUTTON_STYLES.find((s) => s.toLowerCase() === style.toLowerCase());
		if (!known) problems.push(`${where}: Style "${style}" is not one of ${BUTTON_STYLES.join(', ')}`);
		return { text: label, value, style: known ?? style };
	});
	if (buttons.length) body.push({ type: 'actions', items: buttons });

	if (body.length) content.body = body;
	if (!content.head && !body.length && !problems.length) {
		problems.push('Card: is empty (give it a Title, Text, Fields, Buttons or a Link)');
	}
	return { content, problems };
}

/** The builder's card for item `i`, or a NodeOperationError listing what is wrong with it. */
export function cardFromParameters(this: IExecuteFunctions, i: number): IDataObject {
	const options = this.getNodeParameter('cardOptions', i, {}) as IDataObject;
	const { content, problems } = buildCard({
		title: this.getNodeParameter('cardTitle', i, ''),
		subtitle: this.getNodeParameter('cardSubtitle', i, ''),
		text: this.getNodeParameter('cardText', i, ''),
		fields: this.getNodeParameter('cardFields', i, {}),
		buttons: this.getNodeParameter('cardButtons', i, {}),
		linkUrl: options.linkUrl,
		linkText: options.linkText,
		divider: options.divider,
	});
	if (problems.length) {
		throw new NodeOperationError(this.getNode(), problems.join('; '), {
			itemIndex: i,
			description:
				'Nothing was sent. Fix the card part named above, or set Content Type to Card (JSON) to write the card yourself.',
		});
	}
	return content;
}
