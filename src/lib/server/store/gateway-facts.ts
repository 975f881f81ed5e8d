/**
 * The gateway's side of the fact exchange (migration 022, federation/gateway-facts.ts): routing hash → home
 * region, conflicts, each batch's signed message, the per-region queues and the per-item rejections.
 */
import type { Db, StoreTx } from './db.js';
import type { Selectable } from 'kysely';
import type { GwConflictsTable, GwRejectionsTable } from './schema.js';
import { inBatches } from './facts-import.js';

export async function homesOf(db: Db, routes: readonly string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (let i = 0; i < routes.length; i += 500) {
		const part = routes.slice(i, i + 500);
		if (!part.length) continue;
		for (const r of await db.selectFrom('gw_homes').select(['route_hash', 'region']).where('route_hash', 'in', part).execute())
			out.set(r.route_hash, r.region);
	}
	return out;
}

export async function insertHomes(tx: StoreTx, routes: readonly string[], region: string, nowMs: number): Promise<void> {
	await inBatches(routes, (b) =>
		tx
			.insertInto('gw_homes')
			.values(b.map((route_hash) => ({ route_hash, region, registered_at: nowMs })))
			.onConflict((oc) => oc.column('route_hash').doNothing())
			.execute()
	);
}

export async function insertConflicts(
	tx: StoreTx,
	rows: readonly { route: string; home: string; claimedBy: string }[],
	nowMs: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('gw_conflicts')
			.values(b.map((r) => ({ route_hash: r.route, home_region: r.home, claimed_by: r.claimedBy, at: nowMs })))
			.onConflict((oc) => oc.columns(['route_hash', 'claimed_by']).doNothing())
			.execute()
	);
}

export async function conflictsInvolving(db: Db, region: string, limit: number): Promise<Selectable<GwConflictsTable>[]> {
	return db
		.selectFrom('gw_conflicts')
		.selectAll()
		.where((eb) => eb.or([eb('home_region', '=', region), eb('claimed_by', '=', region)]))
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}

export async function putBatch(tx: StoreTx, row: { batchKey: string; region: string; message: string }, nowMs: number): Promise<void> {
	await tx
		.insertInto('gw_batches')
		.values({ batch_key: row.batchKey, region: row.region, message: row.message, received_at: nowMs })
		.onConflict((oc) => oc.column('batch_key').doNothing())
		.execute();
}

export async function enqueueFacts(
	tx: StoreTx,
	rows: readonly { toRegion: string; fromRegion: string; factId: string; rev: number; batchKey: string; text: string }[],
	nowMs: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('gw_queue')
			.values(
				b.map((r) => ({
					to_region: r.toRegion,
					from_region: r.fromRegion,
					fact_id: r.factId,
					rev: r.rev,
					batch_key: r.batchKey,
					fact_text: r.text,
					received_at: nowMs,
					acked_at: null
				}))
			)
			.onConflict((oc) => oc.columns(['fact_id', 'rev']).doNothing())
			.execute()
	);
}

export async function insertRejections(tx: StoreTx, rows: readonly Omit<Selectable<GwRejectionsTable>, 'id'>[]): Promise<void> {
	await inBatches(rows, (b) => tx.insertInto('gw_rejections').values(b).execute());
}

export async function rejectionsOf(db: Db, region: string, limit: number): Promise<Selectable<GwRejectionsTable>[]> {
	return db.selectFrom('gw_rejections').selectAll().where('from_region', '=', region).orderBy('id', 'desc').limit(limit).execute();
}

/** A region's queue after `afterSeq`, in order, with each item's batch message. */
export async function queueAfter(
	db: Db,
	region: string,
	afterSeq: number,
	limit: number
): Promise<{ seq: number; fact_text: string; batch_key: string; message: string }[]> {
	return db
		.selectFrom('gw_queue')
		.innerJoin('gw_batches', 'gw_batches.batch_key', 'gw_queue.batch_key')
		.select(['gw_queue.seq', 'gw_queue.fact_text', 'gw_queue.batch_key', 'gw_batches.message'])
		.where('gw_queue.to_region', '=', region)
		.where('gw_queue.seq', '>', afterSeq)
		.orderBy('gw_queue.seq')
		.limit(limit)
		.execute()
		.then((rows) => rows.map((r) => ({ ...r, seq: Number(r.seq) })));
}

export async function ackQueue(db: Db, region: string, throughSeq: number, nowMs: number): Promise<number> {
	const r = await db
		.updateTable('gw_queue')
		.set({ acked_at: nowMs })
		.where('to_region', '=', region)
		.where('seq', '<=', throughSeq)
		.where('acked_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows);
}

export async function queueDepth(db: Db, region: string): Promise<number> {
	const r = await db
		.selectFrom('gw_queue')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('to_region', '=', region)
		.where('acked_at', 'is', null)
		.executeTakeFirst();
	return Number(r?.n ?? 0);
}
