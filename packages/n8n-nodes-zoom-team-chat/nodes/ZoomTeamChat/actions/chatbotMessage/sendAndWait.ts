import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { ZoomClient } from '@zoom-team-chat/core/portable';

import { toNodeError } from '../../../shared/errors';
import { requiredString } from '../../helpers/parameters';
import type { WaitConfig } from '../shared/sendAndWait/config';
import { responseOptions, responseProperties, SEND_AND_WAIT_OPERATION } from '../shared/sendAndWait/descriptions';
import { runSendAndWait } from '../shared/sendAndWait/execute';
import { answeredCard, preparingCard, waitingCard, type Answer, type Responder } from '../shared/sendAndWait/outcome';
import type { ResumeState } from '../shared/sendAndWait/resume';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'To JID',
		name: 'toJid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.payload.toJid }}',
		description: 'JID of the channel or user to ask. From a bot notification: payload.toJid.',
	},
	{
		displayName: 'User JID',
		name: 'userJid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.payload.userJid }}',
		description: 'JID of the user on whose behalf the bot writes (the user who spoke to it: payload.userJid)',
	},
	...responseProperties(
		"The question, on a card. Approval: the card's buttons answer (a Zoom Team Chat Trigger with this chatbot's credential must receive the clicks); free text and forms: a link opens the answer page.",
	),
	responseOptions([
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			description: "Account to write in (default: the credential's). From a notification: payload.accountId.",
		},
		{
			displayName: 'Approvers',
			name: 'approvers',
			type: 'string',
			default: '',
			placeholder: 'KdYKjnimT4KPd8KKdQt9FQ, v1abc@xmpp.zoom.us',
			description:
				"Comma-separated user IDs or JIDs of who may answer (Approval only). Clicks by others are refused, and the card has no browser link, whose answers could come from anyone. Zoom's click events name users by ID and JID, not email.",
			displayOptions: { show: { '/responseType': ['approval'] } },
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chatbotMessage'], operation: [SEND_AND_WAIT_OPERATION] } },
	properties,
);

function botOf(credentials: IDataObject, state: ResumeState): { robot_jid: string; account_id: string } {
	return {
		robot_jid: String(credentials.botJid ?? '').trim(),
		account_id: state.ac ?? String(credentials.accountId ?? '').trim(),
	};
}

/** Sends the card as the bot, then edits it to carry the buttons (their values name the card). */
export async function run(
	this: IExecuteFunctions,
	{ client, credentials }: OperationContext,
): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const account = String(options.accountId ?? '').trim();
	return await runSendAndWait.call(this, {
		check: (config) => {
			if (config.approvers.length && config.responseType !== 'approval') {
				throw new NodeOperationError(this.getNode(), 'Approvers work with the Approval response type only', {
					description:
						'Only a button click tells who answered (Zoom signs it); a text or a form is sent from a browser page that anyone with its link can open.',
				});
			}
			if (!String(credentials.botJid ?? '').trim())
				throw new NodeOperationError(this.getNode(), 'The Zoom Chatbot credential has no Bot JID');
			if (!account && !String(credentials.accountId ?? '').trim()) {
				throw new NodeOperationError(this.getNode(), 'The Zoom Chatbot credential has no Account ID');
			}
		},
		post: async (config) => {
			const state: Omit<ResumeState, 'm'> = account ? { ac: account } : {};
			const sent = (await client.chatbot.send({
				...botOf(credentials, { ...state, m: '' }),
				to_jid: requiredString.call(this, 'toJid', 0, 'To JID'),
				user_jid: requiredString.call(this, 'userJid', 0, 'User JID'),
				content: preparingCard(config),
			})) as IDataObject;
			const messageId = typeof sent?.message_id === 'string' ? sent.message_id : '';
			if (!messageId) throw new NodeOperationError(this.getNode(), 'Zoom did not return the ID of the chatbot message');
			return { messageId, state };
		},
		publish: async (config, state, links, waitTill) => {
			const buttons = {
				...(config.responseType === 'approval' ? { approve: links.approve, decline: links.decline } : {}),
				...(config.approvers.length ? {} : { page: links.page }),
			};
			try {
				await client.chatbot.edit(state.m, {
					...botOf(credentials, state),
					content: waitingCard(config, buttons, waitTill),
				});
			} catch (error) {
				await client.chatbot.delete(state.m, botOf(credentials, state)).catch(() => undefined);
				throw toNodeError(this.getNode(), error, 0);
			}
		},
	});
}

/** The router runs this operation through run() (one question per run), never item by item. */
export async function execute(): Promise<never> {
	throw new Error('Send and Wait for Response runs once per execution (run), not per item');
}

/** After the answer: the card without buttons, the outcome in their place. */
export async function markAnswered(
	client: ZoomClient,
	credentials: IDataObject,
	state: ResumeState,
	config: WaitConfig,
	answer: Answer,
	at: Date,
	by?: Responder,
): Promise<void> {
	await client.chatbot.edit(state.m, { ...botOf(credentials, state), content: answeredCard(config, answer, at, by) });
}
