/**
 * The regions' status lists (revocations): status_lists holds each region's sequence number, status_entries every
 * revoked code id with the sequence that revoked it. Scanners fetch the whole list or a delta since a sequence.
 */
import type { Db } from './db.js';

/**
 * Appends code ids to the region's status list as one new sequence number and returns it. Ids already listed keep
 * their earlier sequence. Does not touch the codes table or codes versions (the callers do, issuance/revoke.ts).
 */
export async function appendToStatusList(db: Db, region: string, codeIds: readonly string[], nowMs: number): Promise<number> {
	const current = await db.selectFrom('status_lists').select('seq').where('region', '=', region).executeTakeFirst();
	// The empty list is served as seq 1 (statusListDocument), so the first revocation is seq 2.
	const seq = (current?.seq ?? 1) + 1;
	if (current) await db.updateTable('status_lists').set({ seq, issued_at: nowMs }).where('region', '=', region).execute();
	else await db.insertInto('status_lists').values({ region, seq, issued_at: nowMs }).execute();
	await db
		.insertInto('status_entries')
		.values(codeIds.map((code_id) => ({ region, seq, code_id, revoked_at: nowMs })))
		.onConflict((oc) => oc.columns(['region', 'code_id']).doNothing())
		.execute();
	return seq;
}

/** The region's current sequence number (undefined: nothing ever revoked). */
export async function statusListSeq(db: Db, region: string): Promise<number | undefined> {
	return (await db.selectFrom('status_lists').select('seq').where('region', '=', region).executeTakeFirst())?.seq;
}

/** Revoked code ids of the region, all or those appended after `since`, in (seq, code_id) order. */
export async function statusListEntries(db: Db, region: string, since?: number): Promise<string[]> {
	let q = db.selectFrom('status_entries').select('code_id').where('region', '=', region);
	if (since !== undefined) q = q.where('seq', '>', since);
	const rows = await q.orderBy('seq').orderBy('code_id').execute();
	return rows.map((r) => r.code_id);
}
