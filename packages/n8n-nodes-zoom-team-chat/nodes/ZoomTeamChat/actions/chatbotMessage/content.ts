import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { checkCardContent } from '@zoom-team-chat/core/portable';

import { jsonParameter, optionalString, requiredString } from '../../helpers/parameters';
import { cardFromParameters, cardProperties } from './card';

/** Content fields shared by Send and Edit. */
export const contentProperties: INodeProperties[] = [
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'options',
		options: [
			{ name: 'Plain Text', value: 'text' },
			{ name: 'Markdown', value: 'markdown', description: "Text rendered with Zoom's chatbot Markdown" },
			{
				name: 'Card',
				value: 'cardBuilder',
				description: 'Build a card here: title, Markdown text, fields, buttons, a link',
			},
			{ name: 'Card (JSON)', value: 'card', description: 'A full message card: head, body, sections, buttons…' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { contentType: ['text', 'markdown'] } },
	},
	{
		displayName: 'Header',
		name: 'headText',
		type: 'string',
		default: '',
		description: 'Optional bold heading shown above the text',
		displayOptions: { show: { contentType: ['text', 'markdown'] } },
	},
	{
		displayName: 'Card',
		name: 'card',
		type: 'json',
		default: '{\n  "head": { "text": "Title" },\n  "body": [{ "type": "message", "text": "Hello" }]\n}',
		required: true,
		description: "Zoom's chatbot message content object",
		displayOptions: { show: { contentType: ['card'] } },
	},
	...cardProperties,
];

/** `content` and `is_markdown_support` of a chatbot message. */
export function buildContent(this: IExecuteFunctions, i: number): { content: IDataObject; markdown: boolean } {
	const contentType = this.getNodeParameter('contentType', i) as string;
	if (contentType === 'cardBuilder') return { content: cardFromParameters.call(this, i), markdown: false };
	if (contentType === 'card') {
		const card = jsonParameter.call(this, 'card', i, undefined);
		if (!card || typeof card !== 'object' || Array.isArray(card)) {
			throw new NodeOperationError(this.getNode(), 'The parameter "Card" must be a JSON object (the message content)', {
				itemIndex: i,
			});
		}
		// Same check as Node-RED's: a card Zoom would refuse or show without its buttons fails here, by its path.
		const problems = checkCardContent(card, 'Card');
		if (problems.length) {
			throw new NodeOperationError(this.getNode(), problems.join('; '), {
				itemIndex: i,
				description: 'Nothing was sent. Fix the part of the card JSON named above.',
			});
		}
		return { content: card as IDataObject, markdown: false };
	}
	const text = requiredString.call(this, 'text', i, 'Text', { keepSpaces: true });
	const head = optionalString.call(this, 'headText', i, 'Header');
	const content: IDataObject = { body: [{ type: 'message', text }] };
	if (head) content.head = { text: head };
	return { content, markdown: contentType === 'markdown' };
}

/** The bot and account every chatbot call names, from the credential (account overridable). */
export function botIdentity(
	this: IExecuteFunctions,
	credentials: IDataObject,
	accountOverride: unknown,
	i: number,
): { robot_jid: string; account_id: string } {
	const robot = String(credentials.botJid ?? '').trim();
	const account = String(accountOverride ?? '').trim() || String(credentials.accountId ?? '').trim();
	if (!robot)
		throw new NodeOperationError(this.getNode(), 'The Zoom Chatbot credential has no Bot JID', { itemIndex: i });
	if (!account)
		throw new NodeOperationError(this.getNode(), 'The Zoom Chatbot credential has no Account ID', { itemIndex: i });
	return { robot_jid: robot, account_id: account };
}
