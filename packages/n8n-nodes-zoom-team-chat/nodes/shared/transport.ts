import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import {
	hostOf,
	SENT_NOTHING_CODES,
	TransportError,
	type RequestBody,
	type Transport,
	type TransportRequest,
	type TransportResponse,
} from '@zoom-team-chat/core/portable';

/** One call of n8n's `helpers.httpRequest` or `helpers.httpRequestWithAuthentication` (bound). */
export type SendRequest = (options: IHttpRequestOptions) => Promise<unknown>;

export interface N8nTransportOptions {
	send: SendRequest;
	/**
	 * Called once after a 401. n8n re-mints a credential's token (expirable `accessToken`, OAuth2
	 * refresh) only when a request *throws* a 401, and this transport asks n8n not to throw on HTTP
	 * errors; so this sends a body-less request that may throw, then the original is sent again.
	 */
	refreshAuth?: (url: string) => Promise<void>;
}

interface FullResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

/**
 * The core's transport over n8n's HTTP helpers, so n8n's proxy, TLS and credential handling
 * apply. It never follows redirects (the core does, keeping the Authorization header for Zoom's
 * file host) and never retries, except the single replay after a token refresh.
 */
export function createN8nTransport(options: N8nTransportOptions): Transport {
	return async (request) => {
		const first = await sendOnce(options.send, request);
		if (first.status !== 401 || !options.refreshAuth) return first;
		await options.refreshAuth(request.url);
		return await sendOnce(options.send, request);
	};
}

async function sendOnce(send: SendRequest, request: TransportRequest): Promise<TransportResponse> {
	const headers: IDataObject = { ...request.headers };
	const streamed = request.responseType === 'stream';
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		// Downloads: n8n hands the response over as a Node stream (an async iterable of Buffers).
		encoding: streamed ? 'stream' : 'text',
		json: false,
	};
	if (request.timeoutMs !== undefined && Number.isFinite(request.timeoutMs)) httpOptions.timeout = request.timeoutMs;
	if (request.signal) httpOptions.abortSignal = request.signal;
	if (request.body !== undefined) {
		httpOptions.body = (await toHttpBody(request.body, headers)) as IHttpRequestOptions['body'];
	}
	const outcome = await send(httpOptions).then(
		(response) => ({ response: response as FullResponse, error: undefined }),
		(error: unknown) => ({ response: undefined, error }),
	);
	if (outcome.error !== undefined) {
		const failure = networkFailure(outcome.error);
		// Anything else (say, the credential could not mint a token) keeps its own message.
		if (!failure) throw outcome.error;
		throw transportError(failure, request);
	}
	const response = outcome.response;
	if (!response || typeof response.statusCode !== 'number') {
		throw new TransportError(`No HTTP response from ${hostOf(request.url)}`, {
			code: 'NO_RESPONSE',
			sentNothing: false,
		});
	}
	if (streamed && isAsyncIterable(response.body)) {
		return {
			status: response.statusCode,
			headers: lowerCaseHeaders(response.headers),
			body: '',
			stream: response.body,
		};
	}
	return {
		status: response.statusCode,
		headers: lowerCaseHeaders(response.headers),
		body: bodyText(response.body),
	};
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
	return (
		value !== null &&
		typeof value === 'object' &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

/**
 * A body n8n's HTTP client (axios) sends as given. A stream of known length goes out as a
 * Blob-like object, which axios pipes chunk by chunk (`Readable.from(blob.stream())`) with that
 * length: the file is never held in memory whole. Community nodes may not import `stream`, and
 * axios reads neither async iterables nor web streams, hence the Blob shape.
 */
export async function toHttpBody(body: RequestBody, headers: IDataObject): Promise<unknown> {
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	const length = body.length ?? numberHeader(headers['content-length']);
	if (length === undefined) {
		// Unknown length: axios would announce 0 bytes for a Blob, so the bytes are gathered first.
		return Buffer.concat(await collect(body.stream()));
	}
	return blobLike(body.stream, length, String(headers['content-type'] ?? 'application/octet-stream'));
}

function blobLike(stream: () => AsyncIterable<Uint8Array>, size: number, type: string): object {
	return {
		size,
		type,
		stream,
		[Symbol.toStringTag]: 'Blob',
	};
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
	const chunks: Buffer[] = [];
	for await (const chunk of iterable) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
	return chunks;
}

function numberHeader(value: unknown): number | undefined {
	const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
	return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function lowerCaseHeaders(headers: IDataObject | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return out;
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	// A host that parsed JSON despite `json: false`: hand the core text again.
	return JSON.stringify(body);
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface NetworkFailure {
	code: string;
	timedOut: boolean;
}

/**
 * Whether no HTTP response arrived, and the socket-level code. n8n wraps failures in a
 * `NodeApiError` that (in n8n-workflow 1.x) drops the axios error it wraps, keeping only its
 * message ("connect ECONNREFUSED 127.0.0.1:443", "timeout of 30000ms exceeded"), so the code is
 * looked for on the cause chain first and in the messages after.
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
	const code = errorCode(error);
	if (code) return { code, timedOut: TIMEOUT_CODES.has(code) };
	for (const text of errorTexts(error)) {
		const found = /\b(E[A-Z]{3,}[A-Z_]*|UND_ERR_[A-Z_]+)\b/.exec(text);
		if (found?.[1]) return { code: found[1], timedOut: TIMEOUT_CODES.has(found[1]) };
		if (/timeout of \d+\s?ms exceeded|timed out/i.test(text)) return { code: 'ETIMEDOUT', timedOut: true };
		if (/socket hang up/i.test(text)) return { code: 'ECONNRESET', timedOut: false };
		if (/^(canceled|cancelled|aborted)$|operation was aborted/i.test(text))
			return { code: 'ERR_CANCELED', timedOut: false };
	}
	return undefined;
}

/** Maps a failure with no response to the core's TransportError; unrecognised ones count as UNKNOWN. */
export function toTransportError(error: unknown, request: Pick<TransportRequest, 'url' | 'signal'>): TransportError {
	if (error instanceof TransportError) return error;
	return transportError(networkFailure(error) ?? { code: 'UNKNOWN', timedOut: false }, request);
}

function transportError(failure: NetworkFailure, request: Pick<TransportRequest, 'url' | 'signal'>): TransportError {
	const { code } = failure;
	const timedOut = failure.timedOut || (request.signal?.aborted === true && isTimeoutReason(request.signal));
	// Only a request that provably never left may be repeated when it is a POST.
	const sentNothing = !timedOut && SENT_NOTHING_CODES.has(code);
	const what = timedOut ? 'timed out' : code === 'ERR_CANCELED' ? 'was cancelled' : `failed (${code})`;
	return new TransportError(`Request to ${hostOf(request.url)} ${what}`, { code, sentNothing, timedOut });
}

function errorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6 && !seen.has(e); depth++) {
		seen.add(e);
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		e = (e as { cause?: unknown }).cause;
	}
	return undefined;
}

function errorTexts(error: unknown): string[] {
	const texts: string[] = [];
	const seen = new Set<unknown>();
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6 && !seen.has(e); depth++) {
		seen.add(e);
		const { message, messages } = e as { message?: unknown; messages?: unknown };
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(messages)) texts.push(...messages.filter((m): m is string => typeof m === 'string'));
		e = (e as { cause?: unknown }).cause;
	}
	return texts;
}

function isTimeoutReason(signal: AbortSignal): boolean {
	const reason = signal.reason as { name?: unknown } | undefined;
	return reason?.name === 'TimeoutError';
}
