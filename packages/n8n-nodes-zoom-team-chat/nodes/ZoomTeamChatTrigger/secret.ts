import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { triggerCredentialType, type TriggerAuthentication } from './authentication';

/** The app's webhook Secret Token from the trigger's credential ('' when not set). */
export async function webhookSecretFor(
	context: IHookFunctions | IWebhookFunctions,
	authentication: TriggerAuthentication,
): Promise<string> {
	const credentials = await context.getCredentials(triggerCredentialType(authentication));
	const secret = credentials?.webhookSecretToken;
	return typeof secret === 'string' ? secret.trim() : '';
}
