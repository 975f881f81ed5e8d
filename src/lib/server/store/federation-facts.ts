/**
 * A region's side of the fact exchange (migration 022, federation/): its residents' routing hashes, the outbox of
 * facts about people whose home is elsewhere, the inbox of facts received, and the received facts written into the
 * fact tables with their source region. Only reads and writes; the policy lives in src/lib/server/federation/.
 */
import type { Db, StoreTx } from './db.js';
import type { Selectable } from 'kysely';
import type { FedInboxTable, FedOutboxTable } from './schema.js';

export type OutboxRow = Selectable<FedOutboxTable>;
import { inBatches } from './facts-import.js';

export async function upsertResidentRoutes(tx: Db, rows: readonly { route: string; ref: string }[], nowMs: number): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('fed_residents')
			.values(b.map((r) => ({ route_hash: r.route, ref: r.ref, created_at: nowMs, registered_at: null })))
			.onConflict((oc) => oc.column('route_hash').doNothing())
			.execute()
	);
}

/** Which of these routing hashes belong to this region's residents. */
export async function residentRoutesAmong(db: Db, routes: readonly string[]): Promise<Set<string>> {
	const out = new Set<string>();
	for (let i = 0; i < routes.length; i += 500) {
		const part = routes.slice(i, i + 500);
		if (!part.length) continue;
		for (const r of await db.selectFrom('fed_residents').select('route_hash').where('route_hash', 'in', part).execute())
			out.add(r.route_hash);
	}
	return out;
}

/** The local refs of these routing hashes (this region's residents only). */
export async function refsOfRoutes(db: Db, routes: readonly string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (let i = 0; i < routes.length; i += 500) {
		const part = routes.slice(i, i + 500);
		if (!part.length) continue;
		for (const r of await db.selectFrom('fed_residents').select(['route_hash', 'ref']).where('route_hash', 'in', part).execute())
			out.set(r.route_hash, r.ref);
	}
	return out;
}

export async function unregisteredRoutes(db: Db, limit: number): Promise<string[]> {
	const rows = await db
		.selectFrom('fed_residents')
		.select('route_hash')
		.where('registered_at', 'is', null)
		.orderBy('route_hash')
		.limit(limit)
		.execute();
	return rows.map((r) => r.route_hash);
}

export async function markRegistered(db: Db, routes: readonly string[], nowMs: number): Promise<void> {
	await inBatches(routes, (b) => db.updateTable('fed_residents').set({ registered_at: nowMs }).where('route_hash', 'in', b).execute());
}

/** The latest revision queued for each of these fact ids, with its text. */
export async function latestOutboxRevs(db: Db, factIds: readonly string[]): Promise<Map<string, { rev: number; fact_json: string }>> {
	const out = new Map<string, { rev: number; fact_json: string }>();
	for (let i = 0; i < factIds.length; i += 500) {
		const part = factIds.slice(i, i + 500);
		if (!part.length) continue;
		const rows = await db.selectFrom('fed_outbox').select(['fact_id', 'rev', 'fact_json']).where('fact_id', 'in', part).execute();
		for (const r of rows) if ((out.get(r.fact_id)?.rev ?? -1) < r.rev) out.set(r.fact_id, { rev: r.rev, fact_json: r.fact_json });
	}
	return out;
}

export async function insertOutbox(
	tx: StoreTx,
	rows: readonly { factId: string; rev: number; subject: string; kind: string; factJson: string }[],
	nowMs: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('fed_outbox')
			.values(
				b.map((r) => ({
					fact_id: r.factId,
					rev: r.rev,
					subject: r.subject,
					kind: r.kind,
					fact_json: r.factJson,
					created_at: nowMs,
					state: 'pending' as const,
					next_attempt_at: nowMs,
					last_error: null,
					done_at: null,
					reject_code: null,
					reject_field: null
				}))
			)
			.onConflict((oc) => oc.columns(['fact_id', 'rev']).doNothing())
			.execute()
	);
}

