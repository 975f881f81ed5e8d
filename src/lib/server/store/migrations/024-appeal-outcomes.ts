/**
 * Migration 024: appeals reach an outcome (issue 15).
 *
 * appeals gains how it ended: `outcome` ('fact-corrected' | 'override' | 'rejected', null while open),
 * `proposal_id` (the staff proposal that carries the outcome out — a fact correction or a colour override a second
 * officer must approve; while it is pending the appeal's status is 'in-review'), `resolved_by` (staff username)
 * and `resolved_at` (ms). `resolution` (migration 001) keeps the officer's reason as the resident reads it.
 *
 * fact_corrections: one append-only row per fact an officer corrected (an import error: a test result recorded
 * wrongly, a case or contact record about the wrong person): which fact (kind + id, the ref it belongs to), the row
 * before and after (after null: the record was removed), why, who, when, and the appeal and proposal it came from.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function up(db: Kysely<unknown>): Promise<void> {
	const pg = isPostgres(db);
	await db.schema.alterTable('appeals').addColumn('outcome', 'text').execute();
	await db.schema.alterTable('appeals').addColumn('proposal_id', 'text').execute();
	await db.schema.alterTable('appeals').addColumn('resolved_by', 'text').execute();
	await db.schema.alterTable('appeals').addColumn('resolved_at', 'bigint').execute();
	await (
		pg
			? db.schema.createTable('fact_corrections').addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
			: db.schema.createTable('fact_corrections').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
	)
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('fact_kind', 'text', (c) => c.notNull())
		.addColumn('fact_id', 'text', (c) => c.notNull())
		.addColumn('before_json', 'text', (c) => c.notNull())
		.addColumn('after_json', 'text')
		.addColumn('why', 'text', (c) => c.notNull())
		.addColumn('corrected_by', 'text', (c) => c.notNull())
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('appeal_id', 'text')
		.addColumn('proposal_id', 'text')
		.execute();
	await db.schema.createIndex('fact_corrections_ref').on('fact_corrections').columns(['ref', 'at']).execute();
	await db.schema.createIndex('fact_corrections_appeal').on('fact_corrections').columns(['appeal_id']).execute();
	await db.schema.createIndex('appeals_proposal').on('appeals').columns(['proposal_id']).execute();
	if (!pg) {
		for (const op of ['update', 'delete'])
			await sql
				.raw(
					`create trigger fact_corrections_no_${op} before ${op} on fact_corrections begin select raise(abort, 'fact_corrections is append-only'); end`
				)
				.execute(db);
		return;
	}
	// tongxing_append_only() is migration 010's
	await sql
		.raw(
			'create trigger fact_corrections_append_only before update or delete on fact_corrections for each row execute function tongxing_append_only()'
		)
		.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('fact_corrections').execute();
	await db.schema.dropIndex('appeals_proposal').execute();
	for (const c of ['resolved_at', 'resolved_by', 'proposal_id', 'outcome']) await db.schema.alterTable('appeals').dropColumn(c).execute();
}

export const migration024: Migration = { up, down };
