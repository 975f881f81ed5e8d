/**
 * Migration 012: members need real consent (issue 13).
 * - people.id_hmac is no longer unique: a person may be held by several accounts (their own, as `self`, and each
 *   relative's that confirmed a link, as `proxy`), each with its own codes. Two partial unique indexes keep what
 *   must stay one: one live `self` row per person, one live row per (account, person).
 *   SQLite cannot drop a column's UNIQUE: the table is rebuilt (new table, copy, drop, rename; sqlite.org
 *   lang_altertable §7). open.ts runs migrations with foreign keys off and checks them before switching them on,
 *   which that procedure needs (declarations, codes, colour_events and appeals reference people).
 * - member_links: a request by an account (the adder) to hold a person's codes, pending until confirmed by
 *   evidence the system can check (the member's phone by one-time code, the household register, or a staff
 *   member's recorded evidence); nothing of the member's colour is shown before.
 *   Members added before this migration (consent only declared by the adder) get a confirmed link with method
 *   `declared`, so the person sees them in their own app, marked as not verified, and can remove them.
 * - member_link_events: append-only audit of each link's steps (requested, confirmed, rejected, removed): like
 *   migration 010's tables, SQLite triggers and PostgreSQL triggers + revoked privileges refuse UPDATE, DELETE and
 *   TRUNCATE.
 * - guardianships: the public-security source's guardian records (kind `guardians`): who is the legal guardian
 *   of whom, by keyed ID hashes.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const TIME = 'bigint';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function rebuildSqlitePeople(db: Kysely<unknown>, uniqueIdHmac: boolean): Promise<void> {
	const s = db.schema;
	await s
		.createTable('people_new')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
		.addColumn('id_hmac', 'text', (c) => (uniqueIdHmac ? c.notNull().unique() : c.notNull()))
		.addColumn('id_masked', 'text', (c) => c.notNull())
		.addColumn('id_suffix', 'text', (c) => c.notNull())
		.addColumn('name_masked', 'text', (c) => c.notNull())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('relation', 'text', (c) => c.notNull())
		.addColumn('consent_evidence', 'text')
		.addColumn('created_at', TIME, (c) => c.notNull())
		.addColumn('removed_at', TIME)
		.execute();
	await sql`insert into people_new (id, account_id, id_hmac, id_masked, id_suffix, name_masked, region, relation, consent_evidence, created_at, removed_at)
		select id, account_id, id_hmac, id_masked, id_suffix, name_masked, region, relation, consent_evidence, created_at, removed_at from people`.execute(
		db
	);
	await s.dropTable('people').execute();
	await s.alterTable('people_new').renameTo('people').execute();
	await s.createIndex('people_account').on('people').column('account_id').execute();
}

async function up(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	if (isPostgres(db)) await sql`alter table people drop constraint people_id_hmac_key`.execute(db);
	else await rebuildSqlitePeople(db, false);
	await s.createIndex('people_id_hmac').on('people').column('id_hmac').execute();
	await sql`create unique index people_self_live on people (id_hmac) where relation = 'self' and removed_at is null`.execute(db);
	await sql`create unique index people_account_person_live on people (account_id, id_hmac) where removed_at is null`.execute(db);

	await s
		.createTable('member_links')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
		.addColumn('id_hmac', 'text', (c) => c.notNull())
		.addColumn('id_masked', 'text', (c) => c.notNull())
		.addColumn('id_suffix', 'text', (c) => c.notNull())
		.addColumn('name_masked', 'text', (c) => c.notNull())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('register_match', 'integer', (c) => c.notNull())
		.addColumn('requested', 'text', (c) => c.notNull())
		.addColumn('request_note', 'text')
		.addColumn('phone_hmac', 'text')
		.addColumn('challenge_id', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('method', 'text')
		.addColumn('evidence', 'text')
		.addColumn('decided_by', 'text')
		.addColumn('decided_at', TIME)
		.addColumn('person_id', 'text', (c) => c.references('people.id'))
		.addColumn('created_at', TIME, (c) => c.notNull())
		.addColumn('removed_at', TIME)
		.addColumn('removed_by', 'text')
		.execute();
	await s.createIndex('member_links_account').on('member_links').column('account_id').execute();
	await s.createIndex('member_links_person').on('member_links').column('id_hmac').execute();
	await s.createIndex('member_links_status').on('member_links').columns(['status', 'requested', 'created_at']).execute();

	await s
		.createTable('member_link_events')
		.addColumn('id', isPostgres(db) ? 'bigserial' : 'integer', (c) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement()))
		.addColumn('link_id', 'text', (c) => c.notNull().references('member_links.id'))
		.addColumn('at', TIME, (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.execute();
	await sql`insert into member_links (id, account_id, id_hmac, id_masked, id_suffix, name_masked, region, register_match, requested,
			request_note, phone_hmac, challenge_id, status, method, evidence, decided_by, decided_at, person_id, created_at, removed_at, removed_by)
		select 'legacy-' || id, account_id, id_hmac, id_masked, id_suffix, name_masked, region, 1, 'declared',
			null, null, null, 'confirmed', 'declared', consent_evidence, 'adder-declared', created_at, id, created_at, null, null
		from people where relation = 'proxy' and removed_at is null`.execute(db);
	await s.createIndex('member_link_events_link').on('member_link_events').column('link_id').execute();
	if (isPostgres(db)) {
		// tongxing_append_only() is migration 010's
		await sql`create trigger member_link_events_append_only before update or delete on member_link_events for each row execute function tongxing_append_only()`.execute(
			db
		);
		await sql`create trigger member_link_events_no_truncate before truncate on member_link_events for each statement execute function tongxing_append_only()`.execute(
			db
		);
		await sql`revoke update, delete, truncate on member_link_events from public, current_user`.execute(db);
	} else {
		for (const op of ['update', 'delete'])
			await sql
				.raw(
					`create trigger member_link_events_no_${op} before ${op} on member_link_events begin select raise(abort, 'member_link_events is append-only'); end`
				)
				.execute(db);
	}

	await s
		.createTable('guardianships')
		.addColumn('guardian_hmac', 'text', (c) => c.notNull())
		.addColumn('ward_hmac', 'text', (c) => c.notNull())
		.addColumn('relation', 'text', (c) => c.notNull())
		.addColumn('updated_at', TIME, (c) => c.notNull())
		.addPrimaryKeyConstraint('guardianships_pk', ['guardian_hmac', 'ward_hmac'])
		.execute();
	await s.createIndex('guardianships_ward').on('guardianships').column('ward_hmac').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s.dropTable('guardianships').execute();
	if (isPostgres(db)) await sql`grant update, delete, truncate on member_link_events to current_user`.execute(db);
	await s.dropTable('member_link_events').execute();
	await s.dropTable('member_links').execute();
	await s.dropIndex('people_account_person_live').execute();
	await s.dropIndex('people_self_live').execute();
	await s.dropIndex('people_id_hmac').execute();
	if (isPostgres(db)) await sql`alter table people add constraint people_id_hmac_key unique (id_hmac)`.execute(db);
	else await rebuildSqlitePeople(db, true);
}

export const migration012: Migration = { up, down };
