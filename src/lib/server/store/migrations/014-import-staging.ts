/**
 * Migration 014: staging for file imports (sources/import.ts). A file is streamed into `import_staging` in short
 * transactions, one row per validated record (its JSON), under an `import_runs` row; only when the whole file is
 * valid does the run switch to `applying` and its rows move into the fact tables, again in short transactions
 * (each batch written and deleted from staging together, so a batch is applied exactly once). Other requests
 * interleave between batches instead of waiting for the whole upload. A run still `staging` after a crash was
 * never fully validated and is discarded; a run `applying` is finished by the next import. `touched_at` is renewed
 * by every batch: only a run untouched for a while counts as abandoned (an import in another process is not).
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('import_runs')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('touched_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('import_staging')
		.addColumn('import_id', 'text', (c) => c.notNull())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('import_staging_pk', ['import_id', 'seq'])
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('import_staging').execute();
	await db.schema.dropTable('import_runs').execute();
}

export const migration014: Migration = { up, down };
