import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import type { ZoomClient } from '@zoom-team-chat/core/portable';

import type { ApiAuthentication } from '../../shared/client';

export interface OperationContext {
	client: ZoomClient;
	credentials: ICredentialDataDecryptedObject;
	authentication: ApiAuthentication;
}

/** One output item, or several (list operations). */
export type OperationResult = IDataObject | IDataObject[];

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, i: number, context: OperationContext): Promise<OperationResult>;
}
