/**
 * Guard devices (table guard_devices): enrolment rows and the bearer-token lookup. The token itself is never
 * stored, only its keyed hash (scans/guards.ts hashes it). The upload watermark columns (last_seq, last_hash)
 * belong to the scan ingest: store/scans.ts.
 */
import type { Db } from './db.js';

export async function insertGuardDevice(db: Db, row: { id: string; venueId: string; tokenHmac: string; createdAt: number }): Promise<void> {
	await db
		.insertInto('guard_devices')
		.values({ id: row.id, venue_id: row.venueId, token_hmac: row.tokenHmac, created_at: row.createdAt, revoked_at: null, last_hash: null })
		.execute();
}

/** The device with this token hash, revoked or not. */
export async function guardDeviceByTokenHmac(
	db: Db,
	tokenHmac: string
): Promise<{ id: string; venue_id: string; revoked_at: number | null } | undefined> {
	return db.selectFrom('guard_devices').select(['id', 'venue_id', 'revoked_at']).where('token_hmac', '=', tokenHmac).executeTakeFirst();
}

/** Revokes a guard device (once); false when there is no such device. */
export async function revokeGuardDevice(db: Db, id: string, nowMs: number): Promise<boolean> {
	const row = await db.selectFrom('guard_devices').select('revoked_at').where('id', '=', id).executeTakeFirst();
	if (!row) return false;
	if (row.revoked_at === null) await db.updateTable('guard_devices').set({ revoked_at: nowMs }).where('id', '=', id).execute();
	return true;
}
