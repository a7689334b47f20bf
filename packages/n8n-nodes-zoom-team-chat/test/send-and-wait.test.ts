/**
 * Send and Wait for Response: the question posted in Zoom (then edited to carry the signed link or
 * the buttons), the answer page (GET shows, only POST answers), the output per response type, the
 * message edited once answered, n8n 1.x/2.x resume-URL API detection, the timeout output, and the
 * trigger forwarding chatbot clicks to resume URLs of its own n8n only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IDataObject, INodeExecutionData, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { signWebhook } from '@zoom-team-chat/core/portable';
import type { AdminUser, Simulator } from '@zoom-team-chat/simulator';

import { forgetAnswers } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/webhook';
import { decodeState } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/resume';
import { escapeHtml } from '../nodes/ZoomTeamChat/actions/shared/sendAndWait/page';
import { FORWARDED_CLICK, ownResumeUrl } from '../nodes/shared/send-and-wait-link';
import { webhookContext } from './helpers/contexts';
import { answer, ask, isSignedByN8n, linkIn, N8N_ORIGIN, signResumeUrl, type Answered } from './helpers/send-and-wait';
import { credentialsFor, startTestSimulator } from './helpers/simulator';
import { triggerNode } from './helpers/trigger';

const TRIGGER_URL = `${N8N_ORIGIN}/webhook/5d1c/webhook`;

let sim: Simulator;
let general: { id: string; jid: string };
let owner: AdminUser;
let blake: AdminUser;
let casey: AdminUser;
/** Raw webhook requests the simulator sent (to the trigger's URL). */
const sent: Array<{ url: string; headers: Record<string, string>; body: string }> = [];

beforeAll(async () => {
	sim = await startTestSimulator({
		webhooks: {
			fetch: async (input, init) => {
				const headers: Record<string, string> = {};
				new Headers(init?.headers).forEach((value, name) => {
					headers[name] = value;
				});
				const body =
					typeof init?.body === 'string' ? init.body : Buffer.from(init?.body as Uint8Array).toString('utf8');
				sent.push({ url: String(input), headers, body });
				const event = JSON.parse(body) as IDataObject;
				if (event.event === 'endpoint.url_validation') {
					const delivery = await triggerDelivery(headers, body);
					return new Response(JSON.stringify(delivery.body), {
						status: delivery.status,
						headers: { 'content-type': 'application/json' },
					});
				}
				return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
			},
		},
	});
});

afterAll(async () => {
	await sim.close();
});

beforeEach(async () => {
	await sim.reset();
	forgetAnswers();
	sent.length = 0;
	const users = await sim.admin.users();
	owner = users.find((u) => u.role === 'owner')!;
	blake = users.find((u) => u.email.startsWith('blake'))!;
	casey = users.find((u) => u.email.startsWith('casey'))!;
	general = (await sim.admin.channels()).find((c) => c.name === 'general')!;
});

const inChannel = (extra: IDataObject = {}): IDataObject => ({
	resource: 'message',
	operation: 'sendAndWait',
	target: 'channel',
	channelId: { __rl: true, mode: 'id', value: general.id },
	message: 'Approve the <b>Q3</b> budget & "travel"?',
	responseType: 'approval',
	approvalOptions: { values: { approvalType: 'double', approveLabel: 'Yes', disapproveLabel: 'No' } },
	options: {},
	...extra,
});

async function latestMessageIn(channelId: string) {
	const messages = await sim.admin.channelMessages(channelId);
	return messages[messages.length - 1]!;
}

async function askInChannel(extra: IDataObject = {}, api: '1' | '2' = '1') {
	const parameters = inChannel(extra);
	const asked = await ask(sim, parameters, { api });
	const message = await latestMessageIn(general.id);
	return { ...asked, parameters, message, url: linkIn(message.text) };
}

