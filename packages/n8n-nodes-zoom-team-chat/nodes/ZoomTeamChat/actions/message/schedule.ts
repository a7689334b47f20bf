import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The option's label, as the panel shows it and the errors name it. */
export const SCHEDULE_AT_LABEL = 'Schedule At';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/**
 * Zoom's rule for `scheduled_time` (sendaChatMessage): "more than 30 minutes from now and within
 * 180 days". Checked here so a wrong time fails with the field's name instead of Zoom's code 300.
 */
export const SCHEDULE_MIN_AHEAD_MS = 30 * MINUTE;
export const SCHEDULE_MAX_AHEAD_MS = 180 * DAY;

/** Zoom's format, yyyy-MM-dd'T'HH:mm:ss'Z' (whole seconds, UTC). */
export const zoomDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A date and time with no offset, as n8n's date picker writes it ("2030-06-01T09:00:00"). */
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** Minutes `timeZone` is ahead of UTC at the instant `ms`. */
function offsetMinutes(ms: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
}

/**
 * The instant a wall-clock time names in `timeZone`. The offset is looked up twice: once at the
 * time read as UTC, then at the instant that gives, so a time next to a DST change gets the
 * offset in force at that instant.
 */
function wallTimeIn(match: RegExpExecArray, timeZone: string): number {
	const [, y, mo, d, h, mi, s = '0', frac = '0'] = match;
	const asUtc = Date.UTC(
		Number(y),
		Number(mo) - 1,
		Number(d),
		Number(h),
		Number(mi),
		Number(s),
		Number(frac.padEnd(3, '0')),
	);
	// Date.UTC rolls "2030-13-45T99:00" over into another day instead of refusing it.
	const back = new Date(asUtc);
	const fields = [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours()];
	const typed = [y, mo, d, h].map(Number);
	if (fields.some((v, n) => v !== typed[n]) || Number(mi) > 59 || Number(s) > 59) return Number.NaN;
	const first = asUtc - offsetMinutes(asUtc, timeZone) * MINUTE;
	return asUtc - offsetMinutes(first, timeZone) * MINUTE;
}

/** A Luxon DateTime (what `{{ $now.plus(2, 'hours') }}` gives) without importing Luxon. */
function isDateTimeLike(value: unknown): value is { toMillis(): number } {
	return (
		value !== null && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function'
	);
}

/** The instant `value` names, or NaN. A time without an offset is read in the workflow's timezone. */
export function instantOf(value: unknown, timeZone: string): number {
	if (value instanceof Date) return value.getTime();
	if (isDateTimeLike(value)) return value.toMillis();
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return Number.NaN;
	const text = value.trim();
	if (/^\d{10,}$/.test(text)) return Number(text);
	const wall = WALL_TIME.exec(text);
	if (wall) return wallTimeIn(wall, timeZone);
	// Only full dates with a time and an offset ("…Z", "…+02:00"): Date.parse reads other shapes
	// ("June 1") in the server's zone, not the workflow's.
	return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)
		? Date.parse(text.replace(' ', 'T'))
		: Number.NaN;
}

function duration(ms: number): string {
	if (ms < 120 * MINUTE) return `${Math.round(ms / MINUTE)} minutes`;
	if (ms < 2 * DAY) return `${Math.round(ms / (60 * MINUTE))} hours`;
	return `${Math.floor(ms / DAY)} days`;
}

/**
 * `scheduled_time` for Zoom from Options → Schedule At, checked against Zoom's window before
 * anything is sent. Zoom takes whole seconds, so the check is on the time that will be sent.
 */
export function scheduledTimeOf(this: IExecuteFunctions, value: unknown, i: number, now: number = Date.now()): string {
	const timeZone = this.getTimezone();
	const at = instantOf(value, timeZone);
	if (!Number.isFinite(at)) {
		throw new NodeOperationError(
			this.getNode(),
			`The parameter "${SCHEDULE_AT_LABEL}" is not a date and time: ${JSON.stringify(value)}`,
			{
				itemIndex: i,
				description: `Pick it in the date picker, or give an ISO 8601 time such as "2030-06-01T09:00:00Z" or {{ $now.plus(2, 'hours') }}. A time without an offset is read in the workflow's timezone (${timeZone}).`,
			},
		);
	}
	const sent = Math.floor(at / 1000) * 1000;
	const ahead = sent - now;
	if (ahead <= SCHEDULE_MIN_AHEAD_MS || ahead >= SCHEDULE_MAX_AHEAD_MS) {
		const when =
			ahead < 0
				? `${duration(-ahead)} ago`
				: `${duration(ahead)} ${ahead < SCHEDULE_MAX_AHEAD_MS ? 'from now' : 'ahead'}`;
		throw new NodeOperationError(
			this.getNode(),
			`The parameter "${SCHEDULE_AT_LABEL}" must be more than 30 minutes from now and within 180 days`,
			{
				itemIndex: i,
				description: `${zoomDateTime(sent)} (UTC) is ${when}. That is Zoom's window for scheduled messages; to send at once, remove "${SCHEDULE_AT_LABEL}".`,
			},
		);
	}
	return zoomDateTime(sent);
}
