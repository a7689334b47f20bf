import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeProperties,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, VersionedNodeType } from 'n8n-workflow';

import { checkEventsOffered, creatorEventOptions, eventOptions } from './events';
import { handleDelivery } from './delivery';
import { downloadOptionProperties } from './files';
import { describesSubscription, matchesSubscription, subscriptionApi } from './subscriptions';
import { webhookSecretFor } from './secret';
import { deliveryOf, triggerCredentialType, usesZoomApi, type TriggerAuthentication } from './authentication';
import { leaveTestDelivery, takeTestDelivery } from './test-handoff';
import { startWebSocketDelivery, WEBSOCKET_SETUP_STEPS } from './websocket';

const SETUP_STEPS =
	"Copy the Production URL above. In the Zoom App Marketplace open your app → Features → Access → Event Subscription, add a subscription, paste the URL as the Event notification endpoint URL, press Validate (this node answers Zoom's check), pick the same events, and save. Put the app's Secret Token in the credential.";

const baseDescription: INodeTypeBaseDescription = {
	displayName: 'Zoom Team Chat Trigger',
	name: 'zoomTeamChatTrigger',
	icon: { light: 'file:../../icons/zoom.svg', dark: 'file:../../icons/zoom.dark.svg' },
	group: ['trigger'],
	description:
		'Starts the workflow on Zoom Team Chat and Chatbot events: signed webhooks, or a WebSocket that n8n opens to Zoom (no public URL needed)',
	defaultVersion: 2,
};

const webhooks: IWebhookDescription[] = [
	{
		name: 'default',
		// WebSocket delivery registers no webhook: n8n skips a webhook whose method is empty
		// (and the editor shows no URL), so only trigger() runs.
		httpMethod: '={{$parameter["delivery"] === "websocket" ? "" : "POST"}}',
		ndvHideUrl: '={{$parameter["delivery"] === "websocket"}}',
		// Zoom gives up after 3 seconds: answer first, run the workflow after.
		responseMode: 'onReceived',
		// An empty 200 (n8n's default would answer the literal text "firstEntryJson").
		// Answers that start no execution (URL check, skips, de-dupe sync) keep their bodies.
		responseData: 'noData',
		path: 'webhook',
	},
];

const deliveryOptions = [
	{
		name: 'Webhook',
		value: 'webhook',
		description: 'Zoom sends signed HTTPS requests to this n8n (needs a public URL)',
	},
	{
		name: 'WebSocket',
		value: 'websocket',
		description:
			'N8n opens a connection to Zoom and receives the events over it (no public URL; Server-to-Server OAuth apps)',
	},
];

const subscriptionSetupOptions = [
	{
		name: 'Register via Zoom API',
		value: 'automatic',
		description: 'Activating the workflow creates the event subscription; deactivating deletes it',
	},
	{
		name: 'Manual (Marketplace)',
		value: 'manual',
		description: "You add this URL to the app's event subscription yourself",
	},
];

const subscriptionProperty: INodeProperties = {
	displayName: 'Subscription ID or Endpoint URL',
	name: 'subscription',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'wss://ws.zoom.us/ws?subscriptionId=…',
	description:
		'The WebSocket event subscription of the app, as the Marketplace shows it after saving: the endpoint URL or just the subscription ID',
	displayOptions: { show: { delivery: ['websocket'] } },
};

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'App Users',
			name: 'ownUsers',
			type: 'string',
			default: '',
			placeholder: 'bot@example.com',
			description:
				'Comma-separated emails or IDs of the users your workflows post as (Act As User, or the OAuth2 user). With Ignore Own Messages on, their events are skipped so replies do not start the workflow again.',
		},
		{
			displayName: 'Channel IDs',
			name: 'channelIds',
			type: 'string',
			default: '',
			description: 'Comma-separated channel IDs or JIDs: only events in these channels start the workflow',
		},
		{
			displayName: 'De-Duplication Window (Minutes)',
			name: 'dedupeMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			// n8n's lint wants a literal: the core's DEFAULT_DEDUPE_TTL_MS in minutes (a test keeps them equal).
			default: 120,
			description:
				'Zoom re-sends a delivery it thinks failed (5, 25 and 85 minutes after the first attempt); copies seen within this window are dropped',
		},
		...downloadOptionProperties,
		{
			displayName: 'Ignore Own Messages',
			name: 'ignoreOwnMessages',
			type: 'boolean',
			default: true,
			description:
				'Whether to skip events caused by this app: the chatbot itself (Chatbot credential) and the App Users',
		},
		{
			displayName: 'Include Headers',
			name: 'includeHeaders',
			type: 'boolean',
			default: false,
			description: 'Whether to add the request headers (without the signature) to the output',
			displayOptions: { show: { '/delivery': ['webhook'] } },
		},
	],
};

