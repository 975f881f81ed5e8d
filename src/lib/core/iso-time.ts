/**
 * ISO 8601 times as operators and data sources write them, to Unix milliseconds. One parser for the CLI's time
 * options, the imports' time fields, risk areas and manual colour decisions, so `+0800` is never accepted in one
 * place and refused in another.
 *
 * Accepted: a calendar date `YYYY-MM-DD` (or basic `YYYYMMDD`), optionally `T` (or one space) and a time
 * `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff…` (or basic `hhmm`, `hhmmss`; `,` as decimal sign too; fractions beyond
 * milliseconds are truncated), then a zone: `Z`, `±hh:mm`, `±hhmm` or `±hh`. `24:00` is the end of the day.
 * Every part is range-checked (2026-02-29 and 25:00 are refused, not rolled over).
 *
 * A time without a zone is ambiguous: `defaultOffsetMinutes` says what it means (imports: China Standard Time,
 * UTC+8, as Chinese sources write it); without it such a time is refused. Returns NaN for anything refused.
 */
import { isCalendarDate } from './declaration/resident-id.js';

const ISO_RE = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;

export interface IsoTimeOptions {
	/** the offset from UTC, in minutes, of a time written without a zone; absent: such a time is refused */
	defaultOffsetMinutes?: number;
	/** a date without a time (midnight) is accepted; default true */
	allowDateOnly?: boolean;
}

export function parseIsoTime(text: string, opts: IsoTimeOptions = {}): number {
	const m = ISO_RE.exec(text.trim());
	if (!m) return NaN;
	const [, y, mo, d, hh, mi, ss, frac, z, sign, oh, om] = m;
	// basic and extended forms may not be mixed within the date (2026-1120 matches the optional dashes)
	if (/^\d{4}-\d{4}|^\d{6}-/.test(text.trim())) return NaN;
	const date = `${y}-${mo}-${d}`;
	if (!isCalendarDate(date)) return NaN;
	if (hh === undefined && opts.allowDateOnly === false) return NaN;
	const hour = Number(hh ?? 0);
	const minute = Number(mi ?? 0);
	const second = Number(ss ?? 0);
	const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
	if (minute > 59 || second > 59) return NaN;
	if (hour > 24 || (hour === 24 && (minute || second || ms))) return NaN;
	let offsetMinutes: number;
	if (z) offsetMinutes = 0;
	else if (sign) {
		const h = Number(oh);
		const mm = Number(om ?? 0);
		if (h > 23 || mm > 59) return NaN;
		offsetMinutes = (sign === '-' ? -1 : 1) * (h * 60 + mm);
	} else if (opts.defaultOffsetMinutes !== undefined) offsetMinutes = opts.defaultOffsetMinutes;
	else return NaN;
	// setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999
	const t = new Date(0);
	t.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
	t.setUTCHours(hour, minute, second, ms);
	return t.getTime() - offsetMinutes * 60_000;
}

/** Whether the text carries an explicit zone (Z or an offset) — for messages that say what is missing. */
export function hasIsoZone(text: string): boolean {
	const m = ISO_RE.exec(text.trim());
	return !!m && (m[8] !== undefined || m[9] !== undefined);
}

export const CHINA_OFFSET_MINUTES = 480;
