import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { isOperationId, isZoomError, operations, ZoomApiError } from '@zoom-team-chat/core/portable';

/**
 * Turns what the core throws into n8n's errors by its `kind`: `NodeApiError` for what Zoom answered
 * (with Zoom's code, message and, for scope errors, the scope to add) or did not answer at all,
 * `NodeOperationError` for what went wrong on this side (input refused before sending, naming the
 * field; a misconfiguration). None of these carry a token or a secret.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const where = itemIndex === undefined ? {} : { itemIndex };
	if (!isZoomError(error)) {
		const message = error instanceof Error ? error.message : String(error);
		return new NodeOperationError(node, message, where);
	}

	switch (error.kind) {
		case 'validation':
			return new NodeOperationError(node, headlineOf(error.message, error.operationId), {
				...where,
				description: [...error.errors.map((e) => `${e.field}: ${e.message}`), operationLine(error)]
					.filter(Boolean)
					.join('\n'),
			});
		case 'api':
		case 'rate-limit':
			return new NodeApiError(node, apiResponse(error), {
				...where,
				...keepHeadline(headlineOf(error.message, error.operationId)),
				description: describeApiError(error),
				httpCode: String(error.status),
			});
		case 'auth':
			return new NodeApiError(
				node,
				{ message: error.message, code: error.code === undefined ? null : error.code },
				{
					...where,
					...keepHeadline(error.message),
					description: 'Check the credential: Zoom did not issue an access token for it.',
					httpCode: String(error.status),
				},
			);
		case 'network':
			// One outcome whichever request got no answer (an API call, a token request, a bare transport
			// failure); an API call's error also names the operation.
			if (error instanceof ZoomApiError) {
				return new NodeApiError(node, apiResponse(error), {
					...where,
					...keepHeadline(headlineOf(error.message, error.operationId)),
					description: `${NO_RESPONSE}\n${operationLine(error)}`,
				});
			}
			return new NodeApiError(
				node,
				{ message: error.message, code: error.network?.code ?? null },
				{ ...where, ...keepHeadline(error.message), description: NO_RESPONSE },
			);
		case 'config':
		case 'verification':
		case 'event-stream':
		default:
			// A kind of a newer core than this package knows is reported as it always was: by its message.
			return new NodeOperationError(node, error.message, where);
	}
}

function apiResponse(error: ZoomApiError): JsonObject {
	const response: JsonObject = {
		message: error.zoomMessage,
		code: error.code === undefined ? null : error.code,
		status: error.status,
		operationId: error.operationId ?? null,
		trackingId: error.trackingId ?? null,
	};
	if (error.requiredScopes?.length) response.requiredScopes = [...error.requiredScopes];
	if (error.errors.length) response.errors = error.errors.map((e) => ({ field: e.field, message: e.message }));
	return response;
}

const NO_RESPONSE = 'No HTTP response arrived from Zoom.';

/**
 * What the node was doing, for the headline: the core names the failed call by Zoom's operation
 * ID ("sendaChatMessage: …"), which reads like a typo to a workflow builder. The ID stays in the
 * error's description and details, where support looks for it.
 */
const ACTIONS: Record<string, string> = {
	sendaChatMessage: 'send the message',
	editMessage: 'update the message',
	deleteChatMessage: 'delete the message',
	getChatMessage: 'get the message',
	getChatMessages: 'get the messages',
	reactMessage: 'react to the message',
	retrieveThread: 'get the thread',
	createChannel: 'create the channel',
	getChannel: 'get the channel',
	getUserLevelChannel: 'get the channel',
	getChannels: 'list the channels',
	updateChannel: 'update the channel',
	updateUserLevelChannel: 'update the channel',
	deleteChannel: 'delete the channel',
	deleteUserLevelChannel: 'delete the channel',
	PerformOperationsOnChannels: 'archive or unarchive the channel',
	joinChannel: 'join the channel',
	leaveChannel: 'leave the channel',
	listChannelMembers: 'list the channel members',
	listUserLevelChannelMembers: 'list the channel members',
	inviteChannelMembers: 'invite the channel members',
	InviteUserLevelChannelMembers: 'invite the channel members',
	removeAChannelMember: 'remove the channel member',
	removeAUserLevelChannelMember: 'remove the channel member',
	getFileInfo: 'get the file',
	deleteChatFile: 'delete the file',
	uploadAChatFile: 'upload the file',
	sendChatFile: 'send the file',
	downloadChatFile: 'download the file',
	sendChatbot: 'send the chatbot message',
	editChatbotMessage: 'edit the chatbot message',
	deleteAChatbotMessage: 'delete the chatbot message',
	getUserContacts: 'list the contacts',
	getUserContact: 'get the contact',
	searchCompanyContacts: 'search the contacts',
};

/** "Could not send the message", from the failed call's operation ID. */
export function failedAction(operationId: string | undefined): string {
	if (!operationId) return 'Zoom refused the request';
	const action = ACTIONS[operationId];
	if (action) return `Could not ${action}`;
	// Any other operation (API Call): Zoom's summary of it, e.g. "List channel mention groups".
	const summary = isOperationId(operationId) ? operations[operationId].summary : '';
	return summary ? `Could not ${summary.charAt(0).toLowerCase()}${summary.slice(1)}` : `Zoom refused ${operationId}`;
}

/** The core's "<operationId>: <reason>" as "Could not <action>: <reason>". */
export function headlineOf(message: string, operationId: string | undefined): string {
	if (!operationId) return message;
	const prefix = `${operationId}: `;
	const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
	return `${failedAction(operationId)}: ${reason}`;
}

/** The failed call as support needs it: Zoom's operation ID, with its method and path when known. */
function operationLine(error: { operationId?: string; method?: string; path?: string }): string {
	if (!error.operationId) return '';
	const route = error.method && error.path ? ` (${error.method} ${error.path})` : '';
	return `Zoom operation: ${error.operationId}${route}`;
}

/** Marks the text n8n is given, so that the mapping below always applies (see keepHeadline). */
const HEADLINE_MARK = 'Zoom Team Chat: ';

/**
 * Options that keep `headline` as the error's message in n8n 1.x and 2.x. n8n swaps the message of
 * any error whose code or text names a socket error (ECONNRESET, ETIMEDOUT…) for its stock advice
 * ("You can retry the request immediately", "consider setting the 'Retry on Fail' option"); after
 * a POST that may have reached Zoom, following that advice posts the message twice. A
 * `messageMapping` entry whose key occurs in the message wins over that swap, but only when it
 * changes the text (NodeError.setDescriptiveErrorMessage), so n8n gets the headline behind a mark
 * and the mapping takes the mark away.
 */
export function keepHeadline(headline: string): { message: string; messageMapping: Record<string, string> } {
	return { message: `${HEADLINE_MARK}${headline}`, messageMapping: { [HEADLINE_MARK]: headline } };
}

function describeApiError(error: ZoomApiError): string {
	const parts: string[] = [];
	if (error.code !== undefined) parts.push(`Zoom error code ${error.code}: ${error.zoomMessage}`);
	if (error.requiredScopes?.length) {
		parts.push(
			`Add one of these scopes to the Zoom app (Marketplace → your app → Scopes), then re-authorize: ${error.requiredScopes.join(', ')}`,
		);
	}
	if (error.trackingId) parts.push(`Zoom tracking ID: ${error.trackingId}`);
	const operation = operationLine(error);
	if (operation) parts.push(operation);
	return parts.join('\n');
}
