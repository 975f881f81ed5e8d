/**
 * Import runs and their staged rows (migration 014; the flow is in sources/import.ts). Every function here is one
 * short statement or transaction: an import is many of them, so other requests get the connection (SQLite) or
 * the write lock (SQLite across processes) between them, and on PostgreSQL each takes a pool connection only for
 * its own duration.
 */
import { transaction, type Store, type StoreTx } from './db.js';

export interface ImportRun {
	id: string;
	kind: string;
	state: 'staging' | 'applying';
	receivedAt: number;
	touchedAt: number;
}

export async function createImportRun(db: Store, run: ImportRun): Promise<void> {
	await db
		.insertInto('import_runs')
		.values({ id: run.id, kind: run.kind, state: run.state, received_at: run.receivedAt, touched_at: run.touchedAt })
		.execute();
}

/** Appends rows (already-validated records as JSON) to a run, in one transaction; seq numbers keep file order. */
export async function stageImportRows(
	db: Store,
	importId: string,
	firstSeq: number,
	payloads: readonly string[],
	nowMs: number
): Promise<void> {
	if (payloads.length === 0) return;
	await transaction(db, async (tx) => {
		for (let i = 0; i < payloads.length; i += STAGE_STATEMENT_ROWS) {
			await tx
				.insertInto('import_staging')
				.values(payloads.slice(i, i + STAGE_STATEMENT_ROWS).map((payload, k) => ({ import_id: importId, seq: firstSeq + i + k, payload })))
				.execute();
		}
		await tx.updateTable('import_runs').set({ touched_at: nowMs }).where('id', '=', importId).execute();
	});
}

/** 3 parameters a row: well under both engines' bound-parameter limits. */
const STAGE_STATEMENT_ROWS = 1000;

/** The whole file is valid: from now on the run is finished, never discarded (also by the next import after a crash). */
export async function markImportApplying(db: Store, importId: string, nowMs: number): Promise<void> {
	await db.updateTable('import_runs').set({ state: 'applying', touched_at: nowMs }).where('id', '=', importId).execute();
}

/**
 * Inside the caller's transaction: the next `limit` staged rows of a run (file order) and their removal from
 * staging, so the caller's write of them and their removal commit together (each row applied exactly once).
 */
export async function takeStagedRows(tx: StoreTx, importId: string, limit: number, nowMs: number): Promise<string[]> {
	const rows = await tx
		.selectFrom('import_staging')
		.select(['seq', 'payload'])
		.where('import_id', '=', importId)
		.orderBy('seq')
		.limit(limit)
		.execute();
	if (rows.length === 0) return [];
	await tx
		.deleteFrom('import_staging')
		.where('import_id', '=', importId)
		.where('seq', '<=', rows[rows.length - 1]!.seq)
		.execute();
	await tx.updateTable('import_runs').set({ touched_at: nowMs }).where('id', '=', importId).execute();
	return rows.map((r) => r.payload);
}

/** Deletes up to `limit` staged rows of a run; returns how many (call until 0 — bounded deletes, like the writes). */
export async function discardStagedRows(db: Store, importId: string, limit: number): Promise<number> {
	const rows = await db.selectFrom('import_staging').select('seq').where('import_id', '=', importId).orderBy('seq').limit(limit).execute();
	if (rows.length === 0) return 0;
	await db
		.deleteFrom('import_staging')
		.where('import_id', '=', importId)
		.where('seq', '<=', rows[rows.length - 1]!.seq)
		.execute();
	return rows.length;
}

export async function deleteImportRun(db: Store, importId: string): Promise<void> {
	await db.deleteFrom('import_runs').where('id', '=', importId).execute();
}

/** Runs nobody has touched since `before` (left behind by a crash or a lost connection), oldest first. */
export async function abandonedImportRuns(db: Store, before: number): Promise<ImportRun[]> {
	const rows = await db.selectFrom('import_runs').selectAll().where('touched_at', '<', before).orderBy('touched_at').execute();
	return rows.map((r) => ({ id: r.id, kind: r.kind, state: r.state, receivedAt: r.received_at, touchedAt: r.touched_at }));
}

/** Takes over an abandoned run: true for exactly one of several callers racing for it (compare-and-set on touched_at). */
export async function claimImportRun(db: Store, run: ImportRun, nowMs: number): Promise<boolean> {
	const r = await db
		.updateTable('import_runs')
		.set({ touched_at: nowMs })
		.where('id', '=', run.id)
		.where('touched_at', '=', run.touchedAt)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