/** Pending facts in recording order (the sender picks which are due, keeping each person's order). */
export async function pendingOutbox(db: Db, limit: number): Promise<OutboxRow[]> {
	const rows = await db.selectFrom('fed_outbox').selectAll().where('state', '=', 'pending').orderBy('seq').limit(limit).execute();
	return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export async function markOutboxSent(db: Db, seqs: readonly number[], nowMs: number): Promise<void> {
	await inBatches(seqs, (b) =>
		db.updateTable('fed_outbox').set({ state: 'sent', done_at: nowMs, last_error: null }).where('seq', 'in', b).execute()
	);
}

export async function markOutboxRejected(db: Db, seq: number, code: string, field: string | null, nowMs: number): Promise<void> {
	await db
		.updateTable('fed_outbox')
		.set({ state: 'rejected', done_at: nowMs, reject_code: code, reject_field: field })
		.where('seq', '=', seq)
		.execute();
}

export async function markOutboxRetry(db: Db, seqs: readonly number[], nextAttemptAt: number, error: string): Promise<void> {
	await inBatches(seqs, (b) =>
		db
			.updateTable('fed_outbox')
			.set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: nextAttemptAt, last_error: error }))
			.where('seq', 'in', b)
			.execute()
	);
}

/** The outbox for operators: newest first, optionally one state. No subject (a hash, but still about a person). */
export async function outboxPage(
	db: Db,
	filter: { state?: string },
	limit: number
): Promise<
	Pick<
		OutboxRow,
		| 'seq'
		| 'fact_id'
		| 'rev'
		| 'kind'
		| 'state'
		| 'attempts'
		| 'created_at'
		| 'done_at'
		| 'last_error'
		| 'reject_code'
		| 'reject_field'
		| 'next_attempt_at'
	>[]
> {
	let q = db
		.selectFrom('fed_outbox')
		.select([
			'seq',
			'fact_id',
			'rev',
			'kind',
			'state',
			'attempts',
			'created_at',
			'done_at',
			'last_error',
			'reject_code',
			'reject_field',
			'next_attempt_at'
		])
		.orderBy('seq', 'desc')
		.limit(limit);
	if (filter.state) q = q.where('state', '=', filter.state as FedOutboxTable['state']);
	return q.execute();
}

