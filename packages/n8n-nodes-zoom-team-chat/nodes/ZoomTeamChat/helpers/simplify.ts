import type { IDataObject } from 'n8n-workflow';

function pick(source: IDataObject, keys: readonly string[]): IDataObject {
	const out: IDataObject = {};
	for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
	return out;
}

const MESSAGE_KEYS = [
	'id',
	'message',
	'sender',
	'sender_display_name',
	'date_time',
	'timestamp',
	'reply_main_message_id',
	'message_type',
	'file_id',
	'file_name',
	'files',
	'message_url',
] as const;
const CHANNEL_KEYS = ['id', 'name', 'type', 'jid', 'channel_url'] as const;
const MEMBER_KEYS = ['id', 'member_id', 'email', 'first_name', 'last_name', 'name', 'role'] as const;
const CONTACT_KEYS = ['id', 'member_id', 'email', 'first_name', 'last_name', 'presence_status'] as const;

export const simplifyMessage = (m: IDataObject) => pick(m, MESSAGE_KEYS);
export const simplifyChannel = (c: IDataObject) => pick(c, CHANNEL_KEYS);
export const simplifyMember = (m: IDataObject) => pick(m, MEMBER_KEYS);
export const simplifyContact = (c: IDataObject) => pick(c, CONTACT_KEYS);
