/** Minimal n8n execution, hook and webhook contexts for driving the nodes in tests. */
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createHttpHelpers, type CredentialEntry, type RecordedRequest } from './http';

export const testNode: INode = {
	id: 'node-1',
	name: 'Zoom Team Chat',
	type: 'n8n-nodes-zoom-team-chat.zoomTeamChat',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function getPath(source: IDataObject, path: string): unknown {
	let value: unknown = source;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

function describeBinary(filePath: string | undefined, mimeType: string | undefined) {
	const fileName = filePath?.split('/').pop();
	const dot = fileName?.lastIndexOf('.') ?? -1;
	return {
		mimeType: mimeType ?? 'text/plain',
		...(fileName ? { fileName } : {}),
		...(fileName && dot > 0 ? { fileExtension: fileName.slice(dot + 1) } : {}),
	};
}

/**
 * n8n's `prepareBinaryData` in its in-memory mode: the bytes as base64, named after the path's
 * last part. Like n8n (`binaryToBuffer`), it reads a Buffer or a Node stream (`.on('data')`) and
 * throws on anything else before reading it.
 */
export async function prepareBinaryData(data: unknown, filePath?: string, mimeType?: string): Promise<IBinaryData> {
	let buffer: Buffer;
	if (Buffer.isBuffer(data)) buffer = data;
	else if (data && typeof (data as { on?: unknown }).on === 'function') {
		const chunks: Buffer[] = [];
		for await (const chunk of data as AsyncIterable<Buffer>) chunks.push(chunk);
		buffer = Buffer.concat(chunks);
	} else throw new TypeError('stream.on is not a function');
	return { data: buffer.toString('base64'), ...describeBinary(filePath, mimeType), fileSize: String(buffer.length) };
}

/**
 * n8n's `prepareBinaryData` in its filesystem mode: kept in `store` under an ID. Like n8n's
 * `fs.promises.writeFile`, it takes a Buffer or any (async) iterable of bytes, read chunk by chunk.
 */
export function filesystemBinaryData(store: Map<string, StoredBinary>) {
	return async (data: unknown, filePath?: string, mimeType?: string): Promise<IBinaryData> => {
		const chunks: Buffer[] = [];
		if (Buffer.isBuffer(data)) chunks.push(data);
		else for await (const chunk of data as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
		const bytes = Buffer.concat(chunks);
		const described = describeBinary(filePath, mimeType);
		const id = `filesystem-v2:test/${store.size + 1}`;
		store.set(id, { data: bytes, fileName: described.fileName ?? '', mimeType: described.mimeType });
		return { id, data: 'filesystem-v2', ...described, fileSize: String(bytes.length) };
	};
}

const logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
	verbose: () => undefined,
};

/** Binary data stored "on disk" (with an ID), as n8n's filesystem mode keeps it. */
export interface StoredBinary {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export interface ExecuteOptions {
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	credentials: Record<string, CredentialEntry>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	binaryStore?: Map<string, StoredBinary>;
	log?: RecordedRequest[];
	/** The node's version (1 unless set). */
	typeVersion?: number;
	/** The workflow's timezone (n8n's GENERIC_TIMEZONE or the workflow setting); UTC unless set. */
	timezone?: string;
	/** Where prepareBinaryData keeps binaries: in memory (base64, the default) or in `binaryStore`. */
	binaryDataMode?: 'default' | 'filesystem';
}

export function executeContext(
	options: ExecuteOptions,
): IExecuteFunctions & { requests: RecordedRequest[]; hints: unknown[] } {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const http = createHttpHelpers(testNode, options.credentials, options.log ?? []);
	const store = options.binaryStore ?? new Map<string, StoredBinary>();
	const paramsFor = (i: number) =>
		typeof options.parameters === 'function' ? options.parameters(i) : options.parameters;
	const binaryOf = (i: number, property: string): IBinaryData => {
		const binary = items[i]?.binary?.[property];
		if (!binary)
			throw new NodeOperationError(
				testNode,
				`This operation expects the node's input data to contain a binary file '${property}', but none was found`,
			);
		return binary;
	};
	const node = { ...testNode, typeVersion: options.typeVersion ?? testNode.typeVersion };
	const hints: unknown[] = [];
	const context = {
		requests: http.log,
		hints,
		getInputData: () => items,
		getNode: () => node,
		getTimezone: () => options.timezone ?? 'UTC',
		addExecutionHints: (...added: unknown[]) => hints.push(...added),
		continueOnFail: () => options.continueOnFail ?? false,
		logger,
		getNodeParameter(name: string, i: number, fallback?: unknown, opts?: { extractValue?: boolean }) {
			const value = getPath(paramsFor(i), name);
			if (value === undefined) {
				if (fallback === undefined) throw new Error(`test: parameter "${name}" not set`);
				return fallback;
			}
			if (opts?.extractValue && value && typeof value === 'object' && '__rl' in value)
				return (value as IDataObject).value;
			return value;
		},
		async getCredentials(type: string): Promise<ICredentialDataDecryptedObject> {
			const entry = options.credentials[type];
			if (!entry) throw new Error(`test: no credentials of type ${type}`);
			return entry.data;
		},
		helpers: {
			httpRequestWithAuthentication: http.httpRequestWithAuthentication,
			httpRequest: http.httpRequest,
			returnJsonArray: (data: IDataObject | IDataObject[]) => [data].flat().map((json) => ({ json })),
			assertBinaryData: binaryOf,
			prepareBinaryData: options.binaryDataMode === 'filesystem' ? filesystemBinaryData(store) : prepareBinaryData,
			async getBinaryDataBuffer(i: number, property: string) {
				const binary = binaryOf(i, property);
				if (binary.id) return store.get(binary.id)?.data ?? Buffer.alloc(0);
				return Buffer.from(binary.data, 'base64');
			},
			async getBinaryMetadata(id: string) {
				const stored = store.get(id);
				if (!stored) throw new Error(`test: no binary ${id}`);
				return { fileName: stored.fileName, mimeType: stored.mimeType, fileSize: stored.data.length };
			},
			async getBinaryStream(id: string, chunkSize = 64 * 1024) {
				const stored = store.get(id);
				if (!stored) throw new Error(`test: no binary ${id}`);
				const data = stored.data;
				return (async function* () {
					for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, at + chunkSize);
				})();
			},
		},
	};
	return context as unknown as IExecuteFunctions & { requests: RecordedRequest[]; hints: unknown[] };
}

export interface FakeResponse {
	statusCode: number;
	body: unknown;
	status(code: number): FakeResponse;
	json(body: unknown): FakeResponse;
	send(body: unknown): FakeResponse;
	end(): FakeResponse;
}

export function fakeResponse(): FakeResponse {
	const res: FakeResponse = {
		statusCode: 200,
		body: undefined,
		status(code) {
			res.statusCode = code;
			return res;
		},
		json(body) {
			res.body = body;
			return res;
		},
		send(body) {
			res.body = body;
			return res;
		},
		end() {
			return res;
		},
	};
	return res;
}

export interface WebhookOptions {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	headers: Record<string, string>;
	rawBody: Buffer | undefined;
	staticData?: IDataObject;
	/** 'webhook' (production URL) unless set; 'manual' for a test URL. */
	mode?: 'webhook' | 'manual';
	/** Default: one id per static-data object. */
	workflowId?: string;
	/** The node's production URL (none by default: the trigger then shares no keys, delivery-sync.ts). */
	webhookUrl?: string;
	/** n8n's `helpers.httpRequest` for this request (the trigger's own de-dupe sync uses it). */
	httpRequest?: (options: IHttpRequestOptions) => Promise<unknown>;
	/** The trigger's version (1 unless set). */
	typeVersion?: number;
}

/**
 * The trigger keeps recent delivery keys in memory per workflow: a fresh static-data object stands
 * for a fresh workflow, so it gets its own id (tests that share static data share the workflow).
 */
const workflowIds = new WeakMap<IDataObject, string>();
function workflowIdOf(staticData: IDataObject): string {
	let id = workflowIds.get(staticData);
	if (id === undefined) {
		id = `wf-${++workflowCount}`;
		workflowIds.set(staticData, id);
	}
	return id;
}
let workflowCount = 0;

export function webhookContext(options: WebhookOptions): IWebhookFunctions & { response: FakeResponse } {
	const response = fakeResponse();
	const staticData = options.staticData ?? {};
	const http = createHttpHelpers(testNode, options.credentials);
	let body: unknown;
	try {
		body = options.rawBody ? JSON.parse(options.rawBody.toString('utf8')) : {};
	} catch {
		body = {};
	}
	const context = {
		response,
		getNode: () => ({
			...testNode,
			name: 'Zoom Team Chat Trigger',
			type: 'n8n-nodes-zoom-team-chat.zoomTeamChatTrigger',
			typeVersion: options.typeVersion ?? testNode.typeVersion,
		}),
		logger,
		getRequestObject: () => ({ headers: options.headers, rawBody: options.rawBody, body }),
		getResponseObject: () => response,
		getHeaderData: () => options.headers,
		getBodyData: () => body,
		getNodeParameter(name: string, fallback?: unknown) {
			const value = getPath(options.parameters, name);
			return value === undefined ? fallback : value;
		},
		async getCredentials(type: string) {
			const entry = options.credentials[type];
			if (!entry) throw new Error(`test: no credentials of type ${type}`);
			return entry.data;
		},
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl,
		getMode: () => options.mode ?? 'webhook',
		getWorkflow: () => ({
			id: options.workflowId ?? workflowIdOf(staticData),
			name: 'Test workflow',
			active: options.mode !== 'manual',
		}),
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) => [data].flat().map((json) => ({ json })),
			httpRequestWithAuthentication: http.httpRequestWithAuthentication,
			httpRequest: options.httpRequest ?? (async () => await Promise.reject(new Error('test: no httpRequest given'))),
			prepareBinaryData,
		},
	};
	return context as unknown as IWebhookFunctions & { response: FakeResponse };
}

