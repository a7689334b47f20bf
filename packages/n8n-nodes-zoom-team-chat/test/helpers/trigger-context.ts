/** An n8n trigger context (ITriggerFunctions) for driving the trigger's `trigger()` in tests. */
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { testNode } from './contexts';
import { createHttpHelpers, type CredentialEntry, type RecordedRequest } from './http';

export interface TriggerRun {
	context: ITriggerFunctions;
	/** The items of every `emit`, in order. */
	emitted: IDataObject[][];
	errors: Error[];
	/** Every log line, any level. */
	logs: string[];
	requests: RecordedRequest[];
}

export const triggerTestNode = { ...testNode, name: 'Zoom Team Chat Trigger', type: 'n8n-nodes-zoom-team-chat.zoomTeamChatTrigger' };

export function triggerContext(options: {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	mode?: 'trigger' | 'manual';
	workflowId?: string;
}): TriggerRun {
	const emitted: IDataObject[][] = [];
	const errors: Error[] = [];
	const logs: string[] = [];
	const http = createHttpHelpers(triggerTestNode, options.credentials);
	const log = (message: string) => {
		logs.push(message);
	};
	const context = {
		getNode: () => triggerTestNode,
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => (options.mode === 'manual' ? 'manual' : 'activate'),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', name: 'Test workflow', active: options.mode !== 'manual' }),
		logger: { debug: log, info: log, warn: log, error: log, verbose: log },
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
		},
		emitError(error: Error) {
			errors.push(error);
		},
		helpers: {
			httpRequest: http.httpRequest,
			returnJsonArray: (data: IDataObject | IDataObject[]) => [data].flat().map((json) => ({ json })),
		},
	};
	return { context: context as unknown as ITriggerFunctions, emitted, errors, logs, requests: http.log };
}
