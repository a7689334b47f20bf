import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { verifyWebhook } from '@zoom-team-chat/core/portable';

import { baseUrlsFromCredentials } from '../../../../shared/cloud';
import { isApiAuthentication, zoomClientFor, type ApiAuthentication } from '../../../../shared/client';
import {
	DECISION_PARAM,
	FORWARDED_CLICK,
	SIGNATURE_PARAM,
	STATE_PARAM,
	type ForwardedClick,
} from '../../../../shared/send-and-wait-link';
import * as chatbotQuestion from '../../chatbotMessage/sendAndWait';
import * as messageQuestion from '../../message/sendAndWait';
import { parseAnswer } from './answer';
import { isApprover, readWaitConfig, type ParameterReader, type WaitConfig } from './config';
import { outcomeHeadline, type Answer, type Responder } from './outcome';
import { answerForm, noticePage, PAGE_HEADERS, renderPage, thanksPage, type PageFrame } from './page';
import { decodeState, type ResumeState } from './resume';

/**
 * Answers already taken in this process, so two clicks in the same instant (two people, a double
 * tap) resume once. After the resume n8n itself refuses: 409 while the execution runs, its "no
 * action required" page once it has finished.
 */
const answered = new Map<string, number>();
const ANSWERED_TTL_MS = 60 * 60_000;
const MAX_ANSWERED = 2000;

function claim(key: string, now: number): boolean {
	for (const [k, at] of answered) {
		if (now - at < ANSWERED_TTL_MS && answered.size <= MAX_ANSWERED) break;
		answered.delete(k);
	}
	if (answered.has(key)) return false;
	answered.set(key, now);
	return true;
}

/** Test hook: forget the answers taken (each test stands for a fresh process). */
export function forgetAnswers(): void {
	answered.clear();
}

type Reply = (status: number, body: string | IDataObject) => void;

