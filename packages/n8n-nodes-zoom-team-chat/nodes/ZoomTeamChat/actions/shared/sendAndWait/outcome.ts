import type { IDataObject } from 'n8n-workflow';

import type { WaitConfig } from './config';

/** What someone answered, as the node outputs it (plus respondedAt / respondedBy / timedOut). */
export type Answer = { approved: boolean } | { text: string } | { fields: IDataObject };

export interface Responder {
	userId?: string;
	userJid?: string;
	userName?: string;
}

/** Zoom's limit for a user-level message's text (sendaChatMessage / editMessage `message`). */
export const ZOOM_MESSAGE_LIMIT = 1024;

const pad = (n: number) => String(n).padStart(2, '0');

/** "10:42 UTC on 2025-06-01": one zone for everyone who reads the channel. */
export function utcTime(at: Date): string {
	return `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC on ${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

export function expiryLine(waitTill: Date | undefined): string {
	return waitTill ? `Answer by ${utcTime(waitTill)}.` : '';
}

export const ATTRIBUTION = 'Sent automatically with n8n';

function shorten(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The headline once answered: "✅ Approved by Jill Chill at 10:42 UTC on 2025-06-01". */
export function outcomeHeadline(answer: Answer, at: Date, by?: Responder): string {
	const who = by?.userName ? ` by ${by.userName}` : '';
	const when = ` at ${utcTime(at)}`;
	if ('approved' in answer) {
		return answer.approved ? `✅ Approved${who}${when}` : `❌ Declined${who}${when}`;
	}
	return `💬 Answered${who}${when}`;
}

/** The answer as lines of text (free text, or "Label: value" per form field). */
export function answerLines(answer: Answer): string[] {
	if ('text' in answer) return [answer.text];
	if ('fields' in answer) {
		return Object.entries(answer.fields).map(
			([key, value]) => `${key}: ${value === null || value === undefined || value === '' ? '–' : String(value)}`,
		);
	}
	return [];
}

/**
 * A user-level message after the answer: the question, then the outcome in place of the link, so
 * nobody answers twice. Kept within Zoom's 1024 characters by shortening the answer, then the question.
 */
export function answeredMessageText(config: WaitConfig, answer: Answer, at: Date, by?: Responder): string {
	const headline = outcomeHeadline(answer, at, by);
	const lines = answerLines(answer).join('\n');
	const question = shorten(config.question, Math.max(200, ZOOM_MESSAGE_LIMIT - headline.length - 300));
	const room = ZOOM_MESSAGE_LIMIT - question.length - headline.length - 4;
	const body = lines ? `:\n${shorten(lines, Math.max(0, room))}` : '';
	return shorten(`${question}\n\n${headline}${body}`, ZOOM_MESSAGE_LIMIT);
}

/** A user-level message while waiting: the question and the link to the answer page. */
export function waitingMessageText(config: WaitConfig, url: string, waitTill: Date | undefined): string {
	const label =
		config.responseType === 'approval'
			? config.approval.double
				? `${config.approval.approveLabel} or ${config.approval.declineLabel}`
				: config.approval.approveLabel
			: config.buttonLabel;
	const tail = [expiryLine(waitTill), config.attribution ? ATTRIBUTION : ''].filter(Boolean).join('\n');
	return `${config.question}\n\n👉 ${label}: ${url}${tail ? `\n${tail}` : ''}`;
}

/** The same message before its ID (and so its link) exists. */
export function preparingMessageText(config: WaitConfig): string {
	return `${config.question}\n\n⏳ Preparing the answer link…`;
}

interface CardItem extends IDataObject {
	type: string;
}

export interface ChatbotButtons {
	approve?: string;
	decline?: string;
	/** The answer page (fallback link, or the way to answer for text and forms). */
	page?: string;
}

/** A chatbot card: question, buttons whose values are the signed resume URLs, and the page link. */
export function waitingCard(config: WaitConfig, buttons: ChatbotButtons, waitTill: Date | undefined): IDataObject {
	const body: CardItem[] = [{ type: 'message', text: config.question }];
	if (config.responseType === 'approval' && buttons.approve) {
		const items: IDataObject[] = [{ text: config.approval.approveLabel, value: buttons.approve, style: 'Primary' }];
		if (config.approval.double && buttons.decline)
			items.push({ text: config.approval.declineLabel, value: buttons.decline, style: 'Danger' });
		body.push({ type: 'actions', items, limit: items.length });
	}
	if (buttons.page) {
		const text = config.responseType === 'approval' ? 'Or answer in the browser' : `👉 ${config.buttonLabel}`;
		body.push({ type: 'message', text, link: buttons.page });
	}
	const expiry = expiryLine(waitTill);
	if (expiry) body.push({ type: 'message', text: expiry });
	if (config.attribution) body.push({ type: 'message', text: ATTRIBUTION, style: { italic: true, color: '#6e7781' } });
	return { head: { text: config.title }, body };
}

export function preparingCard(config: WaitConfig): IDataObject {
	return {
		head: { text: config.title },
		body: [
			{ type: 'message', text: config.question },
			{ type: 'message', text: '⏳ Preparing the answer buttons…' },
		],
	};
}

/** The card once answered: no buttons or link left, the outcome in their place. */
export function answeredCard(config: WaitConfig, answer: Answer, at: Date, by?: Responder): IDataObject {
	const body: CardItem[] = [
		{ type: 'message', text: config.question },
		{ type: 'message', text: outcomeHeadline(answer, at, by), style: { bold: true } },
	];
	if ('text' in answer) body.push({ type: 'message', text: shorten(answer.text, 2000) });
	if ('fields' in answer) {
		body.push({
			type: 'fields',
			items: Object.entries(answer.fields).map(([key, value]) => ({
				key: shorten(key, 200),
				value: shorten(value === null || value === undefined || value === '' ? '–' : String(value), 1000),
				short: false,
			})),
		});
	}
	return { head: { text: config.title }, body };
}
