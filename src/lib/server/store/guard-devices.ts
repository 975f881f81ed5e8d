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

/** Revokes a guard device (once: the first revocation's time and actor stay); false when there is no such device. */
export async function revokeGuardDevice(db: Db, id: string, nowMs: number, actor: string): Promise<boolean> {
	const row = await db.selectFrom('guard_devices').select('revoked_at').where('id', '=', id).executeTakeFirst();
	if (!row) return false;
	if (row.revoked_at === null)
		await db
			.updateTable('guard_devices')
			.set({ revoked_at: nowMs, revoked_by: actor })
			.where('id', '=', id)
			.where('revoked_at', 'is', null)
			.execute();
	return true;
}

export interface GuardDeviceRow {
	id: string;
	venue_id: string;
	venue_name: string;
	created_at: number;
	revoked_at: number | null;
	revoked_by: string | null;
	/** when the newest uploaded scan arrived (null: never uploaded); the (device_id, seq) key finds it in one probe */
	last_sync_at: number | null;
}

/** Every guard device with its venue and last upload, newest enrolment first. */
export async function listGuardDevices(db: Db): Promise<GuardDeviceRow[]> {
	const rows = await db
		.selectFrom('guard_devices as d')
		.innerJoin('venues as v', 'v.id', 'd.venue_id')
		.select((eb) => [
			'd.id',
			'd.venue_id',
			'v.name as venue_name',
			'd.created_at',
			'd.revoked_at',
			'd.revoked_by',
			eb
				.selectFrom('scan_events as s')
				.select('s.received_at')
				.whereRef('s.device_id', '=', 'd.id')
				.orderBy('s.seq', 'desc')
				.limit(1)
				.as('last_sync_at')
		])
		.orderBy('d.created_at', 'desc')
		.orderBy('d.id')
		.execute();
	return rows.map((r) => ({ ...r, last_sync_at: r.last_sync_at ?? null }));
}
