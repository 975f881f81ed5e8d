/**
 * The resident app's trusted lower bound for "now" (like the scanner's, client/scanner/lists.ts): the newest time
 * the server has vouched for — its `Date` on a successful /me/codes answer (200 or 304) and the signed `iat` of the
 * codes it sent. Stored in the sync row (db.ts), only ever raised, so a phone clock set back after a sync cannot
 * bring an expired code back to "valid" on the screen (current-code.ts trustedNow).
 *
 * From the codes only the earliest `iat` per person counts: the issuer pre-issues the next code with an `iat`
 * ahead of now, but the earliest of a person's codes was issued in the past.
 */
import type { StoredPerson } from './db';

export function floorCandidate(dateHeader: string | null, people: readonly Pick<StoredPerson, 'codes'>[]): number | null {
	let floor: number | null = null;
	const date = Date.parse(dateHeader ?? '');
	if (Number.isFinite(date)) floor = date;
	for (const p of people) {
		if (p.codes.length === 0) continue;
		const earliest = Math.min(...p.codes.map((c) => c.iat));
		if (Number.isFinite(earliest) && (floor === null || earliest > floor)) floor = earliest;
	}
	return floor;
}

/** The stored floor raised to `candidate` (never lowered). */
export function raisedFloor(current: number | null | undefined, candidate: number | null): number | null {
	if (candidate === null) return current ?? null;
	return current === null || current === undefined || candidate > current ? candidate : current;
}
