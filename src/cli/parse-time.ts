import { hasIsoZone, parseIsoTime as parseIso } from '../lib/core/iso-time.js';
import { UsageError } from './usage-error.js';

/** ISO 8601 with an explicit zone (Z, ±hh:mm, ±hhmm, ±hh; core/iso-time.ts) → Unix ms; a time without a zone is ambiguous, so refused. */
export function parseIsoTime(value: string, flag: string): number {
	const ms = parseIso(value);
	if (!Number.isNaN(ms)) return ms;
	if (!hasIsoZone(value) && !Number.isNaN(parseIso(value, { defaultOffsetMinutes: 0 })))
		throw new UsageError(`${flag} needs a zone: ${value}Z, ${value}+08:00 or ${value}+0800`);
	throw new UsageError(`${flag}: not an ISO 8601 time: ${value} (e.g. 2026-11-29T08:00:00+08:00, +0800, +08 or Z)`);
}
