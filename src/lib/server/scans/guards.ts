/**
 * Venues and the guard devices enrolled to them. A device authenticates its uploads with a random bearer
 * token; only its keyed hash is stored. The enrolment code carries what the scanner needs offline (venue,
 * region, entry policy) plus the token; the scanner issue turns it into a QR.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { guardDeviceByTokenHmac, insertGuardDevice, revokeGuardDevice } from '../store/guard-devices.js';
import { insertVenue, venueById } from '../store/venues.js';
import { toBase64Url } from '../../core/bytes.js';
import { REGION_RE } from '../../core/claims.js';
import { ENTRY_POLICIES, type EntryPolicy } from '../../core/contract/entry-policy.js';
import type { Enrolment } from '../../core/contract/enrolment.js';
import { keyedHash } from '../secrets.js';

/** Moved to the contract (src/lib/core/contract); re-exported for the CLI and demo code that import them from here. */
export { ENTRY_POLICIES, type EntryPolicy, type Enrolment };

export async function addVenue(db: Db, v: { name: string; region: string; policy: EntryPolicy; nowMs: number }): Promise<string> {
	if (!v.name.trim() || v.name.length > 60) throw new RangeError('venue name must be 1–60 characters');
	if (!REGION_RE.test(v.region)) throw new RangeError('region must be a six-digit GB/T 2260 code');
	if (!ENTRY_POLICIES.includes(v.policy)) throw new RangeError(`policy must be one of ${ENTRY_POLICIES.join(', ')}`);
	const id = toBase64Url(randomBytes(9));
	await insertVenue(db, {
		id,
		name: v.name.trim(),
		region: v.region,
		policy_json: JSON.stringify({ policy: v.policy }),
		created_at: v.nowMs
	});
	return id;
}

export async function enrolGuard(db: Db, key: Uint8Array, venueId: string, nowMs: number): Promise<Enrolment> {
	const venue = await venueById(db, venueId);
	if (!venue) throw new RangeError(`no venue ${venueId}`);
	const deviceId = toBase64Url(randomBytes(9));
	const token = toBase64Url(randomBytes(32));
	await insertGuardDevice(db, { id: deviceId, venueId: venue.id, tokenHmac: keyedHash(key, 'guard', token), createdAt: nowMs });
	const { policy } = JSON.parse(venue.policy_json) as { policy: EntryPolicy };
	return { v: 1, deviceId, token, venue: { id: venue.id, name: venue.name, region: venue.region, policy } };
}

/** The device a bearer token belongs to; 'revoked' for a device that was withdrawn (its scanner is told so). */
export async function guardForToken(
	db: Db,
	key: Uint8Array,
	token: string | undefined
): Promise<{ id: string; venue_id: string } | 'revoked' | null> {
	if (!token || token.length > 100) return null;
	const row = await guardDeviceByTokenHmac(db, keyedHash(key, 'guard', token));
	if (!row) return null;
	return row.revoked_at === null ? { id: row.id, venue_id: row.venue_id } : 'revoked';
}

/**
 * Withdraws a guard device (a lost or stolen phone): its uploads are refused from now on. RangeError if unknown.
 * `actor`: who did it (`staff/ID` from the console, `cli`), kept with the revocation.
 */
export async function revokeGuard(db: Db, deviceId: string, nowMs: number, actor = 'cli'): Promise<void> {
	if (!(await revokeGuardDevice(db, deviceId, nowMs, actor))) throw new RangeError(`no guard device ${deviceId}`);
}
