/**
 * Migration 026: the console overview's aggregates (issue 15: the overview must not scan every row per page view).
 *
 * - overview_deltas: what each write adds, appended by the writer in the same transaction as the write
 *   (store/overview.ts: colour changes, scans, status-list entries, imports). Inserts only from writers, so
 *   concurrent writers never wait on a shared counter row.
 * - overview_counts: the folded totals, one row per (metric, bucket, key); bucket 0 holds "now" totals (colour
 *   mix, status-list size), other buckets are hour starts (ms). A job folds the deltas in (delete … returning,
 *   exact under concurrency); a read sums both tables, so it is current even between folds.
 *
 * Up fills overview_counts from the rows already stored (colour mix, colour changes and scans per hour, status
 * entries). Imports before this migration left no trace to count (their staging rows are deleted), so they start
 * at zero.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function up(db: Kysely<unknown>): Promise<void> {
	const pg = isPostgres(db);
	await (
		pg
			? db.schema.createTable('overview_deltas').addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
			: db.schema.createTable('overview_deltas').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
	)
		.addColumn('metric', 'text', (c) => c.notNull())
		.addColumn('bucket', 'bigint', (c) => c.notNull())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('n', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('overview_counts')
		.addColumn('metric', 'text', (c) => c.notNull())
		.addColumn('bucket', 'bigint', (c) => c.notNull())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('n', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('overview_counts_pk', ['metric', 'bucket', 'key'])
		.execute();
	// the overview reads the "now" totals and the last day's hours of every metric: a range on bucket
	await db.schema.createIndex('overview_counts_bucket').on('overview_counts').columns(['bucket']).execute();
	await rebuildOverviewCounts(db, pg);
}

/** The totals from the stored rows (also used by the demo seed after its bulk load, through store/overview.ts). */
export async function rebuildOverviewCounts(db: Kysely<unknown>, pg = isPostgres(db)): Promise<void> {
	const H = 3_600_000;
	const reasons = pg
		? sql.raw(`cross join lateral jsonb_array_elements_text(e.reasons_json::jsonb) as j(value)`)
		: sql.raw(`cross join json_each(e.reasons_json) as j`);
	await sql`delete from overview_counts`.execute(db);
	await sql`delete from overview_deltas`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'colour', 0, colour, count(*) from resident_colours group by colour`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'colour.net', b, k, sum(d) from (
			select (at / ${sql.lit(H)}) * ${sql.lit(H)} as b, colour as k, 1 as d from resident_colour_events
			union all
			select (at / ${sql.lit(H)}) * ${sql.lit(H)}, previous_colour, -1 from resident_colour_events where previous_colour is not null
		) x group by b, k having sum(d) <> 0`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'recolour', (e.at / ${sql.lit(H)}) * ${sql.lit(H)} as b, j.value, count(*) from resident_colour_events e ${reasons}
		where e.previous_colour is not null and e.previous_colour <> e.colour group by b, j.value`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'recolour', (at / ${sql.lit(H)}) * ${sql.lit(H)} as b, 'none', count(*) from resident_colour_events
		where previous_colour is not null and previous_colour <> colour and reasons_json = '[]' group by b`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'scan', (scanned_at / ${sql.lit(H)}) * ${sql.lit(H)} as b, venue_id, count(*) from scan_events group by b, venue_id`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'verdict', (scanned_at / ${sql.lit(H)}) * ${sql.lit(H)} as b, verdict, count(*) from scan_events group by b, verdict`.execute(db);
	await sql`insert into overview_counts (metric, bucket, key, n)
		select 'status', 0, region, count(*) from status_entries group by region`.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('overview_counts').execute();
	await db.schema.dropTable('overview_deltas').execute();
}

export const migration026: Migration = { up, down };