/**
 * Version 1 as released. Its Delivery field is what both Authentication fields depend on, so n8n
 * (1.123 and later) shows it only in the "create credential" dialog; version 2 fixes that. Only
 * the event labels changed here: the values, and so saved workflows, are the same.
 */
const propertiesV1: INodeProperties[] = [
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		options: deliveryOptions,
		default: 'webhook',
		description: 'How Zoom delivers the events',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [{ name: 'Server-to-Server OAuth', value: 'serverToServerOAuth' }],
		default: 'serverToServerOAuth',
		description: 'WebSocket delivery works with Server-to-Server OAuth apps',
		displayOptions: { show: { delivery: ['websocket'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		displayOptions: { show: { delivery: ['webhook'] } },
		options: [
			{
				name: 'Server-to-Server OAuth',
				value: 'serverToServerOAuth',
				description: 'Can register the event subscription with Zoom by itself',
			},
			{ name: 'OAuth2 (User)', value: 'oAuth2' },
			{
				name: 'Chatbot',
				value: 'chatbot',
				description: 'Can register the event subscription with Zoom by itself',
			},
			{
				name: 'Secret Token Only',
				value: 'webhookSecret',
				description: 'Verify webhooks only; set the subscription up in the Marketplace',
			},
		],
		default: 'serverToServerOAuth',
	},
	{
		displayName: 'Subscription Setup',
		name: 'subscriptionSetup',
		type: 'options',
		options: subscriptionSetupOptions,
		default: 'automatic',
		displayOptions: { show: { delivery: ['webhook'], authentication: ['serverToServerOAuth', 'chatbot'] } },
	},
	{
		displayName: SETUP_STEPS,
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: ['webhook'], authentication: ['oAuth2', 'webhookSecret'] } },
	},
	{
		displayName: SETUP_STEPS,
		name: 'manualNoticeApp',
		type: 'notice',
		default: '',
		displayOptions: {
			show: {
				delivery: ['webhook'],
				authentication: ['serverToServerOAuth', 'chatbot'],
				subscriptionSetup: ['manual'],
			},
		},
	},
	{
		displayName: WEBSOCKET_SETUP_STEPS,
		name: 'websocketNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: ['websocket'] } },
	},
	subscriptionProperty,
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [],
		required: true,
		description: 'The events that start the workflow',
	},
	optionsProperty,
];

/**
 * Version 2: one Authentication field that depends on nothing, so n8n keeps every other field in
 * the node's panel (it moves into the credential dialog whatever an Authentication field's
 * show-conditions name), and Delivery as an ordinary field.
 */
const propertiesV2: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Server-to-Server OAuth',
				value: 'serverToServerOAuth',
				description: 'Registers the event subscription itself; the only one for WebSocket delivery',
			},
			{ name: 'OAuth2 (User)', value: 'oAuth2', description: 'Subscription set up in the Marketplace' },
			{ name: 'Chatbot', value: 'chatbot', description: "A chatbot app's events; registers the subscription itself" },
			{
				name: 'Secret Token Only',
				value: 'webhookSecret',
				description: 'Verify webhooks only; set the subscription up in the Marketplace',
			},
		],
		default: 'serverToServerOAuth',
	},
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		noDataExpression: true,
		options: deliveryOptions,
		default: 'webhook',
		description: 'How Zoom delivers the events',
	},
	{
		displayName: 'WebSocket delivery needs a Server-to-Server OAuth credential: choose one, or set Delivery to Webhook',
		name: 'websocketCredentialNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: ['websocket'], authentication: ['oAuth2', 'chatbot', 'webhookSecret'] } },
	},
	{
		displayName: 'Subscription Setup',
		name: 'subscriptionSetup',
		type: 'options',
		options: subscriptionSetupOptions,
		default: 'automatic',
		displayOptions: { show: { delivery: ['webhook'], authentication: ['serverToServerOAuth', 'chatbot'] } },
	},
	{
		displayName: SETUP_STEPS,
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: ['webhook'], authentication: ['oAuth2', 'webhookSecret'] } },
	},
	{
		displayName: SETUP_STEPS,
		name: 'manualNoticeApp',
		type: 'notice',
		default: '',
		displayOptions: {
			show: {
				delivery: ['webhook'],
				authentication: ['serverToServerOAuth', 'chatbot'],
				subscriptionSetup: ['manual'],
			},
		},
	},
	{
		displayName: WEBSOCKET_SETUP_STEPS,
		name: 'websocketNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: ['websocket'], authentication: ['serverToServerOAuth'] } },
	},
	subscriptionProperty,
	{
		// The node creator lists one "On …" entry per option of the first field labelled "Events"
		// (62 for the full list). This copy, which the panel never shows (every Delivery value hides
		// it), gives the creator a few common events; the one picked lands in the real field below.
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: creatorEventOptions,
		default: [],
		displayOptions: { hide: { delivery: ['webhook', 'websocket'] } },
	},
	{
		// One list for every credential: n8n's editor empties an options field that depends on the
		// Authentication field whenever a credential is picked or changed (its value, an array, is
		// never one of the options), so per-credential lists lost the chosen events. Activation
		// refuses events the credential does not receive, naming them (checkEventsOffered).
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [],
		required: true,
		description:
			'The events that start the workflow. Chatbot events need a Chatbot credential; the others a Server-to-Server or OAuth2 one.',
	},
	optionsProperty,
];

