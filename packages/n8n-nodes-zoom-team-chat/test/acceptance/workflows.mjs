// The workflow the acceptance run imports: a signed Zoom webhook starts it; it replies in the
// thread of the message, then turns a text into a file and sends that into the same thread.
import { randomUUID } from 'node:crypto';

export function supportWorkflow({ prefix, credential, ownerEmail, webhookId }) {
	const creds = { zoomTeamChatServerToServerOAuthApi: { id: credential.id, name: credential.name } };
	const trigger = 'Zoom Team Chat Trigger';
	const fromTrigger = (path) => `$('${trigger}').item.json.payload.object.${path}`;
	return {
		name: `Zoom support desk (${prefix})`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			[trigger]: { main: [[{ node: 'Reply in thread', type: 'main', index: 0 }]] },
			'Reply in thread': { main: [[{ node: 'Write report', type: 'main', index: 0 }]] },
			'Write report': { main: [[{ node: 'Make file', type: 'main', index: 0 }]] },
			'Make file': { main: [[{ node: 'Send file', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: randomUUID(),
				name: trigger,
				type: `${prefix}.zoomTeamChatTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: creds,
				parameters: {
					authentication: 'serverToServerOAuth',
					subscriptionSetup: 'automatic',
					events: ['team_chat.channel_message_posted'],
					options: { ownUsers: ownerEmail, ignoreOwnMessages: true },
				},
			},
			{
				id: randomUUID(),
				name: 'Reply in thread',
				type: `${prefix}.zoomTeamChat`,
				typeVersion: 1,
				position: [250, 0],
				credentials: creds,
				parameters: {
					authentication: 'serverToServerOAuth',
					resource: 'message',
					operation: 'send',
					actAsUser: 'me',
					target: 'channel',
					channelId: { __rl: true, mode: 'id', value: `={{ ${fromTrigger('channel_id')} }}` },
					message: `=Got it: {{ ${fromTrigger('message')} }}`,
					additionalFields: { replyMainMessageId: `={{ ${fromTrigger('message_id')} }}` },
				},
			},
			{
				id: randomUUID(),
				name: 'Write report',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [500, 0],
				parameters: {
					mode: 'manual',
					includeOtherFields: false,
					assignments: {
						assignments: [
							{
								id: randomUUID(),
								name: 'report',
								type: 'string',
								value: `=Report for message {{ ${fromTrigger('message_id')} }}: {{ ${fromTrigger('message')} }}`,
							},
						],
					},
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Make file',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				position: [750, 0],
				parameters: {
					operation: 'toText',
					sourceProperty: 'report',
					binaryPropertyName: 'data',
					options: { fileName: 'report.txt' },
				},
			},
			{
				id: randomUUID(),
				name: 'Send file',
				type: `${prefix}.zoomTeamChat`,
				typeVersion: 1,
				position: [1000, 0],
				credentials: creds,
				parameters: {
					authentication: 'serverToServerOAuth',
					resource: 'file',
					operation: 'send',
					actAsUser: 'me',
					target: 'channel',
					channelId: { __rl: true, mode: 'id', value: `={{ ${fromTrigger('channel_id')} }}` },
					binaryPropertyName: 'data',
					options: { replyMainMessageId: `={{ ${fromTrigger('message_id')} }}` },
				},
			},
		],
	};
}
