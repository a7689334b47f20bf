/** Runs the action node once with the given parameters against a simulator. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { Simulator } from '@zoom-team-chat/simulator';

import { ZoomTeamChat } from '../../nodes/ZoomTeamChat/ZoomTeamChat.node';
import { executeContext, type ExecuteOptions } from './contexts';
import type { CredentialEntry, RecordedRequest } from './http';
import { credentialsFor } from './simulator';

export const actionNode = new ZoomTeamChat();

export interface RunResult {
	items: INodeExecutionData[];
	json: IDataObject[];
	requests: RecordedRequest[];
	/** What the node added with addExecutionHints (shown in n8n's output panel). */
	hints: unknown[];
}

export async function runNode(
	sim: Simulator,
	parameters: IDataObject | ((i: number) => IDataObject),
	options: Partial<Omit<ExecuteOptions, 'parameters'>> & { credentials?: Record<string, CredentialEntry> } = {},
): Promise<RunResult> {
	const withDefaults = (p: IDataObject): IDataObject => ({
		authentication: 'serverToServerOAuth',
		actAsUser: 'me',
		...p,
	});
	const context = executeContext({
		...options,
		credentials: options.credentials ?? credentialsFor(sim),
		parameters:
			typeof parameters === 'function' ? (i: number) => withDefaults(parameters(i)) : withDefaults(parameters),
	});
	const [items = []] = await actionNode.execute.call(context);
	return { items, json: items.map((item) => item.json), requests: context.requests, hints: context.hints };
}

/** A resource locator value, as n8n stores it. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });
export const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });
