import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { ZoomClient } from '@zoom-team-chat/core/portable';

import { toNodeError } from '../../../shared/errors';
import { conversationProperties } from '../../descriptions/common';
import { actingUser, resolveConversation } from '../../helpers/parameters';
import type { WaitConfig } from '../shared/sendAndWait/config';
import { responseOptions, responseProperties, SEND_AND_WAIT_OPERATION } from '../shared/sendAndWait/descriptions';
import { runSendAndWait } from '../shared/sendAndWait/execute';
import {
	answeredMessageText,
	preparingMessageText,
	waitingMessageText,
	ZOOM_MESSAGE_LIMIT,
	type Answer,
	type Responder,
} from '../shared/sendAndWait/outcome';
import type { ResumeState } from '../shared/sendAndWait/resume';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	...conversationProperties,
	...responseProperties(
		'The question. Zoom shows it with a link to the answer page (buttons or a form); the message is edited to show the answer once given.',
	),
	responseOptions(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } },
	properties,
);

function conversationOf(state: ResumeState): IDataObject {
	return state.ch ? { to_channel: state.ch } : { to_contact: state.ct ?? '' };
}

/** Posts the question as the user the app acts for, then edits it to carry the link. */
export async function run(
	this: IExecuteFunctions,
	{ client, authentication }: OperationContext,
): Promise<INodeExecutionData[][]> {
	return await runSendAndWait.call(this, {
		check: (config, sample, waitTill) => {
			const length = waitingMessageText(config, sample.page, waitTill).length;
			if (length > ZOOM_MESSAGE_LIMIT) {
				throw new NodeOperationError(
					this.getNode(),
					`The question is too long: with the answer link the message would have about ${length} characters`,
					{
						description: `Zoom takes up to ${ZOOM_MESSAGE_LIMIT} characters per message. Shorten the question by ${length - ZOOM_MESSAGE_LIMIT} characters or more (or turn off Append n8n Attribution).`,
					},
				);
			}
		},
		post: async (config) => {
			const conversation = resolveConversation.call(this, 0);
			const user = actingUser.call(this, authentication, 0);
			const sent = (await client.messages.send(
				{ ...conversation, message: preparingMessageText(config) },
				{ userId: user },
			)) as IDataObject;
			const messageId = typeof sent?.id === 'string' ? sent.id : '';
			if (!messageId) throw new NodeOperationError(this.getNode(), 'Zoom did not return the ID of the posted message');
			const state: Omit<ResumeState, 'm'> =
				'to_channel' in conversation ? { ch: conversation.to_channel } : { ct: conversation.to_contact };
			if (user !== 'me') state.u = user;
			return { messageId, state };
		},
		publish: async (config, state, links, waitTill) => {
			const options = { userId: state.u ?? 'me' };
			try {
				await client.messages.update(
					state.m,
					{ ...conversationOf(state), message: waitingMessageText(config, links.page, waitTill) },
					options,
				);
			} catch (error) {
				// A question nobody can answer helps no one: take it back, then report why.
				await client.messages.delete(state.m, conversationOf(state) as never, options).catch(() => undefined);
				throw toNodeError(this.getNode(), error, 0);
			}
		},
	});
}

/** The router runs this operation through run() (one question per run), never item by item. */
export async function execute(): Promise<never> {
	throw new Error('Send and Wait for Response runs once per execution (run), not per item');
}

/** After the answer: the question with the outcome in place of the link. */
export async function markAnswered(
	client: ZoomClient,
	state: ResumeState,
	config: WaitConfig,
	answer: Answer,
	at: Date,
	by?: Responder,
): Promise<void> {
	await client.messages.update(
		state.m,
		{ ...conversationOf(state), message: answeredMessageText(config, answer, at, by) },
		{ userId: state.u ?? 'me' },
	);
}
