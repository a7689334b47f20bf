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
	createEventStream,
	createMemoryTokenStore,
	createTokenProvider,
	isZoomHost,
	parseSubscription,
	redactingLogger,
	scrubSecrets,
	withSignal,
	type Clock,
	type EventStream,
	type EventStreamState,
	type Logger,
	type WebSocketLike,
} from '@zoom-team-chat/core/portable';

import { n8nClock } from '../shared/client';
import { baseUrlsFromCredentials, credentialString } from '../shared/cloud';
import { createN8nTransport } from '../shared/transport';
import { dedupeWindowMs, eventSelection, skipReason } from './event-filter';
import { checkEventsOffered } from './events';
import { wantsEventFiles, withEventFiles } from './files';

export const WEBSOCKET_CREDENTIAL = 'zoomTeamChatServerToServerOAuthApi';

/** How long activation waits for the first connection (or a permanent refusal) before returning. */
const ACTIVATION_WAIT_MS = 30_000;

export const WEBSOCKET_SETUP_STEPS =
	'In the Zoom App Marketplace open your Server-to-Server OAuth app → Features → Access → Event Subscription, add a subscription, choose "WebSocket" as the method, pick the same events, and save. Copy the endpoint URL (or just the subscription ID) it shows into this field. No public URL is needed: n8n connects out to Zoom. Events that happen while n8n is disconnected are not delivered later.';

export const NO_WEBSOCKET_MESSAGE =
	'This Node.js has no built-in WebSocket client, which WebSocket delivery needs. Run n8n on Node.js 22 or newer, or start it with NODE_OPTIONS=--experimental-websocket (Node.js 20 and 21).';

type WebSocketCtor = new (url: string) => WebSocketLike;

/** The host's WHATWG WebSocket (Node.js 22+, or 20/21 with --experimental-websocket). */
export function hostWebSocket(): WebSocketCtor | undefined {
	return typeof WebSocket === 'function' ? (WebSocket as unknown as WebSocketCtor) : undefined;
}

/**
 * The host's socket, with one repair: Node.js 20/21's built-in WebSocket (undici 6) reports a
 * refused upgrade (401, 404, 5xx) with an `error` event only; no `close` follows and readyState
 * stays CONNECTING, so the stream would wait for its open timeout on every attempt. An error
 * before open therefore also counts as the close (once; a late real close is ignored).
 */
export function hostSocket(Ctor: WebSocketCtor, url: string): WebSocketLike {
	const socket = new Ctor(url);
	let opened = false;
	let closed = false;
	const wrapper: WebSocketLike = {
		get readyState() {
			return closed ? 3 : socket.readyState;
		},
		send: (data) => socket.send(data),
		close: (code, reason) => socket.close(code, reason),
		onopen: null,
		onmessage: null,
		onclose: null,
		onerror: null,
	};
	const finish = (ev: { code: number; reason: string; wasClean?: boolean }) => {
		if (closed) return;
		closed = true;
		wrapper.onclose?.(ev);
	};
	socket.onopen = (ev) => {
		opened = true;
		wrapper.onopen?.(ev);
	};
	socket.onmessage = (ev) => {
		if (!closed) wrapper.onmessage?.(ev);
	};
	socket.onerror = (ev) => {
		if (closed) return;
		wrapper.onerror?.(ev);
		if (opened) return;
		finish({ code: 1006, reason: '', wasClean: false });
		try {
			socket.close();
		} catch {
			// Already failed: nothing left to release.
		}
	};
	socket.onclose = (ev) => finish({ code: ev.code, reason: ev.reason, wasClean: ev.wasClean });
	return wrapper;
}

/** n8n's timers, settling at once on abort even where the host's sleep ignores its signal. */
export const abortableClock: Clock = {
	now: n8nClock.now,
	sleep: async (ms, signal) => await withSignal(() => n8nClock.sleep(ms, signal), signal),
};

/** The field as the node shows it: every refusal of the subscription names it. */
const SUBSCRIPTION_FIELD = '"Subscription ID or Endpoint URL"';

/** The host names an access token may be sent to: Zoom's, or those the credential itself names. */
function allowedHosts(credentials: ICredentialDataDecryptedObject): (host: string) => boolean {
	const own = new Set<string>();
	if (credentials.cloud === 'custom') {
		for (const url of Object.values(baseUrlsFromCredentials(credentials))) own.add(new URL(url).hostname.toLowerCase());
	}
	return (host) => isZoomHost(host) || own.has(host.toLowerCase());
}

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
		allowHost = allowedHosts(credentials);
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
	let last: string | undefined;
	return async ({ forceRefresh }: { forceRefresh: boolean }): Promise<string> => {
		if (forceRefresh && last) await provider.invalidate(last);
		const token = await provider.getToken();
		if (!token) throw new Error('Zoom did not return an access token');
		last = token;
		minted.add(token);
		// Only the newest few matter for redaction; tokens live an hour.
		if (minted.size > 8) minted.delete(minted.values().next().value as string);
		return token;
	};
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