describe('send and wait: the question in Zoom', () => {
	it('posts the question, then edits it to carry a signed link whose state names the message; the execution waits', async () => {
		const { output, waitTill, signatureRequired, message, url, input } = await askInChannel();
		expect(message.sender).toBe(owner.email);
		expect(
			message.text.startsWith(
				'Approve the <b>Q3</b> budget & "travel"?\n\n👉 Yes or No: http://n8n.test:5678/webhook-waiting/42/node-1?',
			),
		).toBe(true);
		expect(message.text).toContain('Sent automatically with n8n');
		expect(message.history[0]).toContain('Preparing the answer link');
		expect(isSignedByN8n(url)).toBe(true);
		expect(decodeState(new URL(url).searchParams.get('zs'))).toEqual({ ch: general.id, m: message.id });
		expect(signatureRequired).toBe(true);
		expect(waitTill?.toISOString()).toBe('3000-01-01T00:00:00.000Z');
		// n8n drops what execute() returns when the node waits; n8n's own nodes return the input.
		expect(output).toEqual([input]);
	});

	it('sends to a contact (direct message) as the acting user', async () => {
		await ask(
			sim,
			inChannel({
				target: 'contact',
				contactId: { __rl: true, mode: 'email', value: blake.email },
				responseType: 'freeText',
				options: { messageButtonLabel: 'Tell us' },
			}),
		);
		const dm = await sim.admin.directMessages(owner.email, blake.email);
		const message = dm[dm.length - 1]!;
		const url = linkIn(message.text);
		expect(message.text).toContain('👉 Tell us: http');
		expect(decodeState(new URL(url).searchParams.get('zs'))).toEqual({ ct: blake.email, m: message.id });
	});

	it('n8n 2.x: no setSignatureValidationRequired (validation is automatic), same links', async () => {
		const { signatureRequired, url } = await askInChannel({}, '2');
		expect(signatureRequired).toBe(false);
		expect(isSignedByN8n(url)).toBe(true);
	});

	it('an n8n without signed resume URLs: a clear error naming the versions, and nothing is posted', async () => {
		const before = (await sim.admin.channelMessages(general.id)).length;
		const error = await ask(sim, inChannel(), { api: 'none' }).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/too old/);
		expect((error as NodeOperationError).description).toMatch(/n8n 1\.123 and 2\.41/);
		expect((await sim.admin.channelMessages(general.id)).length).toBe(before);
	});

	it('Limit Wait Time sets the wait; the message says until when; a timeout outputs the input flagged timedOut', async () => {
		const started = Date.now();
		const { waitTill, message, stackEntry, input } = await askInChannel({
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' } } },
		});
		expect(waitTill!.getTime()).toBeGreaterThanOrEqual(started + 2 * 3600_000);
		expect(waitTill!.getTime()).toBeLessThan(Date.now() + 2 * 3600_000 + 1000);
		expect(message.text).toMatch(/Answer by \d\d:\d\d UTC on \d{4}-\d\d-\d\d\./);
		// What n8n's disabled node passes on when the WaitTracker resumes it: the stack entry's input.
		expect(stackEntry.data.main).toEqual([
			[{ json: { request: 'original input', timedOut: true, messageId: message.id } }],
		]);
		// The previous node's output (the original input array) is left as it was.
		expect(input).toEqual([{ json: { request: 'original input' } }]);
	});

	it('At Specified Time: an invalid date is refused before anything is posted', async () => {
		const before = (await sim.admin.channelMessages(general.id)).length;
		await expect(
			ask(
				sim,
				inChannel({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: 'soon' } } } }),
			),
		).rejects.toThrow(/not valid/);
		expect((await sim.admin.channelMessages(general.id)).length).toBe(before);
	});

	it('a question too long for Zoom with its link is refused before posting (the 1024-character limit)', async () => {
		await expect(ask(sim, inChannel({ message: 'x'.repeat(900) }))).rejects.toThrow(/too long/);
	});

	it('continue on fail: a Zoom error becomes an error item and the execution does not wait', async () => {
		const result = await ask(sim, inChannel({ channelId: { __rl: true, mode: 'id', value: 'no-such-channel' } }), {
			continueOnFail: true,
		});
		expect(result.waitTill).toBeUndefined();
		expect(result.output[0]![0]!.json.error).toBeTruthy();
	});

	it('custom form definitions are checked before posting', async () => {
		await expect(
			ask(
				sim,
				inChannel({
					responseType: 'customForm',
					defineForm: 'json',
					jsonOutput: '[{"fieldLabel":"A","fieldType":"file"}]',
				}),
			),
		).rejects.toThrow(/not supported/);
		await expect(
			ask(
				sim,
				inChannel({
					responseType: 'customForm',
					defineForm: 'json',
					jsonOutput: '[{"fieldLabel":"A"},{"fieldLabel":"A"}]',
				}),
			),
		).rejects.toThrow(/Two form fields/);
		await expect(
			ask(
				sim,
				inChannel({
					responseType: 'customForm',
					defineForm: 'json',
					jsonOutput: '[{"fieldLabel":"Size","fieldType":"dropdown"}]',
				}),
			),
		).rejects.toThrow(/without options/);
		await expect(
			ask(sim, inChannel({ responseType: 'customForm', defineForm: 'json', jsonOutput: 'not json' })),
		).rejects.toThrow(/not valid JSON/);
	});
});

