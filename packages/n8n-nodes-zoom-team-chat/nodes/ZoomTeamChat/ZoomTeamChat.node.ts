import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as apiCall from './actions/apiCall';
import * as channel from './actions/channel';
import * as chatbotMessage from './actions/chatbotMessage';
import * as contact from './actions/contact';
import * as file from './actions/file';
import * as member from './actions/member';
import * as message from './actions/message';
import { router } from './actions/router';
import { SEND_AND_WAIT_TOOLTIP, sendAndWaitWebhooks } from './actions/shared/sendAndWait/descriptions';
import { sendAndWaitWebhook } from './actions/shared/sendAndWait/webhook';
import { listSearch, loadOptions } from './methods';

const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Server-to-Server OAuth',
			value: 'serverToServerOAuth',
			description: 'An internal app acting for the account and its users',
		},
		{ name: 'OAuth2 (User)', value: 'oAuth2', description: 'A user who authorized a General app' },
		{ name: 'Chatbot', value: 'chatbot', description: "A chatbot app's client credentials (chatbot messages)" },
	],
	default: 'serverToServerOAuth',
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'API Call', value: 'apiCall' },
		{ name: 'Channel', value: 'channel' },
		{ name: 'Channel Member', value: 'member' },
		{ name: 'Chatbot Message', value: 'chatbotMessage' },
		{ name: 'Contact', value: 'contact' },
		{ name: 'File', value: 'file' },
		{ name: 'Message', value: 'message' },
	],
	default: 'message',
};

const chatbotNotice: INodeProperties = {
	displayName: 'Chatbot messages need the Zoom Chatbot API credential: set Authentication to Chatbot',
	name: 'chatbotNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { resource: ['chatbotMessage'], authentication: ['serverToServerOAuth', 'oAuth2'] } },
};

const actAsUserProperty: INodeProperties = {
	displayName: 'Act As User',
	name: 'actAsUser',
	type: 'string',
	default: 'me',
	placeholder: 'jchill@example.com',
	description:
		'The user (ID or email) the app acts for. Server-to-Server apps have no user of their own; "me" is the user who created the app.',
	displayOptions: {
		show: { authentication: ['serverToServerOAuth'], resource: ['message', 'channel', 'member', 'file'] },
	},
};

const resourceProperties: INodeProperties[] = [
	...message.description,
	...channel.description,
	...member.description,
	...file.description,
	...chatbotMessage.description,
	...contact.description,
	...apiCall.description,
];

/**
 * n8n's own nodes open with Resource then Operation; the settings every operation of a resource
 * shares (Act As User) come after them, then the operation's fields. Each resource's description
 * starts with its Operation field, so those are lifted out in front.
 */
const operationProperties = resourceProperties.filter((p) => p.name === 'operation');
const fieldProperties = resourceProperties.filter((p) => p.name !== 'operation');

export class ZoomTeamChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoom Team Chat',
		name: 'zoomTeamChat',
		icon: { light: 'file:../../icons/zoom.svg', dark: 'file:../../icons/zoom.dark.svg' },
		group: ['output'],
		// 2: Get Many messages takes its Date as a day (YYYY-MM-DD) in its own field.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send and manage Zoom Team Chat messages, channels, members, files, chatbot cards and contacts',
		defaults: { name: 'Zoom Team Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Send and Wait for Response: the signed resume URL reaches webhook() (never a live webhook).
		webhooks: sendAndWaitWebhooks,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [
			{
				name: 'zoomTeamChatServerToServerOAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['serverToServerOAuth'] } },
			},
			{
				name: 'zoomTeamChatOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'zoomChatbotApi',
				required: true,
				displayOptions: { show: { authentication: ['chatbot'] } },
			},
		],
		properties: [
			authenticationProperty,
			resourceProperty,
			...operationProperties,
			chatbotNotice,
			actAsUserProperty,
			...fieldProperties,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}
}
