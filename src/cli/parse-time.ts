import { UsageError } from './usage-error.js';

/** ISO 8601 with an explicit zone (Z or ±hh:mm) → Unix ms; a time without a zone is ambiguous, so refused. */
export function parseIsoTime(value: string, flag: string): number {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
		throw new UsageError(`${flag} needs an ISO time with a zone, e.g. 2026-11-29T08:00:00Z`);
	}
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw new UsageError(`${flag}: not a valid time: ${value}`);
	return ms;
}
