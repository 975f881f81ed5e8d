/**
 * Migration 020: staff_audit, the append-only record of what staff did and read in the console (issue 15: hundreds
 * of staff actions sat unseen). One row per action: who (actor), what (action, a stable dotted name such as
 * `person.lookup` or `tracing.query`), about whom (person_hash: the resident's ref — already an HMAC, never a clear
 * ID), on what (target: an id of the thing acted on), why (purpose, required for reads of personal data) and a
 * small JSON detail. Refuses UPDATE / DELETE (/ TRUNCATE) like the tables of migration 010.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function up(db: Kysely<unknown>): Promise<void> {
	const pg = isPostgres(db);
	await (
		pg
			? db.schema.createTable('staff_audit').addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
			: db.schema.createTable('staff_audit').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
	)
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('person_hash', 'text')
		.addColumn('target', 'text')
		.addColumn('purpose', 'text')
		.addColumn('detail_json', 'text')
		.execute();
	await db.schema.createIndex('staff_audit_at').on('staff_audit').columns(['at']).execute();
	await db.schema.createIndex('staff_audit_actor').on('staff_audit').columns(['actor', 'at']).execute();
	await db.schema.createIndex('staff_audit_person').on('staff_audit').columns(['person_hash', 'at']).execute();
	if (!pg) {
		for (const op of ['update', 'delete'])
			await sql
				.raw(`create trigger staff_audit_no_${op} before ${op} on staff_audit begin select raise(abort, 'staff_audit is append-only'); end`)
				.execute(db);
		return;
	}
	// tongxing_append_only() is migration 010's
	await sql
		.raw(
			'create trigger staff_audit_append_only before update or delete on staff_audit for each row execute function tongxing_append_only()'
		)
		.execute(db);
	await sql
		.raw('create trigger staff_audit_no_truncate before truncate on staff_audit for each statement execute function tongxing_append_only()')
		.execute(db);
	await sql.raw('revoke update, delete, truncate on staff_audit from public, current_user').execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	if (isPostgres(db)) await sql.raw('grant update, delete, truncate on staff_audit to current_user').execute(db);
	await db.schema.dropTable('staff_audit').execute();
}

export const migration020: Migration = { up, down };
