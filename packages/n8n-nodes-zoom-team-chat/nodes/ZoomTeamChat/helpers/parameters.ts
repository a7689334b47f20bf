import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiAuthentication } from '../../shared/client';

/**
 * The text of a string parameter, trimmed; '' when it is missing (an expression that resolved to
 * undefined or null). Expressions can hand over any type: a number is taken as its digits, since
 * IDs and text fields take it so; anything else is refused naming the field (`label`, the name the
 * user sees) instead of crashing on `.trim()` or sending "[object Object]" to Zoom.
 */
function textOf(this: IExecuteFunctions, value: unknown, label: string, i: number, keepSpaces = false): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return keepSpaces ? value : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new NodeOperationError(this.getNode(), `The parameter "${label}" must be text, not ${kindOf(value)}`, {
		itemIndex: i,
		description: `Got ${preview(value)}. Check the expression that sets "${label}".`,
	});
}

function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return 'a number that is not finite';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** A short, single-line rendering of a refused value for the error's description. */
function preview(value: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = String(value);
	}
	return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function isLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface StringParameterOptions {
	/** Keep leading and trailing whitespace (message text); a blank value is still refused. */
	keepSpaces?: boolean;
}

/**
 * A string parameter that must not be empty (an ID, a JID, a text): trimmed unless `keepSpaces`.
 * Missing, null, blank, an object, a list or a boolean → a NodeOperationError naming `label`.
 */
export function requiredString(
	this: IExecuteFunctions,
	name: string,
	i: number,
	label: string,
	options: StringParameterOptions = {},
): string {
	const value = textOf.call(this, this.getNodeParameter(name, i, null), label, i, options.keepSpaces);
	if (value.trim() === '') {
		throw new NodeOperationError(this.getNode(), `The parameter "${label}" is empty`, { itemIndex: i });
	}
	return value;
}

/** An optional string parameter, trimmed unless `keepSpaces` ('' when unset); a wrong type is refused naming `label`. */
export function optionalString(
	this: IExecuteFunctions,
	name: string,
	i: number,
	label: string,
	options: StringParameterOptions = {},
): string {
	return textOf.call(this, this.getNodeParameter(name, i, ''), label, i, options.keepSpaces);
}

/**
 * A count (Limit) from a number field or an expression: a whole number from 1 to `max`. n8n only
 * enforces the field's minValue/maxValue in the editor, so 0, 1.5 or `true` from an expression
 * arrive here; 0 would silently return nothing and 1.5 would fail later on Zoom's page_size.
 */
export function positiveInteger(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	i: number,
	max?: number,
): number {
	const number =
		typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(number) || number < 1 || (max !== undefined && number > max)) {
		const range = max === undefined ? 'a whole number of at least 1' : `a whole number from 1 to ${max}`;
		throw new NodeOperationError(this.getNode(), `The parameter "${label}" must be ${range}`, {
			itemIndex: i,
			description: `Got ${preview(value)}.`,
		});
	}
	return number;
}

/** A boolean switch set by an expression may arrive as "true"/"false"; anything else is refused. */
export function booleanParameter(
	this: IExecuteFunctions,
	name: string,
	i: number,
	label: string,
	fallback: boolean,
): boolean {
	const value = this.getNodeParameter(name, i, fallback) as unknown;
	if (typeof value === 'boolean') return value;
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
	throw new NodeOperationError(this.getNode(), `The parameter "${label}" must be true or false`, {
		itemIndex: i,
		description: `Got ${preview(value)}.`,
	});
}

/** The Return All / Limit pair of list operations: undefined for all, else the checked limit. */
export function limitOf(this: IExecuteFunctions, i: number): number | undefined {
	if (booleanParameter.call(this, 'returnAll', i, 'Return All', false)) return undefined;
	return positiveInteger.call(this, this.getNodeParameter('limit', i, null), 'Limit', i);
}

/** Zoom's channel links carry base64 JSON whose `sid` is `<channelId>@conference.xmpp…`. */
export function channelIdFromUrl(url: string): string | undefined {
	const match = /\/launch\/chat\/v2\/([A-Za-z0-9_=+/-]+)/.exec(url);
	if (!match?.[1]) return undefined;
	const decoded = Buffer.from(match[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
	const sid = /"sid"\s*:\s*"([^"@]+)/.exec(decoded);
	return sid?.[1];
}

/** A channel ID from any of the resource locator's modes; a JID is reduced to its ID. */
export function resolveChannelId(this: IExecuteFunctions, name: string, i: number): string {
	const raw = this.getNodeParameter(name, i) as INodeParameterResourceLocator | string;
	const locator = isLocator(raw) ? raw : { mode: 'id', value: raw };
	const value = textOf.call(this, locator.value, 'Channel', i);
	let id: string | undefined = value;
	if (locator.mode === 'url') {
		id = channelIdFromUrl(value);
		if (!id) {
			throw new NodeOperationError(this.getNode(), `"${value}" is not a Zoom channel link`, {
				itemIndex: i,
				description: 'Paste a link like https://zoom.us/launch/chat/v2/eyJzaWQiOi… (channel → Copy link)',
			});
		}
	}
	id = id.replace(/@conference\..*$/i, '');
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'The parameter "Channel" is empty: choose a channel', {
			itemIndex: i,
		});
	}
	return id;
}

/** A contact as Zoom takes it in `to_contact`: an email, a user ID or a member ID. */
export function resolveContact(this: IExecuteFunctions, name: string, i: number): string {
	const raw = this.getNodeParameter(name, i) as INodeParameterResourceLocator | string;
	const value = textOf.call(this, isLocator(raw) ? raw.value : raw, 'Contact', i);
	if (!value) {
		throw new NodeOperationError(this.getNode(), 'The parameter "Contact" is empty: choose a contact', {
			itemIndex: i,
		});
	}
	return value;
}

