import type { IDataObject } from 'n8n-workflow';
import {
	DEFAULT_DEDUPE_TTL_MS,
	parseList,
	skipReason as coreSkipReason,
	type EventSelection,
	type SkipReason,
	type ZoomEvent,
} from '@zoom-team-chat/core/portable';

export type { EventSelection };

/**
 * The trigger's "which events start the workflow" settings, read once per activation (WebSocket)
 * or request (webhook). `extraOwn`: identities the credential adds (a chatbot's own JID).
 */
export function eventSelection(
	events: unknown,
	options: IDataObject,
	extraOwn: readonly string[] = [],
): EventSelection {
	const ignoreOwn = options.ignoreOwnMessages !== false;
	return {
		// n8n's Events field is a list of exact names; an empty one starts nothing.
		events: Array.isArray(events) ? events.map(String) : [],
		channels: parseList(options.channelIds),
		ownIdentities: ignoreOwn ? [...parseList(options.ownUsers), ...extraOwn] : [],
	};
}

/** The core's filters (the same for webhooks and the WebSocket), on n8n's JSON type. */
export function skipReason(event: IDataObject, selection: EventSelection): SkipReason | undefined {
	return coreSkipReason(event as unknown as ZoomEvent, selection);
}

/**
 * "De-Duplication Window (Minutes)" in milliseconds, for webhooks and the WebSocket alike: a blank
 * or unusable value means the core's default, which outlasts Zoom's last webhook retry.
 */
export function dedupeWindowMs(options: IDataObject): number {
	const minutes = Number(options.dedupeMinutes);
	return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_DEDUPE_TTL_MS;
}
