import type { INodePropertyOptions } from 'n8n-workflow';
import { eventCatalog } from '@zoom-team-chat/core/portable';

function capitalize(title: string): string {
	return title.replace(/\b([a-z])/g, (c) => c.toUpperCase()).replace(/\bDm\b/g, 'DM');
}

/** The 62 Team Chat and Chatbot events, grouped by API in their names. */
export const eventOptions: INodePropertyOptions[] = eventCatalog
	.map((e) => ({
		name: `${e.api === 'chatbot' ? 'Chatbot' : 'Team Chat'}: ${capitalize(e.title.replace(/^Team Chat /i, ''))}`,
		value: e.name,
		description: `${e.name} — ${e.description}`,
	}))
	.sort((a, b) => a.name.localeCompare(b.name));

const known = new Set(eventCatalog.map((e) => e.name as string));

export function isKnownEvent(name: string): boolean {
	return known.has(name);
}