/** `{ to_channel }` or `{ to_contact }` from the node's Send To / Channel / Contact parameters. */
export function resolveConversation(
	this: IExecuteFunctions,
	i: number,
): { to_channel: string } | { to_contact: string } {
	const target = this.getNodeParameter('target', i) as string;
	if (target === 'contact') return { to_contact: resolveContact.call(this, 'contactId', i) };
	return { to_channel: resolveChannelId.call(this, 'channelId', i) };
}

/** The user a Server-to-Server app acts for; user-level apps always act for their own user. */
export function actingUser(this: IExecuteFunctions, authentication: ApiAuthentication, i: number): string {
	if (authentication !== 'serverToServerOAuth') return 'me';
	const user = textOf.call(this, this.getNodeParameter('actAsUser', i, 'me'), 'Act As User', i);
	return user || 'me';
}

/** Comma or newline separated text, or an array, as a list of non-empty trimmed strings. */
export function toList(value: unknown): string[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(/[,\n]/);
	return items.map((v) => String(v).trim()).filter((v) => v.length > 0);
}

/** A JSON parameter: n8n hands over an object, or a string when typed by hand. */
export function jsonParameter(this: IExecuteFunctions, name: string, i: number, fallback: unknown): unknown {
	const value = this.getNodeParameter(name, i, fallback) as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return fallback;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return parseFailure.call(this, name, i);
	}
}

function parseFailure(this: IExecuteFunctions, name: string, i: number): never {
	throw new NodeOperationError(this.getNode(), `The parameter "${name}" is not valid JSON`, { itemIndex: i });
}

/** "👍", "U+1F44D" or "1f44d" as Zoom's `U+1F44D` (code points joined by a space). */
export function toZoomEmoji(input: string): string {
	const text = input.trim();
	if (/^(U\+[0-9A-F]{4,6})( U\+[0-9A-F]{4,6})*$/i.test(text)) return text.toUpperCase();
	if (/^[0-9A-F]{4,6}$/i.test(text)) return `U+${text.toUpperCase()}`;
	return [...text]
		.map((c) => c.codePointAt(0) ?? 0)
		.filter((cp) => cp !== 0xfe0f) // the emoji presentation selector is not part of Zoom's code
		.map((cp) => `U+${cp.toString(16).toUpperCase()}`)
		.join(' ');
}

/** Drops keys whose value is undefined, null or an empty string. */
export function compact(object: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === undefined || value === null || value === '') continue;
		out[key] = value;
	}
	return out;
}

/** n8n's dateTime values ("2024-05-01T10:00:00" or with zone) as Zoom's `yyyy-MM-ddTHH:mm:ssZ`. */
export function toZoomDateTime(this: IExecuteFunctions, name: string, value: unknown, i: number): string {
	const date = new Date(String(value));
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(this.getNode(), `The parameter "${name}" is not a date and time: "${String(value)}"`, {
			itemIndex: i,
		});
	}
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * How far back Zoom lists chat messages ("recent 6 months"): six months are at most 184 days, and
 * Zoom (like the simulator) refuses a start more than 183 days ago.
 */
export const MESSAGE_HISTORY_DAYS = 183;

const DAY_MS = 86_400_000;

/** A YYYY-MM-DD that names a real day (not 2024-02-30). */
function isCalendarDay(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A day for Zoom's `date` (YYYY-MM-DD). Typed text and n8n's date picker ("2024-05-01T00:00:00")
 * give the day as written: converting them through a Date would move it to UTC, and so to the day
 * before or after wherever n8n does not run on UTC. A Luxon DateTime (`{{ $now }}`) keeps its own
 * zone; a JavaScript Date is read in the workflow's timezone.
 */
export function toZoomDay(this: IExecuteFunctions, label: string, value: unknown, i: number): string {
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (value instanceof Date && !Number.isNaN(value.getTime())) {
		// en-CA writes dates as YYYY-MM-DD.
		text = new Intl.DateTimeFormat('en-CA', {
			timeZone: this.getTimezone(),
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(value);
	} else if (value && typeof value === 'object' && typeof (value as { toISODate?: unknown }).toISODate === 'function') {
		text = String((value as { toISODate: () => string | null }).toISODate() ?? '');
	}
	const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
	if (!match || !isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) {
		throw new NodeOperationError(this.getNode(), `The parameter "${label}" must be a day written as YYYY-MM-DD`, {
			itemIndex: i,
			description: `Got ${preview(value)}. Write the day like 2025-03-31, or leave "${label}" empty for today.`,
		});
	}
	return `${match[1]}-${match[2]}-${match[3]}`;
}

/**
 * Refuses a day or time Zoom no longer lists messages for, naming the field: Zoom's own answer
 * ("Only provide past chat messages in recent 6 months", code 300) names neither the field nor
 * the limit's start.
 */
export function checkMessageHistory(
	this: IExecuteFunctions,
	label: string,
	start: string,
	i: number,
	now = Date.now(),
): void {
	const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(start) ? `${start}T00:00:00Z` : start);
	if (now - at <= MESSAGE_HISTORY_DAYS * DAY_MS) return;
	const earliest = new Date(Math.ceil((now - MESSAGE_HISTORY_DAYS * DAY_MS) / DAY_MS) * DAY_MS)
		.toISOString()
		.slice(0, 10);
	throw new NodeOperationError(
		this.getNode(),
		`The parameter "${label}" is more than 6 months ago (${start.slice(0, 10)})`,
		{
			itemIndex: i,
			description: `Zoom lists chat messages of the last 6 months only: choose ${earliest} or later.`,
		},
	);
}