/** The events to subscribe to; version 2 also refuses those the credential does not receive. */
function chosenEvents(this: IHookFunctions, authentication: TriggerAuthentication): string[] {
	const events = this.getNodeParameter('events', []) as string[];
	if (this.getNode().typeVersion >= 2) checkEventsOffered(this.getNode(), events, authentication);
	return events;
}

/**
 * What every version does; the versions differ in their panels, not in how they run (version 2
 * only also checks the events against the credential, in `chosenEvents`).
 */
abstract class ZoomTeamChatTriggerBase {
	abstract description: INodeTypeDescription;

	methods = {
		credentialTest: {
			async zoomTeamChatWebhookApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secret = String(credential.data?.webhookSecretToken ?? '');
				if (!secret.trim()) return { status: 'Error', message: 'The Webhook Secret Token is empty' };
				if (/\s/.test(secret)) {
					return { status: 'Error', message: 'The Webhook Secret Token contains spaces: paste it again' };
				}
				return { status: 'OK', message: "The secret token is set; Zoom's URL validation will confirm it" };
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const authentication = this.getNodeParameter('authentication') as TriggerAuthentication;
				await requireSecret.call(this, authentication);
				const events = chosenEvents.call(this, authentication);
				if (!usesZoomApi.call(this, authentication)) return false;
				const data = this.getWorkflowStaticData('node');
				const id = typeof data.subscriptionId === 'string' ? data.subscriptionId : '';
				if (!id) return false;
				try {
					const api = await subscriptionApi.call(this, triggerCredentialType(authentication));
					const found = (await api.list()).find((item) => describesSubscription(item, id));
					if (found && matchesSubscription(found, this.getNodeWebhookUrl('default'), events)) return true;
					// Gone at Zoom, or made for another URL or other events: replace it.
					if (found) await api.remove(id);
					delete data.subscriptionId;
					return false;
				} catch (error) {
					throw new NodeOperationError(
						this.getNode(),
						`Could not list the app's event subscriptions at Zoom: ${zoomReason(error)}`,
						{
							description: SETUP_STEPS,
						},
					);
				}
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const authentication = this.getNodeParameter('authentication') as TriggerAuthentication;
				await requireSecret.call(this, authentication);
				const events = chosenEvents.call(this, authentication);
				if (!events.length) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event under "Events"');
				}
				// Manual setup: the subscription lives in the Marketplace; nothing to call.
				if (!usesZoomApi.call(this, authentication)) return true;
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL');
				try {
					const api = await subscriptionApi.call(this, triggerCredentialType(authentication));
					const id = await api.create({
						events,
						url,
						name: `n8n: ${this.getWorkflow().name ?? 'workflow'}`.slice(0, 64),
					});
					this.getWorkflowStaticData('node').subscriptionId = id;
					return true;
				} catch (error) {
					throw new NodeOperationError(
						this.getNode(),
						`Zoom did not create the event subscription: ${zoomReason(error)}`,
						{
							description: `Check that the app may manage event subscriptions and has the scopes of the chosen events, or switch Subscription Setup to Manual. ${SETUP_STEPS}`,
						},
					);
				}
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const authentication = this.getNodeParameter('authentication') as TriggerAuthentication;
				const data = this.getWorkflowStaticData('node');
				const id = typeof data.subscriptionId === 'string' ? data.subscriptionId : '';
				if (!id || !usesZoomApi.call(this, authentication)) {
					delete data.subscriptionId;
					return true;
				}
				try {
					const api = await subscriptionApi.call(this, triggerCredentialType(authentication));
					await api.remove(id);
				} catch (error) {
					const status = Number((error as { httpCode?: unknown }).httpCode);
					// Already gone at Zoom (deleted in the Marketplace): nothing left to remove.
					if (status !== 404) {
						this.logger.warn(
							`Zoom Team Chat Trigger: could not delete event subscription ${id}: ${(error as Error).message}`,
						);
						return false;
					}
				}
				delete data.subscriptionId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const result = await handleDelivery.call(this);
		if (result.workflowData && this.getMode() === 'manual') {
			leaveTestDelivery(this.getWorkflow().id, this.getNode().name, result.workflowData, Date.now());
		}
		return result;
	}

