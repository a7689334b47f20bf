import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

/**
 * n8n recognises a send-and-wait node by this exact operation value: it checks the resume URL's
 * signature, shows "waiting for user input" and answers later clicks with its own page only for
 * nodes whose `operation` parameter is 'sendAndWait' (n8n-workflow's SEND_AND_WAIT_OPERATION).
 */
export const SEND_AND_WAIT_OPERATION = 'sendAndWait';

/**
 * n8n's own send-and-wait webhooks (nodes-base utils/sendAndWait): one path per node, reached only
 * through the signed resume URL of a waiting execution (restartWebhook: activation skips them).
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

export const SEND_AND_WAIT_TOOLTIP =
	'={{ $parameter.operation === "sendAndWait" ? "The execution continues when someone answers in Zoom Team Chat (or the wait time limit passes)" : "" }}';

const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether to stop waiting after a while. Then the workflow goes on with the input items, each with timedOut: true and messageId added; the message in Zoom keeps its link, which n8n then answers with "no action required".',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{
							name: 'After Time Interval',
							value: 'afterTimeInterval',
							description: 'Waits for a certain amount of time',
						},
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until a date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 45,
					description: 'How long to wait',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'minutes',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					description: 'Stop waiting at this date and time',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const formFieldTypes = [
	{ name: 'Dropdown List', value: 'dropdown' },
	{ name: 'Email', value: 'email' },
	{ name: 'Number', value: 'number' },
	{ name: 'Text', value: 'text' },
	{ name: 'Textarea', value: 'textarea' },
];

/** The question, the kind of answer, and the answer form: the same for a user's message and a chatbot card. */
export function responseProperties(questionDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			description: questionDescription,
		},
		{
			displayName: 'Response Type',
			name: 'responseType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Approval', value: 'approval', description: 'Approve, or approve or decline' },
				{ name: 'Free Text', value: 'freeText', description: 'A written answer' },
				{ name: 'Custom Form', value: 'customForm', description: 'A form with fields defined here' },
			],
			default: 'approval',
		},
		{
			displayName: 'Approval Options',
			name: 'approvalOptions',
			type: 'fixedCollection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: { responseType: ['approval'] } },
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{
							displayName: 'Type of Approval',
							name: 'approvalType',
							type: 'options',
							options: [
								{ name: 'Approve Only', value: 'single' },
								{ name: 'Approve and Decline', value: 'double' },
							],
							default: 'single',
						},
						{
							displayName: 'Approve Button Label',
							name: 'approveLabel',
							type: 'string',
							default: 'Approve',
						},
						{
							displayName: 'Decline Button Label',
							name: 'disapproveLabel',
							type: 'string',
							default: 'Decline',
							displayOptions: { show: { approvalType: ['double'] } },
						},
					],
				},
			],
		},
		{
			displayName: 'Define Form',
			name: 'defineForm',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'fields',
			displayOptions: { show: { responseType: ['customForm'] } },
		},
		{
			displayName: 'Form Fields',
			name: 'formFields',
			type: 'fixedCollection',
			placeholder: 'Add Form Field',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			displayOptions: { show: { responseType: ['customForm'], defineForm: ['fields'] } },
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{
							displayName: 'Element Type',
							name: 'fieldType',
							type: 'options',
							options: formFieldTypes,
							default: 'text',
						},
						{
							displayName: 'Field Label',
							name: 'fieldLabel',
							type: 'string',
							default: '',
							placeholder: 'e.g. Cost center',
							required: true,
							description: 'Shown above the field; also the key of its value in the output (fields.&lt;label&gt;)',
						},
						{
							displayName: 'Field Options',
							name: 'fieldOptions',
							type: 'fixedCollection',
							placeholder: 'Add Field Option',
							typeOptions: { multipleValues: true, sortable: true },
							default: { values: [{ option: '' }] },
							displayOptions: { show: { fieldType: ['dropdown'] } },
							options: [
								{
									displayName: 'Values',
									name: 'values',
									values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
								},
							],
						},
						{
							displayName: 'Placeholder',
							name: 'placeholder',
							type: 'string',
							default: '',
							displayOptions: { hide: { fieldType: ['dropdown'] } },
						},
						{
							displayName: 'Required Field',
							name: 'requiredField',
							type: 'boolean',
							default: false,
							description: 'Whether the form can only be sent with this field filled in',
						},
					],
				},
			],
		},
		{
			displayName: 'Form Fields',
			name: 'jsonOutput',
			type: 'json',
			typeOptions: { rows: 5 },
			default:
				'[\n  { "fieldLabel": "Cost center", "requiredField": true },\n  { "fieldLabel": "Amount", "fieldType": "number" },\n  { "fieldLabel": "Priority", "fieldType": "dropdown", "fieldOptions": { "values": [{ "option": "Low" }, { "option": "High" }] } }\n]',
			description:
				"The fields as JSON, as n8n's Form node takes them: fieldLabel, fieldType (text, number, email, dropdown, textarea), requiredField, placeholder, and for a dropdown fieldOptions.values[].option (or options: ['a', 'b'])",
			displayOptions: { show: { responseType: ['customForm'], defineForm: ['json'] } },
		},
	];
}

/** The Options of both resources; `extra` adds the resource's own (sorted in with the rest). */
export function responseOptions(extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Append Attribution',
			name: 'appendAttribution',
			type: 'boolean',
			default: true,
			description: 'Whether to end the message with "Sent automatically with n8n"',
		},
		{
			displayName: 'Form Button Label',
			name: 'responseFormButtonLabel',
			type: 'string',
			default: 'Submit',
			description: 'The button that sends the answer page',
			displayOptions: { show: { '/responseType': ['freeText', 'customForm'] } },
		},
		limitWaitTimeOption,
		{
			displayName: 'Message Button Label',
			name: 'messageButtonLabel',
			type: 'string',
			default: 'Respond',
			description: 'The text of the link (or button) in Zoom that opens the answer page',
			displayOptions: { show: { '/responseType': ['freeText', 'customForm'] } },
		},
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			placeholder: 'e.g. Expense approval',
			description:
				'Heading of the answer page (and of a chatbot card). Default: "Approval requested" or "Response requested".',
		},
		...extra,
	];
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}
