/**
 * What n8n does around a send-and-wait node, for tests: execute() with the resume-URL API of n8n
 * 1.x (getSignedResumeUrl + setSignatureValidationRequired) or 2.x (no setSignatureValidationRequired),
 * the waiting execution's stack entry, and webhook() called the way WaitingWebhooks calls it on the
 * signed URL (GET or POST, query from the URL, parsed body).
 */
import { createHmac } from 'node:crypto';
import type {
	IDataObject,
	IExecuteData,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { ZoomTeamChat } from '../../nodes/ZoomTeamChat/ZoomTeamChat.node';
import { executeContext, testNode } from './contexts';
import { createHttpHelpers, type CredentialEntry } from './http';
import { credentialsFor } from './simulator';

export const actionNode = new ZoomTeamChat();
export const N8N_ORIGIN = 'http://n8n.test:5678';
const HMAC_SECRET = 'test-hmac-secret';
export const EXECUTION_ID = '42';

/** n8n 1.x's getSignedResumeUrl: HMAC-SHA256 over host + path + query, appended as `signature`. */
export function signResumeUrl(parameters: Record<string, string>, nodeId = testNode.id): string {
	const url = new URL(`${N8N_ORIGIN}/webhook-waiting/${EXECUTION_ID}/${encodeURIComponent(nodeId)}`);
	for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
	const signature = createHmac('sha256', HMAC_SECRET).update(`${url.host}${url.pathname}${url.search}`).digest('hex');
	url.searchParams.set('signature', signature);
	return url.toString();
}

export function isSignedByN8n(value: string): boolean {
	const url = new URL(value);
	const signature = url.searchParams.get('signature');
	url.searchParams.delete('signature');
	return (
		signature === createHmac('sha256', HMAC_SECRET).update(`${url.host}${url.pathname}${url.search}`).digest('hex')
	);
}

export interface AskResult {
	output: INodeExecutionData[][];
	waitTill?: Date;
	signatureRequired: boolean;
	/** The stack entry n8n pushes back for a waiting node (what a timeout passes on). */
	stackEntry: IExecuteData;
	input: INodeExecutionData[];
}

/** Runs the action node's execute() as n8n does, with the send-and-wait API of n8n `api` ('1', '2' or 'none'). */
export async function ask(
	sim: Simulator,
	parameters: IDataObject,
	options: {
		api?: '1' | '2' | 'none';
		credentials?: Record<string, CredentialEntry>;
		items?: INodeExecutionData[];
		continueOnFail?: boolean;
	} = {},
): Promise<AskResult> {
	const api = options.api ?? '1';
	const input = options.items ?? [{ json: { request: 'original input' } }];
	const context = executeContext({
		parameters: { authentication: 'serverToServerOAuth', actAsUser: 'me', ...parameters },
		credentials: options.credentials ?? credentialsFor(sim),
		items: input,
		continueOnFail: options.continueOnFail,
		typeVersion: 2,
	}) as unknown as Record<string, unknown>;
	const result: Omit<AskResult, 'output'> = {
		signatureRequired: false,
		stackEntry: { node: testNode, data: { main: [input] }, source: null },
		input,
	};
	if (api !== 'none') context.getSignedResumeUrl = (p: Record<string, string> = {}) => signResumeUrl(p);
	if (api === '1') {
		context.setSignatureValidationRequired = function (this: unknown) {
			if (this !== context) throw new Error('test: setSignatureValidationRequired called without its context');
			result.signatureRequired = true;
		};
	}
	context.putExecutionToWait = async (waitTill: Date) => {
		result.waitTill = waitTill;
	};
	context.getExecuteData = () => result.stackEntry;
	const output = await actionNode.execute.call(context as never);
	return { ...result, output };
}

export interface Answered {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	result: IWebhookResponseData;
	/** The items the execution resumes with; undefined when it keeps waiting. */
	resumed?: IDataObject[];
	logs: string[];
}

/** Calls the node's webhook() for a request to a signed resume URL. */
export async function answer(
	sim: Simulator,
	url: string,
	request: {
		method?: 'GET' | 'POST' | 'HEAD';
		body?: IDataObject;
		parameters: IDataObject;
		credentials?: Record<string, CredentialEntry>;
		httpRequest?: (o: unknown) => Promise<unknown>;
	},
): Promise<Answered> {
	const credentials = request.credentials ?? credentialsFor(sim);
	const http = createHttpHelpers(testNode, credentials);
	const parsed = new URL(url);
	const query = Object.fromEntries(parsed.searchParams);
	const parameters = { authentication: 'serverToServerOAuth', actAsUser: 'me', ...request.parameters };
	const response = { status: 200, body: undefined as unknown, headers: {} as Record<string, string> };
	const logs: string[] = [];
	const log = (message: string) => {
		logs.push(message);
	};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		json(body: unknown) {
			response.headers['content-type'] ??= 'application/json';
			response.body = body;
			return res;
		},
		end() {
			return res;
		},
	};
	const context = {
		getNode: () => ({ ...testNode, typeVersion: 2, parameters: { operation: 'sendAndWait' } }),
		getWorkflow: () => ({ id: 'wf-1', name: 'Expense <approvals>', active: true }),
		getMode: () => 'webhook',
		logger: { debug: log, info: log, warn: log, error: log, verbose: log },
		getRequestObject: () => ({ method: request.method ?? 'GET', headers: {}, query }),
		getResponseObject: () => res,
		getQueryData: () => query,
		getBodyData: () => request.body ?? {},
		getHeaderData: () => ({}),
		getNodeParameter(name: string, fallback?: unknown) {
			let value: unknown = parameters;
			for (const key of name.split('.'))
				value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
			return value === undefined ? fallback : value;
		},
		async getCredentials(type: string) {
			const entry = credentials[type];
			if (!entry) throw new Error(`test: no credentials of type ${type}`);
			return entry.data;
		},
		helpers: {
			httpRequest: request.httpRequest ?? http.httpRequest,
			httpRequestWithAuthentication: http.httpRequestWithAuthentication,
		},
	};
	const result = await actionNode.webhook.call(context as unknown as IWebhookFunctions);
	return {
		status: response.status,
		body: response.body,
		headers: response.headers,
		result,
		resumed: result.workflowData ? (result.workflowData[0] ?? []).map((item) => item.json) : undefined,
		logs,
	};
}

/** The URL in a posted user-level message ("👉 Approve: <url>"). */
export function linkIn(text: string): string {
	const match = /(https?:\/\/\S+)/.exec(text);
	if (!match?.[1]) throw new Error(`test: no link in ${JSON.stringify(text)}`);
	return match[1];
}
