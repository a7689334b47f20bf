import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isApiAuthentication, zoomClientFor } from '../../shared/client';
import { toNodeError } from '../../shared/errors';
import * as apiCall from './apiCall';
import * as channel from './channel';
import * as chatbotMessage from './chatbotMessage';
import * as contact from './contact';
import * as file from './file';
import * as member from './member';
import * as message from './message';
import { OutputItems, type Operation, type OperationContext } from './types';

const resources: Record<string, Record<string, unknown>> = {
	apiCall,
	channel,
	chatbotMessage,
	contact,
	file,
	member,
	message,
};

function findOperation(resource: string, operation: string): Operation | undefined {
	const candidate = resources[resource]?.[operation] as Partial<Operation> | undefined;
	return candidate && typeof candidate.execute === 'function' ? (candidate as Operation) : undefined;
}

/** Which credential each resource can run with. */
function checkAuthentication(this: IExecuteFunctions, resource: string, authentication: string): void {
	if (resource === 'chatbotMessage' && authentication !== 'chatbot') {
		throw new NodeOperationError(this.getNode(), 'Chatbot messages are sent with the Zoom Chatbot API credential', {
			description: 'Set "Authentication" to "Chatbot" and choose a Zoom Chatbot API credential.',
		});
	}
	if (authentication === 'chatbot' && resource !== 'chatbotMessage' && resource !== 'apiCall') {
		throw new NodeOperationError(this.getNode(), 'A chatbot token can only send, edit and delete chatbot messages', {
			description:
				'Use the Server-to-Server OAuth or OAuth2 credential for messages, channels, members, files and contacts.',
		});
	}
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const authentication = this.getNodeParameter('authentication', 0) as string;

	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	if (!isApiAuthentication(authentication)) {
		throw new NodeOperationError(this.getNode(), `Unknown authentication "${authentication}"`);
	}
	checkAuthentication.call(this, resource, authentication);

	const { client, credentials } = await zoomClientFor(this, authentication, {
		onRateLimited: ({ waitMs, label }) => {
			this.logger.info(`Zoom rate limit (${label}): waiting ${waitMs} ms`);
		},
	});
	const context: OperationContext = { client, credentials, authentication };
	if (operation.run) return await operation.run.call(this, context);

	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await operation.execute.call(this, i, context);
			if (result instanceof OutputItems) {
				for (const item of result.items) returnData.push({ ...item, pairedItem: { item: i } });
				continue;
			}
			const list: IDataObject[] = Array.isArray(result) ? result : [result];
			for (const json of list) returnData.push({ json, pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, i);
			if (this.continueOnFail()) {
				returnData.push({
					json: { error: nodeError.message, ...(nodeError.description ? { description: nodeError.description } : {}) },
					pairedItem: { item: i },
				});
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