describe('send and wait: the answer page', () => {
	it('GET shows the question escaped, with the buttons, and does not resume or edit anything', async () => {
		const { url, parameters, message } = await askInChannel({
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: '<img src=x onerror=alert(1)>', disapproveLabel: 'No' },
			},
		});
		const page = await answer(sim, url, { method: 'GET', parameters });
		expect(page.status).toBe(200);
		expect(page.resumed).toBeUndefined();
		expect(page.result.noWebhookResponse).toBe(true);
		const html = String(page.body);
		expect(html).toContain('Approve the &lt;b&gt;Q3&lt;/b&gt; budget &amp; &quot;travel&quot;?');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).not.toMatch(/<img|<b>|<script/);
		expect(html).toContain('Asked by the n8n workflow “Expense &lt;approvals&gt;”');
		expect(html).toMatch(/<form method="post" enctype="multipart\/form-data">/);
		expect(html).toContain('name="decision" value="decline"');
		expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
		expect(page.headers['cache-control']).toBe('no-store');
		expect(page.headers['referrer-policy']).toBe('no-referrer');
		expect((await sim.admin.message(message.id)).text).toBe(message.text);
	});

	it('escapeHtml covers the five HTML specials', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
		);
	});

	it('POST "approve" resumes with { approved: true, respondedAt, timedOut: false } and edits the message', async () => {
		const { url, parameters, message } = await askInChannel();
		const before = Date.now();
		const result = await answer(sim, url, { method: 'POST', body: { decision: 'approve' }, parameters });
		expect(result.status).toBe(200);
		expect(String(result.body)).toContain('✅ Approved at');
		expect(result.resumed).toHaveLength(1);
		const json = result.resumed![0]!;
		expect(json).toMatchObject({ approved: true, timedOut: false, messageId: message.id });
		expect(json.respondedBy).toBeUndefined();
		expect(Date.parse(String(json.respondedAt))).toBeGreaterThanOrEqual(before - 1000);
		const edited = await sim.admin.message(message.id);
		expect(edited.status).toBe('Edited');
		expect(edited.text).toMatch(
			/^Approve the <b>Q3<\/b> budget & "travel"\?\n\n✅ Approved at \d\d:\d\d UTC on \d{4}-\d\d-\d\d$/,
		);
		expect(edited.text).not.toContain('http');
	});

	it('POST "decline" resumes with { approved: false }; "decline" on an approve-only question is refused', async () => {
		const first = await askInChannel();
		expect(
			(await answer(sim, first.url, { method: 'POST', body: { decision: 'decline' }, parameters: first.parameters }))
				.resumed?.[0],
		).toMatchObject({ approved: false });
		expect((await sim.admin.message(first.message.id)).text).toContain('❌ Declined at');

		const single = await askInChannel({ approvalOptions: { values: { approvalType: 'single' } } });
		const refused = await answer(sim, single.url, {
			method: 'POST',
			body: { decision: 'decline' },
			parameters: single.parameters,
		});
		expect(refused.status).toBe(400);
		expect(refused.resumed).toBeUndefined();
	});

	it('a second answer (double submit) does not resume again or edit again', async () => {
		const { url, parameters } = await askInChannel();
		expect(
			(await answer(sim, url, { method: 'POST', body: { decision: 'approve' }, parameters })).resumed,
		).toHaveLength(1);
		const second = await answer(sim, url, { method: 'POST', body: { decision: 'decline' }, parameters });
		expect(second.status).toBe(409);
		expect(second.resumed).toBeUndefined();
	});

	it('free text: GET shows a text box, an empty POST shows it again (no resume), a text resumes with { text }', async () => {
		const { url, parameters, message } = await askInChannel({
			responseType: 'freeText',
			message: 'Why the delay?',
			options: { responseFormButtonLabel: 'Send it' },
		});
		const page = String((await answer(sim, url, { method: 'GET', parameters })).body);
		expect(page).toContain('<textarea id="field-0" name="field-0" required');
		expect(page).toContain('>Send it</button>');
		const empty = await answer(sim, url, { method: 'POST', body: { 'field-0': '   ' }, parameters });
		expect(empty.status).toBe(400);
		expect(empty.resumed).toBeUndefined();
		const text = 'The supplier <b>was late</b>.\nSorry!';
		const result = await answer(sim, url, { method: 'POST', body: { 'field-0': text }, parameters });
		expect(result.resumed?.[0]).toMatchObject({ text, timedOut: false, messageId: message.id });
		expect((await sim.admin.message(message.id)).text).toMatch(
			/^Why the delay\?\n\n💬 Answered at .+:\nThe supplier <b>was late<\/b>\.\nSorry!$/,
		);
	});

	it('custom form: fields from the list, checked (required, number, email, dropdown), output as { fields }', async () => {
		const formFields = {
			values: [
				{ fieldLabel: 'Cost center', fieldType: 'text', requiredField: true, placeholder: 'e.g. <CC-1>' },
				{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
				{ fieldLabel: 'Contact', fieldType: 'email' },
				{
					fieldLabel: 'Priority',
					fieldType: 'dropdown',
					fieldOptions: { values: [{ option: 'Low' }, { option: 'High "now"' }] },
				},
				{ fieldLabel: 'Notes', fieldType: 'textarea' },
			],
		};
		const { url, parameters, message } = await askInChannel({
			responseType: 'customForm',
			defineForm: 'fields',
			formFields,
			message: 'Expense details?',
		});
		const page = String((await answer(sim, url, { method: 'GET', parameters })).body);
		expect(page).toContain('placeholder="e.g. &lt;CC-1&gt;"');
		expect(page).toContain('<option value="High &quot;now&quot;">High &quot;now&quot;</option>');
		expect(page).toContain('type="number"');
		expect(page).toContain('type="email"');

		const bad = await answer(sim, url, {
			method: 'POST',
			body: { 'field-0': '', 'field-1': 'ten', 'field-2': 'nope', 'field-3': 'Medium' },
			parameters,
		});
		expect(bad.status).toBe(400);
		expect(bad.resumed).toBeUndefined();
		const html = String(bad.body);
		expect(html).toContain('This field is required.');
		expect(html).toContain('Enter a number.');
		expect(html).toContain('Enter an email address.');
		expect(html).toContain('Choose one of the options.');
		expect(html).toContain('value="ten"');

		// A browser's multipart POST, as n8n hands it over: { data: fields, files }.
		const good = await answer(sim, url, {
			method: 'POST',
			body: {
				data: {
					'field-0': 'CC-7',
					'field-1': '12.5',
					'field-2': 'jill@example.com',
					'field-3': 'High "now"',
					'field-4': '',
				},
				files: {},
			},
			parameters,
		});
		expect(good.resumed?.[0]).toMatchObject({
			fields: { 'Cost center': 'CC-7', Amount: 12.5, Contact: 'jill@example.com', Priority: 'High "now"', Notes: '' },
			timedOut: false,
		});
		expect((await sim.admin.message(message.id)).text).toContain('Cost center: CC-7\nAmount: 12.5');
	});

	it('custom form defined as JSON (n8n Form syntax, and the options shorthand)', async () => {
		const jsonOutput = JSON.stringify([
			{ fieldLabel: 'Name', requiredField: true },
			{ fieldLabel: 'Size', fieldType: 'dropdown', options: ['S', 'M'] },
		]);
		const { url, parameters } = await askInChannel({ responseType: 'customForm', defineForm: 'json', jsonOutput });
		const result = await answer(sim, url, { method: 'POST', body: { 'field-0': 'Jill', 'field-1': 'M' }, parameters });
		expect(result.resumed?.[0]).toMatchObject({ fields: { Name: 'Jill', Size: 'M' } });
	});

	it('a link without its state shows a notice and resumes nothing', async () => {
		const result = await answer(sim, signResumeUrl({}), {
			method: 'POST',
			body: { decision: 'approve' },
			parameters: inChannel(),
		});
		expect(result.status).toBe(400);
		expect(result.resumed).toBeUndefined();
	});

	it('when Zoom refuses the edit, the answer still counts (logged)', async () => {
		const { url, parameters } = await askInChannel();
		await sim.admin.addFault({ operationId: 'editMessage', status: 400, count: 1 });
		const result = await answer(sim, url, { method: 'POST', body: { decision: 'approve' }, parameters });
		await sim.admin.clearFaults();
		expect(result.resumed?.[0]).toMatchObject({ approved: true });
		expect(result.logs.join('\n')).toMatch(/could not be edited/);
	});
});

