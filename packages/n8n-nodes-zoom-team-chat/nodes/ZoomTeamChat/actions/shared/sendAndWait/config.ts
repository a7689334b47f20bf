import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Reads a node parameter. execute() reads item 0 (one message per run, like n8n's own
 * send-and-wait nodes); webhook() reads the same parameters, which n8n resolves against the waiting
 * node's input items, so both see the same question, labels and fields.
 */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

export type ResponseType = 'approval' | 'freeText' | 'customForm';

export type FieldType = 'text' | 'number' | 'email' | 'dropdown' | 'textarea';

export interface FormField {
	label: string;
	type: FieldType;
	required: boolean;
	placeholder: string;
	/** A dropdown's choices. */
	options: string[];
}

export interface WaitConfig {
	responseType: ResponseType;
	question: string;
	title: string;
	approval: { double: boolean; approveLabel: string; declineLabel: string };
	/** The link (or button) in Zoom that opens the page, for free text and forms. */
	buttonLabel: string;
	submitLabel: string;
	fields: FormField[];
	attribution: boolean;
	/** Chatbot only: who may answer (user IDs or JIDs, lower-cased); empty: anyone who can see the card. */
	approvers: string[];
}

const FIELD_TYPES: FieldType[] = ['text', 'number', 'email', 'dropdown', 'textarea'];

/** Form fields and labels end up in HTML and in Zoom messages: bounded so one typo cannot flood either. */
export const MAX_FORM_FIELDS = 30;
const MAX_LABEL = 200;

function text(value: unknown, fallback = ''): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return fallback;
}

function label(value: unknown, fallback: string): string {
	const t = text(value).trim();
	return (t || fallback).slice(0, MAX_LABEL);
}

export function readResponseType(read: ParameterReader): ResponseType {
	const value = read('responseType', 'approval');
	return value === 'freeText' || value === 'customForm' ? value : 'approval';
}

export function readWaitConfig(read: ParameterReader, node: INode): WaitConfig {
	const responseType = readResponseType(read);
	const options = (read('options', {}) ?? {}) as IDataObject;
	const approvalValues = (((read('approvalOptions', {}) ?? {}) as IDataObject).values ?? {}) as IDataObject;
	const question = text(read('message', ''));
	if (question.trim() === '') {
		throw new NodeOperationError(node, 'The parameter "Message" is empty: write the question to ask');
	}
	const fields = responseType === 'customForm' ? readFormFields(read, node) : [];
	return {
		responseType,
		question,
		title: label(options.title, responseType === 'approval' ? 'Approval requested' : 'Response requested'),
		approval: {
			double: approvalValues.approvalType === 'double',
			approveLabel: label(approvalValues.approveLabel, 'Approve'),
			declineLabel: label(approvalValues.disapproveLabel, 'Decline'),
		},
		buttonLabel: label(options.messageButtonLabel, 'Respond'),
		submitLabel: label(options.responseFormButtonLabel, 'Submit'),
		fields,
		attribution: options.appendAttribution !== false,
		approvers: readApprovers(options.approvers, node),
	};
}

/** "Approvers": user IDs or JIDs, as Zoom's click events name the user (they carry no email). */
export function readApprovers(value: unknown, node: INode): string[] {
	const list = text(value)
		.split(/[\s,;]+/)
		.map((v) => v.trim().toLowerCase())
		.filter(Boolean);
	const emails = list.filter((v) => /@/.test(v) && !/@xmpp\./.test(v));
	if (emails.length) {
		throw new NodeOperationError(node, `Approvers: "${emails[0]}" looks like an email address`, {
			description:
				"Zoom's button events name the user who clicked by user ID and JID, never by email. List user IDs (e.g. KdYKjnimT4KPd8KKdQt9FQ) or JIDs (kdykjnimt4kpd8kkdqt9fq@xmpp.zoom.us): the Zoom Team Chat Trigger outputs them as payload.userId and payload.userJid, and the Contact resource's Get returns a user's ID.",
		});
	}
	return [...new Set(list)];
}

/** Whether the user who clicked is one of `approvers` (a JID's local part is the lower-cased user ID). */
export function isApprover(approvers: string[], user: { userId?: unknown; userJid?: unknown }): boolean {
	if (!approvers.length) return true;
	const id = text(user.userId).trim().toLowerCase();
	const jid = text(user.userJid).trim().toLowerCase();
	const known = new Set([id, jid, jid.split('@')[0] ?? ''].filter(Boolean));
	return approvers.some((a) => known.has(a) || known.has(a.split('@')[0] ?? ''));
}

