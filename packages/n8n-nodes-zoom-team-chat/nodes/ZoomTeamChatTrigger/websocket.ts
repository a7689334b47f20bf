import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	ITriggerFunctions,
	ITriggerResponse,
	Logger as N8nLogger,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	createDeduper,
	createEventStreamHub,
	createMemoryTokenStore,
	createTokenProvider,
	dedupeWindowMs,
	eventSelection,
	parseSubscription,
	redactingLogger,
	scrubSecrets,
	skipReason,
	streamFailureHint,
	streamStateLog,
	streamTokenSource,
	tokenHostsOf,
	whatwgWebSocketFactory,
	withSignal,
	type Clock,
	type EventStreamError,
	type Logger,
	type WhatwgWebSocketConstructor,
	type ZoomEvent,
} from '@zoom-team-chat/core/portable';

import { n8nClock } from '../shared/client';
import { baseUrlsFromCredentials, credentialString } from '../shared/cloud';
import { createN8nTransport } from '../shared/transport';
import { checkEventsOffered } from './events';
import { wantsEventFiles, withEventFiles } from './files';
import { forwardResumeClick, socketClick } from './forward-click';

export const WEBSOCKET_CREDENTIAL = 'zoomTeamChatServerToServerOAuthApi';

/** How long activation waits for the first connection (or a permanent refusal) before returning. */
const ACTIVATION_WAIT_MS = 30_000;

export const WEBSOCKET_SETUP_STEPS =
	'In the Zoom App Marketplace open your Server-to-Server OAuth app → Features → Access → Event Subscription, add a subscription, choose "WebSocket" as the method, pick the same events, and save. Copy the endpoint URL (or just the subscription ID) it shows into this field. No public URL is needed: n8n connects out to Zoom. Events that happen while n8n is disconnected are not delivered later.';

export const NO_WEBSOCKET_MESSAGE =
	'This Node.js has no built-in WebSocket client, which WebSocket delivery needs. Run n8n on Node.js 22 or newer, or start it with NODE_OPTIONS=--experimental-websocket (Node.js 20 and 21).';

/** The host's WHATWG WebSocket (Node.js 22+, or 20/21 with --experimental-websocket). */
export function hostWebSocket(): WhatwgWebSocketConstructor | undefined {
	return typeof WebSocket === 'function' ? (WebSocket as unknown as WhatwgWebSocketConstructor) : undefined;
}

/** n8n's timers, settling at once on abort even where the host's sleep ignores its signal. */
export const abortableClock: Clock = {
	now: n8nClock.now,
	sleep: async (ms, signal) => await withSignal(() => n8nClock.sleep(ms, signal), signal),
};

/** The field as the node shows it: every refusal of the subscription names it. */
const SUBSCRIPTION_FIELD = '"Subscription ID or Endpoint URL"';

/**
 * What the user pasted (endpoint URL or bare subscription ID), checked by the core's rules, so the
 * token can only go to Zoom or to the hosts of the credential's Custom URLs.
 */
export function subscriptionTarget(
	node: INode,
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
): { endpointUrl: string } {
	let allowHost: (host: string) => boolean;
	try {
		allowHost = tokenHostsOf(credentials.cloud === 'custom' ? Object.values(baseUrlsFromCredentials(credentials)) : []);
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message);
	}
	try {
		const fields = { subscriptionId: SUBSCRIPTION_FIELD, endpointUrl: SUBSCRIPTION_FIELD };
		return { endpointUrl: parseSubscription({ subscriptionId: value }, { fields, allowHost }).url };
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, { description: WEBSOCKET_SETUP_STEPS });
	}
}

/** Access tokens from the credential's client ID and secret, through n8n's HTTP client. */
function tokenSource(context: ITriggerFunctions, credentials: ICredentialDataDecryptedObject, minted: Set<string>) {
	const accountId = credentialString(credentials, 'accountId');
	const clientId = credentialString(credentials, 'clientId');
	const clientSecret = credentialString(credentials, 'clientSecret');
	const missing = [!accountId && 'Account ID', !clientId && 'Client ID', !clientSecret && 'Client Secret'].filter(
		Boolean,
	);
	if (missing.length)
		throw new NodeOperationError(context.getNode(), `The credential is missing: ${missing.join(', ')}`);
	let oauthBaseUrl: string;
	try {
		oauthBaseUrl = baseUrlsFromCredentials(credentials).oauth;
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message);
	}
	const provider = createTokenProvider(
		{ kind: 'account', accountId, clientId, clientSecret },
		{
			transport: createN8nTransport({ send: async (options) => await context.helpers.httpRequest(options) }),
			clock: abortableClock,
			tokenStore: createMemoryTokenStore(),
			logger: coreLogger(context, minted),
			oauthBaseUrl,
		},
	);
	return streamTokenSource(() => provider, {
		onToken: (token) => {
			minted.add(token);
			// Only the newest few matter for redaction; tokens live an hour.
			if (minted.size > 8) minted.delete(minted.values().next().value as string);
		},
	});
}

