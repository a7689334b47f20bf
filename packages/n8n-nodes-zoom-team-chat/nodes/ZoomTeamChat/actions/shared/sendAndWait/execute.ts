import type { IExecuteData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../../../shared/errors';
import { readWaitConfig, WAIT_INDEFINITELY, waitTillOf, type WaitConfig } from './config';
import { resumeUrl, signedResumeUrls, type ResumeState } from './resume';

/** The links a posted question carries, all signed resume URLs of this execution and node. */
export interface AnswerLinks {
	/** The answer page (GET shows it, its POST answers). */
	page: string;
	/** Chatbot buttons: their value is the URL the trigger forwards a click to. */
	approve: string;
	decline: string;
}

/** How one resource posts its question: first without links (the URLs need its ID), then with them. */
export interface QuestionChannel {
	/** Refuses what cannot be sent (a question too long for the link) before anything is posted. */
	check?(config: WaitConfig, sample: AnswerLinks, waitTill: Date | undefined): void;
	/** Posts the question without links; returns the message ID and what the edit after the answer needs. */
	post(config: WaitConfig): Promise<{ messageId: string; state: Omit<ResumeState, 'm'> }>;
	/** Edits the message to carry the links. */
	publish(config: WaitConfig, state: ResumeState, links: AnswerLinks, waitTill: Date | undefined): Promise<void>;
}

function linksFor(sign: (p: Record<string, string>) => string, state: ResumeState): AnswerLinks {
	return {
		page: resumeUrl(sign, state),
		approve: resumeUrl(sign, state, 'approve'),
		decline: resumeUrl(sign, state, 'decline'),
	};
}

/**
 * On a timeout n8n resumes the node disabled, and a disabled node passes on the input it was
 * queued with: the execution-stack entry n8n pushes back when a node waits, which is the object
 * getExecuteData() returns. Giving that entry its own copy of the input with `timedOut: true`
 * (new objects: the previous node's output, which the old ones belong to, stays as it is) makes a
 * timeout output the input items flagged. An answer replaces this input with what webhook()
 * returns. The input stays otherwise whole because webhook() reads the node's parameters, whose
 * expressions n8n resolves against this same entry.
 */
function markTimeoutOutput(context: IExecuteFunctions, messageId: string): void {
	const getExecuteData = (context as { getExecuteData?: () => IExecuteData | undefined }).getExecuteData;
	if (typeof getExecuteData !== 'function') return;
	const entry = getExecuteData.call(context);
	const input = entry?.data?.main?.[0];
	if (!entry || !Array.isArray(input)) return;
	const flagged: INodeExecutionData[] = input.map((item) => ({
		...item,
		json: { ...item.json, timedOut: true, messageId },
	}));
	entry.data = { ...entry.data, main: [flagged, ...(entry.data.main ?? []).slice(1)] };
}

/**
 * Send and Wait for Response: one question per run (from the first item, as n8n's own
 * send-and-wait nodes do), then the execution waits; webhook() resumes it with the answer.
 */
export async function runSendAndWait(
	this: IExecuteFunctions,
	channel: QuestionChannel,
): Promise<INodeExecutionData[][]> {
	try {
		const node = this.getNode();
		const config = readWaitConfig((name, fallback) => this.getNodeParameter(name, 0, fallback), node);
		const waitTill = waitTillOf((name, fallback) => this.getNodeParameter(name, 0, fallback), node, Date.now());
		const limit = waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? undefined : waitTill;
		const sign = signedResumeUrls(this);
		channel.check?.(config, linksFor(sign, { m: 'x'.repeat(48), ch: 'x'.repeat(40), u: 'x'.repeat(64) }), limit);

		const posted = await channel.post(config);
		const state: ResumeState = { ...posted.state, m: posted.messageId };
		await channel.publish(config, state, linksFor(sign, state), limit);

		markTimeoutOutput(this, posted.messageId);
		await this.putExecutionToWait(waitTill);
		return [this.getInputData()];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0);
		if (this.continueOnFail()) {
			return [
				[
					{
						json: {
							error: nodeError.message,
							...(nodeError.description ? { description: nodeError.description } : {}),
						},
						pairedItem: { item: 0 },
					},
				],
			];
		}
		throw nodeError;
	}
}
