import { placeMentions, type AtItem, type Mention } from '@zoom-team-chat/core/portable';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { conversationProperties } from '../../descriptions/common';
import { textFormatOf, textFormatProperties } from '../../descriptions/textFormat';
import {
	actingUser,
	compact,
	jsonParameter,
	optionalString,
	resolveConversation,
	toList,
} from '../../helpers/parameters';
import type { OperationContext } from '../types';
import { SCHEDULE_AT_LABEL, scheduledTimeOf } from './schedule';

const properties: INodeProperties[] = [
	...conversationProperties,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The text to send (up to 1024 characters). Mentions below are found in it by their @name.',
	},
	...textFormatProperties(
		'Markdown: @all, @email or @member ID mention that person (shown by name); what Zoom cannot show is sent as plain text',
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'File IDs',
				name: 'fileIds',
				type: 'string',
				default: '',
				description: 'Comma-separated IDs of files uploaded with File → Upload (up to 6)',
			},
			{
				displayName: 'Interactive Cards (JSON)',
				name: 'interactiveCards',
				type: 'json',
				default: '[]',
				description: "Zoom's interactive_cards array (up to 5 cards of this app)",
			},
			{
				displayName: 'Mentions',
				name: 'mentions',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Mention',
				options: [
					{
						displayName: 'Mention',
						name: 'mention',
						values: [
							{
								displayName: 'Type',
								name: 'type',
								type: 'options',
								options: [
									{ name: 'Contact', value: 'contact' },
									{ name: 'All Channel Members', value: 'all', description: 'Mention @all' },
								],
								default: 'contact',
							},
							{
								displayName: 'Contact',
								name: 'contact',
								type: 'string',
								default: '',
								required: true,
								placeholder: 'jchill@example.com',
								description: 'Email or member ID of the person to mention',
								displayOptions: { show: { type: ['contact'] } },
							},
							{
								displayName: 'Name in Message',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'Jill',
								description:
									'The text after @ that marks the mention in the message, e.g. Jill for "@Jill". When the message does not contain it, " @Jill" is appended.',
								displayOptions: { show: { type: ['contact'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyMainMessageId',
				type: 'string',
				default: '',
				description: 'Send as a reply in the thread of this message',
			},
			{
				displayName: 'Rich Text',
				name: 'richText',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Formatting',
				description:
					'Formatting by character positions. With rows here, the text is sent as written (not read as Markdown), so the positions stay right.',
				options: [
					{
						displayName: 'Format',
						name: 'format',
						values: [
							{
								displayName: 'Style',
								name: 'formatType',
								type: 'options',
								options: [
									{ name: 'Add Link', value: 'AddLink' },
									{ name: 'Background Color', value: 'BackgroundColor' },
									{ name: 'Bold', value: 'Bold' },
									{ name: 'Bulleted List', value: 'BulletedList' },
									{ name: 'Font Color', value: 'FontColor' },
									{ name: 'Font Size', value: 'FontSize' },
									{ name: 'Italic', value: 'Italic' },
									{ name: 'Left Indent', value: 'LeftIndent' },
									{ name: 'Numbered List', value: 'NumberedList' },
									{ name: 'Paragraph', value: 'Paragraph' },
									{ name: 'Quote', value: 'Quote' },
									{ name: 'Strikethrough', value: 'Strikethrough' },
									{ name: 'Underline', value: 'Underline' },
								],
								default: 'Bold',
							},
							{
								displayName: 'Start Position',
								name: 'start',
								type: 'number',
								typeOptions: { minValue: 0 },
								default: 0,
								description: 'Index of the first character to format',
							},
							{
								displayName: 'End Position',
								name: 'end',
								type: 'number',
								typeOptions: { minValue: 0 },
								default: 1,
								description: 'Index where the formatting ends',
							},
							{
								displayName: 'Attribute',
								name: 'attr',
								type: 'string',
								default: '',
								description:
									'For Font Size: s, m or l. For colors: a hex color like #FF0000. For Add Link: the URL. For Paragraph: h1, h2 or h3.',
							},
						],
					},
				],
			},
			{
				// Named scheduledTime (the field's name before it was "Schedule At"): saved workflows keep it.
				displayName: SCHEDULE_AT_LABEL,
				name: 'scheduledTime',
				type: 'dateTime',
				default: '',
				description:
					"Zoom holds the message and posts it then: more than 30 minutes from now and within 180 days (Zoom's window). A time without an offset is in the workflow's timezone. The output says scheduled: true, with the draft's ID.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['send'] } }, properties);

interface MentionInput {
	type?: string;
	contact?: string;
	name?: string;
}

/**
 * Checks the Mentions rows (every problem at once, so one run shows them all) and places them
 * with the core's placeMentions.
 */
export function buildMentions(
	message: string,
	mentions: MentionInput[],
	existing: readonly AtItem[] = [],
): { message: string; atItems: IDataObject[]; problems: string[] } {
	const problems: string[] = [];
	const wanted: Mention[] = [];
	mentions.forEach((mention, index) => {
		if (mention.type === 'all') {
			wanted.push({ all: true });
			return;
		}
		const contact = (mention.contact ?? '').trim();
		if (!contact)
			problems.push(`Mention ${index + 1}: "Contact" is empty (the email or member ID of the person to mention)`);
		else wanted.push({ contact, name: mention.name });
	});
	if (problems.length) return { message, atItems: [...existing], problems };
	// A contact the Markdown already mentions (by "@email" in the text) is not mentioned twice.
	const mentioned = new Set(existing.map((item) => item.at_contact?.toLowerCase()).filter(Boolean));
	const placed = placeMentions(
		message,
		wanted.filter((m) => 'all' in m || !mentioned.has(m.contact.toLowerCase())),
		existing,
	);
	return { message: placed.message, atItems: placed.atItems, problems };
}

export async function execute(this: IExecuteFunctions, i: number, { client, authentication }: OperationContext) {
	const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	// Checked first: a time outside Zoom's window is the likeliest mistake and needs no lookups.
	const scheduledTime = isSet(fields.scheduledTime) ? scheduledTimeOf.call(this, fields.scheduledTime, i) : undefined;
	// Mentions alone make a message (a missing "@name" is appended), so the text may be empty here.
	let message = optionalString.call(this, 'message', i, 'Message', { keepSpaces: true });
	const body: IDataObject = { ...resolveConversation.call(this, i) };
	const formats = ((fields.richText as IDataObject | undefined)?.format ?? []) as IDataObject[];

	// Rich Text rows give positions in the text as typed: reading it as Markdown would move them.
	let composedAtItems: AtItem[] = [];
	if (textFormatOf.call(this, i) === 'markdown' && !formats.length && message.trim() !== '') {
		const composed = await client.messages.compose(message, { format: 'markdown' });
		message = composed.message;
		if (composed.rich_text?.length) body.rich_text = composed.rich_text;
		if (composed.at_items?.length) composedAtItems = composed.at_items;
	}
	if (composedAtItems.length) body.at_items = composedAtItems;

	const mentions = ((fields.mentions as IDataObject | undefined)?.mention ?? []) as MentionInput[];
	if (mentions.length) {
		const built = buildMentions(message, mentions, composedAtItems);
		if (built.problems.length) {
			throw new NodeOperationError(this.getNode(), `Could not send the message: ${built.problems.join('; ')}`, {
				itemIndex: i,
				description:
					'Fill in "Contact" of each mention under Additional Fields → Mentions, or set its Type to All Channel Members.',
			});
		}
		message = built.message;
		body.at_items = built.atItems;
	}
	// Zoom requires the text (`message` is required, files and cards ride along with it), and a
	// blank one posts an empty bubble: refuse it, as the Node-RED send node does.
	if (message.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The parameter "Message" is empty: write the text to send', {
			itemIndex: i,
			description: 'A message needs text, also when it carries files, cards or a thread reply.',
		});
	}
	body.message = message;

	if (formats.length) {
		body.rich_text = formats.map((f) =>
			compact({
				format_type: f.formatType,
				start_position: f.start,
				end_position: f.end,
				format_attr: f.attr,
			}),
		);
	}
	if (fields.replyMainMessageId) body.reply_main_message_id = String(fields.replyMainMessageId).trim();
	const fileIds = toList(fields.fileIds);
	if (fileIds.length) body.file_ids = fileIds;
	if (scheduledTime) body.scheduled_time = scheduledTime;
	if (fields.interactiveCards !== undefined) {
		const cards = jsonParameter.call(this, 'additionalFields.interactiveCards', i, []);
		if (Array.isArray(cards) && cards.length) body.interactive_cards = cards;
	}

	const sent = await client.messages.send(body as Parameters<typeof client.messages.send>[0], {
		userId: actingUser.call(this, authentication, i),
	});
	return {
		...sent,
		message: body.message,
		...(body.reply_main_message_id ? { reply_main_message_id: body.reply_main_message_id } : {}),
		// With scheduled_time Zoom answers with the draft's ID, not a message's: say so, so a later
		// node does not reply to, edit or react to a message that does not exist yet.
		...(scheduledTime ? { scheduled: true, draft_id: sent.id, scheduled_time: scheduledTime } : {}),
	} as IDataObject;
}

/** Whether an optional field was filled in (an emptied date picker leaves "" or null). */
function isSet(value: unknown): boolean {
	return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}