/** Log lines name the workflow: several workflows may each hold a socket. */
function coreLogger(context: ITriggerFunctions, minted: Set<string>): Logger {
	const logger: N8nLogger = context.logger;
	const workflow = context.getWorkflow();
	const prefix = `Zoom Team Chat Trigger (WebSocket, workflow "${workflow.name ?? workflow.id ?? ''}"): `;
	const clean = (message: string) => prefix + scrubSecrets(message, minted);
	return redactingLogger({
		debug: (message) => logger.debug(clean(message)),
		info: (message) => logger.info(clean(message)),
		warn: (message) => logger.warn(clean(message)),
		error: (message) => logger.error(clean(message)),
	});
}

function failureError(node: INode, error: EventStreamError, minted: Set<string>): NodeOperationError {
	return new NodeOperationError(node, `WebSocket delivery stopped: ${scrubSecrets(error.message, minted)}`, {
		description: `${streamFailureHint(error, SUBSCRIPTION_FIELD)} ${WEBSOCKET_SETUP_STEPS}`.trim(),
	});
}

/** Every activation its own socket: a workflow's socket lives and dies with its activation. */
const hub = createEventStreamHub();

/**
 * WebSocket delivery: a long-lived connection to Zoom (no inbound HTTP). Activation waits for the
 * first connection, so a wrong subscription ID fails the activation (n8n then retries with its
 * own growing delays); later permanent failures go to `emitError`; drops just reconnect.
 */
export async function startWebSocketDelivery(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const node = this.getNode();
	const authentication = this.getNodeParameter('authentication', 'serverToServerOAuth');
	if (authentication !== 'serverToServerOAuth') {
		throw new NodeOperationError(node, 'WebSocket delivery needs the Server-to-Server OAuth credential', {
			description:
				'Choose a Zoom Team Chat Server-to-Server OAuth API credential (Authentication: Server-to-Server OAuth), or set Delivery to Webhook.',
		});
	}
	const Socket = hostWebSocket();
	if (!Socket) throw new NodeOperationError(node, NO_WEBSOCKET_MESSAGE);

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const selection = eventSelection({
		events: this.getNodeParameter('events', []),
		channels: options.channelIds,
		ignoreOwn: options.ignoreOwnMessages !== false,
		ownIdentities: [options.ownUsers],
		blankEvents: 'none',
	});
	if (!selection.events.length) throw new NodeOperationError(node, 'Choose at least one event under "Events"');
	// Version 1 took any event with any credential; a socket of another app's events stays silent.
	if (node.typeVersion >= 2 && Array.isArray(selection.events))
		checkEventsOffered(node, selection.events, authentication);
	const credentials = await this.getCredentials(WEBSOCKET_CREDENTIAL);
	const target = subscriptionTarget(node, this.getNodeParameter('subscription', ''), credentials);
	const secret = credentialString(credentials, 'webhookSecretToken');

	const minted = new Set<string>();
	const logger = coreLogger(this, minted);
	const getToken = tokenSource(this, credentials, minted);
	let activated = false;
	let closed = false;
	const deliver = async (event: ZoomEvent, raw: string) => {
		const json = event as unknown as IDataObject;
		// A click on a "Send and Wait for Response" card resumes that execution instead of starting one.
		const click = () => (secret ? socketClick(raw, secret, abortableClock.now()) : undefined);
		if ((await forwardResumeClick(this, json, click, this.getInstanceBaseUrl())) !== undefined) return;
		const reason = skipReason(event, selection);
		if (reason) return logger.debug(`${String(json.event)} skipped (${reason})`);
		// Events with files wait for their downloads; later events wait behind them, keeping Zoom's order.
		const item = wantsEventFiles(options, 'serverToServerOAuth', json)
			? await withEventFiles(this, 'serverToServerOAuth', { ...json }, options)
			: { json: { ...json } };
		if (!closed) this.emit([[item]]);
	};
	let joined: ReturnType<typeof hub.join>;
	try {
		joined = hub.join(
			{},
			target.endpointUrl,
			() => ({
				...target,
				getToken,
				webSocket: whatwgWebSocketFactory(Socket),
				clock: abortableClock,
				dedupe: createDeduper({ ttlMs: dedupeWindowMs(options.dedupeMinutes), now: abortableClock.now }),
				logger,
			}),
			{
				onEvent: (event, meta) =>
					deliver(event as ZoomEvent, meta.raw).catch((error: unknown) =>
						logger.error(`${String(event.event)} not delivered: ${(error as Error).message}`),
					),
				onState: ({ state, stats, tick }) => {
					const line = tick ? undefined : streamStateLog(state, stats);
					if (line) logger[line.level](line.message);
					if (state.status === 'failed' && activated && !tick) this.emitError(failureError(node, state.error, minted));
				},
			},
		);
	} catch (error) {
		throw new NodeOperationError(node, scrubSecrets((error as Error).message, minted), {
			description: WEBSOCKET_SETUP_STEPS,
		});
	}

	const outcome = await joined.ready(ACTIVATION_WAIT_MS);
	if (outcome?.status === 'failed') {
		await joined.leave();
		throw failureError(node, outcome.error, minted);
	}
	activated = true;
	if (!outcome) logger.warn(`not connected after ${ACTIVATION_WAIT_MS / 1000} s; still trying`);

	return {
		closeFunction: async () => {
			closed = true;
			await joined.leave();
		},
	};
}
