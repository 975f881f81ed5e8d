/**
 * The regions' status lists (revocations): status_lists holds each region's sequence number, status_entries every
 * revoked code id with the sequence that revoked it. Scanners fetch the whole list or a delta since a sequence.
 */
import type { Db } from './db.js';
import { addOverviewDeltas } from './overview.js';

/**
 * How long after its code's exp an entry stays on the signed list. Past exp the code fails every scanner anyway
 * (`expired`); the grace covers scanner clocks a little behind (beyond CLOCK_SKEW_SECONDS a scanner behind the
 * list's issuedAt reads `clock-suspect`, core/verify-code.ts), so an hour is ample.
 */
export const STATUS_ENTRY_GRACE_MS = 3_600_000;

/** Largest `IN (…)` list per statement. */
const CHUNK = 500;

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
	// each entry keeps its code's exp, so the list can leave it out once the code has expired (statusListEntries)
	const exps = new Map<string, number>();
	for (let i = 0; i < codeIds.length; i += CHUNK) {
		const rows = await db
			.selectFrom('codes')
			.select(['code_id', 'exp'])
			.where('code_id', 'in', codeIds.slice(i, i + CHUNK))
			.execute();
		for (const r of rows) exps.set(r.code_id, Number(r.exp));
	}
	let added = 0;
	for (let i = 0; i < codeIds.length; i += CHUNK) {
		const r = await db
			.insertInto('status_entries')
			.values(codeIds.slice(i, i + CHUNK).map((code_id) => ({ region, seq, code_id, revoked_at: nowMs, exp: exps.get(code_id) ?? null })))
			.onConflict((oc) => oc.columns(['region', 'code_id']).doNothing())
			.executeTakeFirst();
		added += Number(r.numInsertedOrUpdatedRows ?? 0);
	}
	// the overview's status-list size (store/overview.ts)
	await addOverviewDeltas(db, [{ metric: 'status', bucket: 0, key: region, n: added }]);
	return seq;
}

/** The region's current sequence number (undefined: nothing ever revoked). */
export async function statusListSeq(db: Db, region: string): Promise<number | undefined> {
	return (await db.selectFrom('status_lists').select('seq').where('region', '=', region).executeTakeFirst())?.seq;
}

/**
 * Revoked code ids of the region, all or those appended after `since`, in (seq, code_id) order — without the
 * codes that expired more than STATUS_ENTRY_GRACE_MS before `nowMs` (entries of unknown codes are always listed).
 */
export async function statusListEntries(db: Db, region: string, nowMs: number, since?: number): Promise<string[]> {
	let q = db
		.selectFrom('status_entries')
		.select('code_id')
		.where('region', '=', region)
		.where((eb) => eb.or([eb('exp', 'is', null), eb('exp', '>=', nowMs - STATUS_ENTRY_GRACE_MS)]));
	if (since !== undefined) q = q.where('seq', '>', since);
	const rows = await q.orderBy('seq').orderBy('code_id').execute();
	return rows.map((r) => r.code_id);
}

/** Deletes the entries whose code expired more than STATUS_ENTRY_GRACE_MS before `nowMs` (retention). */
export async function purgeExpiredStatusEntries(db: Db, nowMs: number): Promise<number> {
	const gone = await db
		.deleteFrom('status_entries')
		.where('exp', '<', nowMs - STATUS_ENTRY_GRACE_MS)
		.returning('region')
		.execute();
	const byRegion = new Map<string, number>();
	for (const g of gone) byRegion.set(g.region, (byRegion.get(g.region) ?? 0) - 1);
	await addOverviewDeltas(
		db,
		[...byRegion].map(([key, n]) => ({ metric: 'status' as const, bucket: 0, key, n }))
	);
	return gone.length;
}