function replier(context: IWebhookFunctions): Reply {
	const res = context.getResponseObject();
	return (status, body) => {
		res.status(status);
		if (typeof body === 'string') {
			for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
			res.send(body);
		} else {
			res.setHeader('Cache-Control', 'no-store');
			res.json(body);
		}
	};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** Edits the posted question to show the outcome; an answer stands even when Zoom refuses the edit. */
async function markAnswered(
	context: IWebhookFunctions,
	state: ResumeState,
	config: WaitConfig,
	answer: Answer,
	at: Date,
	by?: Responder,
): Promise<void> {
	const resource = context.getNodeParameter('resource', 'message');
	const authentication = context.getNodeParameter('authentication', 'serverToServerOAuth');
	if (!isApiAuthentication(authentication)) return;
	try {
		const { client, credentials } = await zoomClientFor(context, authentication as ApiAuthentication);
		if (resource === 'chatbotMessage')
			await chatbotQuestion.markAnswered(client, credentials, state, config, answer, at, by);
		else await messageQuestion.markAnswered(client, state, config, answer, at, by);
	} catch (error) {
		context.logger.warn(
			`Zoom Team Chat: the answer was recorded, but the message ${state.m} could not be edited to show it: ${(error as Error).message}`,
		);
	}
}

interface Click {
	decision: 'approve' | 'decline';
	by: Responder;
	/** Where to tell the user why a click was refused (Zoom's one-time callback). */
	callback?: { url: string; token: string };
}

/**
 * A button click the Zoom Team Chat Trigger forwarded: Zoom's request as Zoom signed it, checked
 * here again with this node's own Chatbot credential, so what it says (who clicked, on which card,
 * which button) comes from Zoom and not from whoever POSTed it.
 */
async function verifiedClick(
	context: IWebhookFunctions,
	forwarded: unknown,
	state: ResumeState,
): Promise<{ click: Click } | { status: number; reason: string }> {
	if (context.getNodeParameter('resource', 'message') !== 'chatbotMessage') {
		return { status: 400, reason: 'This question was not sent as a chatbot card' };
	}
	const click = (forwarded && typeof forwarded === 'object' ? forwarded : {}) as Partial<ForwardedClick>;
	if (typeof click.body !== 'string' || typeof click.signature !== 'string' || typeof click.timestamp !== 'string') {
		return { status: 400, reason: 'Malformed forwarded click' };
	}
	const credentials = await context.getCredentials('zoomChatbotApi');
	const secret = text(credentials.webhookSecretToken).trim();
	if (!secret) {
		return {
			status: 403,
			reason:
				"The waiting node's Zoom Chatbot credential has no Webhook Secret Token, so it cannot check the click: add the app's Secret Token to it",
		};
	}
	let event: IDataObject;
	try {
		event = verifyWebhook({
			rawBody: Buffer.from(click.body, 'utf8'),
			headers: { 'x-zm-signature': click.signature, 'x-zm-request-timestamp': click.timestamp },
			secrets: [secret],
		}) as unknown as IDataObject;
	} catch (error) {
		return { status: 401, reason: `The click is not signed by Zoom for this chatbot: ${(error as Error).message}` };
	}
	const payload = (event.payload ?? {}) as IDataObject;
	const action = (payload.actionItem ?? {}) as IDataObject;
	const query = context.getQueryData() as IDataObject;
	let pressed: URL | undefined;
	try {
		pressed = new URL(text(action.value));
	} catch {
		pressed = undefined;
	}
	const botJid = text(credentials.botJid).trim().toLowerCase();
	if (
		event.event !== 'interactive_message_actions' ||
		text(payload.messageId) !== state.m ||
		(botJid !== '' && text(payload.robotJid).toLowerCase() !== botJid) ||
		!pressed ||
		pressed.searchParams.get(SIGNATURE_PARAM) !== text(query[SIGNATURE_PARAM]) ||
		pressed.searchParams.get(DECISION_PARAM) !== text(query[DECISION_PARAM])
	) {
		return { status: 400, reason: 'The click does not belong to this question' };
	}
	const decision = text(query[DECISION_PARAM]);
	if (decision !== 'approve' && decision !== 'decline') return { status: 400, reason: 'Not an answer button' };
	const callbackUrl = text(event.callback_url);
	const callbackToken = text(event.callback_token);
	return {
		click: {
			decision,
			by: { userId: text(payload.userId), userJid: text(payload.userJid), userName: text(payload.userName) },
			...(callbackUrl && callbackToken ? { callback: { url: callbackUrl, token: callbackToken } } : {}),
		},
	};
}

/**
 * Tells a user who may not answer why nothing happened, only to them, through the click's
 * one-time callback, and only when it points at the credential's own Zoom API host.
 */
async function tellRefused(context: IWebhookFunctions, click: Click): Promise<void> {
	if (!click.callback || !click.by.userJid) return;
	try {
		const credentials = await context.getCredentials('zoomChatbotApi');
		const api = new URL(baseUrlsFromCredentials(credentials).api);
		if (new URL(click.callback.url).origin !== api.origin) return;
		await context.helpers.httpRequest({
			method: 'POST',
			url: click.callback.url,
			headers: { Authorization: `Bearer ${click.callback.token}` },
			body: {
				content: { body: [{ type: 'message', text: 'Only the approvers of this request can answer it.' }] },
				visible_to_user: click.by.userJid,
			},
			json: true,
		});
	} catch (error) {
		context.logger.debug(
			`Zoom Team Chat: could not tell ${click.by.userJid} the click was refused: ${(error as Error).message}`,
		);
	}
}

/**
 * The send-and-wait webhook: n8n calls it for GET and POST on the signed resume URL of the waiting
 * execution. GET only shows the page (link previews and security scanners open links, and must not
 * answer); a POST from that page, or a click the trigger forwarded, answers and resumes the workflow.
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reply = replier(this);
	const done: IWebhookResponseData = { noWebhookResponse: true };
	const read: ParameterReader = (name, fallback) => this.getNodeParameter(name, fallback);
	const query = this.getQueryData() as IDataObject;
	const state = decodeState(query[STATE_PARAM]);
	const workflowName = this.getWorkflow().name;
	const frame: PageFrame = {
		title: 'Zoom Team Chat',
		from: workflowName ? `Asked by the n8n workflow “${workflowName}”` : undefined,
	};
	if (!state) {
		reply(400, noticePage(frame, 'This link is incomplete. Open it again from the message in Zoom Team Chat.'));
		return done;
	}
	let config: WaitConfig;
	try {
		config = readWaitConfig(read, this.getNode());
	} catch (error) {
		this.logger.error(`Zoom Team Chat: the answer page cannot be shown: ${(error as Error).message}`);
		reply(500, noticePage(frame, 'This question cannot be answered: the workflow is misconfigured. Tell its owner.'));
		return done;
	}
	frame.title = config.title;
	frame.question = config.question;

	const method = String(this.getRequestObject().method ?? 'GET').toUpperCase();
	if (method !== 'POST') {
		reply(
			200,
			config.approvers.length
				? noticePage(
						frame,
						'Answer with the buttons of the card in Zoom Team Chat: only the approvers can answer this request.',
					)
				: renderPage(frame, answerForm(config)),
		);
		return done;
	}

	const body = (this.getBodyData() ?? {}) as IDataObject;
	const forwarded = body[FORWARDED_CLICK];
	const finish = async (
		answer: Answer,
		by: Responder | undefined,
		respond: (headline: string) => void,
	): Promise<IWebhookResponseData> => {
		const at = new Date();
		if (!claim(`${this.getNode().id}\u0000${state.m}`, at.getTime())) {
			if (forwarded !== undefined) reply(409, { ok: false, reason: 'Already answered' });
			else reply(409, noticePage(frame, 'This question has already been answered.'));
			return done;
		}
		await markAnswered(this, state, config, answer, at, by);
		respond(outcomeHeadline(answer, at, by));
		const json: IDataObject = {
			...answer,
			respondedAt: at.toISOString(),
			...(by ? { respondedBy: { ...by } } : {}),
			timedOut: false,
			messageId: state.m,
		};
		return { noWebhookResponse: true, workflowData: [[{ json, pairedItem: { item: 0 } }]] };
	};

	if (forwarded !== undefined) {
		const checked = await verifiedClick(this, forwarded, state);
		if ('reason' in checked) {
			this.logger.warn(`Zoom Team Chat: a forwarded button click was refused: ${checked.reason}`);
			reply(checked.status, { ok: false, reason: checked.reason });
			return done;
		}
		const { click } = checked;
		if (config.responseType !== 'approval' || (click.decision === 'decline' && !config.approval.double)) {
			reply(400, { ok: false, reason: 'Not an answer this question takes' });
			return done;
		}
		if (!isApprover(config.approvers, click.by)) {
			this.logger.info(
				`Zoom Team Chat: ${click.by.userName ?? ''} (${click.by.userId ?? ''}) is not an approver; the click was ignored`,
			);
			await tellRefused(this, click);
			reply(403, { ok: false, reason: 'Not an approver' });
			return done;
		}
		return await finish({ approved: click.decision === 'approve' }, click.by, (headline) =>
			reply(200, { ok: true, outcome: headline }),
		);
	}

	if (config.approvers.length) {
		reply(
			403,
			noticePage(frame, 'Only the approvers can answer this request, with the buttons of the card in Zoom Team Chat.'),
		);
		return done;
	}
	const parsed = parseAnswer(config, body);
	if (!parsed.ok) {
		reply(400, renderPage(frame, answerForm(config, parsed.values, parsed.errors)));
		return done;
	}
	return await finish(parsed.answer, undefined, (headline) => reply(200, thanksPage(frame, headline)));
}
