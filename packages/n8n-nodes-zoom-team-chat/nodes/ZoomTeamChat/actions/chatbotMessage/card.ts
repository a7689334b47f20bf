import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { buildCard, type CardInput } from '@zoom-team-chat/core/portable';

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

/** The rows of a fixedCollection (`{ field: [...] }`), which n8n leaves out until one is added. */
function collectionRows(value: unknown, key: string): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'object' && !Array.isArray(value)) return (value as IDataObject)[key];
	// An expression gave something else: the core names its kind.
	return value;
}

/** The builder's parameters of item `i`, as the core's card builder reads them. */
export function cardInputFromParameters(this: IExecuteFunctions, i: number): CardInput {
	const options = this.getNodeParameter('cardOptions', i, {}) as IDataObject;
	return {
		title: this.getNodeParameter('cardTitle', i, ''),
		subtitle: this.getNodeParameter('cardSubtitle', i, ''),
		text: this.getNodeParameter('cardText', i, ''),
		fields: collectionRows(this.getNodeParameter('cardFields', i, {}), 'field'),
		buttons: collectionRows(this.getNodeParameter('cardButtons', i, {}), 'button'),
		linkUrl: options.linkUrl,
		linkText: options.linkText,
		divider: options.divider,
	};
}

/** The builder's card for item `i`, or a NodeOperationError listing what is wrong with it. */
export function cardFromParameters(this: IExecuteFunctions, i: number): IDataObject {
	const { content, problems } = buildCard(cardInputFromParameters.call(this, i));
	if (problems.length) {
		throw new NodeOperationError(this.getNode(), problems.join('; '), {
			itemIndex: i,
			description:
				'Nothing was sent. Fix the card part named above, or set Content Type to Card (JSON) to write the card yourself.',
		});
	}
	return content as IDataObject;
}
