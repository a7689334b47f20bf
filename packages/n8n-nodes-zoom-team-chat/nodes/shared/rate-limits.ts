import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';
import { accountRateLimitKey, type Plan } from '@zoom-team-chat/core/portable';

import { baseUrlsFromCredentials } from './cloud';

/**
 * Credential fields for the account's rate limits. Zoom's limits belong to the account, so every
 * execution, the trigger and the editor's look-ups of one n8n process wait in the same lines (the
 * core's shared limiter, keyed by the account). The share divides the budget between processes.
 */
export const rateLimitProperties: INodeProperties[] = [
	{
		displayName: 'Zoom Plan',
		name: 'plan',
		type: 'options',
		options: [
			{ name: 'Free', value: 'free' },
			{ name: 'Pro', value: 'pro' },
			{
				name: 'Business or Higher',
				value: 'business',
				description: 'Business, Education, Enterprise and Partner accounts',
			},
		],
		default: 'pro',
		description:
			"The account's plan sets Zoom's rate limits (Pro: 20 messages a second). Sends wait for their turn instead of failing.",
	},
	{
		displayName: 'Share of the Rate Limit',
		name: 'rateLimitShare',
		type: 'number',
		typeOptions: { minValue: 0.01, maxValue: 1, numberPrecision: 2 },
		default: 1,
		description:
			"The part of the account's rate limit this n8n process may use. Leave 1 for one n8n process; in queue mode set 1 ÷ the number of workers (0.5 for two), so that together they stay within Zoom's limits.",
	},
];

const PLANS: readonly Plan[] = ['free', 'pro', 'business'];

/** The core client options that make this credential's clients share one budget per account. */
export function rateLimitOptions(credentials: ICredentialDataDecryptedObject): {
	plan: Plan;
	rateLimitKey: string;
	rateLimitShare: number;
} {
	const plan = PLANS.includes(credentials.plan as Plan) ? (credentials.plan as Plan) : 'pro';
	const share = Number(credentials.rateLimitShare);
	const accountId = typeof credentials.accountId === 'string' ? credentials.accountId : undefined;
	const clientId = typeof credentials.clientId === 'string' ? credentials.clientId : undefined;
	return {
		plan,
		rateLimitKey: accountRateLimitKey({ apiBaseUrl: baseUrlsFromCredentials(credentials).api, accountId, clientId }),
		rateLimitShare: share > 0 && share <= 1 ? share : 1,
	};
}