function parseJsonFields(value: unknown, node: INode): unknown[] {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(node, `The form fields are not valid JSON: ${(error as Error).message}`, {
				description: 'Form Fields (JSON) takes a list like [{ "fieldLabel": "Name", "requiredField": true }]',
			});
		}
	}
	if (!Array.isArray(parsed)) {
		throw new NodeOperationError(node, 'The form fields JSON must be a list of fields', {
			description: 'For example [{ "fieldLabel": "Name", "requiredField": true }]',
		});
	}
	return parsed;
}

function optionsOf(raw: IDataObject): string[] {
	if (Array.isArray(raw.options)) return raw.options.map((o) => text(o).trim()).filter(Boolean);
	const values = ((raw.fieldOptions as IDataObject | undefined)?.values ?? []) as IDataObject[];
	return Array.isArray(values) ? values.map((v) => text(v?.option).trim()).filter(Boolean) : [];
}

/** The Custom Form's fields from the list or the JSON, checked before anything is sent to Zoom. */
export function readFormFields(read: ParameterReader, node: INode): FormField[] {
	const raw =
		read('defineForm', 'fields') === 'json'
			? parseJsonFields(read('jsonOutput', '[]'), node)
			: ((((read('formFields', {}) ?? {}) as IDataObject).values ?? []) as unknown[]);
	if (!Array.isArray(raw) || raw.length === 0) {
		throw new NodeOperationError(node, 'The form has no fields: add at least one under Form Fields');
	}
	if (raw.length > MAX_FORM_FIELDS) {
		throw new NodeOperationError(node, `The form has ${raw.length} fields; at most ${MAX_FORM_FIELDS} are supported`);
	}
	const seen = new Set<string>();
	return raw.map((entry, index) => {
		const field = (entry && typeof entry === 'object' ? entry : {}) as IDataObject;
		const where = `Form field ${index + 1}`;
		const fieldLabel = text(field.fieldLabel).trim();
		if (!fieldLabel) throw new NodeOperationError(node, `${where} has no label (fieldLabel)`);
		if (fieldLabel.length > MAX_LABEL)
			throw new NodeOperationError(node, `${where}: the label is longer than ${MAX_LABEL} characters`);
		if (seen.has(fieldLabel)) {
			throw new NodeOperationError(node, `Two form fields are labelled "${fieldLabel}"`, {
				description: 'The label is the key of the answer in the output (fields.<label>), so each must be unique.',
			});
		}
		seen.add(fieldLabel);
		const type = (text(field.fieldType).trim() || 'text') as FieldType;
		if (!FIELD_TYPES.includes(type)) {
			throw new NodeOperationError(node, `${where} ("${fieldLabel}"): the type "${type}" is not supported`, {
				description: `Use one of: ${FIELD_TYPES.join(', ')}.`,
			});
		}
		const options = type === 'dropdown' ? optionsOf(field) : [];
		if (type === 'dropdown' && options.length === 0) {
			throw new NodeOperationError(node, `${where} ("${fieldLabel}") is a dropdown without options`);
		}
		return {
			label: fieldLabel,
			type,
			required: field.requiredField === true || field.requiredField === 'true',
			placeholder: text(field.placeholder).slice(0, MAX_LABEL),
			options,
		};
	});
}

/** n8n's WAIT_INDEFINITELY (year 3000): the WaitTracker never picks it up. */
export const WAIT_INDEFINITELY = new Date('3000-01-01T00:00:00.000Z');

const UNIT_SECONDS: Record<string, number> = { minutes: 60, hours: 3600, days: 86_400 };

/** When to stop waiting: Options → Limit Wait Time, else never. */
export function waitTillOf(read: ParameterReader, node: INode, now: number): Date {
	const limit = (((read('options', {}) ?? {}) as IDataObject).limitWaitTime as IDataObject | undefined)?.values as
		| IDataObject
		| undefined;
	if (!limit || Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	let waitTill: Date;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = limit.maxDateAndTime;
		waitTill = new Date(typeof at === 'string' || typeof at === 'number' ? at : NaN);
	} else {
		const amount = Number(limit.resumeAmount ?? 45);
		const unit = UNIT_SECONDS[text(limit.resumeUnit, 'minutes')] ?? 60;
		if (!Number.isFinite(amount) || amount <= 0) {
			throw new NodeOperationError(node, 'Limit Wait Time: the amount must be a number above 0');
		}
		waitTill = new Date(now + amount * unit * 1000);
	}
	if (Number.isNaN(waitTill.getTime())) {
		throw new NodeOperationError(node, 'Limit Wait Time: the date and time is not valid', {
			description: 'Set Max Date and Time to a date, e.g. 2025-06-30T17:00:00',
		});
	}
	return waitTill;
}
