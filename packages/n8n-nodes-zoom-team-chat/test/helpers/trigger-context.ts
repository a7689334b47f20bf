/** An n8n trigger context (ITriggerFunctions) for driving the trigger's `trigger()` in tests. */
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { prepareBinaryData, testNode } from './contexts';
import { createHttpHelpers, type CredentialEntry, type RecordedRequest } from './http';

export interface TriggerRun {
	context: ITriggerFunctions;
	/** The items of every `emit`, in order. */
	emitted: IDataObject[][];
	/** The same emits as n8n gets them, binary data included. */
	emittedItems: INodeExecutionData[][];
	errors: Error[];
	/** Every log line, any level. */
	logs: string[];
	requests: RecordedRequest[];
	/** Every access token Zoom (the simulator) handed out through `httpRequest`: secrets to look for. */
	tokens: string[];
}

export const triggerTestNode = {
	...testNode,
	name: 'Zoom Team Chat Trigger',
	type: 'n8n-nodes-zoom-team-chat.zoomTeamChatTrigger',
};

export function triggerContext(options: {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	mode?: 'trigger' | 'manual';
	workflowId?: string;
	/** The trigger's version (1 unless set). */
	typeVersion?: number;
	/** n8n's webhook base URL, which its resume URLs share (default: n8n's own default). */
	instanceBaseUrl?: string;
}): TriggerRun {
	const emitted: IDataObject[][] = [];
	const emittedItems: INodeExecutionData[][] = [];
	const errors: Error[] = [];
	const logs: string[] = [];
	const tokens: string[] = [];
	const http = createHttpHelpers(triggerTestNode, options.credentials);
	const httpRequest = async (request: Parameters<typeof http.httpRequest>[0]) => {
		const response = await http.httpRequest(request);
		const body = (response as { body?: unknown } | undefined)?.body ?? response;
		const found = /"access_token"\s*:\s*"([^"]+)"/.exec(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
		if (found?.[1]) tokens.push(found[1]);
		return response;
	};
	const log = (message: string) => {
		logs.push(message);
	};
	const context = {
		getNode: () => ({ ...triggerTestNode, typeVersion: options.typeVersion ?? triggerTestNode.typeVersion }),
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => (options.mode === 'manual' ? 'manual' : 'activate'),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', name: 'Test workflow', active: options.mode !== 'manual' }),
		logger: { debug: log, info: log, warn: log, error: log, verbose: log },
		getInstanceBaseUrl: () => options.instanceBaseUrl ?? 'http://localhost:5678/',
		getNodeParameter(name: string, fallback?: unknown) {
			const value = options.parameters[name];
			return value === undefined ? fallback : value;
		},
		async getCredentials(type: string) {
			const entry = options.credentials[type];
			if (!entry) throw new Error(`test: no credentials of type ${type}`);
			return entry.data;
		},
		emit(data: INodeExecutionData[][]) {
			emitted.push((data[0] ?? []).map((item) => item.json));
			emittedItems.push(data[0] ?? []);
		},
		emitError(error: Error) {
			errors.push(error);
		},
		helpers: {
			httpRequest,
			httpRequestWithAuthentication: http.httpRequestWithAuthentication,
			prepareBinaryData,
			returnJsonArray: (data: IDataObject | IDataObject[]) => [data].flat().map((json) => ({ json })),
		},
	};
	return {
		context: context as unknown as ITriggerFunctions,
		emitted,
		emittedItems,
		errors,
		logs,
		requests: http.log,
		tokens,
	};
}
