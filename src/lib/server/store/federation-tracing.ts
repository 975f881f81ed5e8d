/**
 * Cross-region tracing (migration 022, federation/tracing.ts): requests asked and received, the gateway's
 * requests in transit, the routing hashes of people named here, and the co-visitors of a venue in a time window.
 */
import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { FedTracingTable, GwTracingTable } from './schema.js';
import { inBatches } from './facts-import.js';

export type TracingRow = FedTracingTable;

export async function upsertKnownRoutes(db: Db, rows: readonly { ref: string; route: string }[]): Promise<void> {
	const unique = [...new Map(rows.map((r) => [r.ref, r])).values()];
	await inBatches(unique, (b) =>
		db
			.insertInto('fed_known_routes')
			.values(b.map((r) => ({ ref: r.ref, route_hash: r.route })))
			.onConflict((oc) => oc.column('ref').doNothing())
			.execute()
	);
}

/** ref → routing hash, from the known routes and this region's residents. */
export async function routesOfRefs(db: Db, refs: readonly string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (let i = 0; i < refs.length; i += 500) {
		const part = refs.slice(i, i + 500);
		if (!part.length) continue;
		for (const r of await db.selectFrom('fed_known_routes').select(['ref', 'route_hash']).where('ref', 'in', part).execute())
			out.set(r.ref, r.route_hash);
		for (const r of await db.selectFrom('fed_residents').select(['ref', 'route_hash']).where('ref', 'in', part).execute())
			out.set(r.ref, r.route_hash);
	}
	return out;
}

/** Who was at the venue between fromMs and untilMs, with when: scans of this region's codes and recorded visits. */
export async function coVisitorsAt(db: Db, venueId: string, fromMs: number, untilMs: number): Promise<{ ref: string; at: number }[]> {
	const scans = await db
		.selectFrom('scan_events')
		.innerJoin('codes', 'codes.code_id', 'scan_events.code_id')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select(['people.id_hmac as ref', 'scan_events.scanned_at as at'])
		.where('scan_events.venue_id', '=', venueId)
		.where('scan_events.scanned_at', '>=', fromMs)
		.where('scan_events.scanned_at', '<=', untilMs)
		.execute();
	const visits = await db
		.selectFrom('venue_visits')
		.select(['ref', 'at'])
		.where('venue_id', '=', venueId)
		.where('at', '>=', fromMs)
		.where('at', '<=', untilMs)
		.where('source_region', 'is', null)
		.execute();
	return [...scans, ...visits];
}

export async function insertTracing(db: Db, row: FedTracingTable): Promise<void> {
	await db
		.insertInto('fed_tracing')
		.values(row)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
}

export async function tracingById(db: Db, id: string): Promise<FedTracingTable | undefined> {
	return db.selectFrom('fed_tracing').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTracing(
	db: Db,
	id: string,
	set: Partial<Pick<FedTracingTable, 'state' | 'decided_by' | 'decided_at' | 'note' | 'found' | 'answer_json' | 'answer_sent_at'>>,
	onlyIfState?: string
): Promise<boolean> {
	let q = db.updateTable('fed_tracing').set(set).where('id', '=', id);
	if (onlyIfState) q = q.where('state', '=', onlyIfState);
	return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
}

/** Decided requests whose answer the gateway has not taken yet. */
export async function unsentAnswers(db: Db, limit: number): Promise<{ id: string; answer_json: string }[]> {
	const rows = await db
		.selectFrom('fed_tracing')
		.select(['id', 'answer_json'])
		.where('direction', '=', 'in')
		.where('answer_json', 'is not', null)
		.where('answer_sent_at', 'is', null)
		.orderBy('decided_at')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ id: r.id, answer_json: r.answer_json! }));
}

export async function tracingPage(db: Db, limit: number): Promise<FedTracingTable[]> {
	return db.selectFrom('fed_tracing').selectAll().orderBy('requested_at', 'desc').limit(limit).execute();
}

// ── gateway ──────────────────────────────────────────────────────────────────────────────────────────────

export async function putGatewayTracing(
	db: Db,
	row: { id: string; from: string; to: string; message: string },
	nowMs: number
): Promise<boolean> {
	const r = await db
		.insertInto('gw_tracing')
		.values({
			id: row.id,
			from_region: row.from,
			to_region: row.to,
			request_message: row.message,
			created_at: nowMs,
			answer_message: null,
			answered_at: null
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function gatewayTracingById(db: Db, id: string): Promise<Selectable<GwTracingTable> | undefined> {
	return db.selectFrom('gw_tracing').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function answerGatewayTracing(db: Db, id: string, message: string, nowMs: number): Promise<void> {
	await db
		.updateTable('gw_tracing')
		.set({ answer_message: message, answered_at: nowMs })
		.where('id', '=', id)
		.where('answered_at', 'is', null)
		.execute();
}

export async function gatewayTracingFor(
	db: Db,
	region: string,
	afterSeq: number,
	answersSince: number,
	limit: number
): Promise<{ requests: { seq: number; message: string }[]; answers: { id: string; message: string; answeredAt: number }[] }> {
	const requests = await db
		.selectFrom('gw_tracing')
		.select(['seq', 'request_message'])
		.where('to_region', '=', region)
		.where('seq', '>', afterSeq)
		.orderBy('seq')
		.limit(limit)
		.execute();
	const answers = await db
		.selectFrom('gw_tracing')
		.select(['id', 'answer_message', 'answered_at'])
		.where('from_region', '=', region)
		.where('answered_at', '>', answersSince)
		.orderBy('answered_at')
		.limit(limit)
		.execute();
	return {
		requests: requests.map((r) => ({ seq: Number(r.seq), message: r.request_message })),
		answers: answers.map((a) => ({ id: a.id, message: a.answer_message!, answeredAt: a.answered_at! }))
	};
}
