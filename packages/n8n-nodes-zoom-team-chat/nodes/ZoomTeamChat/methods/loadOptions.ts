import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { operations } from '@zoom-team-chat/core/portable';

/** Every operation of the vendored specs, named by summary, method and path. */
export async function getOperations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return Object.values(operations)
		.map((op) => ({
			name: `${op.summary} (${op.method} ${op.path})`,
			value: op.operationId,
			description: `${op.api === 'chatbot' ? 'Chatbot' : 'Team Chat'} · ${op.tag} · ${op.operationId}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
