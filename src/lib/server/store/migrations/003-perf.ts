/**
 * Migration 003: what the performance work (issue 3) needs.
 * - accounts.codes_version: a counter bumped in the same transaction as every change to what
 *   GET /api/v1/me/codes shows for the account (its people, their codes, their declarations). The endpoint's
 *   ETag carries it, so a conditional refresh is answered from one `sessions ⋈ accounts` lookup
 *   (src/lib/server/issuer/codes-etag.ts).
 * - scan_events keyed by (device_id, seq), the order ingest reads and writes it in (scans/ingest.ts); event_id
 *   stays unique. SQLite: the table is rebuilt WITHOUT ROWID (https://sqlite.org/withoutrowid.html), so the
 *   table B-tree is the (device_id, seq) one and each insert updates four B-trees instead of five. SQLite can't
 *   change a primary key in place: new table, copy, drop, rename, re-create the indexes (the rebuild procedure of
 *   https://sqlite.org/lang_altertable.html §7; nothing references scan_events, and the whole migration is one
 *   transaction, see migrate.ts). PostgreSQL: the primary key constraint moves to (device_id, seq).
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const TIME = 'bigint';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The SQLite rebuild: `key` 'device-seq' (up) or 'event-id' (down, migration 001's shape). */
async function rebuildSqliteScanEvents(db: Kysely<unknown>, key: 'device-seq' | 'event-id'): Promise<void> {
	const s = db.schema;
	let t = s
		.createTable('scan_events_new')
		.addColumn('event_id', 'text', (c) => (key === 'event-id' ? c.primaryKey() : c.notNull().unique()))
		.addColumn('device_id', 'text', (c) => c.notNull().references('guard_devices.id'))
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('prev_hash', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('code_id', 'text')
		.addColumn('verdict', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('scanned_at', TIME, (c) => c.notNull())
		.addColumn('received_at', TIME, (c) => c.notNull())
		.addColumn('venue_id', 'text', (c) => c.notNull().references('venues.id'));
	t =
		key === 'device-seq'
			? t.addPrimaryKeyConstraint('scan_events_pk', ['device_id', 'seq']).modifyEnd(sql`without rowid`)
			: t.addUniqueConstraint('scan_events_device_seq', ['device_id', 'seq']);
	await t.execute();
	await sql`insert into scan_events_new (event_id, device_id, seq, prev_hash, hash, code_id, verdict, reason, scanned_at, received_at, venue_id)
		select event_id, device_id, seq, prev_hash, hash, code_id, verdict, reason, scanned_at, received_at, venue_id from scan_events order by device_id, seq`.execute(
		db
	);
	await s.dropTable('scan_events').execute();
	await s.alterTable('scan_events_new').renameTo('scan_events').execute();
	await s.createIndex('scan_events_scanned').on('scan_events').column('scanned_at').execute();
	await s.createIndex('scan_events_received').on('scan_events').column('received_at').execute();
}

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.alterTable('accounts')
		.addColumn('codes_version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	if (isPostgres(db)) {
		await sql`alter table scan_events drop constraint scan_events_pkey`.execute(db);
		await sql`alter table scan_events drop constraint scan_events_device_seq`.execute(db);
		await sql`alter table scan_events add constraint scan_events_pk primary key (device_id, seq)`.execute(db);
		await sql`alter table scan_events add constraint scan_events_event_id_key unique (event_id)`.execute(db);
	} else {
		await rebuildSqliteScanEvents(db, 'device-seq');
	}
}

async function down(db: Kysely<unknown>): Promise<void> {
	if (isPostgres(db)) {
		await sql`alter table scan_events drop constraint scan_events_event_id_key`.execute(db);
		await sql`alter table scan_events drop constraint scan_events_pk`.execute(db);
		await sql`alter table scan_events add constraint scan_events_pkey primary key (event_id)`.execute(db);
		await sql`alter table scan_events add constraint scan_events_device_seq unique (device_id, seq)`.execute(db);
	} else {
		await rebuildSqliteScanEvents(db, 'event-id');
	}
	await db.schema.alterTable('accounts').dropColumn('codes_version').execute();
}

export const migration003: Migration = { up, down };
