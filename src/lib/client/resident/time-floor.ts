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

/**
 * Offsets smaller than this are measurement noise (the `Date` header's whole seconds, the request's time on the
 * network) and are taken as 0: a right clock is left alone. Far below the scanner's ±1 live-proof step (30 s).
 */
export const CLOCK_OFFSET_DEADBAND_MS = 2_000;

/**
 * The server's clock minus this phone's, from one successful /me/codes answer — how an authenticator app corrects
 * a TOTP step for a phone whose clock is off (RFC 6238 §6, resynchronisation). The server's time is its
 * `serverTime` (ms, 200) or its `Date` header (whole seconds, 304: taken at the middle of its second); the phone's
 * is the middle of the request (sent … answered), so the network's delay splits evenly. Unlike the floor, the
 * newest measurement replaces the last: a phone whose clock was set right since should lose its correction.
 * Null when the answer carries no usable time.
 */
export function clockOffset(
	server: { serverTime?: number; dateHeader?: string | null },
	sentAt: number,
	answeredAt: number
): number | null {
	const date = Date.parse(server.dateHeader ?? '');
	const serverAt =
		server.serverTime !== undefined && Number.isFinite(server.serverTime) ? server.serverTime : Number.isFinite(date) ? date + 500 : null;
	if (serverAt === null || !Number.isFinite(sentAt) || !(answeredAt >= sentAt)) return null;
	const offset = Math.round(serverAt - (sentAt + answeredAt) / 2);
	return Math.abs(offset) < CLOCK_OFFSET_DEADBAND_MS ? 0 : offset;
}
