import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUPE_TTL_MS, dedupeWindowMs } from '@zoom-team-chat/core/portable';

import { ZoomTeamChatTrigger } from '../nodes/ZoomTeamChatTrigger/ZoomTeamChatTrigger.node';

describe('De-Duplication Window', () => {
	it('defaults to the core’s webhook TTL, in the node’s field and where the field is blank', () => {
		for (const version of Object.values(new ZoomTeamChatTrigger().nodeVersions)) {
			const options = version.description.properties.find((p) => p.name === 'options')?.options ?? [];
			const field = options.find((o) => 'name' in o && o.name === 'dedupeMinutes') as { default?: unknown } | undefined;
			expect(field?.default).toBe(DEFAULT_DEDUPE_TTL_MS / 60_000);
		}
		for (const blank of [undefined, null, '', 0, -5, 'soon'])
			expect(dedupeWindowMs(blank), String(blank)).toBe(DEFAULT_DEDUPE_TTL_MS);
		expect(dedupeWindowMs(undefined)).toBe(DEFAULT_DEDUPE_TTL_MS);
	});

	it('takes the minutes the user set', () => {
		expect(dedupeWindowMs(15)).toBe(15 * 60_000);
		expect(dedupeWindowMs('30')).toBe(30 * 60_000);
	});
});
