import type { IDataObject } from 'n8n-workflow';
import { DEFAULT_DEDUPE_TTL_MS } from '@zoom-team-chat/core/portable';

import { isFromAny, matchesChannel } from './filters';

/** The trigger's "which events start the workflow" settings, read once per activation. */
export interface EventSelection {
	events: readonly string[];
	channelIds: readonly string[];
	/** Identities whose events are skipped (empty when Ignore Own Messages is off). */
	ownIdentities: readonly string[];
}

export function listParameter(value: unknown): string[] {
	return String(value ?? '')
		.split(/[,\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

/** The selection from the node's parameters (`options` as n8n stores the collection). */
export function eventSelection(events: unknown, options: IDataObject, extraOwn: readonly string[] = []): EventSelection {
	const ignoreOwn = options.ignoreOwnMessages !== false;
	return {
		events: Array.isArray(events) ? events.map(String) : [],
		channelIds: listParameter(options.channelIds),
		ownIdentities: ignoreOwn ? [...listParameter(options.ownUsers), ...extraOwn] : [],
	};
}

/**
 * Why an event does not start the workflow, or undefined when it does. The same checks as the
 * webhook path (delivery.ts): chosen events, channel filter, own messages.
 */
export function skipReason(event: IDataObject, selection: EventSelection): string | undefined {
	if (!selection.events.includes(String(event.event))) return 'event not selected';
	if (!matchesChannel(event, selection.channelIds)) return 'other channel';
	if (isFromAny(event, selection.ownIdentities)) return 'own message';
	return undefined;
}

/**
 * "De-Duplication Window (Minutes)" in milliseconds, for webhooks and the WebSocket alike: a blank
 * or unusable value means the core's default, which outlasts Zoom's last webhook retry.
 */
export function dedupeWindowMs(options: IDataObject): number {
	const minutes = Number(options.dedupeMinutes);
	return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_DEDUPE_TTL_MS;
}
