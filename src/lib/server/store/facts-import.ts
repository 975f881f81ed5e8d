/**
 * Writes of facts delivered by the data sources (push API and file import, sources/kinds.ts): tests, cases,
 * quarantine orders, contacts, trajectory points and the cell table learned from them. Each writer takes
 * validated records (ids already derived from the record's identity) and upserts them in multi-row statements
 * of at most FACT_BATCH rows, so importing the same file twice stores each fact once and a corrected row updates
 * it. The household register and phone registry: register.ts.
 */
import { sql } from 'kysely';
import type { StoreTx } from './db.js';
import type { ContactKind, TestResult } from './schema.js';

/** Rows per multi-row INSERT: ≤ 8 columns × 1000 stays under both engines' bound-parameter limits. */
export const FACT_BATCH = 1000;

export async function inBatches<T>(rows: readonly T[], fn: (batch: T[]) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < rows.length; i += FACT_BATCH) await fn(rows.slice(i, i + FACT_BATCH));
}

export async function upsertTests(
	tx: StoreTx,
	rows: readonly { id: string; ref: string; sampledAt: number; result: TestResult }[],
	receivedAt: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('health_tests')
			.values(b.map((x) => ({ id: x.id, ref: x.ref, sampled_at: x.sampledAt, result: x.result, received_at: receivedAt })))
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({ result: eb.ref('excluded.result'), received_at: eb.ref('excluded.received_at') }))
			)
			.execute()
	);
}

/** Which of these refs already have a case (any row): an import's new cases are the others (sources/kinds.ts). */
export async function refsWithCases(tx: StoreTx, refs: readonly string[]): Promise<Set<string>> {
	const out = new Set<string>();
	await inBatches([...new Set(refs)], async (b) => {
		for (const r of await tx.selectFrom('cases').select('ref').where('ref', 'in', b).distinct().execute()) out.add(r.ref);
	});
	return out;
}

export async function upsertCases(
	tx: StoreTx,
	rows: readonly {
		id: string;
		ref: string;
		confirmedAt: number;
		releasedAt: number | null;
		onsetAt?: number | null;
		isolatedAt?: number | null;
	}[],
	receivedAt: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('cases')
			.values(
				b.map((x) => ({
					id: x.id,
					ref: x.ref,
					confirmed_at: x.confirmedAt,
					released_at: x.releasedAt,
					received_at: receivedAt,
					onset_at: x.onsetAt ?? null,
					isolated_at: x.isolatedAt ?? null
				}))
			)
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({
					released_at: eb.ref('excluded.released_at'),
					received_at: eb.ref('excluded.received_at'),
					onset_at: eb.ref('excluded.onset_at'),
					isolated_at: eb.ref('excluded.isolated_at')
				}))
			)
			.execute()
	);
}

export async function upsertQuarantineOrders(
	tx: StoreTx,
	rows: readonly { id: string; ref: string; from: number; until: number }[],
	receivedAt: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('quarantine_orders')
			.values(b.map((x) => ({ id: x.id, ref: x.ref, from_at: x.from, until_at: x.until, received_at: receivedAt })))
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({ until_at: eb.ref('excluded.until_at'), received_at: eb.ref('excluded.received_at') }))
			)
			.execute()
	);
}

export async function upsertContacts(
	tx: StoreTx,
	rows: readonly { id: string; ref: string; toRef: string; kind: ContactKind; exposedAt: number }[],
	receivedAt: number
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('contacts')
			.values(b.map((x) => ({ id: x.id, ref: x.ref, kind: x.kind, to_ref: x.toRef, exposed_at: x.exposedAt, received_at: receivedAt })))
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({ exposed_at: eb.ref('excluded.exposed_at'), received_at: eb.ref('excluded.received_at') }))
			)
			.execute()
	);
}

/** Trajectory points (append-only: a point has no identity to upsert on); `grid` is the caller's gridOf(lat, lon). */
export async function insertTrajectoryPoints(
	tx: StoreTx,
	rows: readonly { phoneHmac: string; at: number; lat: number; lon: number; cell: string | null; accuracyM: number; grid: number }[]
): Promise<void> {
	await inBatches(rows, (b) =>
		tx
			.insertInto('trajectory_points')
			.values(
				b.map((x) => ({
					phone_hmac: x.phoneHmac,
					at: x.at,
					lat: x.lat,
					lon: x.lon,
					cell: x.cell,
					accuracy_m: x.accuracyM,
					grid: x.grid
				}))
			)
			.execute()
	);
}

/**
 * The cell table learned from points that name their serving cell (migration 008): position as reported, radius
 * the smallest one reported. Used by the precise companion rule (src/lib/core/rules/serving-cells.ts).
 */
export async function upsertCellSites(
	tx: StoreTx,
	rows: readonly { cell: string | null; lat: number; lon: number; accuracyM: number }[]
): Promise<void> {
	const cells = new Map<string, { cell: string; lat: number; lon: number; radius_m: number }>();
	for (const x of rows) {
		if (x.cell === null) continue;
		const cur = cells.get(x.cell);
		if (!cur) cells.set(x.cell, { cell: x.cell, lat: x.lat, lon: x.lon, radius_m: x.accuracyM });
		else if (x.accuracyM < cur.radius_m) cur.radius_m = x.accuracyM;
	}
	await inBatches([...cells.values()], (b) =>
		tx
			.insertInto('cell_sites')
			.values(b)
			.onConflict((oc) =>
				oc.column('cell').doUpdateSet((eb) => ({
					lat: eb.ref('excluded.lat'),
					lon: eb.ref('excluded.lon'),
					// LEAST in PostgreSQL, min(a, b) in SQLite: a CASE works in both
					radius_m: sql<number>`CASE WHEN excluded.radius_m < cell_sites.radius_m THEN excluded.radius_m ELSE cell_sites.radius_m END`
				}))
			)
			.execute()
	);
}
