/**
 * Bulk seeding of the demo city (`tongxing seed`, src/demo/seed-city.ts): the multi-row writers of
 * one seeding transaction (bulk.ts: raw compiled statements, the query builder's per-row cost dominates at
 * millions of rows), the SQLite settings for a bulk load into a fresh file, and dropping and rebuilding the
 * trajectory indexes around the load (one sort instead of maintaining three indexes row by row).
 */
import { PostgresAdapter, sql } from 'kysely';
import { BulkInserter } from './bulk.js';
import type { Db, Store, StoreTx } from './db.js';
import type { Database } from './schema.js';

/** Same definitions as migrations 001, 006 and 019 (dropped before a load into an empty table, rebuilt after). */
const TRAJECTORY_INDEXES: readonly { name: string; columns: readonly string[]; cellsOnly?: boolean }[] = [
	{ name: 'trajectory_points_phone_at_pos', columns: ['phone_hmac', 'at', 'lat', 'lon', 'accuracy_m', 'cell'] },
	{ name: 'trajectory_points_at', columns: ['at'] },
	// phone_hmac last: a case import's range scans read the index alone (migration 034)
	{ name: 'trajectory_points_grid_at_pos_phone', columns: ['grid', 'at', 'lat', 'lon', 'phone_hmac'] },
	{ name: 'trajectory_points_cell_at_phone', columns: ['cell', 'at', 'phone_hmac'], cellsOnly: true }
];
export const TRAJECTORY_INDEX_COUNT = TRAJECTORY_INDEXES.length;

/** SQLite page cache while bulk loading and building the indexes (KiB, as a negative cache_size): sorts spill less */
const BULK_CACHE_KIB = 512 * 1024;

export function isPostgres(db: Db): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** True when `table` has no row. */
export async function isTableEmpty(
	db: Db,
	table: 'trajectory_points' | 'resident_colours' | 'people' | 'resident_colour_events'
): Promise<boolean> {
	return (
		(await db
			.selectFrom(table)
			.select(sql<number>`1`.as('x'))
			.limit(1)
			.executeTakeFirst()) === undefined
	);
}

/** True when the database already holds a city (a trajectory point) or any resident colour. */
export async function hasCityOrColours(db: Db): Promise<boolean> {
	const row = await db.selectFrom('resident_colours').select('ref').limit(1).executeTakeFirst();
	const pts = await db.selectFrom('trajectory_points').select('id').limit(1).executeTakeFirst();
	return row !== undefined || pts !== undefined;
}

/**
 * SQLite only: a bulk load into a fresh file — no fsync, a large page cache, and (`noJournal`) no journal
 * instead of WAL: nothing is written twice and no copy of changed pages is kept. Without a journal a failed
 * seed leaves a file to delete, as a crash would. Undone by endSqliteBulkLoad.
 */
export async function beginSqliteBulkLoad(db: Store, noJournal: boolean): Promise<void> {
	await sql`pragma synchronous = off`.execute(db);
	await sql.raw(`pragma cache_size = -${BULK_CACHE_KIB}`).execute(db);
	if (noJournal) await sql`pragma journal_mode = off`.execute(db);
}

/** SQLite only: back to open.ts's settings (WAL when the journal was off, synchronous NORMAL, default cache). */
export async function endSqliteBulkLoad(db: Store, journalWasOff: boolean): Promise<void> {
	if (journalWasOff) await sql`pragma journal_mode = wal`.execute(db);
	await sql`pragma synchronous = normal`.execute(db);
	await sql`pragma cache_size = -2000`.execute(db);
	await sql`pragma threads = 0`.execute(db);
}

