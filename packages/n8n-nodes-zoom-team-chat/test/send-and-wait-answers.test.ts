/**
 * Send and Wait for Response: what a browser's POST of the answer page becomes in the output. Real
 * browsers encode a textarea's line breaks as CRLF (HTML's multipart and urlencoded form
 * encodings), while the workflow should see the answer as typed, with \n.
 */
import { describe, expect, it } from 'vitest';
import type { IDataObject } from 'n8n-workflow';

import { parseAnswer } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/answer';
import type { FormField, WaitConfig } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/config';

function config(responseType: WaitConfig['responseType'], fields: FormField[] = []): WaitConfig {
	return {
		responseType,
		question: 'Why?',
		title: 'Response requested',
		approval: { double: true, approveLabel: 'Approve', declineLabel: 'Decline' },
		buttonLabel: 'Respond',
		submitLabel: 'Submit',
		fields,
		attribution: false,
		approvers: [],
	};
}

const field = (label: string, type: FormField['type'], options: string[] = []): FormField => ({
	label,
	type,
	required: false,
	placeholder: '',
	options,
});

/** n8n hands a multipart form to the node as { data: fields, files }. */
const multipart = (fields: IDataObject): IDataObject => ({ data: fields, files: {} });

describe('send and wait: the answer as the workflow gets it', () => {
	it('free text: CRLF and lone CR line breaks from a browser become \\n', () => {
		const parsed = parseAnswer(
			config('freeText'),
			multipart({ 'field-0': 'Budget is frozen\r\nuntil Q3\rthen\nreview' }),
		);
		expect(parsed).toEqual({ ok: true, answer: { text: 'Budget is frozen\nuntil Q3\nthen\nreview' } });
	});

	it('custom form: a textarea and a text field get \\n too; other values are unchanged', () => {
		const parsed = parseAnswer(
			config('customForm', [field('Notes', 'textarea'), field('Name', 'text'), field('Risk', 'dropdown', ['Low'])]),
			{ 'field-0': 'one\r\ntwo', 'field-1': 'Jill\r\nChill', 'field-2': 'Low' },
		);
		expect(parsed).toEqual({ ok: true, answer: { fields: { Notes: 'one\ntwo', Name: 'Jill\nChill', Risk: 'Low' } } });
	});

	it('a free-text answer of only line breaks is still empty', () => {
		const parsed = parseAnswer(config('freeText'), multipart({ 'field-0': '\r\n\r\n' }));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors['field-0']).toBe('Write an answer.');
	});
});
