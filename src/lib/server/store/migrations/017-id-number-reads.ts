/**
 * Migration 017: id_number_reads, the append-only record of every time an operator matched ID numbers against
 * residents' colours (`tongxing colours --ids FILE --purpose TEXT`, src/cli/colours-command.ts). The database holds
 * no clear ID numbers (people and facts are keyed by HMACs of them), so reading "whose colour is this" needs the
 * operator's own list; each resident matched gets a row with who read it, when, and the stated purpose, so a
 * lookup of a person is never invisible. Refuses UPDATE / DELETE (/ TRUNCATE) like the tables of migration 010.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function up(db: Kysely<unknown>): Promise<void> {
	const pg = isPostgres(db);
	await (
		pg
			? db.schema.createTable('id_number_reads').addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
			: db.schema.createTable('id_number_reads').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
	)
		.addColumn('read_id', 'text', (c) => c.notNull())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('purpose', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('id_number_reads_ref').on('id_number_reads').columns(['ref', 'at']).execute();
	if (!pg) {
		for (const op of ['update', 'delete'])
			await sql
				.raw(
					`create trigger id_number_reads_no_${op} before ${op} on id_number_reads begin select raise(abort, 'id_number_reads is append-only'); end`
				)
				.execute(db);
		return;
	}
	// tongxing_append_only() is migration 010's
	await sql
		.raw(
			'create trigger id_number_reads_append_only before update or delete on id_number_reads for each row execute function tongxing_append_only()'
		)
		.execute(db);
	await sql
		.raw(
			'create trigger id_number_reads_no_truncate before truncate on id_number_reads for each statement execute function tongxing_append_only()'
		)
		.execute(db);
	await sql.raw('revoke update, delete, truncate on id_number_reads from public, current_user').execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	if (isPostgres(db)) await sql.raw('grant update, delete, truncate on id_number_reads to current_user').execute(db);
	await db.schema.dropTable('id_number_reads').execute();
}

export const migration017: Migration = { up, down };