/** SQLite: the trajectory table's index names (the bulk load drops and rebuilds them; seed-city.test.ts checks they are back). */
export async function sqliteTrajectoryIndexNames(db: Store): Promise<string[]> {
	const r = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'trajectory_points'`.execute(db);
	return r.rows.map((x) => x.name).sort();
}

export async function dropTrajectoryIndexes(db: Store): Promise<void> {
	for (const { name } of TRAJECTORY_INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}

/** Rebuilds the indexes dropped by dropTrajectoryIndexes (SQLite sorts with 2 helper threads meanwhile). */
export async function createTrajectoryIndexes(db: Store, onIndex?: (done: number) => void): Promise<void> {
	if (!isPostgres(db)) await sql`pragma threads = 2`.execute(db);
	for (const [k, i] of TRAJECTORY_INDEXES.entries()) {
		let q = db.schema
			.createIndex(i.name)
			.ifNotExists()
			.on('trajectory_points')
			.columns([...i.columns]);
		if (i.cellsOnly) q = q.where(sql.ref('cell'), 'is not', null);
		await q.execute();
		onIndex?.(k + 1);
	}
}

/** A bulk writer of one table; rows are value arrays in the writer's column order. */
export type CityWriter = BulkInserter;

const writer = (tx: StoreTx, table: keyof Database, columns: readonly string[], conflict = '') =>
	new BulkInserter(tx, table, columns, conflict);

/**
 * One seeding transaction's writers (column orders below). `explicitIds`: trajectory rows carry the ids the
 * seed assigned (the in-memory evaluation refers to them as `point:<id>`).
 */
export function cityWriters(tx: StoreTx, explicitIds: boolean) {
	return {
		register: writer(
			tx,
			'household_register',
			['id_hmac', 'name_hmac', 'region', 'household_id', 'updated_at'],
			'on conflict (id_hmac) do update set name_hmac = excluded.name_hmac, region = excluded.region, household_id = excluded.household_id'
		),
		phones: writer(
			tx,
			'phone_registry',
			['phone_hmac', 'id_hmac', 'updated_at'],
			'on conflict (phone_hmac) do update set id_hmac = excluded.id_hmac'
		),
		traj: writer(
			tx,
			'trajectory_points',
			explicitIds
				? ['id', 'phone_hmac', 'at', 'lat', 'lon', 'cell', 'accuracy_m', 'grid']
				: ['phone_hmac', 'at', 'lat', 'lon', 'cell', 'accuracy_m', 'grid']
		),
		visits: writer(tx, 'venue_visits', ['id', 'ref', 'venue_id', 'at'], 'on conflict (id) do nothing'),
		tests: writer(tx, 'health_tests', ['id', 'ref', 'sampled_at', 'result', 'received_at'], 'on conflict (id) do nothing'),
		cases: writer(tx, 'cases', ['id', 'ref', 'confirmed_at', 'released_at', 'received_at'], 'on conflict (id) do nothing'),
		orders: writer(tx, 'quarantine_orders', ['id', 'ref', 'from_at', 'until_at', 'received_at'], 'on conflict (id) do nothing'),
		contacts: writer(tx, 'contacts', ['id', 'ref', 'kind', 'to_ref', 'exposed_at', 'received_at'], 'on conflict (id) do nothing'),
		colours: writer(
			tx,
			'resident_colours',
			['ref', 'colour', 'reasons_json', 'rule_version', 'updated_at', 'review_at', 'explain_json'],
			'on conflict (ref) do update set colour = excluded.colour, reasons_json = excluded.reasons_json, rule_version = excluded.rule_version, updated_at = excluded.updated_at, review_at = excluded.review_at, explain_json = excluded.explain_json'
		),
		/** [ref, grid, updated_at]: the grid cell of the registered home (the console map's density layer) */
		places: writer(
			tx,
			'resident_places',
			['ref', 'grid', 'updated_at'],
			'on conflict (ref) do update set grid = excluded.grid, updated_at = excluded.updated_at'
		),
		audit: writer(tx, 'resident_colour_events', [
			'ref',
			'at',
			'colour',
			'previous_colour',
			'reasons_json',
			'rule_version',
			'facts_json',
			'actor'
		])
	} satisfies Record<string, CityWriter>;
}

export type CityWriters = ReturnType<typeof cityWriters>;

/** The carrier's cell table (the points name their serving cell): rows [cell, lat, lon, radius_m], existing kept. */
export async function insertCellSitesIfAbsent(tx: StoreTx, rows: readonly (readonly [string, number, number, number])[]): Promise<void> {
	const cells = writer(tx, 'cell_sites', ['cell', 'lat', 'lon', 'radius_m'], 'on conflict (cell) do nothing');
	for (const r of rows) cells.push(r);
	await cells.drain(tx);
	await cells.flush(tx);
}