export async function outboxCounts(db: Db): Promise<Record<string, number>> {
	const rows = await db
		.selectFrom('fed_outbox')
		.select(['state', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('state')
		.execute();
	return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

export async function inboxEntry(db: Db, factId: string): Promise<FedInboxTable | undefined> {
	return db.selectFrom('fed_inbox').selectAll().where('fact_id', '=', factId).executeTakeFirst();
}

export async function putInbox(tx: StoreTx, row: FedInboxTable): Promise<void> {
	await tx
		.insertInto('fed_inbox')
		.values(row)
		.onConflict((oc) =>
			oc.column('fact_id').doUpdateSet({
				rev: row.rev,
				batch_id: row.batch_id,
				received_at: row.received_at,
				outcome: row.outcome,
				reject_code: row.reject_code
			})
		)
		.execute();
}

export async function inboxPage(db: Db, limit: number): Promise<FedInboxTable[]> {
	return db.selectFrom('fed_inbox').selectAll().orderBy('received_at', 'desc').limit(limit).execute();
}

export async function metaValue(db: Db, key: string): Promise<string | null> {
	return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setMetaValue(db: Db, key: string, value: string): Promise<void> {
	await db
		.insertInto('meta')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}

// ── received facts into the fact tables, with their source region ────────────────────────────────────────

export async function putReceivedTest(
	tx: StoreTx,
	r: { id: string; ref: string; sampledAt: number; result: 'negative' | 'positive'; region: string },
	nowMs: number
): Promise<void> {
	await tx
		.insertInto('health_tests')
		.values({ id: r.id, ref: r.ref, sampled_at: r.sampledAt, result: r.result, received_at: nowMs, source_region: r.region })
		.onConflict((oc) => oc.column('id').doUpdateSet({ sampled_at: r.sampledAt, result: r.result, received_at: nowMs }))
		.execute();
}

export async function putReceivedCase(
	tx: StoreTx,
	r: {
		id: string;
		ref: string;
		confirmedAt: number;
		releasedAt: number | null;
		onsetAt: number | null;
		isolatedAt: number | null;
		region: string;
	},
	nowMs: number
): Promise<void> {
	const cols = { confirmed_at: r.confirmedAt, released_at: r.releasedAt, onset_at: r.onsetAt, isolated_at: r.isolatedAt };
	await tx
		.insertInto('cases')
		.values({ id: r.id, ref: r.ref, ...cols, received_at: nowMs, source_region: r.region })
		.onConflict((oc) => oc.column('id').doUpdateSet({ ...cols, received_at: nowMs }))
		.execute();
}

export async function putReceivedQuarantine(
	tx: StoreTx,
	r: { id: string; ref: string; from: number; until: number; region: string },
	nowMs: number
): Promise<void> {
	await tx
		.insertInto('quarantine_orders')
		.values({ id: r.id, ref: r.ref, from_at: r.from, until_at: r.until, received_at: nowMs, source_region: r.region })
		.onConflict((oc) => oc.column('id').doUpdateSet({ from_at: r.from, until_at: r.until, received_at: nowMs }))
		.execute();
}

export async function putReceivedContact(
	tx: StoreTx,
	r: { id: string; ref: string; kind: 'close' | 'secondary'; toRef: string; exposedAt: number; region: string },
	nowMs: number
): Promise<void> {
	await tx
		.insertInto('contacts')
		.values({ id: r.id, ref: r.ref, kind: r.kind, to_ref: r.toRef, exposed_at: r.exposedAt, received_at: nowMs, source_region: r.region })
		.onConflict((oc) => oc.column('id').doUpdateSet({ kind: r.kind, to_ref: r.toRef, exposed_at: r.exposedAt, received_at: nowMs }))
		.execute();
}

/** A venue co-visit found by another region's tracing: a visit row with its source region (the rules: coVisitFound). */
export async function putReceivedVisit(
	tx: StoreTx,
	r: { id: string; ref: string; venueId: string; at: number; region: string }
): Promise<void> {
	await tx
		.insertInto('venue_visits')
		.values({ id: r.id, ref: r.ref, venue_id: r.venueId, at: r.at, source_region: r.region })
		.onConflict((oc) => oc.column('id').doUpdateSet({ venue_id: r.venueId, at: r.at }))
		.execute();
}

/**
 * Retention (retention.ts) of the fact exchange, as of `cutoff`: outbox rows delivered or rejected before it, inbox
 * entries received before it, and on a gateway acknowledged queue rows, their batches once unreferenced, and
 * rejections. Safe for exactly-once: the gateway refuses a batch signed more than a day ago (MAX_BATCH_AGE_SEC),
 * so nothing older than the retention period can come again. Pending outbox rows and unacknowledged queue rows stay.
 */
export async function purgeFederation(db: Db, cutoff: number): Promise<number> {
	let n = 0;
	const count = (r: { numDeletedRows: bigint }) => (n += Number(r.numDeletedRows));
	count(await db.deleteFrom('fed_outbox').where('state', '!=', 'pending').where('done_at', '<', cutoff).executeTakeFirst());
	count(await db.deleteFrom('fed_inbox').where('received_at', '<', cutoff).executeTakeFirst());
	count(await db.deleteFrom('gw_queue').where('acked_at', '<', cutoff).executeTakeFirst());
	count(
		await db
			.deleteFrom('gw_batches')
			.where('received_at', '<', cutoff)
			.where((eb) =>
				eb.not(eb.exists(eb.selectFrom('gw_queue').select('gw_queue.seq').whereRef('gw_queue.batch_key', '=', 'gw_batches.batch_key')))
			)
			.executeTakeFirst()
	);
	count(await db.deleteFrom('gw_rejections').where('at', '<', cutoff).executeTakeFirst());
	return n;
}
