import type { IDataObject } from 'n8n-workflow';

function asObject(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

function strings(...values: unknown[]): string[] {
	return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** The part of a JID before "@" (channel and user JIDs carry the ID there). */
export function jidLocalPart(value: string): string {
	const at = value.indexOf('@');
	return at === -1 ? value : value.slice(0, at);
}

/** IDs (and JIDs) of the channel an event happened in; empty for events outside channels. */
export function eventChannelIds(event: IDataObject): string[] {
	const payload = asObject(event.payload);
	const object = asObject(payload.object);
	const ids = strings(object.channel_id, object.channelId, payload.channel_id, payload.channelId, object.channel_jid);
	// Chatbot events address channels by JID in toJid (a user's JID for one-to-one chats).
	if (typeof payload.toJid === 'string' && payload.toJid.includes('@conference.')) ids.push(payload.toJid);
	return [...new Set(ids.flatMap((id) => [id, jidLocalPart(id)]))];
}

/** Who caused an event: emails, user IDs, member IDs and JIDs of the sender or operator. */
export function eventSenderIds(event: IDataObject): string[] {
	const payload = asObject(event.payload);
	const object = asObject(payload.object);
	const ids = strings(
		payload.operator,
		payload.operator_id,
		payload.operator_member_id,
		payload.userJid,
		payload.userId,
		object.sender,
		object.sender_id,
		object.sender_member_id,
		object.operator,
		object.operator_id,
	);
	return [...new Set(ids.flatMap((id) => [id.toLowerCase(), jidLocalPart(id).toLowerCase()]))];
}

export function matchesChannel(event: IDataObject, wanted: readonly string[]): boolean {
	if (wanted.length === 0) return true;
	const wantedIds = new Set(wanted.flatMap((w) => [w, jidLocalPart(w)]));
	return eventChannelIds(event).some((id) => wantedIds.has(id));
}

export function isFromAny(event: IDataObject, identities: readonly string[]): boolean {
	if (identities.length === 0) return false;
	const own = new Set(identities.flatMap((id) => [id.toLowerCase(), jidLocalPart(id).toLowerCase()]));
	return eventSenderIds(event).some((id) => own.has(id));
}
