import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type TextFormat = 'plain' | 'markdown';

/**
 * "Text Format" of Message → Send and Update. New nodes (version 2 on) start with Markdown;
 * version 1 keeps Plain, so the text of workflows saved before this field existed is sent as it
 * always was (a saved node stores no value for a field left at its default).
 */
export function textFormatProperties(hint: string): INodeProperties[] {
	const field: INodeProperties = {
		displayName: 'Text Format',
		name: 'textFormat',
		type: 'options',
		options: [
			{ name: 'Plain', value: 'plain', description: 'The text is sent exactly as written' },
			{
				name: 'Markdown',
				value: 'markdown',
				description: '**bold**, *italic*, ~~strike~~, [links](https://…), lists, > quotes and @mentions',
			},
		],
		default: 'markdown',
		hint,
	};
	return [
		{ ...field, default: 'plain', displayOptions: { show: { '@version': [1] } } },
		{ ...field, default: 'markdown', displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
	];
}

/** The item's Text Format; an expression may set it, so anything else is refused naming the field. */
export function textFormatOf(this: IExecuteFunctions, i: number): TextFormat {
	const fallback: TextFormat = this.getNode().typeVersion >= 2 ? 'markdown' : 'plain';
	const value = this.getNodeParameter('textFormat', i, fallback) as unknown;
	if (value === undefined || value === null || value === '') return fallback;
	const text = String(value).trim().toLowerCase();
	if (text === 'plain' || text === 'markdown') return text;
	throw new NodeOperationError(this.getNode(), 'The parameter "Text Format" must be Plain or Markdown', {
		itemIndex: i,
		description: `Got ${JSON.stringify(value)}. Choose Plain or Markdown, or have the expression return "plain" or "markdown".`,
	});
}
