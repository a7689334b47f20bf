import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import type { ZoomClient } from '@zoom-team-chat/core/portable';

import type { ApiAuthentication } from '../../shared/client';

export interface OperationContext {
	client: ZoomClient;
	credentials: ICredentialDataDecryptedObject;
	authentication: ApiAuthentication;
}

/**
 * Output items that carry binary data (downloads), passed on as they are: a plain object result
 * becomes an item's `json`, which has no room for the binary.
 */
export class OutputItems {
	constructor(readonly items: INodeExecutionData[]) {}
}

/** One output item, or several (list operations), or items with binary data. */
export type OperationResult = IDataObject | IDataObject[] | OutputItems;

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, i: number, context: OperationContext): Promise<OperationResult>;
	/** An operation that takes the whole run itself instead of item by item (Send and Wait for Response). */
	run?(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[][]>;
}