export interface HookOptions {
	parameters: IDataObject;
	credentials: Record<string, CredentialEntry>;
	webhookUrl: string;
	staticData?: IDataObject;
	workflowName?: string;
	log?: RecordedRequest[];
	/** The trigger's version (1 unless set). */
	typeVersion?: number;
}

export function hookContext(
	options: HookOptions,
): IHookFunctions & { requests: RecordedRequest[]; staticData: IDataObject } {
	const staticData = options.staticData ?? {};
	const http = createHttpHelpers(testNode, options.credentials, options.log ?? []);
	const context = {
		requests: http.log,
		staticData,
		getNode: () => ({
			...testNode,
			name: 'Zoom Team Chat Trigger',
			typeVersion: options.typeVersion ?? testNode.typeVersion,
		}),
		logger,
		getNodeParameter(name: string, fallback?: unknown) {
			const value = getPath(options.parameters, name);
			return value === undefined ? fallback : value;
		},
		async getCredentials(type: string) {
			const entry = options.credentials[type];
			if (!entry) throw new Error(`test: no credentials of type ${type}`);
			return entry.data;
		},
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl,
		getWorkflow: () => ({ id: 'wf-1', name: options.workflowName ?? 'Test workflow', active: false }),
		helpers: {
			httpRequestWithAuthentication: http.httpRequestWithAuthentication,
			httpRequest: http.httpRequest,
		},
	};
	return context as unknown as IHookFunctions & { requests: RecordedRequest[]; staticData: IDataObject };
}