/** Hands a webhook request from the simulator to the trigger, which may forward it to `forward`. */
async function triggerDelivery(
	headers: Record<string, string>,
	body: string,
	forward?: (options: IHttpRequestOptions) => Promise<unknown>,
	webhookUrl = TRIGGER_URL,
) {
	const context = webhookContext({
		parameters: { authentication: 'chatbot', events: ['interactive_message_actions'], options: {} },
		credentials: credentialsFor(sim),
		headers,
		rawBody: Buffer.from(body),
		webhookUrl,
		httpRequest: forward ?? (async () => await Promise.reject(new Error('test: nothing should be forwarded'))),
	});
	const result = await triggerNode.webhook.call(context);
	return {
		status: result.noWebhookResponse ? context.response.statusCode : 200,
		body: result.noWebhookResponse
			? context.response.body
			: (result.webhookResponse ?? { message: 'Workflow was started' }),
		started: result.workflowData
			? (result.workflowData[0] ?? []).map((item: INodeExecutionData) => item.json)
			: undefined,
	};
}

describe('send and wait: chatbot cards answered with their buttons', () => {
	const cardParameters = (extra: IDataObject = {}): IDataObject => ({
		authentication: 'chatbot',
		resource: 'chatbotMessage',
		operation: 'sendAndWait',
		toJid: general.jid,
		userJid: owner.jid,
		message: 'Deploy <v2> to production?',
		responseType: 'approval',
		approvalOptions: { values: { approvalType: 'double' } },
		options: { title: 'Deploy gate' },
		...extra,
	});

	async function askWithCard(extra: IDataObject = {}) {
		const parameters = cardParameters(extra);
		const asked = await ask(sim, parameters);
		const cards = [...sim.state.botMessages.values()];
		const card = cards[cards.length - 1]!;
		return { ...asked, parameters, card };
	}

	/** A user clicks a card button; the simulator sends Zoom's signed event, which goes to the trigger. */
	async function click(
		messageId: string,
		as: string,
		index: number,
		forwarded: Answered[],
		parameters: IDataObject,
		webhookUrl = TRIGGER_URL,
	) {
		if (!(await sim.admin.webhooks()).some((w) => w.url === TRIGGER_URL)) {
			await sim.admin.subscribe({
				url: TRIGGER_URL,
				events: ['interactive_message_actions'],
				secretToken: sim.credentials.webhookSecretToken,
				kind: 'chatbot',
			});
		}
		sent.length = 0;
		await sim.admin.click({ as, messageId, index });
		await sim.admin.settleWebhooks();
		const request = sent.find((r) => (JSON.parse(r.body) as IDataObject).event === 'interactive_message_actions')!;
		const requests: IHttpRequestOptions[] = [];
		const delivery = await triggerDelivery(
			request.headers,
			request.body,
			async (options) => {
				requests.push(options);
				const result = await answer(sim, options.url, {
					method: 'POST',
					body: options.body as IDataObject,
					parameters,
				});
				forwarded.push(result);
				return { statusCode: result.status, body: result.body };
			},
			webhookUrl,
		);
		return { delivery, requests, request };
	}

	it('the card carries buttons whose values are signed resume URLs (approve/decline) and a browser link', async () => {
		const { card, signatureRequired } = await askWithCard();
		expect(signatureRequired).toBe(true);
		const body = card.content.body as IDataObject[];
		expect(card.content.head).toEqual({ text: 'Deploy gate' });
		expect(body[0]).toEqual({ type: 'message', text: 'Deploy <v2> to production?' });
		const actions = body.find((b) => b.type === 'actions')!.items as IDataObject[];
		expect(actions.map((a) => [a.text, a.style])).toEqual([
			['Approve', 'Primary'],
			['Decline', 'Danger'],
		]);
		for (const [index, decision] of ['approve', 'decline'].entries()) {
			const url = String(actions[index]!.value);
			expect(isSignedByN8n(url)).toBe(true);
			expect(new URL(url).searchParams.get('za')).toBe(decision);
			expect(decodeState(new URL(url).searchParams.get('zs'))).toEqual({ m: card.id });
		}
		expect(body.find((b) => b.link)).toMatchObject({ text: 'Or answer in the browser' });
	});

	it('a click goes Zoom → trigger → the waiting node: resumed with respondedBy from Zoom, card edited, no execution of the trigger', async () => {
		const { card, parameters } = await askWithCard();
		const approveUrl = String(
			((card.content.body as IDataObject[]).find((b) => b.type === 'actions')!.items as IDataObject[])[0]!.value,
		);
		const forwarded: Answered[] = [];
		const { delivery, requests } = await click(card.id, blake.email, 0, forwarded, parameters);
		expect(delivery.status).toBe(200);
		expect(delivery.started).toBeUndefined();
		expect(delivery.body).toEqual({ received: true, forwarded: true });
		expect(requests).toHaveLength(1);
		expect(requests[0]!.method).toBe('POST');
		expect(requests[0]!.url).toBe(approveUrl);
		expect(Object.keys(requests[0]!.body as IDataObject)).toEqual([FORWARDED_CLICK]);
		const json = forwarded[0]!.resumed![0]!;
		expect(json).toMatchObject({
			approved: true,
			timedOut: false,
			messageId: card.id,
			respondedBy: { userId: blake.id, userJid: blake.jid, userName: blake.display_name },
		});
		const edited = sim.state.botMessages.get(card.id)!;
		const texts = JSON.stringify(edited.content);
		expect(texts).toContain(`✅ Approved by ${blake.display_name} at`);
		expect(texts).not.toContain('"actions"');
		expect(texts).not.toContain('webhook-waiting');
	});

	it('Decline button → { approved: false }', async () => {
		const { card, parameters } = await askWithCard();
		const forwarded: Answered[] = [];
		await click(card.id, casey.email, 1, forwarded, parameters);
		expect(forwarded[0]!.resumed![0]).toMatchObject({ approved: false, respondedBy: { userId: casey.id } });
	});

	it('Approvers: a click by someone else is refused (told only them), the approver then answers', async () => {
		const { card, parameters } = await askWithCard({ options: { approvers: `${blake.id.toUpperCase()}` } });
		const body = card.content.body as IDataObject[];
		expect(body.find((b) => b.link)).toBeUndefined();
		const forwarded: Answered[] = [];
		await click(card.id, casey.email, 0, forwarded, parameters);
		expect(forwarded[0]!.status).toBe(403);
		expect(forwarded[0]!.resumed).toBeUndefined();
		const note = [...sim.state.botMessages.values()].find((m) => m.visibleToUser === casey.jid);
		expect(JSON.stringify(note?.content)).toContain('Only the approvers');
		// The browser page cannot answer for an approver.
		const page = await answer(sim, String((body.find((b) => b.type === 'actions')!.items as IDataObject[])[0]!.value), {
			method: 'POST',
			body: { decision: 'approve' },
			parameters,
		});
		expect(page.status).toBe(403);
		await click(card.id, blake.email, 0, forwarded, parameters);
		expect(forwarded[1]!.resumed![0]).toMatchObject({ approved: true, respondedBy: { userId: blake.id } });
	});

	it('Approvers are user IDs or JIDs: an email is refused with an explanation', async () => {
		await expect(ask(sim, cardParameters({ options: { approvers: blake.email } }))).rejects.toThrow(
			/looks like an email/,
		);
	});

	it('a forged forward (body not signed by Zoom, or a click on another card) resumes nothing', async () => {
		const { card, parameters } = await askWithCard();
		const url = String(
			((card.content.body as IDataObject[]).find((b) => b.type === 'actions')!.items as IDataObject[])[0]!.value,
		);
		const event = {
			event: 'interactive_message_actions',
			event_ts: Date.now(),
			payload: {
				messageId: card.id,
				robotJid: sim.credentials.chatbot.botJid,
				userId: blake.id,
				userJid: blake.jid,
				userName: 'Mallory',
				actionItem: { text: 'Approve', value: url },
			},
		};
		const body = JSON.stringify(event);
		const forged = { body, signature: `v0=${'0'.repeat(64)}`, timestamp: String(Math.floor(Date.now() / 1000)) };
		const unsigned = await answer(sim, url, { method: 'POST', body: { [FORWARDED_CLICK]: forged }, parameters });
		expect(unsigned.status).toBe(401);
		expect(unsigned.resumed).toBeUndefined();

		const otherCard = JSON.stringify({ ...event, payload: { ...event.payload, messageId: 'another-card' } });
		const signedOther = signWebhook({ secret: sim.credentials.webhookSecretToken, rawBody: Buffer.from(otherCard) });
		const wrongCard = await answer(sim, url, {
			method: 'POST',
			body: {
				[FORWARDED_CLICK]: {
					body: otherCard,
					signature: signedOther['x-zm-signature'],
					timestamp: signedOther['x-zm-request-timestamp'],
				},
			},
			parameters,
		});
		expect(wrongCard.status).toBe(400);
		expect(wrongCard.resumed).toBeUndefined();
		expect(JSON.stringify(sim.state.botMessages.get(card.id)!.content)).toContain('"actions"');
	});

	it('the trigger forwards only to its own origin; other clicks start the workflow as usual; bad signatures get 401', async () => {
		const { card, parameters } = await askWithCard();
		// The same click, but the trigger runs on another n8n: its origin differs, so nothing is forwarded.
		const forwarded: Answered[] = [];
		const elsewhere = await click(
			card.id,
			blake.email,
			0,
			forwarded,
			parameters,
			'https://other-n8n.example.com/webhook/5d1c/webhook',
		);
		expect(elsewhere.requests).toHaveLength(0);
		expect(elsewhere.delivery.started).toHaveLength(1);

		// A forged Zoom request (bad signature) is refused before anything else.
		const tampered = await triggerDelivery(
			{ ...elsewhere.request.headers, 'x-zm-signature': `v0=${'1'.repeat(64)}` },
			elsewhere.request.body,
			async () => {
				throw new Error('must not forward');
			},
		);
		expect(tampered.status).toBe(401);
		expect(tampered.started).toBeUndefined();
	});

	it('ownResumeUrl: same origin, signed, with our state; anything else is not ours', () => {
		const own = signResumeUrl({ zs: 'abc' });
		expect(ownResumeUrl(own, TRIGGER_URL)?.toString()).toBe(own);
		expect(ownResumeUrl(own.replace('n8n.test:5678', 'evil.example.com'), TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl(own.replace('http://', 'https://'), TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl(own.replace('http://', 'http://user:pw@'), TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl(signResumeUrl({}), TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl(own.replace(/signature=[^&]+/, ''), TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl('approve', TRIGGER_URL)).toBeUndefined();
		expect(ownResumeUrl(own, undefined)).toBeUndefined();
	});

	it('free text on a card: a link opens the answer page; Approvers are refused for it', async () => {
		const { card } = await askWithCard({ responseType: 'freeText', options: { messageButtonLabel: 'Reply here' } });
		const body = card.content.body as IDataObject[];
		expect(body.find((b) => b.type === 'actions')).toBeUndefined();
		const link = body.find((b) => b.link)!;
		expect(link.text).toBe('👉 Reply here');
		expect(isSignedByN8n(String(link.link))).toBe(true);
		await expect(
			ask(sim, cardParameters({ responseType: 'freeText', options: { approvers: blake.id } })),
		).rejects.toThrow(/Approval response type only/);
	});

	it('the browser fallback on a card: answered from the page, the card is edited', async () => {
		const { card, parameters } = await askWithCard({
			responseType: 'customForm',
			defineForm: 'json',
			jsonOutput: '[{"fieldLabel":"Reason","requiredField":true}]',
		});
		const link = String((card.content.body as IDataObject[]).find((b) => b.link)!.link);
		const result = await answer(sim, link, { method: 'POST', body: { 'field-0': 'Hotfix' }, parameters });
		expect(result.resumed?.[0]).toMatchObject({ fields: { Reason: 'Hotfix' } });
		const content = JSON.stringify(sim.state.botMessages.get(card.id)!.content);
		expect(content).toContain('💬 Answered at');
		expect(content).toContain('"key":"Reason","value":"Hotfix"');
	});
});
