import type { IExecuteFunctions } from 'n8n-workflow';

import { actingUser } from '../../helpers/parameters';
import type { OperationContext } from '../types';

/**
 * Server-to-Server apps call the account-level channel endpoints for the acting user; user-level
 * apps call the user-level ones (the core picks by the presence of `userId`).
 */
export function channelScope(
	this: IExecuteFunctions,
	i: number,
	{ authentication }: OperationContext,
): { userId?: string } {
	return authentication === 'serverToServerOAuth' ? { userId: actingUser.call(this, authentication, i) } : {};
}
