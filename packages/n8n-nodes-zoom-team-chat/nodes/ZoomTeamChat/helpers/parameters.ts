import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiAuthentication } from '../../shared/client';

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
	const locator = typeof raw === 'object' && raw !== null ? raw : { mode: 'id', value: raw };
	const value = String(locator.value ?? '').trim();
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
		throw new NodeOperationError(this.getNode(), `The parameter "${name}" is empty: choose a channel`, { itemIndex: i });
	}
	return id;
}

/** A contact as Zoom takes it in `to_contact`: an email, a user ID or a member ID. */
export function resolveContact(this: IExecuteFunctions, name: string, i: number): string {
	const raw = this.getNodeParameter(name, i) as INodeParameterResourceLocator | string;
	const value = String((typeof raw === 'object' && raw !== null ? raw.value : raw) ?? '').trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `The parameter "${name}" is empty: choose a contact`, { itemIndex: i });
	}
	return value;
}

/** `{ to_channel }` or `{ to_contact }` from the node's Send To / Channel / Contact parameters. */
export function resolveConversation(this: IExecuteFunctions, i: number): { to_channel: string } | { to_contact: string } {
	const target = this.getNodeParameter('target', i) as string;
	if (target === 'contact') return { to_contact: resolveContact.call(this, 'contactId', i) };
	return { to_channel: resolveChannelId.call(this, 'channelId', i) };
}

/** The user a Server-to-Server app acts for; user-level apps always act for their own user. */
export function actingUser(this: IExecuteFunctions, authentication: ApiAuthentication, i: number): string {
	if (authentication !== 'serverToServerOAuth') return 'me';
	const user = String(this.getNodeParameter('actAsUser', i, 'me') ?? '').trim();
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

export function toZoomDate(this: IExecuteFunctions, name: string, value: unknown, i: number): string {
	return toZoomDateTime.call(this, name, value, i).slice(0, 10);
}