	/**
	 * WebSocket delivery lives here. With Webhook delivery the webhooks do the work: activation
	 * gets an empty response, and a test webhook's manual run gets the items webhook() received
	 * (see test-handoff.ts for why n8n calls this then).
	 */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (deliveryOf(this) === 'websocket') return await startWebSocketDelivery.call(this);
		if (this.getMode() !== 'manual') return {};
		const node = this.getNode();
		const workflowId = this.getWorkflow().id;
		return {
			manualTriggerFunction: async () => {
				const data = takeTestDelivery(workflowId, node.name, Date.now());
				if (!data) {
					throw new NodeOperationError(node, 'The test event did not reach this n8n process', {
						description:
							'n8n ran this test in another process than the one that received the webhook (manual executions offloaded to workers). Activate the workflow and check its executions instead.',
					});
				}
				this.emit(data);
			},
		};
	}
}

export class ZoomTeamChatTriggerV1 extends ZoomTeamChatTriggerBase implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoom Team Chat Trigger',
		name: 'zoomTeamChatTrigger',
		icon: { light: 'file:../../icons/zoom.svg', dark: 'file:../../icons/zoom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: baseDescription.description,
		defaults: { name: 'Zoom Team Chat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
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
			{
				name: 'zoomTeamChatWebhookApi',
				required: true,
				testedBy: 'zoomTeamChatWebhookApiTest',
				displayOptions: { show: { authentication: ['webhookSecret'] } },
			},
		],
		webhooks,
		properties: propertiesV1,
	};
}

export class ZoomTeamChatTriggerV2 extends ZoomTeamChatTriggerBase implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoom Team Chat Trigger',
		name: 'zoomTeamChatTrigger',
		icon: { light: 'file:../../icons/zoom.svg', dark: 'file:../../icons/zoom.dark.svg' },
		group: ['trigger'],
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: baseDescription.description,
		defaults: { name: 'Zoom Team Chat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
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
			{
				name: 'zoomTeamChatWebhookApi',
				required: true,
				testedBy: 'zoomTeamChatWebhookApiTest',
				displayOptions: { show: { authentication: ['webhookSecret'] } },
			},
		],
		webhooks,
		properties: propertiesV2,
	};
}

/** Either version, as the tests drive them. */
export type ZoomTeamChatTriggerVersion = ZoomTeamChatTriggerV1 | ZoomTeamChatTriggerV2;

/**
 * Separate descriptions per version, not one description with `@version` conditions: n8n decides
 * which fields belong in the credential dialog from every Authentication field of the description
 * it has, whatever their version, so version 1's fields would hide version 2's Delivery again.
 */
export class ZoomTeamChatTrigger extends VersionedNodeType {
	constructor() {
		super({ 1: new ZoomTeamChatTriggerV1(), 2: new ZoomTeamChatTriggerV2() }, baseDescription);
	}
}

/** Zoom's own words: n8n keeps them as the description of its HTTP error (the message is generic). */
function zoomReason(error: unknown): string {
	const { description, message } = (error ?? {}) as { description?: unknown; message?: unknown };
	if (typeof description === 'string' && description) return description;
	return typeof message === 'string' && message ? message : 'unknown error';
}

async function requireSecret(this: IHookFunctions, authentication: TriggerAuthentication): Promise<void> {
	const secret = await webhookSecretFor(this, authentication);
	if (!secret) {
		throw new NodeOperationError(this.getNode(), 'The credential has no Webhook Secret Token', {
			description:
				"Every Zoom webhook is verified with the app's Secret Token (Marketplace → your app → Features → Access). Add it to the credential; without it this trigger cannot tell Zoom's requests from forged ones, so it does not activate.",
		});
	}
}