function failureError(
	node: INode,
	state: Extract<EventStreamState, { status: 'failed' }>,
	minted: Set<string>,
): NodeOperationError {
	const reason = scrubSecrets(state.error.message, minted);
	const hints: Record<string, string> = {
		subscription_not_found:
			'Check "Subscription ID or Endpoint URL": copy it again from the app\'s Event Subscription (method WebSocket) in the Zoom App Marketplace.',
		unauthorized:
			"Zoom refused the app's access token. Check that the Server-to-Server OAuth app is activated and has the scopes of the subscribed events.",
		handshake_rejected:
			'Zoom refused the connection each time, with a fresh token every time. Check the subscription ID (method WebSocket, same app as the credential) and that the app is activated.',
	};
	return new NodeOperationError(node, `WebSocket delivery stopped: ${reason}`, {
		description: `${hints[state.error.code] ?? ''} ${WEBSOCKET_SETUP_STEPS}`.trim(),
	});
}

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
	const selection = eventSelection(this.getNodeParameter('events', []), options);
	if (!selection.events.length) throw new NodeOperationError(node, 'Choose at least one event under "Events"');
	// Version 1 took any event with any credential; a socket of another app's events stays silent.
	if (node.typeVersion >= 2 && Array.isArray(selection.events))
		checkEventsOffered(node, selection.events, authentication);
	const credentials = await this.getCredentials(WEBSOCKET_CREDENTIAL);
	const target = subscriptionTarget(node, this.getNodeParameter('subscription', ''), credentials);

	const minted = new Set<string>();
	const logger = coreLogger(this, minted);
	let activated = false;
	let settle: ((state: EventStreamState) => void) | undefined;

	const onState = (state: EventStreamState) => {
		if (state.status === 'connected' || state.status === 'failed') settle?.(state);
		if (state.status === 'connected' && state.reconnects > 0) {
			const { disconnectedMs } = stream.stats();
			logger.info(
				`reconnected (reconnect ${state.reconnects}; ${Math.round(disconnectedMs / 1000)} s disconnected in total, events in that time are not redelivered by Zoom)`,
			);
		} else if (state.status === 'reconnecting') {
			logger.warn(`disconnected (${state.reason}); reconnecting in ${Math.round(state.retryInMs / 1000)} s`);
		} else if (state.status === 'failed' && activated) {
			this.emitError(failureError(node, state, minted));
		}
	};

	const getToken = tokenSource(this, credentials, minted);
	// Events with files wait for their downloads; later events queue behind them, keeping Zoom's order.
	let delivered: Promise<void> = Promise.resolve();
	let downloading = 0;
	let closed = false;
	let stream: EventStream;
	try {
		stream = createEventStream({
			...target,
			getToken,
			webSocket: (url) => hostSocket(Socket, url),
			clock: abortableClock,
			dedupe: createDeduper({ ttlMs: dedupeWindowMs(options), now: abortableClock.now }),
			logger,
			onState,
			onEvent: (event) => {
				const json = event as unknown as IDataObject;
				const reason = skipReason(json, selection);
				if (reason) {
					logger.debug(`${String(json.event)} skipped (${reason})`);
					return;
				}
				if (!wantsEventFiles(options, 'serverToServerOAuth', json) && !downloading) {
					this.emit([this.helpers.returnJsonArray([{ ...json }])]);
					return;
				}
				downloading++;
				delivered = delivered
					.then(async () => {
						const item = wantsEventFiles(options, 'serverToServerOAuth', json)
							? await withEventFiles(this, 'serverToServerOAuth', { ...json }, options)
							: { json: { ...json } };
						if (!closed) this.emit([[item]]);
					})
					.catch((error: unknown) => logger.error(`${String(json.event)} not delivered: ${(error as Error).message}`))
					.finally(() => downloading--);
			},
		});
	} catch (error) {
		throw new NodeOperationError(node, scrubSecrets((error as Error).message, minted), {
			description: WEBSOCKET_SETUP_STEPS,
		});
	}

	const first = new Promise<EventStreamState>((resolve) => (settle = resolve));
	const waitAbort = new AbortController();
	stream.start();
	const outcome = await Promise.race([
		first,
		abortableClock.sleep(ACTIVATION_WAIT_MS, waitAbort.signal).then(
			() => undefined,
			() => undefined,
		),
	]);
	waitAbort.abort();
	settle = undefined;
	if (outcome?.status === 'failed') {
		await stream.stop();
		throw failureError(node, outcome, minted);
	}
	activated = true;
	if (!outcome) logger.warn(`not connected after ${ACTIVATION_WAIT_MS / 1000} s; still trying`);

	return {
		closeFunction: async () => {
			closed = true;
			await stream.stop();
		},
	};
}
