import type { IDataObject } from 'n8n-workflow';

import type { WaitConfig } from './config';
import type { Answer } from './outcome';
import { fieldName } from './page';

/** What a browser POSTed: the answer, or what to show again with the problems marked. */
export type ParsedAnswer =
	| { ok: true; answer: Answer }
	| { ok: false; values: Record<string, string>; errors: Record<string, string> };

const MAX_TEXT = 10_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A form value as text: a repeated field arrives as a list (the last one counts), anything else is
 * ignored. Browsers send a textarea's line breaks as CRLF (HTML's form encoding); the workflow gets
 * them as \n, as typed, so an answer compares and splits the same whichever browser sent it.
 */
function valueOf(body: IDataObject, name: string): string {
	let value = body[name];
	if (Array.isArray(value)) value = value[value.length - 1];
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
}

/**
 * The answer the page's form sent, checked the way the page asks for it (the browser checks too,
 * but a POST need not come from the page): required fields, numbers, emails, dropdown choices.
 */
export function parseAnswer(config: WaitConfig, received: IDataObject): ParsedAnswer {
	// n8n hands a multipart form over as { data: fields, files }, a urlencoded one as the fields.
	const body =
		received.data && typeof received.data === 'object' && !Array.isArray(received.data)
			? (received.data as IDataObject)
			: received;
	if (config.responseType === 'approval') {
		const decision = valueOf(body, 'decision');
		if (decision === 'approve') return { ok: true, answer: { approved: true } };
		if (decision === 'decline' && config.approval.double) return { ok: true, answer: { approved: false } };
		return { ok: false, values: {}, errors: { decision: 'Choose one of the buttons.' } };
	}
	if (config.responseType === 'freeText') {
		const name = fieldName(0);
		const text = valueOf(body, name);
		if (text.trim() === '') return { ok: false, values: { [name]: text }, errors: { [name]: 'Write an answer.' } };
		if (text.length > MAX_TEXT)
			return { ok: false, values: { [name]: text }, errors: { [name]: `At most ${MAX_TEXT} characters.` } };
		return { ok: true, answer: { text } };
	}

	const values: Record<string, string> = {};
	const errors: Record<string, string> = {};
	const fields: IDataObject = {};
	config.fields.forEach((field, index) => {
		const name = fieldName(index);
		const raw = valueOf(body, name);
		values[name] = raw;
		const value = field.type === 'textarea' || field.type === 'text' ? raw : raw.trim();
		if (value.trim() === '') {
			if (field.required) errors[name] = 'This field is required.';
			fields[field.label] = field.type === 'number' ? null : '';
			return;
		}
		if (value.length > MAX_TEXT) {
			errors[name] = `At most ${MAX_TEXT} characters.`;
			return;
		}
		switch (field.type) {
			case 'number': {
				const number = Number(value);
				if (!Number.isFinite(number)) errors[name] = 'Enter a number.';
				else fields[field.label] = number;
				return;
			}
			case 'email':
				if (!EMAIL.test(value)) errors[name] = 'Enter an email address.';
				else fields[field.label] = value;
				return;
			case 'dropdown':
				if (!field.options.includes(value)) errors[name] = 'Choose one of the options.';
				else fields[field.label] = value;
				return;
			default:
				fields[field.label] = value;
		}
	});
	if (Object.keys(errors).length) return { ok: false, values, errors };
	return { ok: true, answer: { fields } };
}
