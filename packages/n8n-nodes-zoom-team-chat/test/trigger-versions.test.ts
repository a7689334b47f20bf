/**
 * The trigger's two versions as n8n's editor sees them: which fields it moves into the credential
 * dialog, which Events list each credential gets, what the node creator lists, and that version 2
 * reads Delivery from its own field. The editor's rules are restated here from n8n 1.123's
 * nodeTypesUtils (getNodeAuthFields, isAuthRelatedParameter) and useActionsGenerator
 * (triggersCategory); the parameter resolution is n8n-workflow's own.
 */
import { describe, expect, it } from 'vitest';
import type { IDataObject, INode, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { ZoomTeamChatOAuth2Api } from '../credentials/ZoomTeamChatOAuth2Api.credentials';
import { ZoomTeamChatWebhookApi } from '../credentials/ZoomTeamChatWebhookApi.credentials';
import { deliveryOf, type TriggerAuthentication } from '../nodes/ZoomTeamChatTrigger/authentication';
import {
	chatbotEventOptions,
	checkEventsOffered,
	eventOptions,
	eventOptionsFor,
	eventsNotOffered,
	teamChatEventOptions,
} from '../nodes/ZoomTeamChatTrigger/events';
import { hookContext } from './helpers/contexts';
import type { CredentialEntry } from './helpers/http';
import { triggerContext } from './helpers/trigger-context';
import { triggerNode, triggerNodeV2, versionedTrigger } from './helpers/trigger';

const v1 = triggerNode.description;
const v2 = triggerNodeV2.description;
const AUTHENTICATIONS: TriggerAuthentication[] = ['serverToServerOAuth', 'oAuth2', 'chatbot', 'webhookSecret'];

/** n8n: the node's fields named like a key of a credential's show-conditions (all versions alike). */
function authFields(description: INodeTypeDescription): INodeProperties[] {
	const names = new Set((description.credentials ?? []).flatMap((c) => Object.keys(c.displayOptions?.show ?? {})));
	return description.properties.filter((p) => names.has(p.name));
}

/** n8n: fields an auth field's show-conditions name leave the panel for the credential dialog. */
function movedToCredentialDialog(description: INodeTypeDescription): string[] {
	const fields = authFields(description);
	return description.properties
		.filter((p) => fields.some((f) => f.displayOptions?.show && p.name in f.displayOptions.show))
		.map((p) => p.name);
}

/** n8n: the first field labelled Event(s) / Trigger On gives the node creator one entry per option. */
function creatorEntries(description: INodeTypeDescription): INodePropertyOptions[] {
	const field = description.properties.find((p) =>
		['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()),
	);
	return (field?.options ?? []) as INodePropertyOptions[];
}

function nodeOf(version: number, parameters: IDataObject): INode {
	return {
		id: 'n',
		name: 'Zoom Team Chat Trigger',
		type: 'x.zoomTeamChatTrigger',
		typeVersion: version,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
}

/** The parameters n8n keeps for a node (defaults filled in, fields not shown dropped). */
function resolved(description: INodeTypeDescription, version: number, parameters: IDataObject): IDataObject {
	const node = nodeOf(version, parameters);
	return NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	) as IDataObject;
}

/** Whether n8n shows the field for these (resolved) parameters. */
function shown(
	description: INodeTypeDescription,
	version: number,
	parameters: IDataObject,
	property: INodeProperties,
): boolean {
	const values = resolved(description, version, parameters) as INode['parameters'];
	return NodeHelpers.displayParameter(values, property, nodeOf(version, parameters), description);
}

describe('trigger versions', () => {
	it('new nodes get version 2; saved workflows keep version 1', () => {
		expect(versionedTrigger.description.defaultVersion).toBe(2);
		expect(versionedTrigger.getLatestVersion()).toBe(2);
		expect(v1.version).toBe(1);
		expect(v2.version).toBe(2);
		expect(versionedTrigger.getNodeType(1)).toBe(triggerNode);
		expect(versionedTrigger.getNodeType(2)).toBe(triggerNodeV2);
	});

	it('version 1 keeps its fields: Delivery beside the credential, two Authentication fields', () => {
		expect(v1.properties.filter((p) => p.name === 'authentication')).toHaveLength(2);
		expect(movedToCredentialDialog(v1)).toEqual(['delivery']);
	});

	it('version 2: one Authentication field that depends on nothing, so Delivery stays in the panel', () => {
		const authentication = v2.properties.filter((p) => p.name === 'authentication');
		expect(authentication).toHaveLength(1);
		expect(authentication[0]?.displayOptions).toBeUndefined();
		expect((authentication[0]?.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(AUTHENTICATIONS);
		expect(movedToCredentialDialog(v2)).toEqual([]);
		const delivery = v2.properties.find((p) => p.name === 'delivery');
		expect(delivery).toMatchObject({ type: 'options', default: 'webhook', noDataExpression: true });
		expect(delivery?.displayOptions).toBeUndefined();
	});

	it('the labels match the Node-RED side', () => {
		const names = (v2.properties.find((p) => p.name === 'authentication')?.options as INodePropertyOptions[]).map(
			(o) => o.name,
		);
		expect(names).toContain('OAuth2 (User)');
		expect(new ZoomTeamChatWebhookApi().properties[0]?.displayName).toBe('Webhook Secret Token');
	});

	it('version 2 warns in the panel when WebSocket delivery meets another credential', () => {
		const notice = v2.properties.find((p) => p.name === 'websocketCredentialNotice');
		if (!notice) throw new Error('no notice');
		expect(shown(v2, 2, { delivery: 'websocket', authentication: 'chatbot' }, notice)).toBe(true);
		expect(shown(v2, 2, { delivery: 'websocket', authentication: 'serverToServerOAuth' }, notice)).toBe(false);
		expect(shown(v2, 2, { delivery: 'webhook', authentication: 'chatbot' }, notice)).toBe(false);
	});
});

describe('version 2 reads Delivery from its own field', () => {
	it('deliveryOf: "websocket" or else the webhook default', () => {
		const with_ = (delivery: unknown) => ({
			getNodeParameter: (_: string, fallback?: unknown) => delivery ?? fallback,
		});
		expect(deliveryOf(with_(undefined))).toBe('webhook');
		expect(deliveryOf(with_('webhook'))).toBe('webhook');
		expect(deliveryOf(with_('websocket'))).toBe('websocket');
		expect(deliveryOf(with_('carrier pigeon'))).toBe('webhook');
	});

	it('trigger() starts WebSocket delivery when the field says so (and checks its credential first)', async () => {
		const run = triggerContext({
			parameters: {
				delivery: 'websocket',
				authentication: 'oAuth2',
				subscription: 'abc',
				events: ['team_chat.channel_message_posted'],
				options: {},
			},
			credentials: {},
			typeVersion: 2,
		});
		await expect(triggerNodeV2.trigger.call(run.context)).rejects.toThrow(
			/WebSocket delivery needs the Server-to-Server OAuth credential/,
		);
	});

	it('trigger() leaves Webhook delivery to the webhook', async () => {
		const run = triggerContext({
			parameters: { delivery: 'webhook', authentication: 'oAuth2', events: [], options: {} },
			credentials: {},
			typeVersion: 2,
		});
		expect(await triggerNodeV2.trigger.call(run.context)).toEqual({});
		const unset = triggerContext({
			parameters: { authentication: 'oAuth2', events: [], options: {} },
			credentials: {},
			typeVersion: 2,
		});
		expect(await triggerNodeV2.trigger.call(unset.context)).toEqual({});
	});

	it('the webhook URL follows the same field', () => {
		const [webhook] = v2.webhooks ?? [];
		expect(webhook?.httpMethod).toBe('={{$parameter["delivery"] === "websocket" ? "" : "POST"}}');
		expect(webhook?.ndvHideUrl).toBe('={{$parameter["delivery"] === "websocket"}}');
	});
});

describe('events', () => {
	it("are 62, each once, with a one-line description free of the spec's typos", () => {
		expect(eventOptions).toHaveLength(62);
		expect(new Set(eventOptions.map((o) => o.value)).size).toBe(62);
		expect(new Set(eventOptions.map((o) => o.name)).size).toBe(62);
		expect(new Set(eventOptions.map((o) => o.description)).size).toBe(62);
		for (const option of eventOptions) {
			expect(option.name).toMatch(/^[A-Z][A-Za-z ]+: [A-Z]/);
			expect(option.description?.length, option.name).toBeLessThanOrEqual(60);
			expect(option.description).not.toMatch(/\n|inviation|specfied|event triggers|is triggered/i);
		}
	});

	it('are grouped by kind: each kind in one run, messages first, chatbot last', () => {
		const kinds = eventOptions.map((o) => o.name.split(':')[0]);
		const runs = kinds.filter((kind, i) => kind !== kinds[i - 1]);
		expect(new Set(runs).size).toBe(runs.length);
		expect(runs[0]).toBe('Message');
		expect(runs.slice(0, 3)).toEqual(['Message', 'Channel', 'Channel Member']);
		expect(runs.at(-1)).toBe('Chatbot');
	});

	it('each credential gets the events it can receive', () => {
		expect(teamChatEventOptions).toHaveLength(54);
		expect(chatbotEventOptions).toHaveLength(8);
		expect(chatbotEventOptions.every((o) => o.name.startsWith('Chatbot: '))).toBe(true);
		expect(teamChatEventOptions.some((o) => o.name.startsWith('Chatbot: '))).toBe(false);
		expect(eventOptionsFor('serverToServerOAuth')).toBe(teamChatEventOptions);
		expect(eventOptionsFor('oAuth2')).toBe(teamChatEventOptions);
		expect(eventOptionsFor('chatbot')).toBe(chatbotEventOptions);
		expect(eventOptionsFor('webhookSecret')).toBe(eventOptions);
		expect(eventsNotOffered(['bot_notification', 'chat_message.sent'], 'serverToServerOAuth')).toEqual([
			'bot_notification',
		]);
		expect(eventsNotOffered(['bot_notification', 'chat_message.sent'], 'chatbot')).toEqual(['chat_message.sent']);
		expect(eventsNotOffered(['bot_notification', 'chat_message.sent'], 'webhookSecret')).toEqual([]);
	});

	it("version 2's panel shows one Events list whatever the credential, so picking a credential keeps the events", () => {
		for (const authentication of AUTHENTICATIONS) {
			const lists = v2.properties.filter((p) => p.name === 'events' && shown(v2, 2, { authentication }, p));
			expect(lists, authentication).toHaveLength(1);
			expect(lists[0]?.options, authentication).toEqual(eventOptions);
			// n8n clears a shown options field that depends on Authentication when the credential changes.
			expect(JSON.stringify(lists[0]?.displayOptions ?? {}), authentication).not.toContain('authentication');
		}
		expect(resolved(v2, 2, { authentication: 'chatbot', events: ['bot_notification'] }).events).toEqual([
			'bot_notification',
		]);
		expect(resolved(v2, 2, { events: ['chat_message.sent'] }).events).toEqual(['chat_message.sent']);
		// Version 1 keeps one list of all events, whatever the credential.
		const v1Lists = v1.properties.filter((p) => p.name === 'events');
		expect(v1Lists).toHaveLength(1);
		expect(v1Lists[0]?.options).toEqual(eventOptions);
	});

	it('checkEventsOffered names the events and the credential to choose', () => {
		const node = nodeOf(2, {});
		expect(() => checkEventsOffered(node, ['chat_message.sent'], 'serverToServerOAuth')).not.toThrow();
		let error: unknown;
		try {
			checkEventsOffered(node, ['bot_notification', 'chat_message.sent'], 'serverToServerOAuth');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(
			'"Events" holds events that the Server-to-Server OAuth credential does not receive: Chatbot: Command Received (bot_notification)',
		);
		expect((error as NodeOperationError).description).toMatch(/Zoom Chatbot API credential/);
	});

	it('version 2 refuses, on activation, events its credential does not receive; version 1 does not check', async () => {
		const credentials: Record<string, CredentialEntry> = {
			zoomTeamChatOAuth2Api: { type: new ZoomTeamChatOAuth2Api(), data: { webhookSecretToken: 'secret' } },
		};
		const parameters = { authentication: 'oAuth2', events: ['bot_notification'], options: {} };
		const context = (typeVersion: number) =>
			hookContext({ parameters, credentials, webhookUrl: 'http://n8n.test/webhook/x/webhook', typeVersion });
		await expect(triggerNodeV2.webhookMethods.default.create.call(context(2))).rejects.toThrow(
			/OAuth2 \(User\) credential does not receive/,
		);
		await expect(triggerNodeV2.webhookMethods.default.checkExists.call(context(2))).rejects.toThrow(/does not receive/);
		// Manual set-up (OAuth2): nothing to register, so version 1 activates as it always did.
		expect(await triggerNode.webhookMethods.default.create.call(context(1))).toBe(true);
		const fine = hookContext({
			parameters: { ...parameters, events: ['team_chat.channel_message_posted'] },
			credentials,
			webhookUrl: 'http://n8n.test/webhook/x/webhook',
			typeVersion: 2,
		});
		expect(await triggerNodeV2.webhookMethods.default.create.call(fine)).toBe(true);
	});
});

describe('node creator', () => {
	it('version 1 would list all 62 events; version 2 lists a few common ones', () => {
		expect(creatorEntries(v1)).toHaveLength(62);
		const entries = creatorEntries(v2);
		expect(entries.length).toBeGreaterThanOrEqual(5);
		expect(entries.length).toBeLessThanOrEqual(8);
		const offered = new Set(teamChatEventOptions.map((o) => o.value));
		for (const entry of entries) {
			expect(entry.action).toMatch(/^On [a-z]/);
			// The creator adds the node with the default credential (Server-to-Server OAuth).
			expect(offered.has(entry.value), String(entry.value)).toBe(true);
		}
	});

	it("the creator's copy of Events is never shown, and an event picked there lands in the real list", () => {
		const copy = v2.properties.find((p) => p.name === 'events' && p.options === creatorEntries(v2));
		if (!copy) throw new Error('no creator copy');
		expect(copy.displayOptions?.show).toBeUndefined();
		const deliveries = (v2.properties.find((p) => p.name === 'delivery')?.options as INodePropertyOptions[]).map(
			(o) => o.value,
		);
		for (const delivery of deliveries) {
			for (const authentication of AUTHENTICATIONS)
				expect(shown(v2, 2, { delivery, authentication }, copy)).toBe(false);
		}
		const picked = String(creatorEntries(v2)[0]?.value);
		const visible = v2.properties.filter((p) => p.name === 'events' && shown(v2, 2, { events: [picked] }, p));
		expect(visible).toHaveLength(1);
		expect((visible[0]?.options as INodePropertyOptions[]).map((o) => o.value)).toContain(picked);
		expect(resolved(v2, 2, { events: [picked] }).events).toEqual([picked]);
	});
});
